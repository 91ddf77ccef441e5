"""Table model over ClientRow records from the service; data() only reads that cache.

A search shows its first page of rows at once and pages in the rest as the view scrolls to them
(`canFetchMore`/`fetchMore`), so a keystroke costs the same at 300 clients or 30,000.

Each client's standing (balance owed, last visit, next appointment) comes separately, from one
grouped query run in the background (`service.standings`): typing in the search box never
waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from practice.clients.directory import ClientPage, ListKey
from practice.clients.rows import ClientRow, Standing
from ui import theme

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Visit", "", "Born", "Phone", "Email")
NAME, VISIT, BALANCE, BORN, PHONE, EMAIL = range(len(COLUMNS))
HEADER_TIPS = {
    VISIT: "The next appointment, or the last visit when none is booked",
    BALANCE: "A dot marks a client who owes money",
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_STANDING = Standing()
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ROLES = frozenset(
    {ID_ROLE, _DISPLAY, _TOOLTIP, _DECORATION, _ACCESSIBLE, int(Qt.ItemDataRole.TextAlignmentRole)}
)
# Where a search's rows come from: the rows after one key (from the top when None), and with a
# second key every row up to it (`ClientDirectory.page`).
PageSource = Callable[[ListKey | None, ListKey | None], ClientPage]


class ClientListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ClientRow] = []
        self._row_of: dict[int, int] = {}
        self._source: PageSource | None = None
        self._last: ListKey | None = None  # where the next page starts
        self._more = False
        self._standings: dict[int, Standing] = {}
        self._locale: str | None = None  # known with the standings (dates wait for it)
        self._money: Callable[[Decimal], str] = lambda amount: f"{amount:,.2f}"
        self._dot: QIcon | None = None

    def set_rows(self, rows: list[ClientRow]) -> None:
        """A fixed list: these rows and no more."""
        self._reset(ClientPage(rows, None, more=False), None)

    def show(self, source: PageSource) -> None:
        """A search's rows: its first page now, the rest as the view asks for them."""
        self._reset(source(None, None), source)

    def _reset(self, page: ClientPage, source: PageSource | None) -> None:
        self.beginResetModel()
        self._rows = list(page.rows)
        self._row_of = {row.id: i for i, row in enumerate(self._rows)}
        self._source, self._last, self._more = source, page.last, page.more
        self.endResetModel()

    @property
    def complete(self) -> bool:
        """Every row of the search is here."""
        return not self._more

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and self._source is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            assert self._source is not None
            self._append(self._source(self._last, None))

    def fetch_through(self, key: ListKey) -> None:
        """Every row up to `key` (a row of this search), so that row can be shown."""
        if self.canFetchMore() and (self._last is None or key > self._last):
            assert self._source is not None
            self._append(self._source(self._last, key))

    def _append(self, page: ClientPage) -> None:
        self._more = page.more
        if not page.rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows += page.rows
        self._row_of.update((row.id, first + i) for i, row in enumerate(page.rows))
        self._last = page.last
        self.endInsertRows()

    def set_standings(
        self,
        standings: dict[int, Standing],
        *,
        locale: str,
        money: Callable[[Decimal], str] | None = None,
    ) -> None:
        """Balances and visits for the rows (and any rows to come), in the practice's locale."""
        self._standings = standings
        self._locale = locale
        if money is not None:
            self._money = money
        if self._rows:
            self.dataChanged.emit(self.index(0, VISIT), self.index(len(self._rows) - 1, BALANCE))

    def set_standing(self, client_id: int, standing: Standing) -> None:
        """One client's balance and visits, after a change to that client."""
        self._standings = {**self._standings, client_id: standing}
        row = self._row_of.get(client_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, VISIT), self.index(row, BALANCE))

    def standing(self, client_id: int) -> Standing:
        return self._standings.get(client_id, NO_STANDING)

    def row_of(self, client_id: int) -> int | None:
        """The client's row, if it is among the rows fetched so far."""
        return self._row_of.get(client_id)

    def client_id(self, row: int) -> int:
        return self._rows[row].id

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.AccessibleTextRole and section == BALANCE:
            return "Balance"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks a dozen roles of every cell it paints: the rest are answered first.
        if role not in _ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return row.id
        if role == _DISPLAY:
            return self._text(row, col)
        if role == _TOOLTIP:
            return self._tooltip(row, col)
        if col != BALANCE:
            return None
        if role == _DECORATION:
            return self._owed_dot() if self._owes(row) else None
        if role == _ACCESSIBLE:
            return self._balance_text(row)
        return Qt.AlignmentFlag.AlignCenter  # the text alignment

    def _text(self, row: ClientRow, col: int) -> str:
        if col == NAME:
            return f"{row.display_name} (archived)" if row.archived else row.display_name
        if col == VISIT:
            return self.visit_text(row.id)
        if col == BORN:
            return self._day(row.date_of_birth)
        if col == PHONE:
            return row.phone
        if col == EMAIL:
            return row.email
        return ""

    def visit_text(self, client_id: int) -> str:
        """'Next Dec 9, 2026', 'Last Aug 17, 2026', or nothing."""
        standing = self.standing(client_id)
        if standing.next_visit is not None:
            return f"Next {self._day(_local_day(standing.next_visit))}"
        if standing.last_visit is not None:
            return f"Last {self._day(_local_day(standing.last_visit))}"
        return ""

    def _tooltip(self, row: ClientRow, col: int) -> str | None:
        if col == NAME:
            born = f"born {self._day(row.date_of_birth)}" if row.date_of_birth else ""
            return "\n".join(filter(None, [row.display_name, born, row.phone, row.email]))
        if col == BALANCE:
            return self._balance_text(row) or None
        if col == VISIT:
            return self.visit_text(row.id) or "No visits yet"
        return None

    def _owes(self, row: ClientRow) -> bool:
        return self.standing(row.id).owed_cents > 0

    def _balance_text(self, row: ClientRow) -> str:
        return self.balance_text(row.id)

    def balance_text(self, client_id: int) -> str:
        """'Owes $124.30', or nothing when the client owes nothing."""
        owed = self.standing(client_id).owed_cents
        return f"Owes {self._money(Decimal(owed) / 100)}" if owed > 0 else ""

    def _day(self, day: date | None) -> str:
        """The practice's date style, once known: Babel loads after the list has shown."""
        if day is None or self._locale is None:
            return ""
        from practice.dates import format_day

        return format_day(day, self._locale)

    def _owed_dot(self) -> QIcon:
        if self._dot is None:
            self._dot = balance_dot(theme.colours().warning)
        return self._dot


def balance_dot(colour: str, size: int = 16, dot: int = 8) -> QIcon:
    """A small filled dot: the client owes money (its tooltip and accessible text say how much)."""
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    inset = (size - dot) * ratio // 2
    painter.drawEllipse(inset, inset, dot * ratio, dot * ratio)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return QIcon(pixmap)


def _local_day(moment: datetime) -> date:
    return moment.astimezone().date()
