"""The invoice list: one row per invoice or credit note, read from cached InvoiceSummary rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from practice.billing.records import InvoiceKind, InvoiceStatus, InvoiceSummary
from ui import theme
from ui.billing.money import MoneyFormat
from ui.billing.widgets import CHIP_ROLE, status_key, status_label
from ui.widgets import dates
from ui.widgets.tables import RowsModel

Index = QModelIndex | QPersistentModelIndex


class InvoiceListModel(RowsModel):
    COLUMNS = ("Number", "Client", "Issued", "Due", "Total", "Paid", "Balance", "Status")
    NUMBER, CLIENT, ISSUED, DUE, TOTAL, PAID, BALANCE, STATUS = range(len(COLUMNS))
    MONEY = RIGHT_ALIGNED = frozenset({TOTAL, PAID, BALANCE})
    HEADER_TIPS = (
        "Invoice or credit note number (drafts get one when issued)",
        "Who the invoice is for",
        "Date of issue",
        "Payment due by",
        "Total including tax",
        "Paid so far (payments and credit applied)",
        "Still owed",
        "Draft, issued, partly paid, paid, void or credit note",
    )

    def __init__(self, money: MoneyFormat, parent: Any = None, *, show_client: bool = True) -> None:
        super().__init__(parent)
        self.money = money
        self.show_client = show_client
        self.today = date.today()
        c = theme.colours()
        self._muted = QColor(c.muted)
        self._danger = QColor(c.danger)
        self._shown: dict[int, tuple[str, ...]] = {}  # row -> its cells' text, once shown

    def set_rows(self, rows: list[InvoiceSummary]) -> None:
        self.today = date.today()
        self._shown = {}
        super().set_rows(rows)

    def _texts(self, row: int) -> tuple[str, ...]:
        """A row's cells as shown: its money, dates and status words are made the first time
        the row is painted, not for every row of a long list up front (nor at every repaint)."""
        texts = self._shown.get(row)
        if texts is None:
            summary = self._rows[row]
            columns = range(len(self.COLUMNS))
            texts = self._shown[row] = tuple(self._text(summary, c) for c in columns)
        return texts

    def invoice(self, row: int) -> InvoiceSummary:
        return self.item(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(index.row())[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == CHIP_ROLE and column == self.STATUS:
            return "overdue" if self._overdue(row) else status_key(row.kind_code, row.status_code)
        if role == Qt.ItemDataRole.ForegroundRole:
            void = row.status_code == InvoiceStatus.VOID
            if void or (column == self.NUMBER and row.number is None):
                return self._muted
            if column in (self.DUE, self.BALANCE) and self._overdue(row):
                return self._danger
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.STATUS:
            return self._status(row)
        return None

    def _overdue(self, row: InvoiceSummary) -> bool:
        return row.is_overdue(self.today)

    def _status(self, row: InvoiceSummary) -> str:
        label = status_label(row.kind, row.status)
        return f"{label}, overdue" if self._overdue(row) else label

    def _text(self, row: InvoiceSummary, column: int) -> str:
        if column == self.NUMBER:
            return row.number or "Draft"
        if column == self.CLIENT:
            return row.client_name
        if column == self.ISSUED:
            return dates.day(row.issued_on)
        if column == self.DUE:
            return dates.day(row.due_on) if row.kind is InvoiceKind.INVOICE else ""
        if column == self.TOTAL:
            # A credit note takes money off the account: shown negative, as a ledger would.
            credit = row.kind is InvoiceKind.CREDIT_NOTE
            return self.money.text(-row.total if credit else row.total)
        if column == self.PAID:
            return self.money.text(row.paid) if row.paid else ""
        if column == self.BALANCE:
            hide = row.status is InvoiceStatus.DRAFT or row.kind is InvoiceKind.CREDIT_NOTE
            return "" if hide else self.money.text(row.balance)
        return self._status(row)

    def _tooltip(self, row: InvoiceSummary) -> str:
        what = "Credit note" if row.kind is InvoiceKind.CREDIT_NOTE else "Invoice"
        lines = [f"{what} {row.number or '(draft)'} · {row.client_name}", self._status(row)]
        if self._overdue(row) and row.due_on:
            days = (self.today - row.due_on).days
            lines.append(f"{days} day{'s' if days != 1 else ''} overdue")
        return "\n".join(lines)
