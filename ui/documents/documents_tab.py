"""The client's Documents tab: every issued document, newest first, reopened byte for byte."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients.records import Client
from practice.store import Database
from practice.summaries.records import PHYSICIAN_SUMMARY, IssuedDocument
from ui import icons, theme
from ui.documents import printing
from ui.ops import Refresh, runner
from ui.widgets import dates
from ui.widgets.empty import EmptyState
from ui.widgets.forms import muted, section_title
from ui.widgets.status import say
from ui.widgets.tables import RowsModel, fit_columns

KIND_LABELS = {PHYSICIAN_SUMMARY: "Physician summary"}
_Index = QModelIndex | QPersistentModelIndex


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "–"
    return f"{dates.day(start) or '…'} – {dates.day(end) or '…'}"


class DocumentsModel(RowsModel):
    """Issued documents as rows; `data()` only reads the cached read models."""

    KIND, TITLE, ISSUED, PHYSICIAN, PERIOD = range(5)
    COLUMNS = ("Kind", "Title", "Issued", "Physician", "Period")

    def document(self, row: int) -> IssuedDocument:
        return self.item(row)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        document = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case self.KIND:
                    return kind_label(document.kind)
                case self.TITLE:
                    return document.title
                case self.ISSUED:
                    return dates.moment(document.issued_at)
                case self.PHYSICIAN:
                    return document.physician or "–"
                case self.PERIOD:
                    return period_text(document.period_start, document.period_end)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"Issued by {document.issued_by}; {document.size:,} bytes; "
                f"SHA-256 {document.sha256[:16]}…"
            )
        return None


class DocumentsTab(QWidget):
    """Issued documents of the open client; Open shows the stored PDF exactly as issued."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.model = DocumentsModel(self)
        self._refresh = Refresh(self, ("document",), self.refresh, client_id=self._client_id)

        self.new_button = QPushButton(
            icons.icon("file-text", theme.colours().accent_text), "New physician summary…"
        )
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip("Summarise a treatment plan or a period for the physician")
        self.new_button.clicked.connect(self.new_summary)
        self.open_button = QPushButton(icons.icon("eye"), "Open")
        self.open_button.setToolTip("Show the stored copy exactly as it was issued (Enter)")
        self.open_button.clicked.connect(self.open_selected)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Issued documents")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        m = DocumentsModel
        fit_columns(
            self.table,
            m.PHYSICIAN,
            {m.KIND: 150, m.TITLE: 200, m.ISSUED: 170, m.PERIOD: 200},
            drop=(m.PERIOD, m.KIND),  # narrow, the title says what it is
        )
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)

        top = QHBoxLayout()
        top.setSpacing(8)
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addWidget(section_title("Issued documents"))
        heading.addWidget(muted("Each is kept exactly as it was handed over; Open reprints it."))
        top.addLayout(heading, 1)
        top.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)

        self.list_page = QWidget()
        list_layout = QVBoxLayout(self.list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self._build_empty())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.load(None)

    def _build_empty(self) -> QWidget:
        page = EmptyState(
            "file-text",
            "No documents issued yet.",
            "A physician summary you issue is stored here with its exact PDF.",
            "New physician summary…",
            self.new_summary,
            button_icon="file-text",
        )
        self.empty_new_button = page.button
        return page

    # ------------------------------------------------------------------ public

    def load(self, client: Client | None) -> None:
        """Show a client's documents; read when the tab is shown, so switching stays fast."""
        self.client = client
        if client is None:
            self.refresh()
        else:
            self._refresh.request()

    def refresh(self, select: int | None = None) -> None:
        from practice.summaries.service import list_documents

        rows = list_documents(self.db, self.client.id) if self.client else []
        self.model.set_rows(rows)
        self.pages.setCurrentWidget(self.list_page if rows else self.pages.widget(1))
        for button in (self.new_button, self.empty_new_button):
            button.setEnabled(self.client is not None)
        row = self.model.row_of(select) if select is not None else (0 if rows else None)
        if row is not None:
            self.table.selectRow(row)
        self.open_button.setEnabled(bool(rows))

    def selected_document(self) -> IssuedDocument | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.document(index.row()) if index.isValid() else None

    def open_selected(self) -> None:
        document = self.selected_document()
        if document is not None:
            self.open_document(document)

    def open_document(self, document: IssuedDocument) -> None:
        if self.client is None:
            return
        printing.preview_issued(
            self,
            self.db,
            self.client,
            document.id,
            document.title,
            document.issued_at.astimezone().date(),
        )

    def new_summary(self) -> None:
        """Open the New physician summary dialog for the open client."""
        if self.client is None:
            return
        from ui.documents.summary_dialog import SummaryDialog

        dialog = SummaryDialog(self.db, self.client, self)
        dialog.issued.connect(self._on_dialog_issued)
        dialog.open()

    # ------------------------------------------------------------------ handlers

    def _client_id(self) -> int | None:
        return self.client.id if self.client is not None else None

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_document(self.model.document(index.row()))

    def _on_dialog_issued(self, document: IssuedDocument) -> None:
        self.refresh(select=document.id)
        runner().announce(Changes.of("document", client_id=document.client_id), self)
        say(self, f"{document.title} issued and stored")
