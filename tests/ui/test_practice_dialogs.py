"""Physician and practice profile dialogs: bad input is explained inline and nothing is saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import PracticeProfile
from practice.store import Database
from ui.ops import runner
from ui.practice_profile import PracticeProfileDialog
from ui.widgets.physician_dialog import PhysicianDialog


def landed(qtbot: QtBot) -> None:
    """Wait until the writes a click started have landed (they run on the op runner)."""
    qtbot.waitUntil(lambda: runner().idle)


def test_physician_with_bad_npi_and_email_is_not_saved(qtbot: QtBot, db: Database) -> None:
    dialog = PhysicianDialog(db)
    qtbot.addWidget(dialog)
    fields = dialog.form.fields
    qtbot.keyClicks(fields["name"], "Dr. Amelia Chen")
    qtbot.keyClicks(fields["npi"], "12345")
    qtbot.keyClicks(fields["email"], "chen@")
    dialog._on_save()
    landed(qtbot)
    assert "10 digits" in dialog.form.errors["npi"].message()
    assert "email address" in dialog.form.errors["email"].message()
    assert service.list_physicians(db) == []
    fields["npi"].setText("1467503829")
    fields["email"].setText("chen@harbourfront.example")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # while the first is written: held
    landed(qtbot)
    assert [p.npi for p in service.list_physicians(db)] == ["1467503829"]


def test_practice_profile_dialog_edits_the_saved_profile(qtbot: QtBot, db: Database) -> None:
    service.save_profile(db, PracticeProfile(therapist_name="Jordan Rivera"))
    dialog = PracticeProfileDialog(db)
    qtbot.addWidget(dialog)
    grid = dialog.form.grid
    assert grid.fields["therapist_name"].text() == "Jordan Rivera"
    grid.fields["phone"].setText("call me")
    dialog._on_save()
    landed(qtbot)
    assert "digits" in grid.errors["phone"].message()
    assert service.get_profile(db).phone == ""
    grid.fields["phone"].setText("(416) 555-0142")
    grid.fields["locale"].setCurrentIndex(grid.fields["locale"].findText("Canada, English (CAD)"))
    dialog._on_save()
    landed(qtbot)
    saved = service.get_profile(db)
    assert (saved.phone, saved.locale, saved.currency) == ("(416) 555-0142", "en_CA", "CAD")


@pytest.mark.parametrize(
    ("locale", "currency", "shown"),
    [
        ("en_CA", "CAD", "Canada, English (CAD)"),
        ("en_US", "USD", "United States (USD)"),
        ("de_AT", "EUR", "Österreich, Deutsch (EUR)"),
        ("es_MX", "MXN", "México, español (MXN)"),
    ],
)
def test_the_profile_names_the_region_as_the_welcome_does_never_a_locale_code(
    qtbot: QtBot, db: Database, locale: str, currency: str, shown: str
) -> None:
    service.save_profile(
        db, PracticeProfile(therapist_name="Jordan Rivera", locale=locale, currency=currency)
    )
    dialog = PracticeProfileDialog(db)
    qtbot.addWidget(dialog)
    region = dialog.form.grid.fields["locale"]
    assert region.currentText() == shown
    assert locale not in region.currentText()
