"""Contraindication rules (DOMAIN.md section 2): each rule fires on its trigger and only then."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from practice.clients.intake import (
    CancerStatus,
    IntakeData,
    Medication,
    MedicationFlag,
    Surgery,
    suggest_flags,
)
from practice.clients.rules import RULES, AlertLevel, evaluate, restricts_deep_work

TODAY = date(2026, 11, 21)


def intake(**kw) -> IntakeData:  # type: ignore[no-untyped-def]
    return IntakeData(recorded_on=TODAY, **kw)


def med(name: str, *flags: MedicationFlag) -> Medication:
    return Medication(name, frozenset(flags))


CASES = {
    "acute_illness": (intake(conditions={"fever": "38.5"}), AlertLevel.BLOCK),
    "unstable_hypertension": (intake(conditions={"hypertension_unstable": ""}), AlertLevel.BLOCK),
    "dvt": (intake(conditions={"dvt_suspected": "left calf hot"}), AlertLevel.BLOCK),
    "bone_metastasis": (intake(cancer_status=CancerStatus.BONE_METASTASIS), AlertLevel.LOCAL),
    "cancer_active": (intake(cancer_status=CancerStatus.ACTIVE), AlertLevel.WARN_DEEP),
    "bleeding_risk": (
        intake(medications=(med("Warfarin", MedicationFlag.ANTICOAGULANT),)),
        AlertLevel.WARN_DEEP,
    ),
    "recent_surgery": (
        intake(surgeries=(Surgery("Knee", TODAY - timedelta(days=20)),)),
        AlertLevel.LOCAL,
    ),
    "recent_spine_surgery": (
        intake(surgeries=(Surgery("L5 fusion", TODAY - timedelta(days=20), spine=True),)),
        AlertLevel.WARN_DEEP,
    ),
    "surgery_this_half_year": (
        intake(surgeries=(Surgery("Hip", TODAY - timedelta(days=90)),)),
        AlertLevel.NOTE,
    ),
    "fracture_or_osteoporosis": (intake(conditions={"osteoporosis": ""}), AlertLevel.WARN_DEEP),
    "lymph_nodes_removed": (
        intake(conditions={"lymph_nodes_removed": "right arm"}),
        AlertLevel.WARN_DEEP,
    ),
    "pregnancy": (intake(pregnant=True, pregnancy_weeks=22), AlertLevel.WARN_DEEP),
    "local_skin_or_vessel": (intake(conditions={"varicose_veins": "left calf"}), AlertLevel.LOCAL),
    "reduced_feedback": (intake(conditions={"neuropathy": "feet"}), AlertLevel.WARN_DEEP),
    "implant": (intake(implants="Pacemaker, left chest"), AlertLevel.LOCAL),
    "unexplained_lump": (intake(conditions={"unexplained_lump": "left breast"}), AlertLevel.LOCAL),
    "neck_vascular": (intake(conditions={"stroke_tia": ""}), AlertLevel.CAUTION),
    "antihypertensive": (
        intake(medications=(med("Lisinopril", MedicationFlag.ANTIHYPERTENSIVE),)),
        AlertLevel.NOTE,
    ),
    "seizures": (intake(conditions={"seizures": ""}), AlertLevel.NOTE),
    "oil_allergy": (intake(allergies="Lavender", oil_or_scent_allergy=True), AlertLevel.NOTE),
}


def test_every_rule_has_a_test_case() -> None:
    assert set(CASES) == {rule.code for rule in RULES}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_its_trigger_with_its_level(code: str) -> None:
    data, level = CASES[code]
    alerts = {a.rule: a for a in evaluate(data, TODAY)}
    assert code in alerts
    assert alerts[code].level is level
    assert alerts[code].why and alerts[code].action


def test_an_intake_with_nothing_ticked_raises_no_alert() -> None:
    assert evaluate(intake(), TODAY) == []


def test_no_intake_on_file_is_a_caution_never_read_as_safe() -> None:
    alerts = evaluate(None, TODAY)
    assert [(a.rule, a.level) for a in alerts] == [("no_intake", AlertLevel.CAUTION)]
    assert alerts[0].title == "No health history on file"
    assert "before treating" in alerts[0].action


def test_an_intake_older_than_twelve_months_asks_for_an_update() -> None:
    old = IntakeData(recorded_on=TODAY - timedelta(days=366))
    assert [a.rule for a in evaluate(old, TODAY)] == ["stale_intake"]
    assert evaluate(old, TODAY)[0].title == "Update the health history"
    recent = IntakeData(recorded_on=TODAY - timedelta(days=364))
    assert evaluate(recent, TODAY) == []


def test_alerts_are_ordered_most_serious_first() -> None:
    data = intake(
        conditions={"seizures": "", "dvt_known": "2024"},
        medications=(med("Apixaban", MedicationFlag.ANTICOAGULANT),),
    )
    levels = [a.level for a in evaluate(data, TODAY)]
    assert levels == [AlertLevel.BLOCK, AlertLevel.WARN_DEEP, AlertLevel.NOTE]


def test_surgery_older_than_six_months_raises_nothing() -> None:
    assert evaluate(intake(surgeries=(Surgery("Knee", TODAY - timedelta(days=200)),)), TODAY) == []


def test_surgery_at_exactly_six_weeks_still_avoids_the_area() -> None:
    alerts = evaluate(intake(surgeries=(Surgery("Knee", TODAY - timedelta(weeks=6)),)), TODAY)
    assert [a.rule for a in alerts] == ["recent_surgery"]


def test_antiplatelets_and_low_platelets_are_bleeding_risks_too() -> None:
    for data in (
        intake(medications=(med("Clopidogrel", MedicationFlag.ANTIPLATELET),)),
        intake(conditions={"low_platelets": ""}),
    ):
        assert "bleeding_risk" in {a.rule for a in evaluate(data, TODAY)}


def test_opioids_and_muscle_relaxants_reduce_pain_feedback() -> None:
    for flag in (MedicationFlag.OPIOID, MedicationFlag.MUSCLE_RELAXANT):
        rules = {a.rule for a in evaluate(intake(medications=(med("x", flag),)), TODAY)}
        assert "reduced_feedback" in rules


def test_high_risk_pregnancy_asks_for_clearance() -> None:
    alert = evaluate(intake(pregnant=True, pregnancy_weeks=30, high_risk_pregnancy=True), TODAY)[0]
    assert "trimester 3" in alert.detail and "clearance" in alert.detail


def test_deep_work_needs_acknowledgement_for_block_local_and_warn_deep_only() -> None:
    data = intake(
        conditions={"varicose_veins": "calf", "seizures": ""},
        medications=(med("Warfarin", MedicationFlag.ANTICOAGULANT),),
    )
    assert {a.rule for a in restricts_deep_work(evaluate(data, TODAY))} == {
        "local_skin_or_vessel",
        "bleeding_risk",
    }


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("Warfarin 5 mg", MedicationFlag.ANTICOAGULANT),
        ("Tramadol", MedicationFlag.OPIOID),
        ("LISINOPRIL 10mg", MedicationFlag.ANTIHYPERTENSIVE),
        ("cyclobenzaprine", MedicationFlag.MUSCLE_RELAXANT),
    ],
)
def test_common_drug_names_suggest_their_flags(name: str, flag: MedicationFlag) -> None:
    assert flag in suggest_flags(name)


def test_unknown_drug_suggests_no_flags() -> None:
    assert suggest_flags("Vitamin D") == frozenset()
