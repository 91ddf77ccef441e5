"""The technique library: a starter list written in our own words, editable and extendable.

The starter techniques are added to the `technique` table the first time the library is used
(and any starter a later Fascia adds, by code); the therapist can then rename, describe,
re-flag and re-price them, add their own, and archive what they do not use. Nothing is ever
deleted, so visit and plan lines keep pointing at a known code.

`deep` and `point_pressure` decide the contraindication checks (DOMAIN.md section 2: deep
tissue, trigger point pressure, friction, percussion, cupping and instrument work). Default
CPT codes follow DOMAIN.md section 7: 97124 for massage strokes, 97140 for manual therapy.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from practice.errors import NotFoundError, ValidationError
from practice.store import audit
from practice.store.database import Database
from practice.store.rows import name_taken
from practice.techniques.models import TechniqueRow
from practice.techniques.records import Technique, TechniqueCategory, TechniqueForm
from practice.text import clean, fold, name_key, single_line

MASSAGE = "97124"
MANUAL_THERAPY = "97140"
OTHER = "other"  # the visit log's code for a technique typed in by name
_CPT = re.compile(r"^\d{5}$")
_MAX_NAME = 120

STARTER_TECHNIQUES: tuple[TechniqueForm, ...] = (
    TechniqueForm(
        "Trigger point therapy (ischemic compression)",
        TechniqueCategory.TRIGGER_POINT,
        "Steady thumb or finger pressure held on a trigger point until the tissue softens, "
        "usually half a minute to a minute, then released slowly.",
        deep=True,
        point_pressure=True,
        default_cpt=MANUAL_THERAPY,
        code="trigger_point",
    ),
    TechniqueForm(
        "Myofascial release",
        TechniqueCategory.MYOFASCIAL,
        "Slow, light and sustained pressure or stretch that waits for a fascial restriction to "
        "give, such as cross-hand holds and skin rolling.",
        default_cpt=MANUAL_THERAPY,
        code="myofascial_release",
    ),
    TechniqueForm(
        "Neuromuscular therapy (NMT)",
        TechniqueCategory.TRIGGER_POINT,
        "A systematic pass over a muscle group, finding and treating tender taut bands and "
        "trigger points one by one.",
        deep=True,
        point_pressure=True,
        default_cpt=MANUAL_THERAPY,
        code="neuromuscular",
    ),
    TechniqueForm(
        "Deep tissue",
        TechniqueCategory.DEEP,
        "Slow strokes that sink into the deeper layers, often across the grain of the muscle.",
        deep=True,
        default_cpt=MASSAGE,
        code="deep_tissue",
    ),
    TechniqueForm(
        "Swedish: effleurage",
        TechniqueCategory.SWEDISH,
        "Long gliding strokes that warm the tissue and link one area to the next.",
        default_cpt=MASSAGE,
        code="effleurage",
    ),
    TechniqueForm(
        "Swedish: petrissage",
        TechniqueCategory.SWEDISH,
        "Kneading, lifting and wringing of the muscle between the hands.",
        default_cpt=MASSAGE,
        code="petrissage",
    ),
    TechniqueForm(
        "Swedish: tapotement",
        TechniqueCategory.SWEDISH,
        "Rhythmic percussion: hacking, cupped-hand clapping, tapping or gentle pounding. "
        "Counted as deep work because fragile bone and easy bruising rule out percussion.",
        deep=True,
        default_cpt=MASSAGE,
        code="tapotement",
    ),
    TechniqueForm(
        "Swedish: friction",
        TechniqueCategory.SWEDISH,
        "Small firm movements that shift the tissue over what lies beneath without gliding on "
        "the skin.",
        deep=True,
        default_cpt=MASSAGE,
        code="swedish_friction",
    ),
    TechniqueForm(
        "Swedish: vibration",
        TechniqueCategory.SWEDISH,
        "A fine trembling or shaking passed into the tissue through the hands.",
        default_cpt=MASSAGE,
        code="vibration",
    ),
    TechniqueForm(
        "Cross-fibre friction",
        TechniqueCategory.DEEP,
        "Focused back-and-forth friction at right angles to the fibres over a scar, adhesion "
        "or tendon.",
        deep=True,
        point_pressure=True,
        default_cpt=MANUAL_THERAPY,
        code="cross_fibre_friction",
    ),
    TechniqueForm(
        "Muscle energy technique",
        TechniqueCategory.STRETCHING,
        "The client pushes gently against the therapist's hand for a few seconds, relaxes, and "
        "the limb is taken to its new end of range; repeated a few times.",
        default_cpt=MANUAL_THERAPY,
        code="muscle_energy",
    ),
    TechniqueForm(
        "PNF stretching",
        TechniqueCategory.STRETCHING,
        "Stretching that alternates a brief contraction with relaxation to gain range.",
        default_cpt=MANUAL_THERAPY,
        code="pnf_stretching",
    ),
    TechniqueForm(
        "Strain-counterstrain / positional release",
        TechniqueCategory.POSITIONAL,
        "The body is eased into the position where a tender point hurts least, held there for "
        "up to a minute and a half, then brought back slowly.",
        default_cpt=MANUAL_THERAPY,
        code="strain_counterstrain",
    ),
    TechniqueForm(
        "Manual lymphatic drainage",
        TechniqueCategory.LYMPHATIC,
        "Very light, slow and rhythmic skin-stretching strokes that move fluid toward working "
        "lymph nodes.",
        default_cpt=MANUAL_THERAPY,
        code="lymphatic_drainage",
    ),
    TechniqueForm(
        "Cupping",
        TechniqueCategory.TOOLS,
        "Cups that lift the tissue by suction, left in place or slid along the skin.",
        deep=True,
        default_cpt=MANUAL_THERAPY,
        code="cupping",
    ),
    TechniqueForm(
        "Instrument-assisted soft tissue work",
        TechniqueCategory.TOOLS,
        "Smooth-edged tools stroked over the skin to find and treat restricted tissue.",
        deep=True,
        default_cpt=MANUAL_THERAPY,
        code="instrument_assisted",
    ),
)
STARTER_BY_CODE = {t.code: t for t in STARTER_TECHNIQUES}


# ---------------------------------------------------------------- use cases


def seed_techniques(db: Database) -> int:
    """Add every starter technique whose code is not in the library yet; returns how many."""
    with db.read() as session:
        have = set(session.scalars(select(TechniqueRow.code)))
    if have.issuperset(STARTER_BY_CODE):
        return 0
    with db.transaction() as session:
        return _seed(db, session)


def list_techniques(db: Database, *, include_archived: bool = False) -> list[Technique]:
    """The library in starter order, then the therapist's own by name."""
    seed_techniques(db)
    query = select(TechniqueRow)
    if not include_archived:
        query = query.where(TechniqueRow.archived.is_(False))
    with db.read() as session:
        rows = list(session.scalars(query))
    order = {code: i for i, code in enumerate(STARTER_BY_CODE)}
    rows.sort(key=lambda r: (order.get(r.code, len(order)), fold(r.name)))
    return [_technique(r) for r in rows]


