"""New physician summary: choose the plan or dates, check the facts, edit the text, issue.

The draft is gathered by a query op; Preview renders the edited draft (a closure over the
frozen `SummaryDraft`, so the worker reads no widget), and Issue stores it for good (a write).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from practice import printouts
from practice.changes import Changes
from practice.clients.records import Client
from practice.errors import ValidationError
from practice.plans import service as plans
from practice.plans.records import Plan
from practice.store import Database
from practice.summaries import service as summaries
from practice.summaries.records import IssuedDocument, SummaryDraft
from ui import icons, theme
from ui.documents.documents_tab import period_text
from ui.documents.preview import PdfPreviewDialog
from ui.ops import QueryOp, WriteOp
from ui.widgets import dates
from ui.widgets.forms import DateField, ErrorLabel, muted, section_title

ISSUE_CONSEQUENCE = (
    "The issued copy is stored exactly as printed and can no longer be changed; "
    "a correction is a new summary."
)
NARRATIVE = {
    "assessment": ("&Assessment", "What changed, in a few sentences"),
    "recommendations": ("&Recommendations", "What you suggest next"),
    "adverse_events": ("Adverse &events and reactions", "Reactions to treatment, dated"),
}
FACTS = ("Physician", "Period", "Visits", "Outcome measures", "Body charts", "Diagnoses")


def plan_label(plan: Plan) -> str:
    return (
        f"{dates.day(plan.start_date)} – {dates.day(plan.end_date)}  ·  "
        f"{plan.frequency_text}  ·  {plan.status.label}"
    )


def facts_of(draft: SummaryDraft) -> dict[str, str]:
    done, missed = len(draft.completed_visits), len(draft.missed_visits)
    visits = f"{done} completed"
    if missed:
        visits += f", {missed} missed or cancelled"
    if draft.visits_planned:
        visits += f" (of {draft.visits_planned} planned)"
    if draft.unsigned_notes:
        count = draft.unsigned_notes
        visits += f"; {count} unsigned note{'s are' if count != 1 else ' is'} left out until signed"
    return {
        "Physician": draft.physician.display if draft.physician else "No physician on file",
        "Period": period_text(draft.period_start, draft.period_end)
        if draft.period_start or draft.period_end
        else "Nothing to cover: no plan and no visits",
        "Visits": visits,
        "Outcome measures": ", ".join(m.name for m in draft.measures) or "None scored",
        "Body charts": str(draft.chart_count) if draft.chart_count else "None",
        "Diagnoses": ", ".join(f"{d.code} {d.description}" for d in draft.diagnoses) or "–",
    }


class SummaryDialog(QDialog):
    """Drafts, previews and issues a physician summary for one client."""

    issued = Signal(object)  # IssuedDocument

    def __init__(
        self,
        db: Database,
        client: Client,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.client = client
        self.today = today or date.today()
        self.draft: SummaryDraft | None = None
        self.document: IssuedDocument | None = None
        self.preview: PdfPreviewDialog | None = None
        self.setWindowTitle("New physician summary")
        self.setMinimumWidth(900)

        body = QVBoxLayout(self)
        body.setContentsMargins(24, 20, 24, 16)
        body.setSpacing(8)
        title = QLabel("New physician summary")
        title.setProperty("role", "title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        body.addWidget(title)
        subtitle = muted(
            f"{client.legal_name}"
            + (f", born {dates.day(client.date_of_birth)}" if client.date_of_birth else ""),
            wrap=False,
        )
        subtitle.setTextFormat(Qt.TextFormat.PlainText)
        body.addWidget(subtitle)

        body.addWidget(section_title("Covers"))
        body.addLayout(self._build_cover())
        self.error = ErrorLabel()
        body.addWidget(self.error)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        facts = QVBoxLayout()
        facts.setSpacing(4)
        facts.addWidget(section_title("Key facts"))
        facts.addWidget(self._build_facts())
        facts.addStretch(1)
        columns.addLayout(facts, 4)
        narrative = QVBoxLayout()
        narrative.setSpacing(4)
        narrative.addWidget(section_title("Your words"))
        self.fields: dict[str, QPlainTextEdit] = {}
        for name, (label, hint) in NARRATIVE.items():
            edit = QPlainTextEdit()
            edit.setPlaceholderText(hint)
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 4 + 20)
            caption = QLabel(label)
            caption.setBuddy(edit)
            caption.setProperty("muted", True)
            narrative.addWidget(caption)
            narrative.addWidget(edit, 1)
            self.fields[name] = edit
        self.redraft_button = QPushButton("Redraft from the record")
        self.redraft_button.setToolTip("Replace the three texts with those drafted from the data")
        self.redraft_button.clicked.connect(self._on_redraft_button_clicked)
        narrative.addWidget(self.redraft_button, 0, Qt.AlignmentFlag.AlignRight)
        columns.addLayout(narrative, 5)
        body.addLayout(columns, 1)

        body.addWidget(self._build_issued_banner())
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.busy = muted("", wrap=False)
        buttons.addWidget(self.busy, 1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.preview_button = QPushButton(icons.icon("eye"), "Pre&view…")
        self.preview_button.setToolTip("See the summary as it will print, before issuing it")
        self.preview_button.clicked.connect(self.show_preview)
        self.issue_button = QPushButton(
            icons.icon("file-signature", theme.colours().accent_text), "Issue…"
        )
        self.issue_button.setProperty("primary", True)
        self.issue_button.setToolTip("Store this summary for good and print it")
        self.issue_button.clicked.connect(self.issue)
        for button in (self.cancel_button, self.preview_button, self.issue_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        body.addLayout(buttons)

        self._fill_plans()
        self.reload()

    # ------------------------------------------------------------------ building

    def _build_cover(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self.plan_choice = QRadioButton("Treatment &plan")
        self.dates_choice = QRadioButton("&Dates")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.plan_choice)
        self.choice.addButton(self.dates_choice)
        self.plan_combo = QComboBox()
        self.plan_combo.setAccessibleName("Treatment plan")
        self.since = DateField()
        self.since.setAccessibleName("From")
        self.until = DateField()
        self.until.setAccessibleName("To")
        for field in (self.since, self.until):
            field.setFixedWidth(130)
            field.editingFinished.connect(self._on_dates_edited)
        dates = QHBoxLayout()
        dates.setSpacing(8)
        dates.addWidget(self.since)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.until)
        dates.addStretch(1)
        grid.addWidget(self.plan_choice, 0, 0)
        grid.addWidget(self.plan_combo, 0, 1)
        grid.addWidget(self.dates_choice, 1, 0)
        grid.addLayout(dates, 1, 1)
        grid.setColumnStretch(1, 1)
        self.plan_choice.toggled.connect(self._on_choice_toggled)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_combo_changed)
        return grid

    def _build_facts(self) -> QWidget:
        box = QWidget()
        box.setObjectName("Card")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        grid = QGridLayout(box)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.facts: dict[str, QLabel] = {}
        for row, name in enumerate(FACTS):
            caption = muted(name, wrap=False)
            value = QLabel("…")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.facts[name] = value
        grid.setColumnStretch(1, 1)
        return box

    def _build_issued_banner(self) -> QWidget:
        self.issued_banner = QWidget()
        self.issued_banner.setObjectName("AlertRow")
        self.issued_banner.setProperty("level", "info")
        self.issued_banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self.issued_banner)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(8)
        icon = QLabel()
        icon.setPixmap(icons.pixmap("circle-check", 20, theme.colours().success))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.issued_text = QLabel()
        self.issued_text.setWordWrap(True)
        self.issued_text.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.issued_text, 1)
        self.print_issued_button = QPushButton(icons.icon("printer"), "Print…")
        self.print_issued_button.setToolTip("Open the stored copy to print, save or send")
        self.print_issued_button.clicked.connect(self.show_issued)
        row.addWidget(self.print_issued_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.issued_banner.hide()
        return self.issued_banner

    def _fill_plans(self) -> None:
        candidates = plans.plans_for(self.db, self.client.id)  # newest start first
        active = next((p for p in candidates if not p.status.closed), None)
        self.plan_combo.blockSignals(True)
        for plan in candidates:
            self.plan_combo.addItem(plan_label(plan), plan.id)
        if active is not None:
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(active.id))
        self.plan_combo.blockSignals(False)
        self.plan_choice.setEnabled(bool(candidates))
        if candidates:
            self.plan_choice.setChecked(True)
        else:
            self.plan_combo.addItem("No treatment plan yet")
            self.dates_choice.setChecked(True)
        self._update_cover()

    # ------------------------------------------------------------------ public

    def reload(self) -> None:
        """Gather the draft for the chosen plan or dates off the GUI thread (the latest wins)."""
        self.error.set_message("")
        try:
            since, until = self.since.value(), self.until.value()
        except ValueError as error:
            self._show_problem(str(error))
            return
        plan_id = self.plan_combo.currentData() if self.plan_choice.isChecked() else None
        if self.dates_choice.isChecked() and since is None and until is None:
            self._show_problem("")
            self.busy.setText("Type the first or the last day to cover, or both.")
            return
        self._set_busy("Reading the record…")
        work = partial(
            summaries.summary_draft,
            self.db,
            self.client.id,
            plan_id=plan_id,
            since=since if self.dates_choice.isChecked() else None,
            until=until if self.dates_choice.isChecked() else None,
            today=self.today,
        )
        QueryOp(self, work, self._on_draft_done).on_invalid(self._on_draft_invalid).on_failed(
            self._on_draft_failed
        ).run(key="draft")

    def current_draft(self) -> SummaryDraft | None:
        """The gathered draft with the texts as edited now."""
        if self.draft is None:
            return None
        texts = {name: edit.toPlainText().strip() for name, edit in self.fields.items()}
        return replace(self.draft, **texts)

    def show_preview(self) -> PdfPreviewDialog | None:
        draft = self.current_draft()
        if draft is None:
            return None
        from ui.documents.printing import preview_summary_draft

        self.preview = preview_summary_draft(self, self.db, self.client, draft)
        return self.preview

    def issue(self, *, confirmed: bool = False) -> None:
        """Ask, then store the summary as issued on a worker thread."""
        draft = self.current_draft()
        if draft is None or self.document is not None:
            return
        if not confirmed and not self._confirm_issue(draft):
            return
        self._set_busy("Issuing and storing the summary…")
        WriteOp(
            self,
            partial(printouts.issue_summary, self.db, draft),
            self._on_issue_done,
            changes=Changes.of("document", client_id=self.client.id),
        ).on_invalid(self._on_issue_invalid).on_failed(self._on_issue_failed).run()

    def show_issued(self) -> PdfPreviewDialog | None:
        if self.document is None:
            return None
        from ui.documents.printing import preview_issued

        self.preview = preview_issued(
            self,
            self.db,
            self.client,
            self.document.id,
            self.document.title,
            self.document.issued_at.astimezone().date(),
        )
        return self.preview

    # ------------------------------------------------------------------ helpers

    def _confirm_issue(self, draft: SummaryDraft) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Issue summary")
        to = f" to {draft.physician.display}" if draft.physician else ""
        box.setText(f"Issue this treatment summary{to}?")
        box.setInformativeText(ISSUE_CONSEQUENCE)
        issue = box.addButton("Issue summary", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        chosen = box.clickedButton() is issue
        box.deleteLater()
        return chosen

    def _update_cover(self) -> None:
        by_plan = self.plan_choice.isChecked()
        self.plan_combo.setEnabled(by_plan)
        self.since.setEnabled(not by_plan)
        self.until.setEnabled(not by_plan)

    def _set_busy(self, message: str) -> None:
        self.busy.setText(message)
        for widget in (self.preview_button, self.issue_button, self.redraft_button):
            widget.setEnabled(False)

    def _set_idle(self) -> None:
        self.busy.setText("")
        ready = self.draft is not None and self.document is None
        for widget in (self.preview_button, self.issue_button, self.redraft_button):
            widget.setEnabled(ready)

    def _show_problem(self, message: str) -> None:
        self.draft = None
        self.error.set_message(message)
        for label in self.facts.values():
            label.setText("–")
        self._set_idle()

    def _fill_texts(self, draft: SummaryDraft, *, keep_edits: bool) -> None:
        for name, edit in self.fields.items():
            if keep_edits and edit.document().isModified():
                continue
            edit.setPlainText(getattr(draft, name))
            edit.document().setModified(False)

    # ------------------------------------------------------------------ handlers

    def _on_choice_toggled(self, _on: bool) -> None:
        self._update_cover()
        self.reload()

    def _on_plan_combo_changed(self, _index: int) -> None:
        self.reload()

    def _on_dates_edited(self) -> None:
        if self.dates_choice.isChecked():
            self.reload()

    def _on_redraft_button_clicked(self) -> None:
        if self.draft is not None:
            self._fill_texts(self.draft, keep_edits=False)

    def _on_draft_done(self, draft: SummaryDraft) -> None:
        self.draft = draft
        for name, text in facts_of(draft).items():
            self.facts[name].setText(text)
        self._fill_texts(draft, keep_edits=True)
        self._set_idle()

    def _on_draft_invalid(self, error: ValidationError) -> None:
        self._show_problem(" ".join(error.errors.values()))

    def _on_draft_failed(self, error: BaseException) -> None:
        if not isinstance(error, ValidationError):  # the op showed what went wrong
            self._show_problem("The summary could not be drafted.")

    def _on_issue_done(self, document: IssuedDocument) -> None:
        self.document = document
        when = dates.moment(document.issued_at)
        self.issued_text.setText(
            f"Issued and stored {when}. The stored copy reprints exactly as issued; "
            "it is listed in the client's Documents tab."
        )
        self.issued_banner.show()
        for edit in self.fields.values():
            edit.setReadOnly(True)
        for widget in (
            self.plan_choice,
            self.dates_choice,
            self.plan_combo,
            self.since,
            self.until,
        ):
            widget.setEnabled(False)
        self.issue_button.hide()
        self.preview_button.hide()
        self.redraft_button.hide()
        self.cancel_button.setText("Close")
        self._set_idle()
        self.print_issued_button.setFocus()
        self.issued.emit(document)

    def _on_issue_invalid(self, error: ValidationError) -> None:
        self.error.set_message(f"Not issued: {' '.join(error.errors.values())}")

    def _on_issue_failed(self, _error: BaseException) -> None:
        self._set_idle()
