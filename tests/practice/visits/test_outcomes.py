"""Recording outcome measures and reading a client's progress series."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from practice.bodymap import service as bodymap
from practice.bodymap.chart import ChartData, RegionMark
from practice.errors import NotFoundError, ValidationError
from practice.store import Database
from practice.visits import measures, outcomes, service
from practice.visits.records import (
    CustomMeasureForm,
    HeadacheForm,
    PsfsItem,
    SoapNote,
    VisitDraft,
    VisitStatus,
)

Draft = Callable[..., VisitDraft]
TODAY = date.today()


def _day(ago: int) -> date:
    return TODAY - timedelta(days=ago)


def test_psfs_is_stored_per_activity_and_returns_the_mean(db: Database, client_id: int) -> None:
    items = [PsfsItem("Tie shoes", 3), PsfsItem("Sit through a meeting", 4), PsfsItem("Garden", 8)]
    assert outcomes.record_psfs(db, client_id, _day(10), items) == 5
    assert outcomes.psfs_activities(db, client_id) == (
        "Tie shoes",
        "Sit through a meeting",
        "Garden",
    )


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([PsfsItem("Tie shoes", 11)], "items[0].score"),
        ([PsfsItem("Tie shoes", -1)], "items[0].score"),
        ([PsfsItem(" ", 5)], "items[0].activity"),
        ([PsfsItem("Garden", 5), PsfsItem("garden", 6)], "items[1].activity"),
        ([], "items"),
        ([PsfsItem(f"Activity {i}", 5) for i in range(6)], "items"),
    ],
)
def test_bad_psfs_is_refused_and_nothing_is_saved(
    db: Database, client_id: int, items: list[PsfsItem], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        outcomes.record_psfs(db, client_id, _day(1), items)
    assert field in error.value.errors
    assert outcomes.progress_series(db, client_id) == {}


def test_scores_dated_in_the_future_are_refused(db: Database, client_id: int) -> None:
    with pytest.raises(ValidationError, match="future"):
        outcomes.record_sleep_quality(db, client_id, _day(-1), 5)
    with pytest.raises(ValidationError, match="future"):
        outcomes.record_psfs(db, client_id, _day(-1), [PsfsItem("Garden", 5)])


def test_sleep_quality_is_a_whole_number_from_0_to_10(db: Database, client_id: int) -> None:
    for bad in (11, -1, 7.5):
        with pytest.raises(ValidationError, match="0 \\(very poor\\) to 10"):
            outcomes.record_sleep_quality(db, client_id, _day(1), bad)  # type: ignore[arg-type]
    assert outcomes.record_sleep_quality(db, client_id, _day(1), 6).value == 6


def test_custom_measures_are_defined_and_their_range_enforced(db: Database, client_id: int) -> None:
    form = CustomMeasureForm("Grip strength", 0, 80, True, mcid=6.5, unit="kg")
    grip = outcomes.define_custom_measure(db, form)
    assert grip.definition_id is not None and outcomes.custom_measures(db) == [grip]
    with pytest.raises(ValidationError, match="already a measure"):
        outcomes.define_custom_measure(db, replace(form, name="grip STRENGTH"))
    with pytest.raises(ValidationError, match="ranges from 0 to 80"):
        outcomes.record_custom_value(db, client_id, grip.definition_id, _day(1), 95)
    entry = outcomes.record_custom_value(db, client_id, grip.definition_id, _day(1), 31.5)
    assert entry.measure == grip.code and entry.value == 31.5
    with pytest.raises(NotFoundError):
        outcomes.record_custom_value(db, client_id, 999, _day(1), 1)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (CustomMeasureForm("", 0, 10, True), "name"),
        (CustomMeasureForm("Reach", 10, 0, True), "maximum"),
        (CustomMeasureForm("Reach", 0, 10, True, mcid=0), "mcid"),
        (CustomMeasureForm("Reach", 0, 10, True, mcid=11), "mcid"),
        (CustomMeasureForm("Reach", float("nan"), 10, True), "minimum"),
        (CustomMeasureForm("Reach", 0, float("nan"), True), "maximum"),
        (CustomMeasureForm("Reach", -math.inf, math.inf, True, mcid=math.inf), "minimum"),
        (CustomMeasureForm("Reach", 0, 10, True, mcid=math.inf), "mcid"),
        (CustomMeasureForm("Reach", 0, 1e300, True), "maximum"),
        (CustomMeasureForm("Reach", True, 10, True), "minimum"),
    ],
)
def test_a_bad_custom_measure_is_refused(db: Database, form: CustomMeasureForm, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        outcomes.define_custom_measure(db, form)
    assert field in error.value.errors
    assert outcomes.custom_measures(db) == []


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (HeadacheForm(_day(1), 3, 11), "intensity"),
        (HeadacheForm(_day(1), 0, 5), "duration_hours"),
        (HeadacheForm(_day(1), 30, 5), "duration_hours"),
        (HeadacheForm(_day(-2), 3, 5), "occurred_on"),
        (HeadacheForm(_day(1), 3, 5, medication="Ibuprofen 400 mg"), "medication_taken"),
    ],
)
def test_bad_headache_diary_entries_are_refused(
    db: Database, client_id: int, entry: HeadacheForm, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        outcomes.record_headache(db, client_id, entry)
    assert field in error.value.errors
    assert outcomes.headache_diary(db, client_id) == []


def test_headache_diary_entries_load_back(db: Database, client_id: int) -> None:
    entry = HeadacheForm(_day(3), 4.5, 6, True, "Ibuprofen 400 mg", "After a long drive")
    saved = outcomes.record_headache(db, client_id, entry)
    assert outcomes.headache_diary(db, client_id) == [saved]
    assert saved.entry == entry


def test_a_score_can_only_link_to_a_visit_of_the_same_client(
    db: Database, client_id: int, anticoagulated_client_id: int, make_draft: Draft
) -> None:
    other = service.create_visit(db, anticoagulated_client_id, make_draft(treatments=()))
    with pytest.raises(ValidationError, match="another client"):
        outcomes.record_sleep_quality(db, client_id, _day(1), 5, visit_id=other.visit.id)


def test_recording_scores_is_audited(db: Database, client_id: int) -> None:
    outcomes.record_psfs(db, client_id, _day(2), [PsfsItem("Garden", 4)])
    outcomes.record_sleep_quality(db, client_id, _day(2), 4)
    outcomes.record_headache(db, client_id, HeadacheForm(_day(2), 2, 5))
    entities = [e.entity for e in service.audit_trail(db, client_id)]
    assert entities[:3] == ["headache_entry", "measure_value", "measure_value"]


def test_progress_series_gathers_every_measure_oldest_first(
    db: Database, client_id: int, make_draft: Draft, note: SoapNote
) -> None:
    for ago, before, after in ((28, 7, 5), (21, 6, 4), (14, 5, 2)):
        scored = replace(note, pain_before=before, pain_after=after)
        service.create_visit(db, client_id, make_draft(scored, ago=ago))
    service.create_visit(
        db, client_id, make_draft(SoapNote(), (), ago=7, status=VisitStatus.NO_SHOW)
    )
    outcomes.record_psfs(db, client_id, _day(28), [PsfsItem("Garden", 2), PsfsItem("Tie shoes", 4)])
    outcomes.record_psfs(db, client_id, _day(14), [PsfsItem("Garden", 6), PsfsItem("Tie shoes", 7)])
    outcomes.record_sleep_quality(db, client_id, _day(20), 4)
    grip = outcomes.define_custom_measure(db, CustomMeasureForm("Grip", 0, 80, True, 6.5))
    assert grip.definition_id is not None
    outcomes.record_custom_value(db, client_id, grip.definition_id, _day(20), 22)
    outcomes.record_headache(db, client_id, HeadacheForm(_day(20), 3, 6))
    chart = ChartData(marks=(RegionMark("B_LOW_BACK_R", 6), RegionMark("B_LOW_BACK_L", 4)))
    bodymap.save_chart(db, client_id, _day(28), chart)

    series = outcomes.progress_series(db, client_id)
    assert series[measures.PAIN_BEFORE] == [(_day(28), 7), (_day(21), 6), (_day(14), 5)]
    assert series[measures.PAIN_AFTER] == [(_day(28), 5), (_day(21), 4), (_day(14), 2)]
    assert series[measures.PSFS] == [(_day(28), 3.0), (_day(14), 6.5)]
    assert series[measures.SLEEP_QUALITY] == [(_day(20), 4)]
    assert series[grip] == [(_day(20), 22)]
    assert series[measures.HEADACHE_DAYS] == [(_day(20).replace(day=1), 1)]
    assert series[measures.HEADACHE_INTENSITY] == [(_day(20).replace(day=1), 6)]
    ((charted_on, extent),) = series[measures.PAIN_EXTENT]
    assert charted_on == _day(28) and extent > 0

    pain = series[measures.PAIN_BEFORE]
    change = measures.judge_change(measures.PAIN_BEFORE, pain[0][1], pain[-1][1])
    assert change.meaningful  # 7 -> 5: two points
    psfs = series[measures.PSFS]
    assert measures.judge_change(measures.PSFS, psfs[0][1], psfs[-1][1]).meaningful  # 3 -> 6.5


def test_progress_series_of_a_client_without_scores_is_empty(db: Database, client_id: int) -> None:
    assert outcomes.progress_series(db, client_id) == {}


def test_a_custom_measure_named_twice_in_another_case_is_refused(db: Database) -> None:
    outcomes.define_custom_measure(db, CustomMeasureForm("Échelle de douleur", 0, 10, False))
    for twin in ("Échelle de douleur", "ÉCHELLE DE DOULEUR", " échelle  de douleur\u200b"):
        with pytest.raises(ValidationError, match="already a measure"):
            outcomes.define_custom_measure(db, CustomMeasureForm(twin, 0, 10, False))
    assert [m.name for m in outcomes.custom_measures(db)] == ["Échelle de douleur"]


@pytest.mark.parametrize("value", [float("nan"), math.inf, 10**400, True])
def test_a_score_that_is_no_finite_number_is_refused(
    db: Database, client_id: int, value: object
) -> None:
    grip = outcomes.define_custom_measure(db, CustomMeasureForm("Grip", 0, 80, True))
    with pytest.raises(ValidationError) as error:
        outcomes.record_custom_value(db, client_id, grip.definition_id, _day(1), value)  # type: ignore[arg-type]
    assert set(error.value.errors) == {"value"}
    with pytest.raises(ValidationError):
        outcomes.record_headache(db, client_id, HeadacheForm(_day(1), value, 5))  # type: ignore[arg-type]
    assert outcomes.progress_series(db, client_id) == {}


def test_a_score_dated_in_year_1_is_refused(db: Database, client_id: int) -> None:
    with pytest.raises(ValidationError, match="check the year"):
        outcomes.record_sleep_quality(db, client_id, date(1, 1, 1), 5)
