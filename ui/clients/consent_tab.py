"""The Consent tab: signed consents, recording signatures and withdrawals, the consent texts."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients import service
from practice.clients.records import Client, Consent, ConsentForm, ConsentSignature
from practice.store import Database
from ui import icons, theme
from ui.ops import QueryOp, Refresh, accept_when_written, holding, write_from
from ui.widgets import dates
from ui.widgets.forms import (
    ErrorLabel,
    FormGrid,
    align_captions,
    line,
    muted,
    section_title,
    text_box,
)
from ui.widgets.tables import fit_columns

Index = QModelIndex | QPersistentModelIndex
SENSITIVE_AREAS = ("breast", "chest wall", "abdomen", "inner thigh", "gluteal")
KINDS = {"general": "General", "sensitive": "Sensitive areas"}
TITLES = {
    "general": "Consent to massage therapy",
    "sensitive": "Consent to treatment of sensitive areas",
}
TEXT_HINTS = {
    "general": "Scope (massage therapy does not diagnose), planned techniques and areas, risks "
    "such as soreness and bruising, draping, the right to stop at any time, fees and "
    "the cancellation policy.",
    "sensitive": "Which areas, why treating them may help, how the client is draped, and that "
    "this consent can be withdrawn at any time, also during treatment.",
}
ADULT_AGE = 18


def _local(moment: datetime) -> str:
    return dates.moment(moment)


def _local_day(moment: datetime) -> str:
    return dates.day(moment)


def _form_label(form: ConsentForm) -> str:
    return f"{form.title} (version {form.version})"


class ConsentTableModel(QAbstractTableModel):
    """The client's consents, newest first; data() only reads the cached records."""

    COLUMNS = ("Consent", "Signed", "Signed by", "Sensitive areas", "Status")
    CONSENT, SIGNED, SIGNED_BY, AREAS, STATUS = range(len(COLUMNS))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Consent] = []
        c = theme.colours()
        self._active_icon = icons.icon("circle-check", c.success)
        self._withdrawn_icon = icons.icon("ban", c.danger)
        self._withdrawn_colour = QColor(c.muted)

    def set_rows(self, rows: list[Consent]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def consent(self, row: int) -> Consent:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        consent = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(consent, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._text(consent, column) or None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return self._active_icon if consent.active else self._withdrawn_icon
        if role == Qt.ItemDataRole.ForegroundRole and not consent.active and column != self.STATUS:
            return self._withdrawn_colour
        return None

    def _text(self, consent: Consent, column: int) -> str:
        """Two lines per cell: the fact, then its qualifier (version and kind, guardian, reason)."""
        if column == 0:
            kind = KINDS.get(consent.form.kind, consent.form.kind)
            return f"{consent.form.title}\n{kind}, version {consent.form.version}"
        if column == 1:
            return _local(consent.signed_at)
        if column == 2:
            if not consent.guardian_name:
                return consent.signer_name
            relation = f" ({consent.guardian_relation})" if consent.guardian_relation else ""
            return f"{consent.signer_name}\nGuardian: {consent.guardian_name}{relation}"
        if column == 3:
            return ", ".join(consent.sensitive_areas)
        if consent.withdrawn_at is None:
            return "Active"
        return f"Withdrawn on {_local_day(consent.withdrawn_at)}\n{consent.withdrawn_reason}"


class _RowDelegate(QStyledItemDelegate):
    """Rows are selected whole, so no focus frame around a single cell."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus


class ConsentTab(QWidget):
    """Lists the client's consents and records signatures and withdrawals."""

    consent_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None

        self.model = ConsentTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(_RowDelegate(self.table))
        self.table.setAccessibleName("Consents on file")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 20)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        m = ConsentTableModel
        fit_columns(
            self.table,
            m.CONSENT,
            {m.SIGNED: 184, m.SIGNED_BY: 200, m.AREAS: 140, m.STATUS: 230},
            drop=(m.AREAS, m.SIGNED_BY),  # narrow, what the consent's details show
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

        self.empty = QWidget()
        empty = QVBoxLayout(self.empty)
        empty.setSpacing(8)
        empty.addStretch(1)
        icon = QLabel()
        icon.setPixmap(icons.pixmap("file-signature", 40, theme.colours().muted))
        empty.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
        self.empty_title = QLabel("No consent on file.")
        self.empty_title.setProperty("role", "title")
        empty.addWidget(self.empty_title, 0, Qt.AlignmentFlag.AlignHCenter)
        self.empty_hint = muted("", wrap=False)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        empty.addWidget(self.empty_hint, 0, Qt.AlignmentFlag.AlignHCenter)
        self.empty_record_button = QPushButton("Record signature…")
        self.empty_record_button.setProperty("primary", True)
        self.empty_record_button.clicked.connect(self._on_record_button_clicked)
        empty.addSpacing(8)
        empty.addWidget(self.empty_record_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.texts_button = QPushButton(icons.icon("scroll-text"), "Consent texts…")
        self.texts_button.setToolTip("Edit and publish the consent texts clients sign")
        self.texts_button.clicked.connect(self._on_texts_button_clicked)
        self.withdraw_button = QPushButton("Withdraw consent…")
        self.withdraw_button.setProperty("danger", True)
        self.withdraw_button.setToolTip("Record that the client withdrew the selected consent")
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.record_button = QPushButton("Record signature…")
        self.record_button.setProperty("primary", True)
        self.record_button.clicked.connect(self._on_record_button_clicked)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.texts_button)
        bar.addStretch(1)
        bar.addWidget(self.withdraw_button)
        bar.addWidget(self.record_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(section_title("Consent on file"))
        layout.addWidget(
            muted(
                "Each signature keeps the version of the text that was signed. Consent to "
                "sensitive areas can be withdrawn at any time, also during treatment."
            )
        )
        layout.addSpacing(8)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bar)
        self._consents = Refresh(self, (), self._refresh)  # read when the tab is shown
        self._show_rows(None, [], None)

    def load(self, client: Client | None) -> None:
        """Show a client's consents (or nothing for a client not saved yet), read when the
        tab is shown."""
        self.client = client
        self._consents.request()

    def show_consent(self, consent_id: int) -> None:
        """Select this consent (the timeline opens it)."""
        self._consents.stale = False
        self._refresh(select_id=consent_id)

    def _refresh(self, select_id: int | None = None) -> None:
        """The client's consents, read on the op runner."""
        client, db = self.client, self.db
        if client is None:
            self._show_rows(None, [], select_id)
            return
        QueryOp(
            self,
            lambda: service.consents_for(db, client.id),
            lambda consents: self._show_rows(client, consents, select_id),
        ).run(key="consents")

    def _show_rows(
        self, client: Client | None, consents: list[Consent], select_id: int | None
    ) -> None:
        if client is not self.client:
            return  # read for a client no longer shown
        self.model.set_rows(consents)
        has_rows = bool(consents)
        self.stack.setCurrentWidget(self.table if has_rows else self.empty)
        self.record_button.setVisible(has_rows)
        self.withdraw_button.setVisible(has_rows)
        self.record_button.setEnabled(self.client is not None)
        self.empty_record_button.setEnabled(self.client is not None)
        self.empty_hint.setText(
            "Record the client's signature on the consent before treatment."
            if self.client
            else "Save the client's profile first; then record their consent here."
        )
        row = next((i for i, c in enumerate(consents) if c.id == select_id), 0)
        if has_rows:
            self.table.selectRow(row)
        self._update_withdraw()

    def _selected(self) -> Consent | None:
        index = self.table.currentIndex()
        return self.model.consent(index.row()) if index.isValid() else None

    def _update_withdraw(self) -> None:
        consent = self._selected()
        self.withdraw_button.setEnabled(consent is not None and consent.active)

    # ------------------------------------------------------------------ handlers

    def _on_table_current_row_changed(self) -> None:
        self._update_withdraw()

    def _on_record_button_clicked(self) -> None:
        if self.client is None:
            return
        dialog = RecordSignatureDialog(self.db, self.client, self)
        dialog.accepted.connect(partial(self._on_dialog_accepted, dialog))
        dialog.open()

    def _on_withdraw_button_clicked(self) -> None:
        consent = self._selected()
        if consent is None or not consent.active:
            return
        dialog = WithdrawConsentDialog(self.db, consent, self)
        dialog.accepted.connect(partial(self._on_dialog_accepted, dialog))
        dialog.open()

    def _on_dialog_accepted(self, dialog: RecordSignatureDialog | WithdrawConsentDialog) -> None:
        self._refresh(select_id=dialog.saved.id if dialog.saved else None)
        self.consent_changed.emit()

    def _on_texts_button_clicked(self) -> None:
        ConsentTextsDialog(self.db, self).open()


class _Dialog(QDialog):
    """Shared frame: 24 px margins, deleted on close, Enter accepts and Escape cancels."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 24, 24, 16)
        self.body.setSpacing(8)
        self.buttons: QWidget | None = None  # disabled while the dialog's write is on its way

    def reject(self) -> None:
        """Escape and the close button wait for a write on its way: it closes the dialog."""
        if self.buttons is None or not holding(self.buttons):
            super().reject()

    def _write(self, work: Any, refused: Any, client_id: int) -> None:
        """Record on the op runner; the dialog closes with `saved` once the record has
        landed."""
        assert self.buttons is not None
        changes = Changes.of("consent", client_id=client_id)
        accept_when_written(self, self.buttons, work, refused, changes=changes)


class RecordSignatureDialog(_Dialog):
    """Pick the current consent text, name who signs (and the guardian) and record it."""

    def __init__(self, db: Database, client: Client, parent: QWidget | None = None) -> None:
        super().__init__("Record consent signature", parent)
        self.db = db
        self.client = client
        self.saved: Consent | None = None
        self.setMinimumWidth(640)
        self.forms = service.consent_forms(db)
        self.grid = FormGrid()
        self.areas_grid = FormGrid()
        self.form_error = ErrorLabel()
        if self.forms:
            self._build_signature()
        else:
            self._build_no_forms()

    def _build_no_forms(self) -> None:
        self.body.addWidget(section_title("No consent texts yet"))
        self.body.addWidget(
            muted(
                "There is no consent text to sign yet. Write the consent your clients sign "
                "(and, if you treat sensitive areas, the separate consent for them) first."
            )
        )
        self.setup_button = QPushButton(icons.icon("scroll-text"), "Set up consent texts…")
        self.setup_button.setProperty("primary", True)
        self.setup_button.clicked.connect(self._on_setup_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.setup_button)
        row.addStretch(1)
        self.body.addSpacing(8)
        self.body.addLayout(row)
        self.body.addSpacing(16)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.body.addWidget(buttons)

    def _build_signature(self) -> None:
        age = self.client.age_on(date.today())
        self.minor = age is not None and age < ADULT_AGE
        g = self.grid
        self.form_choice = QComboBox()
        for form in self.forms:
            self.form_choice.addItem(f"{_form_label(form)}: {KINDS[form.kind].lower()}", form.id)
        g.add("form_id", "&Consent", self.form_choice)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 7 + 18)
        g.add("text", "Text", self.text)
        self.signer = line("Full name of the person signing")
        self.signer.setText(self.client.legal_name)
        g.add("signer_name", "&Signed by", self.signer)
        self.guardian = line("Parent or legal guardian")
        guardian_label = "&Guardian (required)" if self.minor else "&Guardian"
        g.add("guardian_name", guardian_label, self.guardian)
        self.relation = line("Mother, father, legal guardian ...", 60)
        g.add("guardian_relation", "Re&lation", self.relation)

        areas = QWidget()
        row = QHBoxLayout(areas)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.area_checks: dict[str, QCheckBox] = {}
        for area in SENSITIVE_AREAS:
            check = QCheckBox(area.capitalize())
            check.toggled.connect(self._update_statement)
            self.area_checks[area] = check
            row.addWidget(check)
        row.addStretch(1)
        areas.setFocusProxy(next(iter(self.area_checks.values())))
        self.areas_grid.add("sensitive_areas", "&Areas covered", areas)
        align_captions((self.grid, self.areas_grid))

        if self.minor:
            note = muted(f"{self.client.display_name} is {age}: a parent or guardian signs too.")
            self.body.addWidget(note)
        self.body.addWidget(self.grid)
        self.body.addWidget(self.areas_grid)
        self.statement = QLabel()
        self.statement.setWordWrap(True)
        self.statement.setAccessibleName("What will be recorded")
        self.body.addSpacing(8)
        self.body.addWidget(self.statement)
        self.body.addWidget(self.form_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = buttons.addButton(
            "Record signature", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.record_button.setProperty("primary", True)
        self.record_button.setDefault(True)
        buttons.accepted.connect(self._on_record)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.body.addSpacing(8)
        self.body.addWidget(buttons)
        for edit in (self.signer, self.guardian, self.relation):
            edit.textChanged.connect(self._update_statement)
        self.form_choice.currentIndexChanged.connect(self._on_form_choice_current_index_changed)
        self._on_form_choice_current_index_changed()

    def _form(self) -> ConsentForm:
        return next(f for f in self.forms if f.id == self.form_choice.currentData())

    def _areas(self) -> tuple[str, ...]:
        if self._form().kind != "sensitive":
            return ()
        return tuple(a for a, check in self.area_checks.items() if check.isChecked())

    def _update_statement(self) -> None:
        form = self._form()
        signer = self.signer.text().strip() or "(no name yet)"
        text = (
            f"This records that {signer} signed “{form.title}”, version {form.version}, "
            f"today at {dates.clock(datetime.now().astimezone())}"
        )
        guardian = self.guardian.text().strip()
        if guardian:
            relation = self.relation.text().strip()
            text += f", with {guardian}{f' ({relation})' if relation else ''} as guardian"
        areas = self._areas()
        if form.kind == "sensitive":
            text += f", for: {', '.join(areas)}" if areas else ", for the areas ticked above"
        text += ". The signed version stays on file even when the text changes later."
        self.statement.setText(text)

    def _on_form_choice_current_index_changed(self) -> None:
        form = self._form()
        self.text.setPlainText(form.body)
        self.areas_grid.setVisible(form.kind == "sensitive")
        self._update_statement()

    def _on_record(self) -> None:
        signature = ConsentSignature(
            form_id=self._form().id,
            signer_name=self.signer.text(),
            guardian_name=self.guardian.text(),
            guardian_relation=self.relation.text(),
            sensitive_areas=self._areas(),
        )
        db, client_id = self.db, self.client.id
        work = lambda: service.sign_consent(db, client_id, signature)  # noqa: E731
        self._write(work, lambda error: self._show_errors(error.errors), client_id)

    def _show_errors(self, errors: dict[str, str]) -> None:
        grids = (self.areas_grid, self.grid)  # the last one shown takes the focus
        for grid in grids:
            grid.show_errors({k: v for k, v in errors.items() if k in grid.fields})
        known = {k for grid in grids for k in grid.fields}
        self.form_error.set_message(" ".join(v for k, v in errors.items() if k not in known))

    def _on_setup_button_clicked(self) -> None:
        dialog = ConsentTextsDialog(self.db, self)
        dialog.finished.connect(self._on_texts_dialog_finished)
        dialog.open()

    def _on_texts_dialog_finished(self) -> None:
        self.forms = service.consent_forms(self.db)
        if self.forms:
            _clear(self.body)
            self._build_signature()


def _clear(layout: QLayout) -> None:
    while (item := layout.takeAt(0)) is not None:
        if (widget := item.widget()) is not None:
            widget.hide()
            widget.deleteLater()
        elif (inner := item.layout()) is not None:
            _clear(inner)


class WithdrawConsentDialog(_Dialog):
    """Ask why consent is withdrawn and record it; the signed record stays, marked withdrawn."""

    def __init__(self, db: Database, consent: Consent, parent: QWidget | None = None) -> None:
        super().__init__("Withdraw consent", parent)
        self.db = db
        self.consent = consent
        self.saved: Consent | None = None
        self.setMinimumWidth(560)
        signed = _local_day(consent.signed_at)
        self.body.addWidget(section_title(f"Withdraw “{consent.form.title}”"))
        self.body.addWidget(
            muted(
                f"Version {consent.form.version}, signed by {consent.signer_name} on {signed}. "
                "The signed record stays on file, marked withdrawn today with the reason below. "
                "This cannot be undone; a new consent needs a new signature."
            )
        )
        self.grid = FormGrid()
        self.reason = text_box("In the client's words", 3)
        self.grid.add("reason", "&Reason", self.reason)
        self.body.addSpacing(8)
        self.body.addWidget(self.grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.withdraw_button = buttons.addButton(
            "Withdraw consent", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.withdraw_button.setProperty("danger", True)
        buttons.accepted.connect(self._on_withdraw)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.body.addWidget(buttons)
        self.reason.setFocus()

    def _on_withdraw(self) -> None:
        db, consent_id, reason = self.db, self.consent.id, self.reason.toPlainText()
        work = lambda: service.withdraw_consent(db, consent_id, reason)  # noqa: E731
        self._write(work, lambda error: self.grid.show_errors(error.errors), self.consent.client_id)


class ConsentTextsDialog(_Dialog):
    """Edit and publish the general and the sensitive-areas consent texts."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Consent texts", parent)
        self.db = db
        self.setMinimumSize(720, 560)
        self.body.addWidget(
            muted(
                "The texts clients sign. Publishing creates a new version; signed consents keep "
                "the version they signed."
            )
        )
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        current = {f.kind: f for f in service.consent_forms(db)}
        self.pages = {kind: _ConsentTextPage(db, kind, current.get(kind)) for kind in KINDS}
        self.tabs.addTab(self.pages["general"], "General consent")
        self.tabs.addTab(self.pages["sensitive"], "Sensitive areas")
        self.body.addWidget(self.tabs, 1)

    def reject(self) -> None:
        """Closing waits for a version on its way: the dialog that opened this one reads it."""
        if not any(holding(page.buttons) for page in self.pages.values()):
            super().reject()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.body.addWidget(buttons)


class _ConsentTextPage(QWidget):
    """One kind of consent text: title and body, with a button that publishes a new version."""

    def __init__(self, db: Database, kind: str, current: ConsentForm | None) -> None:
        super().__init__()
        self.db = db
        self.kind = kind
        self.current = current
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 16, 0, 0)
        layout.setSpacing(8)
        self.grid = FormGrid()
        self.title = line("", 200)
        self.text = text_box(TEXT_HINTS[kind], 12)
        self.grid.add("title", "&Title", self.title)
        self.grid.add("body", "Te&xt", self.text)
        layout.addWidget(self.grid)
        layout.addStretch(1)
        self.status = muted("")
        self.publish_button = QPushButton()
        self.publish_button.setProperty("primary", True)
        self.publish_button.clicked.connect(self._on_publish_button_clicked)
        self.buttons = QWidget()  # held, disabled, while a version is published
        QHBoxLayout(self.buttons).setContentsMargins(0, 0, 0, 0)
        self.buttons.layout().addWidget(self.publish_button)
        self._edits = 0  # a version landing knows whether the text was edited meanwhile
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.status, 1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.title.setText(current.title if current else TITLES[kind])
        self.text.setPlainText(current.body if current else "")
        self.title.textChanged.connect(self._on_text_changed)
        self.text.textChanged.connect(self._on_text_changed)
        self._update()

    def _on_text_changed(self) -> None:
        self._edits += 1
        self._update()

    def _next_version(self) -> int:
        return self.current.version + 1 if self.current else 1

    def _changed(self) -> bool:
        if self.current is None:
            return True
        return (self.title.text().strip(), self.text.toPlainText().strip()) != (
            self.current.title,
            self.current.body,
        )

    def _update(self) -> None:
        version = self._next_version()
        published = (
            f"Current: version {self.current.version}, published "
            f"{_local_day(self.current.created_at)}. "
            if self.current
            else "Not published yet. "
        )
        self.status.setText(
            f"{published}Publishing creates version {version}; signed consents keep the "
            "version they signed."
        )
        self.publish_button.setText(f"Publish version {version}")
        self.publish_button.setEnabled(self._changed())

    def _on_publish_button_clicked(self) -> None:
        db, kind, title, body = self.db, self.kind, self.title.text(), self.text.toPlainText()
        edits = self._edits

        def published(form: ConsentForm) -> None:
            self.current = form
            self.grid.clear_errors()
            if edits == self._edits:  # else the edits made meanwhile stay, to publish next
                self.title.setText(form.title)
                self.text.setPlainText(form.body)
            self._update()

        write_from(
            self,
            self.buttons,
            lambda: service.save_consent_form(db, kind, title, body),
            published,
            lambda error: self.grid.show_errors(error.errors),
            changes=Changes.of("consent", "settings"),
        )
