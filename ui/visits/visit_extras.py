"""The visit's body chart and measures in the note editor: what was charted and scored at it.

The chart itself is drawn in the Body map tab, bound to the visit (`chart_requested`); here it
is shown small with its numbers. Measures recorded here carry the visit and are locked with the
note when it is signed; pain before and after live in the note itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from practice.bodymap import service as charts
from practice.clients.records import Client
from practice.store import Database
from practice.visits import measures
from practice.visits.records import MeasureEntry, VisitRecord
from ui import icons
from ui.widgets.forms import muted

PREVIEW_HEIGHT = 150


def measures_text(record: VisitRecord, names: dict[str, str] | None = None) -> str:
    """'PSFS mean 4.5 (3 activities) · Sleep quality 6 · 1 headache day' for one visit."""
    names = names or {}
    parts: list[str] = []
    psfs = [m for m in record.measures if m.measure == measures.PSFS.code]
    if psfs:
        mean = sum(m.value for m in psfs) / len(psfs)
        count = len(psfs)
        parts.append(f"PSFS mean {mean:.1f} ({count} activit{'ies' if count != 1 else 'y'})")
    others: list[MeasureEntry] = [m for m in record.measures if m.measure != measures.PSFS.code]
    built_in = {m.code: m.name for m in measures.BUILT_IN}
    for entry in others:
        name = names.get(entry.measure) or built_in.get(entry.measure, entry.measure)
        parts.append(f"{name} {entry.value:g}")
    if record.headaches:
        days = len(record.headaches)
        parts.append(f"{days} headache day{'s' if days != 1 else ''} reported")
    return " · ".join(parts)


class VisitChartAndMeasures(QWidget):
    """Chart preview and numbers, the scores of the visit, and the buttons to add either."""

    chart_requested = Signal(int)  # visit id: open the Body map tab bound to this visit
    measures_changed = Signal()

    def __init__(
        self,
        db: Database,
        ensure_visit: Callable[[], VisitRecord | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.record: VisitRecord | None = None
        self._ensure_visit = ensure_visit
        self._preview: QWidget | None = None
        self._scene = None

        self.chart_text = QLabel()
        self.chart_text.setTextFormat(Qt.TextFormat.PlainText)
        self.chart_text.setWordWrap(True)
        self.chart_button = QPushButton(icons.icon("person-standing"), "Chart this visit…")
        self.chart_button.setToolTip(
            "Draw this visit's body chart in the Body map tab; it starts from the last chart"
        )
        self.chart_button.clicked.connect(self._on_chart_button_clicked)
        self.measures_label = QLabel()
        self.measures_label.setTextFormat(Qt.TextFormat.PlainText)
        self.measures_label.setWordWrap(True)
        self.measure_button = QPushButton(icons.icon("activity"), "Record measure…")
        self.measure_button.setToolTip(
            "PSFS, sleep, a headache diary day or a custom measure, taken at this visit"
        )
        self.measure_button.clicked.connect(self._on_measure_button_clicked)

        self.preview_slot = QVBoxLayout()
        self.preview_slot.setContentsMargins(0, 0, 0, 0)
        chart_text = QVBoxLayout()
        chart_text.setSpacing(8)
        chart_text.addWidget(self.chart_text)
        chart_text.addWidget(self.chart_button, 0, Qt.AlignmentFlag.AlignLeft)
        chart_text.addStretch(1)
        chart_row = QHBoxLayout()
        chart_row.setSpacing(16)
        chart_row.addLayout(self.preview_slot)
        chart_row.addLayout(chart_text, 1)
        measure_row = QHBoxLayout()
        measure_row.setSpacing(16)
        measure_row.addWidget(self.measures_label, 1)
        measure_row.addWidget(self.measure_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addLayout(chart_row)
        layout.addLayout(measure_row)
        layout.addWidget(muted("Pain before and after treatment are part of the note above."))

    def show_visit(self, client: Client, record: VisitRecord | None) -> None:
        self.client, self.record = client, record
        chart = charts.get_chart(self.db, record.chart_id) if record and record.chart_id else None
        if chart is None:
            self.chart_text.setText(
                "No body chart for this visit yet. Chart it to compare with the last one."
            )
            self.chart_button.setText("Chart this visit…")
            self._show_preview(None)
        else:
            m = chart.metrics
            version = len(charts.chart_versions(self.db, chart.id))
            worst = f"worst {m.max_intensity}/10" if m.max_intensity else "no intensity marked"
            self.chart_text.setText(
                f"{m.region_count} region{'s' if m.region_count != 1 else ''} marked · "
                f"{m.extent_percent:.1f}% of the body · {worst}"
                + (f" · version {version}" if version > 1 else "")
            )
            self.chart_button.setText("Open the chart…")
            self._show_preview(chart.data)
        text = measures_text(record) if record else ""
        self.measures_label.setText(text or "No scores recorded at this visit yet.")
        locked = record is not None and record.visit.signed
        self.measure_button.setVisible(not locked)
        self.chart_button.setToolTip(
            "See this visit's chart (locked with the signed note)"
            if locked
            else "Draw this visit's body chart in the Body map tab; it starts from the last chart"
        )

    def _show_preview(self, data: object) -> None:
        if data is None:
            if self._preview is not None:
                self._preview.hide()
            return
        if self._preview is None:
            from ui.bodymap.scene import BodyMapScene
            from ui.bodymap.view import BodyMapView

            self._scene = BodyMapScene()
            view = BodyMapView(self._scene)
            view.setFixedSize(PREVIEW_HEIGHT * 2, PREVIEW_HEIGHT)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setInteractive(False)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            view.setAccessibleName("This visit's body chart")
            self._preview = view
            self.preview_slot.addWidget(view)
        self._scene.show_chart(data)  # type: ignore[union-attr]
        self._preview.show()
        self._preview.fit()  # type: ignore[attr-defined]

    def _on_chart_button_clicked(self) -> None:
        record = self.record or self._ensure_visit()
        if record is not None:
            self.chart_requested.emit(record.visit.id)

    def _on_measure_button_clicked(self) -> None:
        from ui.visits.measures_dialog import RecordMeasureDialog

        record = self.record or self._ensure_visit()
        if record is None or self.client is None:
            return
        dialog = RecordMeasureDialog(self.db, self.client, self, visit=record.visit)
        if dialog.exec():
            self.measures_changed.emit()
        dialog.deleteLater()
