"""Two of a client's body charts side by side, the change between them and its numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap import service
from practice.bodymap.atlas import Atlas, load_atlas
from practice.bodymap.metrics import Comparison, compare
from practice.bodymap.service import BodyChart, BodyChartSummary
from practice.bodymap.style import CHANGE_COLOURS
from practice.store import Database
from ui.bodymap.scene import BodyMapScene
from ui.bodymap.view import BodyMapView
from ui.widgets import dates
from ui.widgets.forms import muted, section_title


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = label.font()
    font.setWeight(font.Weight.DemiBold)
    label.setFont(font)
    return label


def _change_key() -> QLabel:
    swatches = "".join(
        f'<span style="background:{c}">&nbsp;&nbsp;&nbsp;&nbsp;</span>' for c in CHANGE_COLOURS
    )
    label = QLabel(f"worse (+) {swatches} better (−)")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setProperty("muted", True)
    return label


class ChartCompareView(QWidget):
    """Before, after and change maps of two charts, with extent, region and overlap figures."""

    def __init__(self, parent: QWidget | None = None, *, atlas: Atlas | None = None) -> None:
        super().__init__(parent)
        self.atlas = atlas or load_atlas()
        self.db: Database | None = None
        self.history: list[BodyChartSummary] = []
        self.comparison: Comparison | None = None
        self._charts: dict[int, BodyChart] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        picks = QHBoxLayout()
        self.before_combo = QComboBox()
        self.after_combo = QComboBox()
        picks.addWidget(QLabel("Compare"))
        picks.addWidget(self.before_combo)
        picks.addWidget(QLabel("with"))
        picks.addWidget(self.after_combo)
        picks.addStretch(1)
        layout.addLayout(picks)

        body = QHBoxLayout()
        body.setSpacing(12)
        maps = QGridLayout()
        maps.setSpacing(8)
        self.scenes: dict[str, BodyMapScene] = {}
        self.views: dict[str, BodyMapView] = {}
        self.captions: dict[str, QLabel] = {}
        cells = {"before": (0, 0, 1), "after": (1, 0, 1), "change": (0, 1, 2)}
        for key, (row, column, span) in cells.items():
            scene = BodyMapScene(self.atlas, self)
            view = BodyMapView(scene)
            view.setMinimumSize(180, 160)
            self.scenes[key], self.views[key] = scene, view
            self.captions[key] = _caption(key.capitalize())
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(self.captions[key])
            cell.addWidget(view, 1)
            if key == "change":
                cell.addWidget(_change_key())
            maps.addLayout(cell, row, column, span, 1)
        maps.setColumnStretch(0, 1)
        maps.setColumnStretch(1, 2)
        body.addLayout(maps, 1)

        self.panel = QWidget()
        self.panel_layout = QVBoxLayout(self.panel)
        self.panel_layout.setContentsMargins(4, 0, 4, 0)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFixedWidth(270)
        body.addWidget(scroll)
        layout.addLayout(body, 1)

        self.before_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.after_combo.currentIndexChanged.connect(self._on_combo_changed)

    def load(self, db: Database, client_id: int) -> None:
        """Read the client's charts; compare the first with the latest."""
        self.db = db
        self._charts.clear()
        self.history = service.chart_history(db, client_id)
        for combo in (self.before_combo, self.after_combo):
            combo.blockSignals(True)
            combo.clear()
            for summary in self.history:
                combo.addItem(
                    f"{dates.day(summary.charted_on)}  ({summary.region_count} regions)",
                    summary.id,
                )
            combo.blockSignals(False)
        self.after_combo.blockSignals(True)
        self.after_combo.setCurrentIndex(len(self.history) - 1)
        self.after_combo.blockSignals(False)
        self._refresh()

    def _chart(self, chart_id: int) -> BodyChart:
        if chart_id not in self._charts:
            assert self.db is not None
            self._charts[chart_id] = service.get_chart(self.db, chart_id)
        return self._charts[chart_id]

    def _on_combo_changed(self, _index: int) -> None:
        self._refresh()

    def _refresh(self) -> None:
        self._clear_panel()
        before_id, after_id = self.before_combo.currentData(), self.after_combo.currentData()
        if before_id is None or after_id is None:
            self.comparison = None
            self.panel_layout.addWidget(muted("No charts to compare yet."))
            self.panel_layout.addStretch(1)
            return
        before, after = self._chart(before_id), self._chart(after_id)
        self.scenes["before"].show_chart(before.data)
        self.scenes["after"].show_chart(after.data)
        self.comparison = compare(before.data, after.data, self.atlas)
        self.scenes["change"].show_change(self.comparison)
        self.captions["before"].setText(f"Before  ·  {dates.day(before.charted_on)}")
        self.captions["after"].setText(f"After  ·  {dates.day(after.charted_on)}")
        self._fill_panel(self.comparison)

    def _clear_panel(self) -> None:
        while self.panel_layout.count():
            item = self.panel_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()

    def _names(self, codes: frozenset[str], c: Comparison, *, steps: bool = False) -> str:
        order = {code: i for i, code in enumerate(self.atlas.codes)}
        changes = {change.region: change for change in c.changes}
        lines = []
        for code in sorted(codes, key=order.__getitem__):
            line = self.atlas.region(code).name
            if steps and code in changes:
                line += f"  {changes[code].before} → {changes[code].after}"
            lines.append(line)
        return "\n".join(lines) if lines else "none"

    def _fill_panel(self, c: Comparison) -> None:
        add = self.panel_layout.addWidget
        add(section_title("Pain extent"))
        change = c.extent_after - c.extent_before
        add(QLabel(f"{c.extent_before:.1f}% → {c.extent_after:.1f}%  ({change:+.1f} points)"))
        add(section_title("Overlap"))
        add(QLabel(f"Jaccard {c.jaccard_count:.2f} by regions, {c.jaccard_area:.2f} by area"))
        for title, codes in (
            ("Added", c.added),
            ("Resolved", c.resolved),
            ("Worse", c.worsened),
            ("Better", c.improved),
        ):
            add(section_title(f"{title} ({len(codes)})"))
            label = QLabel(self._names(codes, c, steps=title in ("Worse", "Better")))
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            if not codes:
                label.setProperty("muted", True)
            add(label)
        self.panel_layout.addStretch(1)

    def region_names(self, group: str) -> list[str]:
        """Names listed in the panel under added / resolved / improved / worsened."""
        if self.comparison is None:
            return []
        codes = getattr(self.comparison, group)
        return [self.atlas.region(code).name for code in codes]
