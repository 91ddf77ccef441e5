"""The timeline table: one row per entry, newest first, read from cached TimelineEntry rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QStandardItem, QStandardItemModel

from practice.dates import DEFAULT_LOCALE, format_day, format_moment
from practice.timeline.records import Kind, TimelineEntry
from ui import icons, theme
from ui.widgets.tables import LEFT

Index = QModelIndex | QPersistentModelIndex

# Lucide icons of the kinds; the kind's word is always beside it (never the icon alone).
KIND_ICONS = {
    Kind.INTAKE: "heart-pulse",
    Kind.CONSENT: "file-signature",
    Kind.VISIT: "stethoscope",
    Kind.CHART: "map-pin",
    Kind.MEASURE: "chart-column",
    Kind.PLAN: "clipboard-list",
    Kind.DOCUMENT: "file-text",
    Kind.INVOICE: "receipt",
    Kind.PAYMENT: "wallet",
}
ENTRY_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def entry_key(entry: TimelineEntry) -> tuple[str, int]:
    """What an entry is, across reloads: its source and record."""
    return entry.source.value, entry.record_id


def kind_icon(kind: Kind) -> QIcon:
    return icons.icon(KIND_ICONS[kind], theme.colours().muted)


class TimelineModel(QStandardItemModel):
    """A client's timeline entries, their cells made once as they arrive.

    The cells live in Qt (a QStandardItemModel), so painting the list calls no Python: with a
    model answering `data()` in Python, each painted cell cost some twenty calls into the
    interpreter through the filter, about 2.5 ms of a 6 ms paint of the Timeline at 1440x900,
    paid again on every scroll and every client opened. The tooltips, which format each
    moment, are made when asked for (`tooltip`, shown by the tab).

    Rows arrive a page at a time: `more_wanted` asks the tab for the next page when a view
    scrolls to the end (Qt's canFetchMore/fetchMore), and `append_rows` adds it.
    """

    COLUMNS = ("Date", "Kind", "What", "Details")
    HEADER_TIPS = (
        "When it happened (the day; visits give their time in the details)",
        "What kind of record",
        "The record, and its state in words: signed, draft, void ...",
        "The figures and words that matter most; Enter opens the whole record",
    )
    DATE, KIND, TITLE, DETAIL = range(len(COLUMNS))
    more_wanted = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.locale = DEFAULT_LOCALE
        self.more = False  # older entries remain to be read
        self.loading_more = False
        self._icons = {kind: kind_icon(kind) for kind in Kind}
        self._muted = QBrush(QColor(theme.colours().muted))
        self._italic = QFont()
        self._italic.setItalic(True)
        self._dates: dict[Any, str] = {}
        self._rows: list[TimelineEntry] = []
        for column, (title, tip) in enumerate(zip(self.COLUMNS, self.HEADER_TIPS, strict=True)):
            header = QStandardItem(title)
            header.setToolTip(tip)
            header.setTextAlignment(LEFT)  # (headers centre their titles by default)
            self.setHorizontalHeaderItem(column, header)

    def entry(self, row: int) -> TimelineEntry:
        return self._rows[row]

    def entries(self) -> list[TimelineEntry]:
        return list(self._rows)

    def set_rows(self, rows: Iterable[TimelineEntry]) -> None:
        """Every row anew: one reset, not a signal per row."""
        entries = list(rows)
        made = [self._cells_of(entry) for entry in entries]
        self.beginResetModel()
        blocked = self.blockSignals(True)  # the reset tells views and the filter at its end
        try:
            self.setRowCount(0)
            for cells in made:
                self.appendRow(cells)
            self._rows = entries
        finally:
            self.blockSignals(blocked)
        self.endResetModel()

    def set_page(self, entries: Iterable[TimelineEntry], more: bool, locale: str) -> None:
        if locale != self.locale:
            self._dates.clear()
        self.locale = locale
        self.more = more
        self.loading_more = False
        self.set_rows(entries)

    def append_rows(self, entries: Iterable[TimelineEntry], more: bool) -> None:
        rows = list(entries)
        self.more = more
        self.loading_more = False
        if not rows:
            return
        made = [self._cells_of(entry) for entry in rows]
        first = self.rowCount()
        # One insertion for the page (the filter and views hear of it once, not per row), then
        # the cells, told as one change: a filtered list reads the whole record at once.
        self._rows.extend(rows)
        self.insertRows(first, len(rows))
        blocked = self.blockSignals(True)
        try:
            for row, cells in enumerate(made, first):
                for column, cell in enumerate(cells):
                    self.setItem(row, column, cell)
        finally:
            self.blockSignals(blocked)
        self.dataChanged.emit(self.index(first, 0), self.index(self.rowCount() - 1, self.DETAIL))

    def replace_entries(self, entries: Iterable[TimelineEntry]) -> None:
        """Entries read again (a plan with its course figures) take the place of their rows."""
        wanted = {entry_key(e): e for e in entries}
        for row, current in enumerate(self._rows):
            fresh = wanted.get(entry_key(current))
            if fresh is not None and fresh != current:
                self._rows[row] = fresh
                for column, cell in enumerate(self._cells_of(fresh)):
                    self.setItem(row, column, cell)

    def row_of_key(self, key: tuple[str, int]) -> int | None:
        return next((i for i, e in enumerate(self._rows) if entry_key(e) == key), None)

    def tooltip(self, row: int) -> str:
        """What a row's tooltip says: the kind and moment, the title, the details."""
        entry = self._rows[row]
        when = entry.when
        moment = format_moment(when, self.locale) if hasattr(when, "hour") else self._day(entry)
        lines = [f"{entry.kind.label}, {moment}", entry.title]
        if entry.detail:
            lines.append(entry.detail)
        lines.append("Enter or double-click opens it.")
        return "\n".join(lines)

    # ------------------------------------------------------------------ Qt

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.more and not self.loading_more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self.loading_more = True
            self.more_wanted.emit()

    # ------------------------------------------------------------------ cells

    def _cells_of(self, entry: TimelineEntry) -> list[QStandardItem]:
        """A row's four cells; the first holds the entry (ENTRY_ROLE). Left-aligned text is
        the views' default, and the table is never edited (no edit triggers)."""
        cells = [
            QStandardItem(self._day(entry)),
            QStandardItem(self._icons[entry.kind], entry.kind.label),
            QStandardItem(entry.title),
            QStandardItem(entry.detail),
        ]
        cells[0].setData(entry, ENTRY_ROLE)
        if entry.inactive:
            for cell in cells:
                cell.setForeground(self._muted)
            cells[self.TITLE].setFont(self._italic)
        return cells

    def _day(self, entry: TimelineEntry) -> str:
        day = entry.day
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = format_day(day, self.locale)
        return text


class TimelineFilter(QSortFilterProxyModel):
    """Type-to-filter: rows whose kind, title or details contain every word typed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = tuple(text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return bool(self._words)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        entry: TimelineEntry | None = model.index(source_row, 0, source_parent).data(ENTRY_ROLE)
        if entry is None:  # a row inserted, its cells set the moment after (append_rows)
            return True
        text = f"{entry.kind.label} {entry.title} {entry.detail}".casefold()
        return all(word in text for word in self._words)
