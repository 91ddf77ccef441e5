"""Shared fixtures for the plan tests: clients with and without alerts, the ICD-10 index."""

from __future__ import annotations

from datetime import date

import pytest

from practice.clients import service as clients
from practice.clients.intake import IntakeData, Medication, MedicationFlag
from practice.clients.records import ClientForm
from practice.plans.icd10 import LOADER, Icd10Index
from practice.store import Database


@pytest.fixture
def client_id(db: Database) -> int:
    return clients.create_client(db, ClientForm(given_name="Ana", family_name="Peña")).id


@pytest.fixture
def anticoagulated_client_id(db: Database) -> int:
    """A client on warfarin: a WARN-DEEP bleeding-risk alert."""
    client = clients.create_client(db, ClientForm(given_name="Kofi", family_name="Mensah"))
    warfarin = Medication("Warfarin 5 mg", frozenset({MedicationFlag.ANTICOAGULANT}))
    clients.save_intake(
        db, client.id, IntakeData(recorded_on=date.today(), medications=(warfarin,))
    )
    return client.id


@pytest.fixture(scope="session")
def icd10() -> Icd10Index:
    """The full code list, built once for the whole run (it takes a few seconds)."""
    return LOADER.load()
