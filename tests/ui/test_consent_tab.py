"""The Consent tab: recording signatures (adults and minors), withdrawals and consent texts."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import Client, ClientForm, ConsentForm, ConsentSignature
from practice.store import Database
from ui.clients.consent_tab import (
    ConsentTab,
    ConsentTableModel,
    ConsentTextsDialog,
    RecordSignatureDialog,
    WithdrawConsentDialog,
)
from ui.ops import runner

GENERAL_TEXT = (
    "I understand that massage therapy relieves muscle tension and does not diagnose illness. "
    "I may ask the therapist to stop at any time."
)
T = TypeVar("T")
SENSITIVE_TEXT = "I consent to treatment of the sensitive areas ticked below, draped at all times."


def landed(qtbot: QtBot) -> None:
    """Wait until the writes a click started have landed (they run on the op runner)."""
    qtbot.waitUntil(lambda: runner().idle)


@pytest.fixture
def general(db: Database) -> ConsentForm:
    return service.save_consent_form(db, "general", "Consent to massage therapy", GENERAL_TEXT)


@pytest.fixture
def sensitive(db: Database) -> ConsentForm:
    return service.save_consent_form(db, "sensitive", "Sensitive areas", SENSITIVE_TEXT)


@pytest.fixture
def adult(db: Database) -> Client:
    return service.create_client(db, ClientForm("Ada", "Moreau", date_of_birth=date(1980, 1, 2)))


@pytest.fixture
def minor(db: Database) -> Client:
    born = date(date.today().year - 15, 1, 1)
    return service.create_client(db, ClientForm("Jordan", "Park", date_of_birth=born))


@pytest.fixture
def tab(qtbot: QtBot, db: Database) -> ConsentTab:
    widget = ConsentTab(db)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_dialog(qtbot: QtBot, tab: ConsentTab, kind: type[T]) -> T:
    qtbot.waitUntil(lambda: tab.findChild(kind) is not None)
    dialog = tab.findChild(kind)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def status(tab: ConsentTab, row: int = 0) -> str:
    return tab.model.index(row, ConsentTableModel.STATUS).data()


def test_recording_a_signature_for_an_adult_lists_an_active_consent(
    qtbot: QtBot, db: Database, tab: ConsentTab, adult: Client, general: ConsentForm
) -> None:
    tab.load(adult)
    landed(qtbot)  # the consents are read on the op runner
    assert tab.stack.currentWidget() is tab.empty

    qtbot.mouseClick(tab.empty_record_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, RecordSignatureDialog)
    assert dialog.signer.text() == "Ada Moreau"
    assert dialog.text.toPlainText() == GENERAL_TEXT
    assert not dialog.areas_grid.isVisible()
    with qtbot.waitSignal(tab.consent_changed):
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    landed(qtbot)

    [consent] = service.consents_for(db, adult.id)
    assert (consent.form.id, consent.signer_name, consent.guardian_name) == (
        general.id,
        "Ada Moreau",
        "",
    )
    assert tab.stack.currentWidget() is tab.table
    assert tab.model.rowCount() == 1
    assert status(tab) == "Active"


def test_a_minor_without_a_guardian_gets_the_inline_message_and_nothing_is_saved(
    qtbot: QtBot, db: Database, tab: ConsentTab, minor: Client, general: ConsentForm
) -> None:
    tab.load(minor)
    landed(qtbot)  # the consents are read on the op runner
    qtbot.mouseClick(tab.empty_record_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, RecordSignatureDialog)

    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    landed(qtbot)

    assert dialog.isVisible()
    message = dialog.grid.errors["guardian_name"].message()
    assert message == "The client is 15: a parent or guardian must sign for a minor."
    assert service.consents_for(db, minor.id) == []

    qtbot.keyClicks(dialog.guardian, "Mia Park")
    qtbot.keyClicks(dialog.relation, "mother")
    with qtbot.waitSignal(tab.consent_changed):
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    [consent] = service.consents_for(db, minor.id)
    assert (consent.guardian_name, consent.guardian_relation) == ("Mia Park", "mother")


def test_a_sensitive_areas_consent_records_the_ticked_areas(
    qtbot: QtBot, db: Database, adult: Client, general: ConsentForm, sensitive: ConsentForm
) -> None:
    dialog = RecordSignatureDialog(db, adult)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form_choice.setCurrentIndex(dialog.form_choice.findData(sensitive.id))
    assert dialog.areas_grid.isVisible()

    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    assert dialog.areas_grid.errors["sensitive_areas"].message() == (
        "Tick the sensitive areas this consent covers."
    )
    assert service.consents_for(db, adult.id) == []
    dialog.area_checks["gluteal"].setChecked(True)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    landed(qtbot)

    [consent] = service.consents_for(db, adult.id)
    assert (consent.form.kind, consent.sensitive_areas) == ("sensitive", ("gluteal",))


def test_withdrawing_records_the_reason_and_shows_withdrawn(
    qtbot: QtBot, db: Database, tab: ConsentTab, adult: Client, general: ConsentForm
) -> None:
    service.sign_consent(db, adult.id, ConsentSignature(general.id, "Ada Moreau"))
    tab.load(adult)
    landed(qtbot)  # the consents are read on the op runner
    assert tab.withdraw_button.isEnabled()

    qtbot.mouseClick(tab.withdraw_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, WithdrawConsentDialog)
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    assert dialog.grid.errors["reason"].message()
    assert service.consents_for(db, adult.id)[0].active

    qtbot.keyClicks(dialog.reason, "Moving away")
    with qtbot.waitSignal(tab.consent_changed):
        qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    landed(qtbot)

    [consent] = service.consents_for(db, adult.id)
    assert consent.withdrawn_reason == "Moving away"
    assert status(tab).startswith("Withdrawn on ")
    assert status(tab).endswith("Moving away")
    assert not tab.withdraw_button.isEnabled()


def test_a_double_click_on_record_signature_records_one_consent(
    qtbot: QtBot, db: Database, tab: ConsentTab, adult: Client, general: ConsentForm
) -> None:
    tab.load(adult)
    landed(qtbot)  # the consents are read on the op runner
    qtbot.mouseClick(tab.empty_record_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, RecordSignatureDialog)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # Escape while it is written: the dialog waits for the record
    landed(qtbot)
    assert len(service.consents_for(db, adult.id)) == 1
    assert tab.model.rowCount() == 1 and status(tab) == "Active"


def test_editing_a_consent_text_while_it_is_published_keeps_the_edit(
    qtbot: QtBot, db: Database, tab: ConsentTab, general: ConsentForm
) -> None:
    qtbot.mouseClick(tab.texts_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, ConsentTextsDialog)
    page = dialog.pages["general"]
    page.title.setText("Consent v2")
    qtbot.mouseClick(page.publish_button, Qt.MouseButton.LeftButton)
    page.title.setText("Consent v3")  # typed while version 2 is written
    landed(qtbot)
    assert page.title.text() == "Consent v3"
    assert page.publish_button.isEnabled() and "version 3" in page.publish_button.text()
    titles = [f.title for f in service.consent_forms(db, include_retired=True)]
    assert "Consent v2" in titles and "Consent v3" not in titles


def test_publishing_a_changed_consent_text_creates_version_2(
    qtbot: QtBot, db: Database, tab: ConsentTab, general: ConsentForm
) -> None:
    qtbot.mouseClick(tab.texts_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, ConsentTextsDialog)
    page = dialog.pages["general"]
    assert page.publish_button.text() == "Publish version 2"
    assert not page.publish_button.isEnabled()

    page.text.moveCursor(page.text.textCursor().MoveOperation.End)
    qtbot.keyClicks(page.text, " Fees are due at each visit.")
    qtbot.mouseClick(page.publish_button, Qt.MouseButton.LeftButton)
    landed(qtbot)

    versions = [f for f in service.consent_forms(db, include_retired=True) if f.kind == "general"]
    assert [(f.version, f.retired) for f in versions] == [(2, False), (1, True)]
    assert versions[0].body.endswith("Fees are due at each visit.")
    assert "Publishing creates version 3" in page.status.text()


def test_without_consent_texts_the_dialog_says_so_and_offers_to_set_them_up(
    qtbot: QtBot, db: Database, tab: ConsentTab, adult: Client
) -> None:
    tab.load(adult)
    landed(qtbot)  # the consents are read on the op runner
    qtbot.mouseClick(tab.empty_record_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, tab, RecordSignatureDialog)

    qtbot.mouseClick(dialog.setup_button, Qt.MouseButton.LeftButton)
    texts = dialog.findChild(ConsentTextsDialog)
    assert texts is not None
    page = texts.pages["general"]
    qtbot.keyClicks(page.text, GENERAL_TEXT)
    qtbot.mouseClick(page.publish_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    texts.reject()

    qtbot.waitUntil(lambda: hasattr(dialog, "record_button"))
    assert dialog.text.toPlainText() == GENERAL_TEXT


def test_the_consent_table_model_is_a_well_behaved_model(
    qtmodeltester,
    db: Database,
    adult: Client,
    general: ConsentForm,  # type: ignore[no-untyped-def]
) -> None:
    service.sign_consent(db, adult.id, ConsentSignature(general.id, "Ada Moreau"))
    model = ConsentTableModel()
    model.set_rows(service.consents_for(db, adult.id))

    qtmodeltester.check(model)

    assert model.rowCount(QModelIndex()) == 1
    assert model.index(0, 0).data().startswith("Consent to massage therapy\nGeneral, version 1")
