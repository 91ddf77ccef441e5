"""Property tests of outcome measures: custom measures, PSFS, sleep, headache diary, progress."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from practice.text import name_key
from practice.visits import outcomes
from practice.visits.records import CustomMeasureForm, HeadacheForm, PsfsItem
from tests.practice.fuzz import (
    KNOWN,
    days,
    forms,
    fuzz,
    known,
    long_reprs,
    mostly,
    name_text,
    outcome,
    real,
    recent_days,
    row_ids,
    text,
    whole,
)

pytestmark = long_reprs

measure_forms = forms(
    CustomMeasureForm,
    valid={
        "name": name_text,
        "minimum": st.sampled_from([0, 0.0, -5.5, 1]),
        "maximum": st.sampled_from([10, 100.0, 42.5]),
        "higher_is_better": st.booleans(),
        "mcid": st.none() | st.sampled_from([1, 2.5]),
        "unit": st.sampled_from(["", "cm", "°", "회"]),
    },
    junk={
        "name": text | st.sampled_from(["Échelle de douleur", "ÉCHELLE DE DOULEUR"]),
        "minimum": real(-1e6, 1e6),
        "maximum": real(-1e6, 1e6),
        "mcid": real(0, 1e6),
        "unit": text,
    },
)
headaches = forms(
    HeadacheForm,
    valid={
        "occurred_on": recent_days,
        "duration_hours": st.sampled_from([0.5, 2, 24]),
        "intensity": st.integers(0, 10),
        "medication_taken": st.just(True),
        "medication": st.sampled_from(["", "Ibuprofen 400 mg"]),
        "notes": text,
    },
    junk={
        "occurred_on": days,
        "duration_hours": real(0, 24),
        "intensity": whole(0, 10),
        "medication_taken": st.booleans(),
        "medication": text,
    },
)


def _activity(item: PsfsItem) -> str:
    return item.activity


PSFS_ITEM = {"activity": name_text, "score": st.integers(0, 10)}
psfs_items = mostly(
    st.lists(
        forms(PsfsItem, PSFS_ITEM, {}), min_size=1, max_size=3, unique_by=lambda i: i.activity
    ),
    st.lists(forms(PsfsItem, PSFS_ITEM, {"activity": text, "score": whole(0, 10)}), max_size=6),
)


@pytest.fixture(scope="module")
def client_id(shared_db: Database) -> int:
    return clients.create_client(shared_db, ClientForm("Ana", "Peña")).id


@fuzz
@given(form=measure_forms)
def test_custom_measures_are_refused_or_defined_finite_and_unique_in_any_case(
    shared_db: Database, form: CustomMeasureForm
) -> None:
    measure = outcome(shared_db, lambda: outcomes.define_custom_measure(shared_db, form))
    if measure is not None:
        bounds = (measure.minimum, measure.maximum, measure.mcid_points or 0.0)
        assert all(math.isfinite(v) and abs(v) <= 1e6 for v in bounds)
        assert measure.minimum < measure.maximum
    keys = [name_key(m.name) for m in outcomes.custom_measures(shared_db, include_archived=True)]
    assert len(keys) == len(set(keys))


@fuzz
@given(
    which=mostly(st.just(KNOWN), row_ids),
    definition=mostly(st.just(KNOWN), row_ids),
    measured_on=mostly(recent_days, days),
    value=mostly(st.integers(0, 10), real(-1e6, 1e6)),
    score=mostly(st.integers(0, 10), whole(0, 10)),
    items=psfs_items,
    visit=mostly(st.none(), row_ids),
)
def test_scores_are_refused_or_recorded_in_range_on_a_real_day(
    shared_db: Database,
    client_id: int,
    which: object,
    definition: object,
    measured_on: date,
    value: object,
    score: object,
    items: list[PsfsItem],
    visit: object,
) -> None:
    measures = outcomes.custom_measures(shared_db)
    if not measures:
        grip = CustomMeasureForm("Grip strength", 0, 10, True)
        measures = [outcomes.define_custom_measure(shared_db, grip)]
    target = known(which, client_id)
    measure_id = known(definition, measures[0].definition_id)
    visit_id = None if visit is None else known(visit, 1)
    recorded = outcome(
        shared_db,
        lambda: outcomes.record_custom_value(
            shared_db,
            target,
            measure_id,
            measured_on,
            value,
            visit_id,  # type: ignore[arg-type]
        ),
    )
    if recorded is not None:
        assert isinstance(recorded.value, float | int) and measured_on <= date.today()
    outcome(
        shared_db,
        lambda: outcomes.record_sleep_quality(shared_db, target, measured_on, score, visit_id),  # type: ignore[arg-type]
    )
    mean = outcome(
        shared_db, lambda: outcomes.record_psfs(shared_db, target, measured_on, items, visit_id)
    )
    if mean is not None:
        assert 0 <= mean <= 10
    outcome(shared_db, lambda: outcomes.progress_series(shared_db, target))
    outcome(shared_db, lambda: outcomes.psfs_activities(shared_db, target))


@fuzz
@given(which=row_ids, entry=headaches)
def test_headache_days_are_refused_or_recorded_whole(
    shared_db: Database, client_id: int, which: object, entry: HeadacheForm
) -> None:
    target = known(which, client_id)
    saved = outcome(shared_db, lambda: outcomes.record_headache(shared_db, target, entry))
    if saved is not None:
        assert 0 < saved.entry.duration_hours <= 24 and 0 <= saved.entry.intensity <= 10
        assert not saved.entry.medication or saved.entry.medication_taken
    outcome(shared_db, lambda: outcomes.headache_diary(shared_db, target))
