"""The SOAP note editor: typing, saving, signing, amendments, alerts, autosave, fast entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import Client, ClientForm
from practice.store import Database
from practice.visits import service
from practice.visits.records import (
    Position,
    SoapNote,
    TreatmentInput,
    VisitDraft,
    VisitForm,
    VisitRecord,
)
from ui.ops import runner
from ui.visits.dialogs import SIGN_CONSEQUENCE, AmendmentDialog, SaveTemplateDialog
from ui.visits.editor import VisitEditor
from ui.visits.entries import TreatmentRow
from ui.visits.regions import RegionPopup

MODAL_WAIT_TRIES = 300  # x 10 ms: give up on a modal that never opens


def answer_modal(button: str, before: Callable[[QWidget], None] | None = None) -> list[str]:
    """Click `button` in the next modal dialog; returns the dialog's texts once it was seen.

    `before` runs first with the dialog (to fill it in). The dialog runs its own event loop, so
    the answer is posted to the event queue before the call that opens it.
    """
    seen: list[str] = []

    def answer(tries: int = 0) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            if tries < MODAL_WAIT_TRIES:
                QTimer.singleShot(10, lambda: answer(tries + 1))
            return
        seen.append("\n".join(label.text() for label in modal.findChildren(QLabel)))
        if before is not None:
            before(modal)
        if modal.isVisible():
            buttons = modal.findChildren(QAbstractButton)
            next(b for b in buttons if b.text().replace("&", "") == button).click()

    QTimer.singleShot(0, answer)
    return seen


def written(qtbot: QtBot) -> None:
    """Until the note's writes (on the op runner) have landed."""
    qtbot.waitUntil(lambda: runner().idle, timeout=10_000)


def days_ago(days: int, hour: int = 10) -> datetime:
    return datetime.combine(date.today() - timedelta(days=days), time(hour)).astimezone()


@pytest.fixture
def client(db: Database, consent: Callable[[int], None]) -> Client:
    """A client who consented to treatment a year ago."""
    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    consent(client.id)
    return client


@pytest.fixture
def anticoagulated(db: Database, consent: Callable[[int], None]) -> Client:
    """A client on warfarin: a WARN-DEEP bleeding-risk alert."""
    client = clients.create_client(db, ClientForm("Kofi", "Mensah"))
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(
        db, client.id, IntakeData(recorded_on=date.today(), medications=(warfarin,))
    )
    consent(client.id)
    return client