def techniques_by_code(db: Database) -> dict[str, Technique]:
    """Every technique, archived ones included (old lines still name them), by code."""
    return {t.code: t for t in list_techniques(db, include_archived=True)}


def get_technique(db: Database, code: str) -> Technique:
    seed_techniques(db)
    with db.read() as session:
        return _technique(_row(session, code))


def create_technique(db: Database, form: TechniqueForm) -> Technique:
    """Add the therapist's own technique."""
    form = _validated(form)
    seed_techniques(db)
    with db.transaction() as session:
        code = form.code or _free_code(session, form.name)
        if session.scalar(select(TechniqueRow.id).where(TechniqueRow.code == code)) is not None:
            raise ValidationError({"code": f"The code '{code}' is taken; choose another."})
        if name_taken(session, TechniqueRow, name_key(form.name)):
            raise ValidationError({"name": f"There is already a technique called '{form.name}'."})
        form = replace(form, code=code)
        row = TechniqueRow(**asdict(form), name_key=name_key(form.name), built_in=False)
        audit.created(
            db,
            session,
            row,
            entity="technique",
            summary=f"Technique '{form.name}' added",
            changes=audit.diff({}, asdict(form)),
        )
        return _technique(row)


def update_technique(db: Database, code: str, form: TechniqueForm) -> Technique:
    """Edit a technique (starter or own). Its code never changes: saved lines refer to it."""
    form = _validated(replace(form, code=code))
    seed_techniques(db)
    with db.transaction() as session:
        row = _row(session, code)
        if name_taken(session, TechniqueRow, name_key(form.name), but=row.id):
            raise ValidationError({"name": f"There is already a technique called '{form.name}'."})
        old = asdict(_technique(row).form())
        for key, value in asdict(form).items():
            setattr(row, key, value)
        row.name_key = name_key(form.name)
        session.flush()
        audit.log(
            db,
            session,
            action="update",
            entity="technique",
            entity_id=row.id,
            summary=f"Technique '{form.name}' edited",
            changes=audit.diff(old, asdict(form)),
        )
        return _technique(row)


