"""The SOAP note editor: visit facts, S, O, treatment log, A, P; autosave, signing, amendments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import Client
from practice.clients.rules import Alert
from practice.errors import ConflictError, LockedRecordError, ValidationError
from practice.plans.course import plan_course, visit_number
from practice.plans.records import Plan, PlannedTechnique
from practice.plans.service import active_plan
from practice.store import Database
from practice.techniques.library import techniques_by_code
from practice.techniques.records import Technique
from practice.visits import service
from practice.visits.records import (
    VisitDraft,
    VisitForm,
    VisitRecord,
)
from practice.visits.techniques import technique_name, unacknowledged
from practice.visits.validation import validate_draft
from ui import icons, theme
from ui.ops import QueryOp, WriteOp, runner, write_from
from ui.visits import dialogs
from ui.visits.entries import TreatmentRow
from ui.visits.history_model import local_time
from ui.visits.note_form import (
    IMPORTED_LOCK,
    SIGNED_LOCK,
    NoteForm,
    _now,
    _set_text,
    _text,
)
from ui.visits.planned import plan_summary, planned_notes, planned_regions, planned_text
from ui.widgets import dates
from ui.widgets.alerts import AlertChip
from ui.widgets.status import say

AUTOSAVE_DELAY_MS = 2000  # after the last keystroke: a crash loses a few seconds at most


def _created_for_autosave(db: Database, client_id: int, draft: VisitDraft) -> VisitRecord:
    """A new visit's row, so its typing can be kept (a completed visit dated tomorrow, say,
    is kept at today)."""
    try:
        return service.create_visit(db, client_id, VisitDraft(draft.visit))
    except ValidationError:
        return service.create_visit(db, client_id, VisitDraft(VisitForm(_now())))


class _RestoreBar(QWidget):
    """Offers back typing that was autosaved after the note's last save (say before a crash)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("AlertRow")
        self.setProperty("level", "info")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        icon = QLabel()
        icon.setPixmap(icons.pixmap("history", 20, theme.colours().info))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setProperty("primary", True)
        self.discard_button = QPushButton("Discard")
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.discard_button)
        layout.addWidget(self.restore_button)
        self.hide()