@pytest.fixture
def editor(qtbot: QtBot, db: Database) -> VisitEditor:
    widget = VisitEditor(db)
    qtbot.addWidget(widget)
    widget.resize(900, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def stored_visit(db: Database, client: Client, pain_before: int | None = None) -> VisitRecord:
    draft = VisitDraft(
        VisitForm(days_ago(7), 60),
        SoapNote(complaint="Low back ache", pain_before=pain_before),
        (TreatmentInput("myofascial_release", 20, ("B_LOW_BACK_R",), 3),),
    )
    return service.create_visit(db, client.id, draft)


def field(editor: VisitEditor, name: str) -> QWidget:
    grids = (editor.subjective, editor.objective, editor.assessment, editor.plan)
    return next(grid.fields[name] for grid in grids if name in grid.fields)


def text(editor: VisitEditor, name: str) -> str:
    widget = field(editor, name)
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    assert isinstance(widget, QLineEdit)
    return widget.text()


def score(editor: VisitEditor, name: str) -> QSpinBox:
    widget = field(editor, name)
    assert isinstance(widget, QSpinBox)
    return widget


def add_treatment(editor: VisitEditor, technique: str, minutes: int) -> TreatmentRow:
    row = editor.treatments.add_row()
    row.technique.setCurrentIndex(row.technique.findData(technique))
    row.minutes.setValue(minutes)
    return row


def type_note(qtbot: QtBot, editor: VisitEditor) -> None:
    qtbot.keyClicks(editor.subjective.fields["complaint"], "Stiff neck since Monday")
    score(editor, "pain_before").setValue(6)
    qtbot.keyClicks(editor.plan.fields["home_care"], "Heat 15 minutes")
    add_treatment(editor, "myofascial_release", 25).regions.set_regions(("B_NECK_R",))


def test_a_note_typed_by_keyboard_is_saved_as_a_draft_with_ctrl_enter(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    type_note(qtbot, editor)
    assert editor.is_dirty()

    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(
            editor.plan.fields["home_care"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )

    [summary] = service.visit_history(db, client.id)
    saved = service.get_visit(db, summary.id)
    assert saved.note.complaint == "Stiff neck since Monday"
    assert saved.note.pain_before == 6
    assert saved.note.home_care == "Heat 15 minutes"
    assert [(t.technique, t.minutes, t.regions) for t in saved.treatments] == [
        ("myofascial_release", 25, ("B_NECK_R",))
    ]
    assert not saved.visit.signed
    assert not editor.is_dirty()
    assert editor.title.text().startswith("Visit of")


def test_typing_while_the_note_is_written_stays_unsaved_and_is_kept_next(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    type_note(qtbot, editor)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.save_button.isEnabled(), "one write of the note at a time"
    qtbot.keyClicks(editor.subjective.fields["complaint"], " and Tuesday")  # before it lands
    written(qtbot)

    [summary] = service.visit_history(db, client.id)
    assert service.get_visit(db, summary.id).note.complaint == "Stiff neck since Monday"
    assert editor.is_dirty(), "what was typed after the save began is not marked saved"
    assert editor.save_button.isEnabled()
    assert editor.save() is not None
    [summary] = service.visit_history(db, client.id)
    assert service.get_visit(db, summary.id).note.complaint == "Stiff neck since Monday and Tuesday"


def test_a_save_landing_after_another_note_was_opened_leaves_that_note_alone(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    other = stored_visit(db, client, pain_before=3)
    editor.new_visit(client)
    type_note(qtbot, editor)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    editor.load(client, service.get_visit(db, other.visit.id))  # before the save lands
    written(qtbot)

    assert editor.record is not None and editor.record.visit.id == other.visit.id
    assert not editor.is_dirty()
    assert len(service.visit_history(db, client.id)) == 2, "the new note was still saved"


def test_signing_states_the_consequence_and_then_shows_the_note_read_only(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    type_note(qtbot, editor)

    seen = answer_modal("Sign note")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    assert seen and SIGN_CONSEQUENCE in seen[0]
    assert not editor.sign_button.isEnabled(), "no second click while the note is written"
    written(qtbot)

    assert editor.is_read_only()
    assert editor.pages.currentWidget() is editor.signed_page
    assert not editor.templates_button.isVisible()
    assert "Stiff neck since Monday" in editor.note_view.toPlainText()
    [summary] = service.visit_history(db, client.id)
    assert summary.signed


def test_cancelling_the_signing_dialog_leaves_the_note_editable_and_unsigned(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.load(client, stored_visit(db, client, pain_before=5))

    seen = answer_modal("Cancel")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)

    assert seen
    assert not editor.is_read_only()
    assert editor.pages.currentWidget() is editor.form_page
    assert not service.visit_history(db, client.id)[0].signed


def test_an_amendment_is_listed_below_the_signed_note_with_date_author_and_reason(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    visit = stored_visit(db, client, pain_before=5)
    editor.load(client, service.sign_visit(db, visit.visit.id))
    assert editor.amend_button.isVisible()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, AmendmentDialog)
        qtbot.keyClicks(dialog.reason, "Wrong side recorded")
        qtbot.keyClicks(dialog.text, "Trigger point was in the left QL, not the right.")

    answer_modal("Add amendment", fill)
    qtbot.mouseClick(editor.amend_button, Qt.MouseButton.LeftButton)
    written(qtbot)

    [amendment] = service.get_visit(db, visit.visit.id).amendments
    assert amendment.reason == "Wrong side recorded"
    shown = editor.note_view.toPlainText()
    assert "Low back ache" in shown
    assert shown.index("Low back ache") < shown.index("Amendments (1)")
    assert shown.index("Amendments (1)") < shown.index("Wrong side recorded")
    assert "Trigger point was in the left QL, not the right." in shown
    assert "test-therapist" in shown.split("Amendments (1)")[1]


def test_a_double_click_on_add_amendment_adds_one_amendment(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    visit = stored_visit(db, client)
    editor.load(client, service.sign_visit(db, visit.visit.id))

    def fill_and_click(dialog: QWidget) -> None:
        assert isinstance(dialog, AmendmentDialog)
        dialog.reason.insert("Wrong side")
        dialog.text.insertPlainText("Left, not right.")
        dialog.buttons.accepted.emit()  # the first click; answer_modal clicks again

    answer_modal("Add amendment", fill_and_click)
    qtbot.mouseClick(editor.amend_button, Qt.MouseButton.LeftButton)
    written(qtbot)

    assert len(service.get_visit(db, visit.visit.id).amendments) == 1
    assert "Amendments (1)" in editor.note_view.toPlainText()


def test_an_amendment_needs_both_a_reason_and_a_text(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    visit = stored_visit(db, client)
    editor.load(client, service.sign_visit(db, visit.visit.id))
    messages: list[str] = []

    def try_empty(dialog: QWidget) -> None:
        assert isinstance(dialog, AmendmentDialog)
        dialog.buttons.accepted.emit()
        written(qtbot)  # refused by the core, on the op runner
        messages.extend(dialog.grid.errors[name].message() for name in ("reason", "text"))

    answer_modal("Cancel", try_empty)
    qtbot.mouseClick(editor.amend_button, Qt.MouseButton.LeftButton)

    assert messages == ["Say why the note is being amended.", "Write the amendment."]
    assert service.get_visit(db, visit.visit.id).amendments == ()


def test_choosing_deep_work_for_an_anticoagulated_client_asks_and_stores_the_acknowledgement(
    qtbot: QtBot, db: Database, editor: VisitEditor, anticoagulated: Client
) -> None:
    editor.new_visit(anticoagulated)
    assert editor.deep_alerts.isVisibleTo(editor)

    seen = answer_modal("Acknowledge and continue")
    row = add_treatment(editor, "deep_tissue", 20)

    assert seen and "Bleeding risk" in seen[0] and "What to do:" in seen[0]
    assert row.acknowledged == frozenset({"bleeding_risk"})
    assert "Bleeding risk" in row.acknowledgement.text()
    qtbot.keyClicks(editor.subjective.fields["complaint"], "Tight calves")
    record = editor.save()
    assert record is not None
    [entry] = record.treatments
    [stamp] = entry.acknowledgements
    assert (stamp.alert, stamp.title, stamp.by) == (
        "bleeding_risk",
        "Bleeding risk",
        "test-therapist",
    )


def test_refusing_the_acknowledgement_puts_the_previous_technique_back(
    qtbot: QtBot, editor: VisitEditor, anticoagulated: Client
) -> None:
    editor.new_visit(anticoagulated)
    row = add_treatment(editor, "effleurage", 15)

    seen = answer_modal("Choose another technique")
    row.technique.setCurrentIndex(row.technique.findData("cupping"))

    assert seen
    assert row.technique.currentData() == "effleurage"
    assert row.acknowledged == frozenset()


def test_refusing_the_acknowledgement_when_saving_saves_nothing(
    qtbot: QtBot, db: Database, editor: VisitEditor, anticoagulated: Client
) -> None:
    previous = service.create_visit(
        db,
        anticoagulated.id,
        VisitDraft(
            VisitForm(days_ago(7)),
            SoapNote(complaint="Calves"),
            (TreatmentInput("deep_tissue", 20, acknowledged=frozenset({"bleeding_risk"})),),
        ),
    )
    editor.new_visit(anticoagulated)
    qtbot.waitUntil(editor.start_button.isVisible)  # once the last visit is read
    qtbot.mouseClick(editor.start_button, Qt.MouseButton.LeftButton)
    [row] = editor.treatments.rows()
    assert row.acknowledged == frozenset()  # given again for every visit

    seen = answer_modal("Choose another technique")
    assert editor.save() is None

    assert seen
    assert [v.id for v in service.visit_history(db, anticoagulated.id)] == [previous.visit.id]
    assert "Acknowledge each one" in row.error.message()
    assert "Nothing was saved" in editor.form_error.message()


def test_treatment_minutes_beyond_the_visit_length_are_refused_beside_the_log(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    editor.duration.setValue(30)
    add_treatment(editor, "effleurage", 25)
    add_treatment(editor, "petrissage", 20)
    assert "15 more than the visit" in editor.total.text()

    assert editor.save() is None

    assert "add up to 45, more than the 30-minute visit" in editor.treatments.error.message()
    assert service.visit_history(db, client.id) == []


def test_a_completed_visit_dated_tomorrow_is_refused_next_to_the_date(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    editor.visit_date.clear()
    qtbot.keyClicks(editor.visit_date, (date.today() + timedelta(days=1)).isoformat())

    assert editor.save() is None

    message = editor.visit_grid.errors["starts_at"].message()
    assert "cannot be dated after today" in message
    assert editor.visit_date.hasFocus()
    assert service.visit_history(db, client.id) == []


def test_an_unreadable_date_is_explained_next_to_it(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    editor.visit_date.clear()
    qtbot.keyClicks(editor.visit_date, "2024-02-30")

    assert editor.save() is None
    assert editor.visit_grid.errors["starts_at"].message() == "2024-02-30 is not a real date."


def test_typing_is_autosaved_and_offered_back_when_the_visit_is_reopened(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    visit = stored_visit(db, client)
    editor.load(client, visit)
    editor.autosave_timer.setInterval(20)
    complaint = editor.subjective.fields["complaint"]
    complaint.setFocus()
    qtbot.keyClick(complaint, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(complaint, ", numb fingers")
    qtbot.waitUntil(lambda: service.get_visit(db, visit.visit.id).autosaved is not None)
    assert service.get_visit(db, visit.visit.id).note.complaint == "Low back ache"

    reopened = VisitEditor(db)
    qtbot.addWidget(reopened)
    reopened.show()
    reopened.load(client, service.get_visit(db, visit.visit.id))
    assert reopened.restore_bar.isVisible()
    assert not reopened.save_button.isEnabled()  # restore or discard first
    assert reopened.save() is None
    qtbot.mouseClick(reopened.restore_bar.restore_button, Qt.MouseButton.LeftButton)

    assert text(reopened, "complaint") == "Low back ache, numb fingers"
    assert reopened.is_dirty()
    assert not reopened.restore_bar.isVisible()


def test_discarding_autosaved_typing_keeps_the_note_as_saved(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    visit = stored_visit(db, client)
    changed = VisitDraft(visit.draft().visit, SoapNote(complaint="Something else"))
    service.autosave_draft(db, visit.visit.id, changed)
    editor.load(client, service.get_visit(db, visit.visit.id))

    qtbot.mouseClick(editor.restore_bar.discard_button, Qt.MouseButton.LeftButton)
    written(qtbot)

    assert text(editor, "complaint") == "Low back ache"
    assert not editor.restore_bar.isVisible()
    assert service.get_visit(db, visit.visit.id).autosaved is None


def test_a_new_visit_is_stored_by_its_first_autosave(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    editor.autosave_timer.setInterval(20)
    assert service.visit_history(db, client.id) == []

    with qtbot.waitSignal(editor.saved):
        qtbot.keyClicks(editor.subjective.fields["complaint"], "Sore shoulder")

    [summary] = service.visit_history(db, client.id)
    qtbot.waitUntil(lambda: service.get_visit(db, summary.id).autosaved is not None)
    kept = service.get_visit(db, summary.id).autosaved
    assert kept is not None and kept.note.complaint == "Sore shoulder"
    assert editor.is_dirty()


def test_start_from_last_visit_copies_plan_and_techniques_but_not_scores(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    last = service.create_visit(
        db,
        client.id,
        VisitDraft(
            VisitForm(days_ago(7), 75, "12"),
            SoapNote(
                complaint="Low back ache",
                pain_before=7,
                pain_after=4,
                tenderness_grade=3,
                tone="Hypertonic",
                next_focus="Gluteus medius",
            ),
            (
                TreatmentInput("myofascial_release", 20, ("B_LOW_BACK_R",), 3),
                TreatmentInput("effleurage", 10, ("B_UPPER_BACK_R",), 2, Position.SIDE_LYING_LEFT),
            ),
        ),
    )
    editor.new_visit(client)
    qtbot.waitUntil(editor.start_button.isVisible)  # once the last visit is read

    qtbot.mouseClick(editor.start_button, Qt.MouseButton.LeftButton)

    rows = editor.treatments.rows()
    assert [r.value().technique for r in rows] == ["myofascial_release", "effleurage"]
    assert rows[1].value().position is Position.SIDE_LYING_LEFT
    assert [r.value().regions for r in rows] == [t.regions for t in last.draft().treatments]
    assert score(editor, "pain_before").value() == -1  # not recorded
    assert score(editor, "pain_after").value() == -1
    tenderness = field(editor, "tenderness_grade")
    assert isinstance(tenderness, QComboBox) and tenderness.currentData() is None
    assert text(editor, "tone") == ""
    assert text(editor, "next_focus") == "Gluteus medius"
    assert editor.duration.value() == 75
    assert editor.place.currentData() == "12"


def test_start_from_last_visit_is_offered_only_for_a_new_note_of_a_client_seen_before(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    written(qtbot)
    assert not editor.start_button.isVisible()
    visit = stored_visit(db, client)
    editor.load(client, visit)
    written(qtbot)
    assert not editor.start_button.isVisible()
    editor.new_visit(client)
    qtbot.waitUntil(editor.start_button.isVisible)


def test_applying_a_template_fills_empty_fields_and_keeps_typed_text(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    service.save_template(
        db,
        "Neck follow-up",
        SoapNote(complaint="Neck", home_care="Chin tucks", pain_before=8),
        (TreatmentInput("trigger_point", 10, ("B_NECK_R",), 3),),
    )
    editor.new_visit(client)
    qtbot.keyClicks(editor.subjective.fields["complaint"], "Neck worse after driving")

    answer_modal("Apply")
    editor.apply_template_action.trigger()

    assert text(editor, "complaint") == "Neck worse after driving"
    assert text(editor, "home_care") == "Chin tucks"
    assert score(editor, "pain_before").value() == -1
    assert [r.value().technique for r in editor.treatments.rows()] == ["trigger_point"]


def test_a_template_never_brings_an_acknowledgement_from_another_visit(
    qtbot: QtBot, db: Database, editor: VisitEditor, anticoagulated: Client
) -> None:
    acknowledged = frozenset({"bleeding_risk"})
    service.save_template(
        db, "Calves", SoapNote(), (TreatmentInput("cupping", 10, acknowledged=acknowledged),)
    )
    editor.new_visit(anticoagulated)

    answer_modal("Apply")
    editor.apply_template_action.trigger()

    [row] = editor.treatments.rows()
    assert row.value().technique == "cupping"
    assert row.acknowledged == frozenset()
    assert not row.acknowledgement.isVisibleTo(editor)


def test_saving_a_template_keeps_the_note_structure_under_its_name(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    type_note(qtbot, editor)

    def name_it(dialog: QWidget) -> None:
        assert isinstance(dialog, SaveTemplateDialog)
        qtbot.keyClicks(dialog.name, "Neck, first visit")

    answer_modal("Save template", name_it)
    editor.save_template_action.trigger()

    [template] = service.list_templates(db)
    assert template.name == "Neck, first visit"
    assert template.note.complaint == "Stiff neck since Monday"
    assert template.note.pain_before is None
    assert [t.technique for t in template.treatments] == ["myofascial_release"]


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # offscreen popups
def test_typing_in_the_region_search_ticks_the_first_match_on_enter(
    qtbot: QtBot, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    row = editor.treatments.add_row()
    qtbot.mouseClick(row.regions, Qt.MouseButton.LeftButton)
    popup = row.regions.findChild(RegionPopup)
    assert popup is not None

    qtbot.keyClicks(popup.search, "right calf")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    qtbot.keyClicks(popup.search, "left low back")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)

    assert row.regions.regions() == ("B_CALF_R", "B_LOW_BACK_L")
    assert row.regions.text() == "Right calf, Left low back"
    assert editor.is_dirty()


def test_tab_walks_through_every_section_in_reading_order(
    editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    row = editor.treatments.add_row()
    order: list[QWidget] = []
    widget: QWidget = editor.visit_date
    while widget is not editor.sign_button and len(order) < 200:
        order.append(widget)
        widget = widget.nextInFocusChain()
    wanted = [
        editor.visit_date,
        editor.start_time,
        editor.duration,
        editor.subjective.fields["complaint"],
        editor.subjective.fields["pain_before"],
        editor.objective.fields["tenderness_grade"],
        editor.trigger_points.add_button,
        row.technique,
        row.minutes,
        row.regions,
        editor.treatments.add_button,
        editor.assessment.fields["pain_after"],
        editor.plan.fields["re_evaluation_on"],
        editor.save_button,
    ]
    positions = [order.index(w) for w in wanted]
    assert positions == sorted(positions)


def test_a_client_without_consent_is_warned_and_signing_anyway_is_recorded(
    qtbot: QtBot, db: Database, editor: VisitEditor
) -> None:
    unconsented = clients.create_client(db, ClientForm("Nour", "Haddad"))
    editor.new_visit(unconsented)
    written(qtbot)  # the consent is read on the op runner
    assert "No current consent" in editor.consent_warning.text()
    type_note(qtbot, editor)

    seen = answer_modal("Sign note")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    asked = answer_modal("Cancel", before=lambda _m: None)  # asked once the write is refused
    written(qtbot)
    assert seen and asked and "no current consent" in asked[0]
    assert not editor.is_read_only(), "cancelled: nothing signed"

    answer_modal("Sign note")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    answer_modal("Sign without consent")
    written(qtbot)
    assert editor.is_read_only()
    [summary] = service.visit_history(db, unconsented.id)
    record = service.get_visit(db, summary.id)
    assert [a.kind for a in record.visit.signing_acknowledgements] == ["no_consent"]
    assert "without a current consent" in editor.note_view.toPlainText()


def test_a_consented_client_sees_no_warning_and_the_signature_names_the_therapist(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    assert editor.consent_warning.text() == ""
    type_note(qtbot, editor)
    answer_modal("Sign note")
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    written(qtbot)
    assert f"Signed by {db.actor}, " in editor.note_view.toPlainText()


def test_a_new_visit_left_without_writing_anything_leaves_no_draft(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.new_visit(client)
    editor.duration.setValue(45)  # exploring the form is not writing a note
    editor._on_autosave_timer_timeout()
    written(qtbot)
    assert editor.record is None and service.visit_history(db, client.id) == []
    qtbot.keyClicks(editor.subjective.fields["complaint"], "x")
    editor._on_autosave_timer_timeout()
    written(qtbot)
    assert editor.record is not None, "something typed is kept"
    editor.subjective.fields["complaint"].clear()
    editor._on_autosave_timer_timeout()
    written(qtbot)
    with qtbot.waitSignal(editor.discarded):
        editor.clear()
    assert service.visit_history(db, client.id) == []


def test_measures_recorded_in_the_note_belong_to_the_visit(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.load(client, stored_visit(db, client, pain_before=5))
    assert "No scores recorded" in editor.extras.measures_label.text()

    def fill(dialog: QWidget) -> None:
        dialog.kind.setCurrentIndex(1)  # sleep quality
        dialog.sleep_score.setValue(7)

    seen = answer_modal("Save", before=fill)
    qtbot.mouseClick(editor.extras.measure_button, Qt.MouseButton.LeftButton)
    assert (seen and "Record measure at the visit of" in seen[0]) or seen
    written(qtbot)  # the visit is read again on the op runner
    assert "Sleep quality (0-10) 7" in editor.extras.measures_label.text()
    assert editor.record is not None
    assert [m.value for m in service.get_visit(db, editor.record.visit.id).measures] == [7.0]


def test_chart_this_visit_asks_the_workspace_for_the_body_map(
    qtbot: QtBot, db: Database, editor: VisitEditor, client: Client
) -> None:
    editor.load(client, stored_visit(db, client))
    with qtbot.waitSignal(editor.chart_requested) as requested:
        qtbot.mouseClick(editor.extras.chart_button, Qt.MouseButton.LeftButton)
    assert editor.record is not None
    assert requested.args == [editor.record.visit.id]
