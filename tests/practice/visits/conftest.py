"""Shared fixtures for the visit tests: a client, visit times and ready-made drafts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import ClientForm
from practice.store import Database
from practice.visits.records import (
    Position,
    SoapNote,
    TreatmentInput,
    TriggerPointFinding,
    VisitDraft,
    VisitForm,
    VisitStatus,
)

Draft = Callable[..., VisitDraft]


def days_ago(days: int, hour: int = 10) -> datetime:
    """An aware local time `days` days before today."""
    return datetime.combine(date.today() - timedelta(days=days), time(hour)).astimezone()


@pytest.fixture
def client_id(db: Database, consent: Callable[[int], None]) -> int:
    """A client who gave consent to treatment a year ago."""
    client = clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña"))
    consent(client.id)
    return client.id


@pytest.fixture
def anticoagulated_client_id(db: Database, consent: Callable[[int], None]) -> int:
    """A client on warfarin: a WARN-DEEP bleeding-risk alert."""
    client = clients.create_client(db, ClientForm(given_name="Kofi", family_name="Mensah"))
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(
        db, client.id, IntakeData(recorded_on=date.today(), medications=(warfarin,))
    )
    consent(client.id)
    return client.id


NOTE = SoapNote(
    complaint="Ache in the low back after gardening",
    pain_before=6,
    changes_since_last="Slept better",
    goals_today="Bend to tie shoes",
    posture="Right shoulder elevated",
    tone="hypertonic",
    taut_bands="Right quadratus lumborum",
    tenderness_grade=2,
    trigger_points=(TriggerPointFinding("Quadratus lumborum", side="R"),),
    range_of_motion="Lumbar flexion 70%",
    response="Tissue softened",
    pain_after=3,
    released="QL trigger point",
    next_focus="Gluteus medius",
    frequency="1x/week x 4",
    home_care="Knee-to-chest stretch, heat 15 min",
)

TREATMENTS = (
    TreatmentInput("myofascial_release", 20, ("B_LOW_BACK_R", "B_LOW_BACK_L"), 3),
    TreatmentInput("effleurage", 15, ("B_UPPER_BACK_R",), 2, Position.PRONE),
)


@pytest.fixture
def make_draft() -> Draft:
    def make(
        note: SoapNote = NOTE,
        treatments: tuple[TreatmentInput, ...] = TREATMENTS,
        ago: int = 1,
        **visit: Any,
    ) -> VisitDraft:
        form: dict[str, Any] = {
            "starts_at": days_ago(ago),
            "duration_minutes": 60,
            "status": VisitStatus.COMPLETED,
        }
        return VisitDraft(VisitForm(**(form | visit)), note, treatments)

    return make


@pytest.fixture
def ago() -> Callable[..., datetime]:
    return days_ago


@pytest.fixture
def note() -> SoapNote:
    return NOTE


@pytest.fixture
def treatments() -> tuple[TreatmentInput, ...]:
    return TREATMENTS
