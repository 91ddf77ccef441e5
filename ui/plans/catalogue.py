"""The trigger point catalogue browser: every muscle's trigger points and referral zones."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap import Side
from practice.plans.trigger_points import Catalogue, MusclePattern, load_catalogue
from ui import icons
from ui.bodymap.legend import ReferralLegend
from ui.bodymap.scene import BodyMapScene
from ui.bodymap.view import BodyMapView

KEY_ROLE = Qt.ItemDataRole.UserRole
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
SIDE_WORDS = {Side.RIGHT: "right", Side.LEFT: "left"}
ModelIndex = QModelIndex | QPersistentModelIndex


def muscle_title(muscle: MusclePattern) -> str:
    """'Upper trapezius (right)': the list sorts by muscle, then side."""
    side = SIDE_WORDS.get(muscle.side)
    return f"{muscle.name} ({side})" if side else muscle.name


class MuscleListModel(QAbstractListModel):
    """The catalogue's muscles, by name then side; a search text per row for the filter."""

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        order = {Side.RIGHT: 0, Side.LEFT: 1}
        self._rows = sorted(
            catalogue.muscles, key=lambda m: (m.name.casefold(), order.get(m.side, 2))
        )
        self._search = [
            " ".join(
                (
                    muscle_title(m),
                    m.label,
                    *m.symptoms,
                    *(catalogue.region_name(r) for r in (*m.primary, *m.spillover)),
                    *(p.label for p in m.trigger_points),
                )
            ).casefold()
            for m in self._rows
        ]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        muscle = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return muscle_title(muscle)
        if role == Qt.ItemDataRole.ToolTipRole:
            return muscle.label
        if role == KEY_ROLE:
            return muscle.key
        if role == SEARCH_ROLE:
            return self._search[index.row()]
        return None

    def row_of(self, key: str) -> int:
        return next(i for i, m in enumerate(self._rows) if m.key == key)


