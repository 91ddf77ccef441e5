"""The starter technique pick list and which treatment entries an intake alert must clear.

Until the technique library lands, this list is the pick list. `deep` marks the work that
DOMAIN.md section 2 restricts under WARN-DEEP: deep tissue, trigger point and other point
pressure, friction, percussion, cupping and instrument work. Default CPT codes follow
DOMAIN.md section 7: 97124 for massage strokes, 97140 for manual therapy (myofascial release,
NMT, manual lymphatic drainage and the like).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from practice.bounds import whole_in
from practice.clients.rules import Alert
from practice.techniques.records import Technique as LibraryTechnique
from practice.text import clean
from practice.visits.records import DEEP_PRESSURE, PRESSURE_LABELS, TreatmentInput

MASSAGE = "97124"
MANUAL_THERAPY = "97140"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Technique:
    code: str
    name: str
    deep: bool  # deep, point-pressure, friction, percussion or tool work
    cpt: str


TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        "trigger_point", "Trigger point therapy (ischemic compression)", True, MANUAL_THERAPY
    ),
    Technique("myofascial_release", "Myofascial release", False, MANUAL_THERAPY),
    Technique("neuromuscular", "Neuromuscular therapy (NMT)", True, MANUAL_THERAPY),
    Technique("deep_tissue", "Deep tissue", True, MASSAGE),
    Technique("effleurage", "Swedish: effleurage", False, MASSAGE),
    Technique("petrissage", "Swedish: petrissage", False, MASSAGE),
    Technique("tapotement", "Swedish: tapotement", True, MASSAGE),  # percussion
    Technique("swedish_friction", "Swedish: friction", True, MASSAGE),
    Technique("vibration", "Swedish: vibration", False, MASSAGE),
    Technique("cross_fibre_friction", "Cross-fibre friction", True, MANUAL_THERAPY),
    Technique("muscle_energy", "Muscle energy technique", False, MANUAL_THERAPY),
    Technique("pnf_stretching", "PNF stretching", False, MANUAL_THERAPY),
    Technique("strain_counterstrain", "Strain-counterstrain", False, MANUAL_THERAPY),
    Technique("lymphatic_drainage", "Manual lymphatic drainage", False, MANUAL_THERAPY),
    Technique("cupping", "Cupping", True, MANUAL_THERAPY),
    Technique("instrument_assisted", "Instrument-assisted soft tissue work", True, MANUAL_THERAPY),
)

TECHNIQUE_BY_CODE: Mapping[str, Technique] = {t.code: t for t in TECHNIQUES}


def technique_name(entry: TreatmentInput) -> str:
    """The name stored with the entry: the one it carries (the technique library's, or typed
    for 'other'), else the starter list's."""
    known = TECHNIQUE_BY_CODE.get(entry.technique)
    return entry.name.strip() or (known.name if known else "")


def is_deep(entry: TreatmentInput) -> bool:
    known = TECHNIQUE_BY_CODE.get(entry.technique)
    heavy = whole_in(entry.pressure, DEEP_PRESSURE, max(PRESSURE_LABELS))  # else refused later
    return bool(entry.deep) or heavy or (known is not None and known.deep)


def alerts_to_acknowledge(alerts: Iterable[Alert], entry: TreatmentInput) -> list[Alert]:
    """The client's alerts this entry must acknowledge: deep work under BLOCK, LOCAL, WARN-DEEP."""
    if not is_deep(entry):
        return []
    return [alert for alert in alerts if alert.level.restricts_deep_work]


def unacknowledged(alerts: Iterable[Alert], entry: TreatmentInput) -> list[Alert]:
    return [a for a in alerts_to_acknowledge(alerts, entry) if a.rule not in entry.acknowledged]


def from_library(entry: TreatmentInput, library: Mapping[str, LibraryTechnique]) -> TreatmentInput:
    """A line whose code is in the technique library takes its name (unless one was given) and
    counts as deep work when the library flags the technique deep or point pressure."""
    technique = library.get(clean(entry.technique))
    if technique is None or clean(entry.technique) == OTHER:
        return entry
    return replace(
        entry, name=clean(entry.name) or technique.name, deep=entry.deep or technique.restricted
    )