class VisitEditor(NoteForm, QWidget):
    """Edits one visit of a client; a signed visit shows read-only with its amendments."""

    saved = Signal(object)  # VisitRecord: stored (created, saved, signed or amended)
    dirty_changed = Signal(bool)
    chart_requested = Signal(int)  # visit id: draw or open its chart in the Body map tab
    discarded = Signal(int)  # visit id: an empty draft was left and removed

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.record: VisitRecord | None = None
        self._alerts: list[Alert] = []
        self._library: dict[str, Technique] = {}
        self._plan: Plan | None = None  # the client's active plan: "From plan" offers its lines
        self._last_visit: VisitDraft | None = None  # what "Start from last visit" copies
        self._dirty = False
        self._loading = False
        self._writing = False  # a save, sign or autosave of this note is on the op runner
        self._edits = 0  # changes typed so far: a write knows whether typing came after it
        self._shown = 0  # which note the form shows: a write landing later knows if it moved on
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self._on_autosave_timer_timeout)

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.draft_chip = QLabel("✎ Draft")
        self.draft_chip.setProperty("alert", "caution")
        self.draft_chip.setToolTip("Not signed yet: the note can still be changed")
        self.signed_chip = QLabel("✓ Signed")
        self.signed_chip.setProperty("alert", "info")
        self.start_button = QPushButton(icons.icon("history"), "Start from last visit")
        self.start_button.setToolTip(
            "Copy the last visit's plan and treatment log (not its scores or findings)"
        )
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.templates_button = QPushButton(icons.icon("clipboard-list"), "Templates")
        self.templates_button.setToolTip("Fill the note from a template, or keep this one as one")
        menu = QMenu(self.templates_button)
        self.apply_template_action = menu.addAction("Apply template…")
        self.apply_template_action.triggered.connect(self._on_apply_template_action_triggered)
        self.save_template_action = menu.addAction("Save as template…")
        self.save_template_action.triggered.connect(self._on_save_template_action_triggered)
        self.templates_button.setMenu(menu)
        self.head = QHBoxLayout()
        self.head.setContentsMargins(16, 8, 16, 8)
        self.head.setSpacing(12)
        self.head.addWidget(self.title)
        self.head.addWidget(self.draft_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        self.head.addWidget(self.signed_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        self.head.addStretch(1)
        self.head.addWidget(self.start_button)
        self.head.addWidget(self.templates_button)
        self.restore_bar = _RestoreBar()
        self.restore_bar.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.restore_bar.discard_button.clicked.connect(self._on_discard_autosave_button_clicked)
        restore = QHBoxLayout()
        restore.setContentsMargins(16, 8, 16, 0)
        restore.addWidget(self.restore_bar)
        self.consent_warning = QLabel()
        self.consent_warning.setProperty("alert", "caution")
        self.consent_warning.setWordWrap(True)
        self.consent_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.consent_warning.setAccessibleName("Consent warning")
        self.consent_warning.hide()
        consent_row = QHBoxLayout()
        consent_row.setContentsMargins(16, 4, 16, 0)
        consent_row.addWidget(self.consent_warning)

        self.pages = QStackedWidget()
        self.form_page = self._build_form_page()
        self.signed_page = self._build_signed_page()
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.signed_page)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(self.head)
        outer.addLayout(restore)
        outer.addLayout(consent_row)
        outer.addWidget(self.pages, 1)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis("Save the note")  # listed in Help > Keyboard shortcuts
            shortcut.activated.connect(self.save_in_background)
        self._connect_changes()
        self._update_tab_order()

    # ------------------------------------------------------------------ state

    def is_dirty(self) -> bool:
        return self._dirty

    def is_read_only(self) -> bool:
        return self.record is not None and self.record.visit.signed

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _on_field_changed(self) -> None:
        self._update_total()
        if self._loading:
            return
        self._edits += 1
        self.autosave_timer.start()
        self._set_dirty(True)

    def clear(self) -> None:
        """Show nothing (another client is being opened)."""
        self.leave()
        self._shown += 1
        self.client = None
        self.record = None
        self._set_dirty(False)

    def leave(self) -> None:
        """The therapist moves on: a draft that holds nothing is not kept."""
        self.autosave_timer.stop()
        record = self.record
        if record is None or record.visit.signed:
            return
        typed = self._collect().draft
        if self._dirty and (not typed.note.is_empty() or typed.treatments):
            return
        if service.discard_visit(self.db, record.visit.id):
            self.record = None
            self._announce()
            self.discarded.emit(record.visit.id)

    def discard_changes(self) -> None:
        """Forget the typing since the last save, including what autosave kept of it."""
        self.autosave_timer.stop()
        if self.record is not None and not self.record.visit.signed:
            db, visit_id = self.db, self.record.visit.id
            changes = Changes.of("visit", client_id=self.record.visit.client_id)
            WriteOp(self, lambda: service.discard_autosave(db, visit_id), changes=changes).run()
        self._set_dirty(False)

    def focus_first_field(self) -> None:
        """Where a new note starts: the complaint, in the client's words."""
        complaint = self.subjective.fields["complaint"]
        complaint.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(complaint, 16, 64)

    def new_visit(self, client: Client) -> None:
        """An empty note for a visit starting now; it is stored when saved or autosaved."""
        self.load(client, None)

    def load(self, client: Client, record: VisitRecord | None) -> None:
        """Show a visit of the client (a new one when record is None)."""
        if self.record is not None and (record is None or record.visit.id != self.record.visit.id):
            self.leave()
        self.autosave_timer.stop()
        self._shown += 1
        self.client = client
        self.record = record
        starts_at = record.visit.starts_at if record else _now()
        self._last_visit = None
        if record is None:
            self._read_last_visit(client, starts_at)
        self._alerts = clients.alerts_for(self.db, client.id, starts_at.astimezone().date())
        self._library = techniques_by_code(self.db)
        signed = record is not None and record.visit.signed
        self._plan = None if signed else active_plan(self.db, client.id)
        self._show_deep_alerts()
        self._show_plan(starts_at.astimezone().date())
        self._fill(record.draft() if record else VisitDraft(VisitForm(starts_at)))
        self._set_dirty(False)
        offer = record is not None and record.autosaved is not None and not record.visit.signed
        self._offer_restore(offer)
        self._show_consent(starts_at.astimezone().date())
        self._show_extras()
        if offer and record is not None and record.autosaved_at is not None:
            self.restore_bar.text.setText(
                f"Typing from {local_time(record.autosaved_at)} was kept but never saved "
                f"(the note was last saved {local_time(record.saved_at)}). Restore it?"
            )
        self._update_mode()

    def _read_last_visit(self, client: Client, starts_at: datetime) -> None:
        """What "Start from last visit" copies, read in the background for a new note."""
        db, shown = self.db, self._shown

        def offer(draft: VisitDraft) -> None:
            if shown == self._shown:
                self._last_visit = draft
                self._update_mode()

        work = lambda: service.start_from_last_visit(db, client.id, starts_at)  # noqa: E731
        QueryOp(self, work, offer).run(key="last-visit")

    def _show_consent(self, day: date) -> None:
        """A draft for a client without a current consent says so before anything is done
        (read on the op runner)."""
        signed = self.record is not None and self.record.visit.signed
        client = self.client
        if signed or client is None:
            self._set_consent_warning(client, "")
            return
        db = self.db
        QueryOp(
            self,
            lambda: service.consent_warning(db, client.id, day),
            lambda warning: self._set_consent_warning(client, warning),
        ).run(key="consent-warning")

    def _set_consent_warning(self, client: Client | None, warning: str) -> None:
        if client is not self.client:
            return  # read for a client no longer shown
        self.consent_warning.setText(f"⚠ {warning}" if warning else "")
        self.consent_warning.setVisible(bool(warning))

    def _show_extras(self) -> None:
        if self.client is None:
            return
        target = self.signed_extras if self.is_read_only() else self.extras
        target.show_visit(self.client, self.record)

    def _ensure_visit(self) -> VisitRecord | None:
        """The visit row charts and scores hang on: saved first when the note is new."""
        return self.record if self.record is not None else self.save()

    def _on_extras_measures_changed(self) -> None:
        if self.record is None:
            return
        db, visit_id, shown = self.db, self.record.visit.id, self._shown

        def read(fresh: VisitRecord) -> None:
            if shown != self._shown or self.record is None:
                return
            self.record = replace(
                self.record,
                chart_id=fresh.chart_id,
                measures=fresh.measures,
                headaches=fresh.headaches,
            )
            self._show_extras()
            self.saved.emit(self.record)
            say(self, "Measure recorded with this visit")

        QueryOp(self, lambda: service.get_visit(db, visit_id), read).run(key="extras")

    def refresh_chart(self) -> None:
        """The visit's chart was saved in the Body map tab: show the new version."""
        self._on_extras_measures_changed()

    def _offer_restore(self, offered: bool) -> None:
        """While kept typing is offered back, the note waits for Restore or Discard."""
        self.restore_bar.setVisible(offered)
        waiting = (self._body, self.save_button, self.sign_button, self.start_button)
        for part in (*waiting, self.templates_button):
            part.setEnabled(not offered)

    def _update_mode(self) -> None:
        record = self.record
        signed = self.is_read_only()
        if record is None:
            self.title.setText("New visit")
        else:
            self.title.setText(f"Visit of {local_time(record.visit.starts_at)}")
        imported = record is not None and record.visit.imported is not None
        self.draft_chip.setVisible(not signed)
        self.signed_chip.setVisible(signed)
        self.signed_chip.setText("↓ Imported" if imported else "✓ Signed")
        self.signed_chip.setToolTip(
            "Imported from another tool's export and not signed in Fascia" if imported else ""
        )
        self.locked_note.setText(IMPORTED_LOCK if imported else SIGNED_LOCK)
        self.pages.setCurrentWidget(self.signed_page if signed else self.form_page)
        self.templates_button.setVisible(not signed)
        if record is not None and signed:
            self.note_view.show_record(record)
        has_last = self._last_visit is not None and (
            not self._last_visit.note.is_empty() or bool(self._last_visit.treatments)
        )
        self.start_button.setVisible(has_last and not signed)
        if record is None:
            self.saved_label.setText("Not saved yet")
        else:
            self.saved_label.setText(f"Saved {local_time(record.saved_at)}")

    def _show_deep_alerts(self) -> None:
        while (item := self._deep_alert_chips.takeAt(0)) is not None:
            if (chip := item.widget()) is not None:
                chip.hide()
                chip.deleteLater()
        restricting = [a for a in self._alerts if a.level.restricts_deep_work]
        for alert in restricting:
            self._deep_alert_chips.addWidget(AlertChip([alert], with_title=True))
        self._deep_alert_chips.addStretch(1)
        self.deep_alerts.setVisible(bool(restricting))

    def _show_plan(self, day: date) -> None:
        """The active plan in one line, and its lines in the From plan menu."""
        plan = self._plan
        self.plan_line.setVisible(plan is not None)
        self.from_plan_button.setVisible(plan is not None and bool(plan.techniques))
        menu = self.from_plan_button.menu()
        menu.clear()
        if plan is None:
            return
        self.plan_line.setText(plan_summary(plan, self._plan_visit_number(plan, day), day))
        if len(plan.techniques) > 1:
            every = menu.addAction(f"All {len(plan.techniques)} planned techniques")
            every.triggered.connect(lambda: self.add_from_plan(plan.techniques))
            menu.addSeparator()
        for planned in plan.techniques:
            action = menu.addAction(planned_text(planned))
            action.triggered.connect(lambda _=False, p=planned: self.add_from_plan([p]))

    def _plan_visit_number(self, plan: Plan, day: date) -> int:
        """This visit's place in the plan: attended visits before its day, plus one."""
        return visit_number(plan_course(self.db, plan.id), day)

    def add_from_plan(self, lines: Sequence[PlannedTechnique]) -> list[TreatmentRow]:
        """Add an entry per planned technique, prefilled; deep work asks for acknowledgement.

        An entry whose alerts the therapist does not acknowledge is not added.
        """
        added: list[TreatmentRow] = []
        for planned in lines:
            row = self.treatments.add_row()
            row.set_planned(
                planned.technique, planned_regions(planned), planned.pressure, planned.minutes,
                planned_notes(planned),
            )  # fmt: skip
            if row.technique.currentIndex() < 0:
                row.remove_requested.emit(row)
                say(self, f"{planned.name} not added: its alerts were not acknowledged")
                continue
            added.append(row)
        if added:
            self._on_field_changed()
            added[0].technique.setFocus(Qt.FocusReason.OtherFocusReason)
            self._scroll.ensureWidgetVisible(added[-1], 16, 48)
            count = "1 entry" if len(added) == 1 else f"{len(added)} entries"
            say(self, f"{count} added from the plan")
        return added

    def _checked_draft(self) -> VisitDraft | None:
        """The form as a valid draft after any acknowledgements, or None with messages shown."""
        day = self._collect().draft.visit.starts_at.date()
        alerts = clients.alerts_for(self.db, self.client.id, day) if self.client else []
        self._ask_acknowledgements(alerts)
        collected = self._collect()
        errors = dict(collected.errors)
        try:
            validate_draft(collected.draft, alerts, date.today(), techniques=self._library.keys())
        except ValidationError as error:
            errors = error.errors | errors
        if errors:
            self._show_errors(errors)
            return None
        self._clear_errors()
        return collected.draft

    def _ask_acknowledgements(self, alerts: list[Alert]) -> None:
        """Deep work the therapist has not acknowledged yet (from a template, say): ask now."""
        for row in self.treatments.filled():
            missing = unacknowledged(alerts, row.value())
            if not missing:
                continue
            name = technique_name(row.value()) or "This technique"
            if not dialogs.acknowledge(self, name, missing):
                return
            row.acknowledge(frozenset(a.rule for a in missing), missing)

    # ------------------------------------------------------------------ storing

    # The Save and Sign buttons, Ctrl+Enter and autosave write on the op runner: the window keeps
    # answering while SQLite commits. `save()` writes at once, for the flows that need its outcome
    # before going on (Ctrl+S from the menu, "Save the draft first?" before leaving a note).

    def save(self) -> VisitRecord | None:
        """Save the draft now (Ctrl+S). None, with the reason shown, when nothing was saved."""
        if self._writing:
            runner().wait_idle()  # a save or autosave on its way lands first
        write = self._save_write()
        if write is None:
            return None
        try:
            record = write()
        except (ValidationError, LockedRecordError, ConflictError) as error:
            self._refused(error)
            return None
        self._stored(record, "Visit note saved")
        self._announce()
        return record

    def save_in_background(self) -> None:
        """Save the draft on the op runner (the Save button, Ctrl+Enter)."""
        write = self._save_write()
        if write is not None:
            self._write(write, "Visit note saved")

    def _save_write(self) -> Callable[[], VisitRecord] | None:
        """The write that saves the form as it is now, or None (with messages shown)."""
        if self._blocked():
            return None
        draft = self._checked_draft()
        if draft is None:
            return None
        db, client = self.db, self._client()
        if self.record is None:
            return lambda: service.create_visit(db, client.id, draft)
        visit_id, version = self.record.visit.id, self.record.version
        return lambda: service.save_draft(db, visit_id, draft, expected_version=version)

    def sign(self, *, without_consent: bool = False) -> None:
        """Sign after a modal that states the consequence; saves the form first (on the op
        runner: the note shows as signed when the write has landed)."""
        if self._blocked():
            return
        draft = self._checked_draft()
        if draft is None or not dialogs.confirm_signing(self, local_time(draft.visit.starts_at)):
            return
        self._sign(draft, without_consent)

    def _sign(self, draft: VisitDraft, without_consent: bool) -> None:
        db, client = self.db, self._client()
        known = self.record
        created: list[VisitRecord] = []  # a new note's row, made on the way to signing it

        def write() -> VisitRecord:
            if known is None:
                created.append(service.create_visit(db, client.id, draft))
            basis = created[0] if created else known
            assert basis is not None
            return service.sign_visit(
                db,
                basis.visit.id,
                draft,
                without_consent=without_consent,
                expected_version=basis.version,
            )

        def refused(error: ValidationError) -> None:
            if created:  # the note was stored before signing was refused: keep showing it
                self._stored(created[0], "")
            if set(error.errors) == {"consent"} and dialogs.sign_without_consent(self):
                self._sign(draft, True)
            else:
                self._refused(error)

        self._write(write, "Visit note signed", refused)

    def _write(
        self,
        write: Callable[[], VisitRecord],
        message: str,
        refused: Callable[[ValidationError], None] | None = None,
    ) -> None:
        """Run a write of this note on the op runner; the form waits (buttons off) until it
        lands. Typing meanwhile is kept as unsaved; another note opened meanwhile is not
        touched (the write is still announced)."""
        shown, edits = self._shown, self._edits

        def landed(record: VisitRecord) -> None:
            if shown == self._shown:
                self._stored(record, message, typed_since=edits != self._edits)

        self._set_writing(True)
        changes = Changes.of("visit", client_id=self._client().id)
        op = WriteOp(self, write, landed, changes=changes)
        op.on_invalid(refused or self._refused).after(lambda: self._set_writing(False)).run()

    def _client(self) -> Client:
        assert self.client is not None
        return self.client

    def _blocked(self) -> bool:
        """Nothing to write: no client, a signed note, kept typing on offer, or a write on
        its way."""
        return (
            self.client is None
            or self.is_read_only()
            or not self.restore_bar.isHidden()
            or self._writing
        )

    def _set_writing(self, writing: bool) -> None:
        self._writing = writing
        if self.restore_bar.isHidden():
            for button in (self.save_button, self.sign_button):
                button.setEnabled(not writing)

    def _refused(self, error: ValidationError | LockedRecordError | ConflictError) -> None:
        if isinstance(error, ValidationError):
            self._show_errors(error.errors)
        else:
            self.form_error.set_message(str(error))

    def _stored(self, record: VisitRecord, message: str, *, typed_since: bool = False) -> None:
        """Show the note as stored. `typed_since`: the therapist typed while it was written,
        so the form still holds unsaved changes (kept by the next autosave)."""
        self.record = record
        if typed_since:
            self.autosave_timer.start()
        else:
            self.autosave_timer.stop()
            self._set_dirty(False)
            self._clear_errors()
        self._update_mode()
        self._show_consent(record.visit.day)
        self._show_extras()
        self.saved.emit(record)
        if message:
            say(self, message)

    def _on_autosave_timer_timeout(self) -> None:
        if self.client is None or self.is_read_only() or not self._dirty:
            return
        if self._writing:
            self.autosave_timer.start()  # after the write on its way
            return
        draft = self._collect().draft
        if self.record is None and draft.note.is_empty() and not draft.treatments:
            return  # nothing written yet: no visit is kept for a look around
        db, client, record = self.db, self._client(), self.record
        shown = self._shown

        def write() -> tuple[VisitRecord | None, datetime | ConflictError]:
            created = None if record is not None else _created_for_autosave(db, client.id, draft)
            basis = record or created
            assert basis is not None
            try:
                at = service.autosave_draft(
                    db, basis.visit.id, draft, expected_version=basis.version
                )
            except ConflictError as error:  # shown on the form, not as a failure's message
                return created, error
            return created, at

        def kept(result: tuple[VisitRecord | None, datetime | ConflictError]) -> None:
            created, at = result
            if shown != self._shown:
                return
            if created is not None:  # the new visit has its row; the form stays unsaved
                self.record = created
                self._update_mode()
                self.saved.emit(created)
            if isinstance(at, ConflictError):
                # Someone else saved the note since it was opened: their save stays as it is
                # and this typing stays on the form (still unsaved), for its author to redo.
                self.form_error.set_message(str(at))
                self.saved_label.setText("Unsaved changes not kept: the note changed")
            else:
                self.saved_label.setText(f"Unsaved changes kept {dates.clock(at)}")

        def failed(error: BaseException) -> None:
            if shown == self._shown:
                self.saved_label.setText(f"Autosave failed: {error}")

        self._set_writing(True)
        op = WriteOp(self, write, kept, changes=Changes.of("visit", client_id=client.id))
        op.on_invalid(failed).on_failed(failed).after(lambda: self._set_writing(False)).run()

    def _announce(self) -> None:
        """Tell every view a visit of this client changed (the unsigned-notes count, say)."""
        if self.client is not None:
            runner().announce(Changes.of("visit", client_id=self.client.id), self)

    # ------------------------------------------------------------------ fast entry

    def _merge(self, draft: VisitDraft, *, visit_facts: bool) -> None:
        """Fill the empty fields from a template or the last visit; typed text is kept."""
        for name, widget in self._note_grid_fields().items():
            value = getattr(draft.note, name)
            if isinstance(widget, QLineEdit | QPlainTextEdit) and value and not _text(widget):
                _set_text(widget, value)
        if not self.trigger_points.filled():
            for point in draft.note.trigger_points:
                self.trigger_points.add_row().set_value(point)
        for entry in draft.treatments:
            # Acknowledgements belong to one client and visit: they are always given anew.
            fresh = replace(entry, acknowledged=frozenset())
            self.treatments.add_row().set_value(fresh, self._alerts)
        if visit_facts:
            self.duration.setValue(draft.visit.duration_minutes)
            self.place.setCurrentIndex(max(self.place.findData(draft.visit.place_of_service), 0))
        self._on_field_changed()

    def _on_start_button_clicked(self) -> None:
        if self._last_visit is not None:
            self._merge(self._last_visit, visit_facts=True)
            say(self, "Started from the last visit: plan and treatment log copied")

    def _on_apply_template_action_triggered(self) -> None:
        dialog = dialogs.ApplyTemplateDialog(self.db, self)
        if dialog.exec() and dialog.chosen is not None:
            template = dialog.chosen
            self._merge(template.draft(self._collect().draft.visit), visit_facts=False)
            say(self, f"Template '{template.name}' applied")
        dialog.deleteLater()

    def _on_save_template_action_triggered(self) -> None:
        draft = self._collect().draft
        dialog = dialogs.SaveTemplateDialog(self.db, draft.note, draft.treatments, self)
        if dialog.exec() and dialog.saved is not None:
            say(self, f"Template '{dialog.saved.name}' saved")
        dialog.deleteLater()

    # ------------------------------------------------------------------ handlers

    def _on_treatment_row_deep_work_chosen(self, row: TreatmentRow) -> None:
        if self._loading:
            return
        entry = row.value()
        missing = unacknowledged(self._alerts, entry)
        if not missing:
            return
        if dialogs.acknowledge(self, technique_name(entry) or "This technique", missing):
            row.acknowledge(frozenset(a.rule for a in missing), missing)
        else:
            row.undo_deep_choice()

    def _on_save_button_clicked(self) -> None:
        self.save_in_background()

    def _on_sign_button_clicked(self) -> None:
        self.sign()

    def _on_restore_button_clicked(self) -> None:
        if self.record is None or self.record.autosaved is None:
            return
        self._fill(self.record.autosaved)
        self._offer_restore(False)
        self._set_dirty(True)
        say(self, "Unsaved typing restored; save the draft to keep it")

    def _on_discard_autosave_button_clicked(self) -> None:
        if self.record is None:
            return
        db, visit_id, shown = self.db, self.record.visit.id, self._shown

        def discard() -> VisitRecord:
            service.discard_autosave(db, visit_id)
            return service.get_visit(db, visit_id)

        def discarded(record: VisitRecord) -> None:
            if shown == self._shown:
                self.record = record
                self._offer_restore(False)
                say(self, "Unsaved typing discarded")

        write_from(self, self.restore_bar, discard, discarded)

    def _on_amend_button_clicked(self) -> None:
        if self.record is None:
            return
        db, visit_id, shown = self.db, self.record.visit.id, self._shown
        dialog = dialogs.AmendmentDialog(db, visit_id, self)
        if dialog.exec() and dialog.saved is not None:
            self._announce()

            def read(record: VisitRecord) -> None:
                if shown == self._shown:
                    self._stored(record, "Amendment added")

            QueryOp(self, lambda: service.get_visit(db, visit_id), read).run(key="amended")
        dialog.deleteLater()