class MuscleFilter(QSortFilterProxyModel):
    """Keeps the muscles whose name, regions, points or symptoms hold every word typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = tuple(text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self._words:
            return True
        text = self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE)
        return all(word in text for word in self._words)


class TriggerPointCatalogueDialog(QDialog):
    """Muscle list with search on the left; the body map with the muscle's overlay on the right."""

    def __init__(self, parent: QWidget | None = None, *, muscle: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trigger point catalogue")
        self.setMinimumSize(900, 600)
        self.resize(1180, 700)
        self.catalogue = load_catalogue()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        body = QHBoxLayout()
        body.setSpacing(16)
        layout.addLayout(body, 1)

        left = QVBoxLayout()
        left.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search muscle, region or symptom")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName("Search the catalogue")
        left.addWidget(self.search)
        self.model = MuscleListModel(self.catalogue, self)
        self.filter = MuscleFilter(self)
        self.filter.setSourceModel(self.model)
        self.list = QListView()
        self.list.setModel(self.filter)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Muscles")
        self.list.setFixedWidth(280)
        left.addWidget(self.list, 1)
        self.no_match = QLabel()
        self.no_match.setWordWrap(True)
        self.no_match.setProperty("muted", True)
        self.no_match.hide()
        left.addWidget(self.no_match)
        self.count_label = QLabel()
        self.count_label.setProperty("muted", True)
        left.addWidget(self.count_label)
        body.addLayout(left)

        right = QVBoxLayout()
        right.setSpacing(8)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        right.addWidget(self.title)
        caption = QLabel(
            "Where each muscle's trigger points usually lie and where their pain is usually "
            "felt. Patterns vary from person to person: a guide for examination, not a finding."
        )
        caption.setWordWrap(True)
        caption.setProperty("muted", True)
        right.addWidget(caption)
        map_row = QHBoxLayout()
        map_row.setSpacing(16)
        self.scene = BodyMapScene(parent=self)
        self.view = BodyMapView(self.scene)
        self.view.setMinimumSize(360, 360)
        self.view.setAccessibleName("Body map with the muscle's referral pattern")
        self.view.hovered.connect(self._on_view_hovered)
        self.view.left.connect(lambda: self._on_view_hovered(None))
        map_row.addWidget(self.view, 1)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setWidget(self.details)
        details_scroll.setFixedWidth(300)
        map_row.addWidget(details_scroll)
        right.addLayout(map_row, 1)
        self.legend = ReferralLegend()
        right.addWidget(self.legend)
        self.hover_label = QLabel(" ")
        self.hover_label.setProperty("muted", True)
        right.addWidget(self.hover_label)
        body.addLayout(right, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self.list.setFocus)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.setTabOrder(self.search, self.list)
        self._update_count()
        self.select_muscle(muscle or self.model.index(0).data(KEY_ROLE))
        self.search.setFocus()

    # --- API ----------------------------------------------------------------------------------

    def shown_muscle(self) -> MusclePattern | None:
        return self.scene.shown_muscle()

    def select_muscle(self, key: str) -> None:
        """Show a muscle of the catalogue (clears the search if it hides that muscle)."""
        source = self.model.index(self.model.row_of(key))
        index = self.filter.mapFromSource(source)
        if not index.isValid():
            self.search.clear()
            index = self.filter.mapFromSource(source)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list.scrollTo(index)

    # --- internals ----------------------------------------------------------------------------

    def _show(self, muscle: MusclePattern | None) -> None:
        self.scene.show_muscle(muscle)
        self.legend.set_muscle(muscle.label if muscle else None)
        self.title.setText(muscle.label if muscle else "")
        self.details.setText(self._describe(muscle) if muscle else "")

    def _describe(self, muscle: MusclePattern) -> str:
        """The muscle's points, zones and symptoms as simple rich text (every string escaped)."""
        names = self.catalogue.region_name
        sections = [
            ("Trigger points", [f"{p.label} ({names(p.region).lower()})"
                                for p in muscle.trigger_points]),
            ("Main referral zone", [names(code) for code in muscle.primary]),
            ("Spillover zone", [names(code) for code in muscle.spillover]),
            ("Common symptoms", [f"{s[:1].upper()}{s[1:]}" for s in muscle.symptoms]),
        ]  # fmt: skip
        return "".join(
            f"<p style='margin:0 0 4px 0'><b>{escape(title)}</b></p>"
            "<ul style='margin:0 0 12px 0; -qt-list-indent:1'>"
            + "".join(f"<li>{escape(line)}</li>" for line in lines)
            + "</ul>"
            for title, lines in sections
            if lines
        )

    def _update_count(self) -> None:
        shown, total = self.filter.rowCount(), self.model.rowCount()
        text = self.search.text().strip()
        self.no_match.setText(f"No muscle matches “{text}”." if text and not shown else "")
        self.no_match.setVisible(bool(text) and not shown)
        self.count_label.setText(
            f"{total} muscles, both sides" if shown == total else f"{shown} of {total} muscles"
        )

    def _on_search_text_changed(self, text: str) -> None:
        self.filter.set_text(text)
        self._update_count()
        current = self.list.currentIndex()
        if not current.isValid() and self.filter.rowCount():
            self.list.setCurrentIndex(self.filter.index(0, 0))
        elif not self.filter.rowCount():
            self._show(None)

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(KEY_ROLE) if current.isValid() else None
        self._show(self.catalogue.muscle(key) if key else None)

    def _on_view_hovered(self, point: QPointF | None) -> None:
        item = self.scene.region_item_at(point) if point is not None else None
        code = item.data(0) if item is not None else None
        self.scene.set_hover(code)
        muscle = self.scene.shown_muscle()
        if code is None:
            self.hover_label.setText(" ")
            return
        zone = ""
        if muscle is not None and code in muscle.primary:
            zone = "  —  main referral zone"
        elif muscle is not None and code in muscle.spillover:
            zone = "  —  spillover zone"
        self.hover_label.setText(self.catalogue.region_name(code) + zone)
