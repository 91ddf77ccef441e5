"""The timeline table: one row per entry, newest first, read from cached TimelineEntry rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon

from practice.dates import DEFAULT_LOCALE, format_day, format_moment
from practice.timeline.records import Kind, TimelineEntry
from ui import icons, theme
from ui.widgets.tables import LEFT, RowsModel

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
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
HANDLED = frozenset({DISPLAY, DECORATION, TOOLTIP, ALIGNMENT, FOREGROUND, FONT, ENTRY_ROLE})
INACTIVE = 4  # in a row's cells, after the four texts


def entry_key(entry: TimelineEntry) -> tuple[str, int]:
    """What an entry is, across reloads: its source and record."""
    return entry.source.value, entry.record_id


def kind_icon(kind: Kind) -> QIcon:
    return icons.icon(KIND_ICONS[kind], theme.colours().muted)


class TimelineModel(RowsModel):
    """A client's timeline entries; `data()` only reads the rows handed over.

    Rows arrive a page at a time: `more_wanted` asks the tab for the next page when a view
    scrolls to the end (Qt's canFetchMore/fetchMore), and `append_rows` adds it.

    Type-to-filter lives here too (`set_filter`): the rows are the loaded entries whose kind,
    title or details contain every word typed. The view reads this model directly, with no
    QSortFilterProxyModel between: through one, each paint of the list called the rows' count
    and the columns' count about 700 times each (Python, from C++), a third of its time.
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
        super().__init__(parent)
        self.locale = DEFAULT_LOCALE
        self.more = False  # older entries remain to be read
        self.loading_more = False
        self._icons = {kind: kind_icon(kind) for kind in Kind}
        self._muted = QColor(theme.colours().muted)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._dates: dict[Any, str] = {}
        self._cells: list[tuple[Any, ...] | None] = []
        self._loaded: list[TimelineEntry] = []  # every entry read, the rows those matching
        self._words: tuple[str, ...] = ()

    def entry(self, row: int) -> TimelineEntry:
        """The entry shown in `row`."""
        return self.item(row)

    def entries(self) -> list[TimelineEntry]:
        """Every entry read so far, shown or filtered out."""
        return list(self._loaded)

    def loaded_count(self) -> int:
        return len(self._loaded)

    def last_loaded(self) -> TimelineEntry:
        """The oldest entry read: the next page continues from its cursor."""
        return self._loaded[-1]

    @property
    def filtering(self) -> bool:
        return bool(self._words)

    def set_filter(self, text: str) -> None:
        """Show only the entries whose kind, title or details contain every word of `text`."""
        words = tuple(text.casefold().split())
        if words != self._words:
            self._words = words
            self._show(self._matching(self._loaded))

    def set_rows(self, rows: Iterable[Any]) -> None:
        self._loaded = list(rows)
        self._show(self._matching(self._loaded))

    def _show(self, rows: list[TimelineEntry]) -> None:
        self._cells = [None] * len(rows)
        super().set_rows(rows)

    def _matching(self, entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
        if not self._words:
            return list(entries)
        return [e for e in entries if self._matches(e)]

    def _matches(self, entry: TimelineEntry) -> bool:
        text = f"{entry.kind.label} {entry.title} {entry.detail}".casefold()
        return all(word in text for word in self._words)

    def set_page(self, entries: Iterable[TimelineEntry], more: bool, locale: str) -> None:
        if locale != self.locale:
            self._dates.clear()
        self.locale = locale
        self.more = more
        self.loading_more = False
        self.set_rows(entries)

    def append_rows(self, entries: Iterable[TimelineEntry], more: bool) -> None:
        read = list(entries)
        self.more = more
        self.loading_more = False
        self._loaded.extend(read)
        rows = self._matching(read)
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._cells.extend([None] * len(rows))
        self.endInsertRows()

    def replace_entries(self, entries: Iterable[TimelineEntry]) -> None:
        """Entries read again (a plan with its course figures) take the place of their rows."""
        wanted = {entry_key(e): e for e in entries}
        self._loaded = [wanted.get(entry_key(e), e) for e in self._loaded]
        if self._words:  # new details may match the words, or no longer match them
            shown = self._matching(self._loaded)
            if [entry_key(e) for e in shown] != [entry_key(e) for e in self._rows]:
                self._show(shown)
                return
        last = self.columnCount() - 1
        for row, current in enumerate(self._rows):
            fresh = wanted.get(entry_key(current))
            if fresh is not None and fresh != current:
                self._rows[row] = fresh
                self._cells[row] = None
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def row_of_key(self, key: tuple[str, int]) -> int | None:
        return next((i for i, e in enumerate(self._rows) if entry_key(e) == key), None)

    # ------------------------------------------------------------------ Qt

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.more and not self.loading_more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self.loading_more = True
            self.more_wanted.emit()

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every role of every painted cell: plain ints, no enum lookups.
        if role not in HANDLED:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        column = index.column()
        if role == DISPLAY:
            return self._row_cells(row)[column]
        entry: TimelineEntry = self._rows[row]
        if role == DECORATION:
            return self._icons[entry.kind] if column == self.KIND else None
        if role == ALIGNMENT:
            return LEFT
        if role == FOREGROUND:
            return self._muted if self._row_cells(row)[INACTIVE] else None
        if role == FONT:
            inactive = self._row_cells(row)[INACTIVE]
            return self._italic if inactive and column == self.TITLE else None
        if role == TOOLTIP:
            return self._tooltip(entry)
        return entry  # ENTRY_ROLE

    def _row_cells(self, row: int) -> tuple[Any, ...]:
        """The row's texts and whether it is inactive, worked out once."""
        cells = self._cells[row]
        if cells is None:
            entry: TimelineEntry = self._rows[row]
            cells = (self._day(entry), entry.kind.label, entry.title, entry.detail, entry.inactive)
            self._cells[row] = cells
        return cells

    def _day(self, entry: TimelineEntry) -> str:
        day = entry.day
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = format_day(day, self.locale)
        return text

    def _tooltip(self, entry: TimelineEntry) -> str:
        when = entry.when
        moment = format_moment(when, self.locale) if hasattr(when, "hour") else self._day(entry)
        lines = [f"{entry.kind.label}, {moment}", entry.title]
        if entry.detail:
            lines.append(entry.detail)
        lines.append("Enter or double-click opens it.")
        return "\n".join(lines)
