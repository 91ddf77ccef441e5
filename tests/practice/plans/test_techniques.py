"""The technique library: seeded with a starter list, editable, extendable, never deleted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from practice.errors import NotFoundError, ValidationError
from practice.store import Database, audit
from practice.techniques import library as techniques
from practice.techniques.records import TechniqueCategory, TechniqueForm
from practice.visits.techniques import TECHNIQUES as VISIT_TECHNIQUES

ISSUE_TECHNIQUES = {
    "trigger_point", "myofascial_release", "neuromuscular", "deep_tissue", "effleurage",
    "petrissage", "tapotement", "swedish_friction", "vibration", "cross_fibre_friction",
    "muscle_energy", "pnf_stretching", "strain_counterstrain", "lymphatic_drainage", "cupping",
    "instrument_assisted",
}  # fmt: skip


def _audit(db: Database) -> list[audit.AuditRecord]:
    with db.read() as session:
        return audit.entries(session)


def test_the_library_starts_with_the_starter_techniques(db: Database) -> None:
    library = techniques.list_techniques(db)
    assert {t.code for t in library} == ISSUE_TECHNIQUES
    assert all(t.built_in and t.description and not t.archived for t in library)
    assert [t.code for t in library] == [t.code for t in techniques.STARTER_TECHNIQUES]


def test_swedish_strokes_bill_as_massage_and_manual_therapy_as_97140(db: Database) -> None:
    library = techniques.techniques_by_code(db)
    for code in ("effleurage", "petrissage", "tapotement", "vibration"):
        assert library[code].default_cpt == "97124"
    for code in ("myofascial_release", "neuromuscular", "lymphatic_drainage"):
        assert library[code].default_cpt == "97140"


def test_deep_and_point_pressure_work_is_flagged_for_the_contraindication_checks(
    db: Database,
) -> None:
    library = techniques.techniques_by_code(db)
    assert library["trigger_point"].point_pressure and library["trigger_point"].restricted
    assert library["deep_tissue"].deep and not library["deep_tissue"].point_pressure
    assert library["cupping"].restricted and library["instrument_assisted"].restricted
    assert not library["effleurage"].restricted
    assert not library["lymphatic_drainage"].restricted


def test_the_starter_list_agrees_with_the_visit_log_pick_list() -> None:
    """Same codes, same deep-work flag, same default CPT: one technique means one thing."""
    starters = techniques.STARTER_BY_CODE
    for visit_technique in VISIT_TECHNIQUES:
        mine = starters[visit_technique.code]
        assert (mine.deep or mine.point_pressure) == visit_technique.deep, mine.code
        assert mine.default_cpt == visit_technique.cpt, mine.code


def test_seeding_is_done_once_and_never_overwrites_edits(db: Database) -> None:
    assert techniques.seed_techniques(db) == len(techniques.STARTER_TECHNIQUES)
    edited = techniques.get_technique(db, "cupping").form()
    techniques.update_technique(db, "cupping", replace(edited, name="Cups"))
    assert techniques.seed_techniques(db) == 0
    assert techniques.get_technique(db, "cupping").name == "Cups"


def test_the_therapist_adds_their_own_technique(db: Database) -> None:
    own = techniques.create_technique(
        db,
        TechniqueForm(
            "Scar mobilisation",
            TechniqueCategory.DEEP,
            "Gentle lifting and shifting of a healed scar in every direction.",
            deep=True,
            default_cpt="97140",
        ),
    )
    assert own.code == "scar_mobilisation" and not own.built_in
    assert own in techniques.list_techniques(db)
    assert _audit(db)[0].summary == "Technique 'Scar mobilisation' added"


def test_editing_a_starter_keeps_its_code_and_is_audited(db: Database) -> None:
    form = techniques.get_technique(db, "deep_tissue").form()
    changed = techniques.update_technique(db, "deep_tissue", replace(form, default_cpt="97140"))
    assert changed.code == "deep_tissue" and changed.default_cpt == "97140"
    assert _audit(db)[0].changes == {"default_cpt": ["97124", "97140"]}


def test_an_archived_technique_leaves_the_pick_list_but_stays_known(db: Database) -> None:
    techniques.set_technique_archived(db, "vibration", True)
    assert "vibration" not in {t.code for t in techniques.list_techniques(db)}
    assert techniques.get_technique(db, "vibration").archived
    assert techniques.techniques_by_code(db)["vibration"].archived
    techniques.set_technique_archived(db, "vibration", False)
    assert "vibration" in {t.code for t in techniques.list_techniques(db)}


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (TechniqueForm(" "), "name"),
        (TechniqueForm("Hot stones", default_cpt="9712"), "default_cpt"),
        (TechniqueForm("Hot stones", category="spa"), "category"),  # type: ignore[arg-type]
        (TechniqueForm("Hot stones", code="Hot Stones!"), "code"),
        (TechniqueForm("Hot stones", code="other"), "code"),
        (TechniqueForm("Cupping"), "name"),
        (TechniqueForm("Hot stones", code="cupping"), "code"),
    ],
)
def test_bad_technique_input_is_refused_and_nothing_is_saved(
    db: Database, form: TechniqueForm, field: str
) -> None:
    before = techniques.list_techniques(db, include_archived=True)
    with pytest.raises(ValidationError) as error:
        techniques.create_technique(db, form)
    assert field in error.value.errors
    assert techniques.list_techniques(db, include_archived=True) == before


def test_an_unknown_technique_code_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        techniques.get_technique(db, "reiki")