def set_technique_archived(db: Database, code: str, archived: bool) -> Technique:
    """Archive hides a technique from the pick lists; restoring brings it back."""
    seed_techniques(db)
    with db.transaction() as session:
        row = _row(session, code)
        if row.archived != archived:
            row.archived = archived
            audit.log(
                db,
                session,
                action="archive" if archived else "restore",
                entity="technique",
                entity_id=row.id,
                summary=f"Technique '{row.name}' {'archived' if archived else 'restored'}",
                changes={"archived": [not archived, archived]},
            )
        return _technique(row)


# ---------------------------------------------------------------- helpers


def _validated(form: TechniqueForm) -> TechniqueForm:
    form = replace(
        form,
        name=single_line(form.name),
        description=clean(form.description),
        default_cpt=single_line(form.default_cpt),
        code=single_line(form.code).lower(),
    )
    errors: dict[str, str] = {}
    if not form.name:
        errors["name"] = "Name the technique."
    elif len(form.name) > _MAX_NAME:
        errors["name"] = f"Keep the name under {_MAX_NAME} characters."
    try:
        form = replace(form, category=TechniqueCategory(form.category))
    except ValueError:
        names = ", ".join(c.value for c in TechniqueCategory)
        errors["category"] = f"Unknown category '{form.category}' (use one of {names})."
    if not _CPT.match(form.default_cpt):
        errors["default_cpt"] = (
            f"A CPT code has 5 digits, such as {MASSAGE} (massage) or {MANUAL_THERAPY} "
            "(manual therapy)."
        )
    if form.code and not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", form.code):
        errors["code"] = (
            "A code is 2-40 lowercase letters, digits or underscores, starting with a letter."
        )
    elif form.code == OTHER:
        errors["code"] = f"'{OTHER}' is kept for techniques typed in by name in a visit."
    if errors:
        raise ValidationError(errors)
    return form


def _seed(db: Database, session: Session) -> int:
    have = set(session.scalars(select(TechniqueRow.code)))
    missing = [t for t in STARTER_TECHNIQUES if t.code not in have]
    for form in missing:
        # A therapist's own technique may already have a starter's name: the starter comes in
        # without a key, as a duplicate to rename, rather than not at all.
        key = name_key(form.name)
        session.add(
            TechniqueRow(
                **asdict(form),
                name_key=None if name_taken(session, TechniqueRow, key) else key,
                built_in=True,
            )
        )
        session.flush()
    if missing:
        audit.log(
            db,
            session,
            action="create",
            entity="technique",
            entity_id=None,
            summary=f"{len(missing)} starter techniques added to the library",
            changes={"codes": [None, [t.code for t in missing]]},
        )
    return len(missing)


def _free_code(session: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:32] or "technique"
    if not base[0].isalpha():
        base = f"t_{base}"
    similar = select(TechniqueRow.code).where(TechniqueRow.code.like(f"{base}%"))
    taken = set(session.scalars(similar))
    code, n = base, 2
    while code in taken or code == OTHER:
        code, n = f"{base}_{n}", n + 1
    return code


def _row(session: Session, code: str) -> TechniqueRow:
    """The technique with this code; codes are stored clean, so the one asked for is cleaned."""
    wanted = single_line(code).lower() if isinstance(code, str) else code
    row = session.scalar(select(TechniqueRow).where(TechniqueRow.code == wanted))
    if row is None:
        raise NotFoundError(f"No technique with code '{code}'.")
    return row


def _technique(row: TechniqueRow) -> Technique:
    return Technique(
        name=row.name,
        category=TechniqueCategory(row.category),
        description=row.description,
        deep=row.deep,
        point_pressure=row.point_pressure,
        default_cpt=row.default_cpt,
        code=row.code,
        id=row.id,
        built_in=row.built_in,
        archived=row.archived,
    )
