"""The Billing area: the invoice list with filters, one invoice at a time, and the reports."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.billing import service
from practice.billing.records import Invoice, InvoiceKind, InvoiceSummary
from practice.changes import Changes
from practice.store import Database
from ui import icons, theme
from ui.billing.invoice_editor import InvoiceEditor
from ui.billing.list_model import InvoiceListModel
from ui.billing.money import MoneyFormat
from ui.billing.tables import table_view
from ui.billing.widgets import ChipDelegate
from ui.ops import QueryOp, Refresh, WriteOp, runner
from ui.widgets.forms import muted
from ui.widgets.showing import after_painting
from ui.widgets.status import say
from ui.widgets.tables import fit_columns

STATUS_FILTERS = {
    "any": "Any status",
    "draft": "Drafts",
    "issued": "Issued, unpaid",
    "partly_paid": "Partly paid",
    "paid": "Paid",
    "void": "Void",
    "credit_note": "Credit notes",
}
CHANGES = ("invoice", "payment", "settings")  # what the list shows
FIRST_ROWS = 200  # shown at once; the rest of a long list arrives from a background read
COLUMN_WIDTHS = {
    InvoiceListModel.NUMBER: 112,
    InvoiceListModel.ISSUED: 120,  # "Sep 30, 2026"
    InvoiceListModel.DUE: 120,
    InvoiceListModel.TOTAL: 112,
    InvoiceListModel.PAID: 112,
    InvoiceListModel.BALANCE: 112,
    InvoiceListModel.STATUS: 136,
}


def matches(row: InvoiceSummary, status: str, outstanding: bool, text: str) -> bool:
    """Whether a list row passes the filters (text: part of the client's name or the number).

    Reads the row's stored codes and cents: a keystroke filters thousands of rows."""
    credit_note = row.kind_code == InvoiceKind.CREDIT_NOTE
    if status == "credit_note":
        if not credit_note:
            return False
    elif status != "any" and (credit_note or row.status_code != status):
        return False
    if outstanding and not row.outstanding:
        return False
    if text:
        return text in row.client_name.casefold() or text in (row.number or "").casefold()
    return True


class InvoicesView(QWidget):
    """Every invoice and credit note, newest first; opening one shows it in the same place."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.money = MoneyFormat.of(db)
        self._all: list[InvoiceSummary] = []
        self._complete = False  # until a refresh has read the whole list
        self._reads = 0  # refreshes begun: a later one drops what an earlier one had left
        self.model = InvoiceListModel(self.money, self)
        self.editor = InvoiceEditor(db)
        self.editor.deleted.connect(self._on_editor_deleted)
        self.editor.open_invoice.connect(self.open_invoice)
        self.back_button = QPushButton("← All invoices")
        self.back_button.setToolTip("Back to the invoice list")
        self.back_button.clicked.connect(self.show_list)
        self.editor.head.insertWidget(0, self.back_button)
        editor_page = QWidget()
        el = QVBoxLayout(editor_page)
        el.setContentsMargins(16, 16, 16, 8)
        el.addWidget(self.editor)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_list())
        self.pages.addWidget(editor_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._refresh = Refresh(self, CHANGES, self.refresh)
        self._refresh.stale = True  # read when first shown

    def _build_list(self) -> QWidget:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find by client or invoice number")
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find invoices")
        self.search.setMinimumWidth(280)
        self.search.textChanged.connect(self._apply_filters)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show invoices with status")
        for key, label in STATUS_FILTERS.items():
            self.status_filter.addItem(label, key)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.outstanding = QCheckBox("Outstanding only")
        self.outstanding.setToolTip("Issued invoices with something still owed")
        self.outstanding.toggled.connect(self._apply_filters)
        self.count = muted("", wrap=False)
        self.new_button = QPushButton(
            icons.icon("plus", theme.colours().accent_text), "New invoice…"
        )
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip("A new draft invoice for a client you choose")
        self.new_button.clicked.connect(self.new_invoice)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.search)
        top.addWidget(self.status_filter)
        top.addWidget(self.outstanding)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addSpacing(8)
        top.addWidget(self.new_button)

        self.table = table_view(self.model, "Invoices")
        self.table.setToolTip("Enter or a double-click opens the invoice")
        self.table.setItemDelegateForColumn(InvoiceListModel.STATUS, ChipDelegate(self.table))
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        m = InvoiceListModel
        fit_columns(self.table, m.CLIENT, COLUMN_WIDTHS, drop=(m.DUE, m.PAID))
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.empty = QLabel()
        self.empty.setProperty("role", "empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        return page

    # ------------------------------------------------------------------ public

    def refresh(self) -> None:
        """Reload the invoices in the background, keeping filters and the current row.

        The newest FIRST_ROWS come first, then the rest; a newer refresh drops both.
        """
        db = self.db
        self._complete = False
        self._reads += 1

        def first_rows() -> tuple[MoneyFormat, list[InvoiceSummary]]:
            return MoneyFormat.of(db), service.list_invoices(db, limit=FIRST_ROWS)

        QueryOp(self, first_rows, self._on_first_rows).run(key="invoice-list")

    def is_complete(self) -> bool:
        """Whether every invoice is in the list (a long list fills in in the background)."""
        return self._complete

    def _on_first_rows(self, read: tuple[MoneyFormat, list[InvoiceSummary]]) -> None:
        self.money, self._all = read
        self.model.money = self.money
        self._complete = len(self._all) < FIRST_ROWS
        self._apply_filters()
        if self.editor.invoice is not None:
            self._select(self.editor.invoice.id)
        if not self._complete:
            # The rest once these rows are painted (two passes on): read beside their painting,
            # its rows made in Python would take the interpreter from the window in turns.
            reads = self._reads
            after_painting(self, lambda: self._read_rest(reads))

    def _read_rest(self, reads: int) -> None:
        if reads == self._reads:  # no newer refresh began meanwhile
            db = self.db
            QueryOp(self, lambda: service.list_invoices(db), self._on_rest_loaded).run(
                key="invoice-list"
            )

    def _on_rest_loaded(self, rows: list[InvoiceSummary]) -> None:
        scroll = self.table.verticalScrollBar().value()
        self._all = rows
        self._complete = True
        self._apply_filters()
        self.table.verticalScrollBar().setValue(scroll)

    def open_invoice(self, invoice_id: int) -> None:
        if not self.confirm_leave():
            return

        def shown() -> None:
            self.pages.setCurrentIndex(1)
            self._select(invoice_id)

        self.editor.load(invoice_id, shown)

    def show_list(self) -> None:
        if not self.confirm_leave():
            return
        self.pages.setCurrentIndex(0)
        self.table.setFocus()

    def new_invoice(self, client_id: int | None = None) -> None:
        """A new draft for a client (chosen in the Go-to-client box when not given)."""
        if client_id is None:
            from ui.quick_switcher import QuickSwitcher

            chooser = QuickSwitcher(self.db, self)
            chooser.setWindowTitle("New invoice for …")
            if not chooser.exec() or chooser.chosen is None:
                return
            client_id = chooser.chosen
        if not self.confirm_leave():
            return
        db, chosen = self.db, client_id
        WriteOp(
            self,
            lambda: service.create_invoice(db, chosen, []),
            self._on_draft_created,
            changes=Changes.of("invoice", client_id=chosen),
        ).run()

    def _on_draft_created(self, draft: Invoice) -> None:
        def shown() -> None:
            self.pages.setCurrentIndex(1)
            self.editor.add_line()
            say(self, f"Draft invoice started for {draft.client_name}")

        self.editor.load(draft.id, shown)

    def save(self) -> bool:
        if self.pages.currentIndex() == 1:
            return self.editor.save()
        return True

    def save_soon(self) -> None:
        """Save the open draft on the op runner (Ctrl+S)."""
        if self.pages.currentIndex() == 1 and self.editor.is_dirty():
            self.editor.save_soon()

    def confirm_leave(self) -> bool:
        if not self._confirm_unsaved():
            return False
        self.editor.leave()
        return True

    def _confirm_unsaved(self) -> bool:
        if not self.editor.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The draft invoice has changes that are not saved yet. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.editor.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.revert()
            return True
        return False

    # ------------------------------------------------------------------ helpers

    def _apply_filters(self) -> None:
        status = self.status_filter.currentData()
        outstanding = self.outstanding.isChecked()
        text = self.search.text().strip().casefold()
        current = self._current_id()
        if status == "any" and not outstanding and not text:
            rows = self._all
        else:
            rows = [r for r in self._all if matches(r, status, outstanding, text)]
        self.model.set_rows(rows)
        shown, total = len(rows), len(self._all)
        if not self._complete:
            self.count.setText(f"Newest {total:,} shown · loading the rest…")
        else:
            self.count.setText(
                f"{shown:,} of {total:,} invoices" if shown != total else f"{total:,} invoices"
            )
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if not self._all:
            self.empty.setText(
                "No invoices yet.\nNew invoice… starts one, or bill a completed visit from "
                "the client's Visits tab."
            )
        elif not rows:
            self.empty.setText("No invoice matches these filters.")
        if current is not None:
            self._select(current)

    def _current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.invoice(index.row()).id if index.isValid() else None

    def _select(self, invoice_id: int) -> None:
        row = self.model.row_of(invoice_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    # ------------------------------------------------------------------ handlers

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_invoice(self.model.invoice(index.row()).id)

    def _on_editor_deleted(self, _invoice_id: int) -> None:
        self.pages.setCurrentIndex(0)  # the delete's change refreshes the list


class BillingPage(QWidget):
    """The Billing area of the main window: Invoices and Reports, with the settings at hand."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.invoices = InvoicesView(db)
        self._reports: QWidget | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.invoices, icons.icon("receipt"), "Invoices")
        self.reports_holder = QWidget()
        QVBoxLayout(self.reports_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.reports_holder, icons.icon("chart-column"), "Reports")
        self.tabs.currentChanged.connect(self._on_tabs_changed)
        self.settings_button = QToolButton()
        self.settings_button.setIcon(icons.icon("settings"))
        self.settings_button.setText("Billing settings…")
        self.settings_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.settings_button.setAutoRaise(True)
        self.settings_button.setToolTip("Services, tax rates, numbering and receipts")
        self.settings_button.clicked.connect(self.open_settings)
        corner = QWidget()
        cl = QHBoxLayout(corner)
        cl.setContentsMargins(0, 0, 16, 0)
        cl.addWidget(self.settings_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.tabs)

    @property
    def reports(self) -> QWidget:
        """The reports page, built the first time it is shown."""
        if self._reports is None:
            from ui.billing.reports import ReportsPage

            self._reports = ReportsPage(self.db)
            self.reports_holder.layout().addWidget(self._reports)
        return self._reports

    def show_reports(self) -> None:
        self.tabs.setCurrentWidget(self.reports_holder)

    def open_invoice(self, invoice_id: int) -> None:
        self.tabs.setCurrentWidget(self.invoices)
        self.invoices.open_invoice(invoice_id)

    def save(self) -> bool:
        return self.invoices.save()

    def save_soon(self) -> None:
        self.invoices.save_soon()

    def print_current(self) -> bool:
        """Preview the invoice on screen; False when the list is showing."""
        editor = self.invoices.editor
        if (
            self.tabs.currentWidget() is not self.invoices
            or self.invoices.pages.currentIndex() != 1
        ):
            return False
        if editor.invoice is None or editor.invoice.editable:
            return False
        editor.print_pdf()
        return True

    def confirm_leave(self) -> bool:
        return self.invoices.confirm_leave()

    def open_settings(self) -> None:
        from ui.billing.settings import BillingSettingsDialog

        dialog = BillingSettingsDialog(self.db, self)
        dialog.exec()
        if dialog.saved:
            runner().announce(Changes.of("settings"), self)  # saved by the dialog as it went
            say(self, "Billing settings saved")
            if self.invoices.editor.invoice is not None and not self.invoices.editor.is_dirty():
                self.invoices.editor.reload()

    def _on_tabs_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.reports_holder:
            self.reports.refresh()  # type: ignore[attr-defined]
