"""One date style on screen, from the practice's locale: never an ISO date or a strftime pattern
(typed date fields and file names aside)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from practice.clients import service
from practice.clients.records import ClientForm, PracticeProfile
from practice.store import Database
from ui.main_window import MainWindow
from ui.widgets import dates

UI = Path(__file__).resolve().parents[2] / "ui"
FORMAT_SPEC = re.compile(r"\{[^{}]*:%[A-Za-z]")  # f"{day:%B}"
# Where an ISO date is right: what a person types into a date field, and file names.
TYPED_OR_FILE_NAMES = {
    "ui/widgets/forms.py": 1,  # DateField shows what it reads back: YYYY-MM-DD
    "ui/billing/reports.py": 3,  # ageing-2026-12-06.csv, revenue-2026-01-01-to-2026-03-31.csv
    "ui/documents/printing.py": 2,  # Superbill ... 2026-01-01 to 2026-03-31.pdf
    "ui/exchange/export_dialog.py": 1,  # Fascia practice 2026-12-06.zip
}


@pytest.fixture(autouse=True)
def _us_dates_again() -> Iterator[None]:
    yield
    dates.use_locale(None)


def test_screens_write_dates_only_through_the_practice_style() -> None:
    found = {}
    for path in UI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        calls = text.count(".isoformat(") + text.count(".strftime(")
        count = calls + len(FORMAT_SPEC.findall(text))
        if count:
            found[str(path.relative_to(UI.parent))] = count
    assert found == TYPED_OR_FILE_NAMES


def test_the_client_header_writes_the_birth_date_as_the_practice_does(
    qtbot: QtBot, db: Database
) -> None:
    service.save_profile(
        db, PracticeProfile(therapist_name="Jordan Rivera", locale="fr_CA", currency="CAD")
    )
    client = service.create_client(db, ClientForm("Élodie", "Côté", date_of_birth=date(1984, 3, 7)))
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    window.clients.open_client(client.id)
    details = window.clients.workspace.header.details.text()
    assert "7 mars 1984" in details
    assert "1984-03-07" not in details
