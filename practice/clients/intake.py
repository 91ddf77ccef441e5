"""What an intake holds: the screening checklist, medications, surgeries and preferences.

Field list from DOMAIN.md section 1. Plain data with no database, so the contraindication
rules and the forms can share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class ConditionGroup(StrEnum):
    TODAY = "Today"
    HEART = "Heart and circulation"
    BLOOD = "Blood and clotting"
    BONE = "Bones and joints"
    NERVE = "Nerves and brain"
    SKIN = "Skin"
    OTHER = "Other"


@dataclass(frozen=True, slots=True)
class ConditionInfo:
    code: str
    label: str
    group: ConditionGroup
    detail_hint: str = ""


CONDITIONS: tuple[ConditionInfo, ...] = (
    ConditionInfo("fever", "Fever or feeling unwell today", ConditionGroup.TODAY),
    ConditionInfo(
        "contagious_illness", "Contagious illness (flu, cold, COVID ...)", ConditionGroup.TODAY
    ),
    ConditionInfo(
        "acute_condition", "Acute condition needing medical care", ConditionGroup.TODAY, "What?"
    ),
    ConditionInfo("hypertension", "High blood pressure, controlled", ConditionGroup.HEART),
    ConditionInfo(
        "hypertension_unstable", "High blood pressure, not controlled", ConditionGroup.HEART
    ),
    ConditionInfo("heart_disease", "Heart disease", ConditionGroup.HEART, "Which condition?"),
    ConditionInfo(
        "dvt_known", "Blood clot (DVT) or thrombophlebitis", ConditionGroup.BLOOD, "Where and when?"
    ),
    ConditionInfo(
        "dvt_suspected",
        "Calf pain with swelling, heat or redness",
        ConditionGroup.BLOOD,
        "Which leg?",
    ),
    ConditionInfo("bleeding_disorder", "Bleeding or clotting disorder", ConditionGroup.BLOOD),
    ConditionInfo("low_platelets", "Low platelets or low blood counts", ConditionGroup.BLOOD),
    ConditionInfo("varicose_veins", "Varicose veins", ConditionGroup.BLOOD, "Where?"),
    ConditionInfo("aneurysm", "Aneurysm", ConditionGroup.BLOOD, "Where?"),
    ConditionInfo(
        "lymph_nodes_removed", "Lymph nodes removed", ConditionGroup.BLOOD, "Which side or limb?"
    ),
    ConditionInfo("fracture", "Recent fracture", ConditionGroup.BONE, "Where and when?"),
    ConditionInfo("osteoporosis", "Osteoporosis (severe)", ConditionGroup.BONE),
    ConditionInfo(
        "inflammatory_flare",
        "Inflammatory arthritis in a flare (e.g. RA)",
        ConditionGroup.BONE,
        "Which joints?",
    ),
    ConditionInfo("arthritis", "Arthritis, not flaring", ConditionGroup.BONE),
    ConditionInfo("autoimmune", "Autoimmune disease", ConditionGroup.BONE, "Which?"),
    ConditionInfo("fibromyalgia", "Fibromyalgia", ConditionGroup.BONE),
    ConditionInfo("diabetes", "Diabetes", ConditionGroup.NERVE),
    ConditionInfo(
        "neuropathy", "Neuropathy (numbness, reduced feeling)", ConditionGroup.NERVE, "Where?"
    ),
    ConditionInfo("seizures", "Seizures or epilepsy", ConditionGroup.NERVE),
    ConditionInfo("stroke_tia", "Stroke or TIA in the last year", ConditionGroup.NERVE),
    ConditionInfo("carotid_bruit", "Carotid artery disease or bruit", ConditionGroup.NERVE),
    ConditionInfo("migraine", "Migraine or frequent headaches", ConditionGroup.NERVE),
    ConditionInfo(
        "skin_condition", "Rash, wound, burn or skin infection", ConditionGroup.SKIN, "Where?"
    ),
    ConditionInfo("unexplained_lump", "Unexplained lump or pain", ConditionGroup.OTHER, "Where?"),
)

CONDITION_BY_CODE = {c.code: c for c in CONDITIONS}


class MedicationFlag(StrEnum):
    ANTICOAGULANT = "anticoagulant"
    ANTIPLATELET = "antiplatelet"
    ANTIHYPERTENSIVE = "antihypertensive"
    ANALGESIC = "analgesic"
    OPIOID = "opioid"
    MUSCLE_RELAXANT = "muscle relaxant"
    STATIN = "statin"


# Common generic names, to suggest flags as the therapist types. The therapist confirms them.
KNOWN_MEDICATIONS: dict[str, frozenset[MedicationFlag]] = {
    name: frozenset(flags)
    for name, flags in {
        "warfarin": {MedicationFlag.ANTICOAGULANT},
        "apixaban": {MedicationFlag.ANTICOAGULANT},
        "rivaroxaban": {MedicationFlag.ANTICOAGULANT},
        "dabigatran": {MedicationFlag.ANTICOAGULANT},
        "edoxaban": {MedicationFlag.ANTICOAGULANT},
        "heparin": {MedicationFlag.ANTICOAGULANT},
        "enoxaparin": {MedicationFlag.ANTICOAGULANT},
        "clopidogrel": {MedicationFlag.ANTIPLATELET},
        "aspirin": {MedicationFlag.ANTIPLATELET, MedicationFlag.ANALGESIC},
        "ticagrelor": {MedicationFlag.ANTIPLATELET},
        "lisinopril": {MedicationFlag.ANTIHYPERTENSIVE},
        "ramipril": {MedicationFlag.ANTIHYPERTENSIVE},
        "amlodipine": {MedicationFlag.ANTIHYPERTENSIVE},
        "losartan": {MedicationFlag.ANTIHYPERTENSIVE},
        "metoprolol": {MedicationFlag.ANTIHYPERTENSIVE},
        "hydrochlorothiazide": {MedicationFlag.ANTIHYPERTENSIVE},
        "ibuprofen": {MedicationFlag.ANALGESIC},
        "naproxen": {MedicationFlag.ANALGESIC},
        "acetaminophen": {MedicationFlag.ANALGESIC},
        "paracetamol": {MedicationFlag.ANALGESIC},
        "celecoxib": {MedicationFlag.ANALGESIC},
        "oxycodone": {MedicationFlag.OPIOID, MedicationFlag.ANALGESIC},
        "hydrocodone": {MedicationFlag.OPIOID, MedicationFlag.ANALGESIC},
        "codeine": {MedicationFlag.OPIOID, MedicationFlag.ANALGESIC},
        "tramadol": {MedicationFlag.OPIOID, MedicationFlag.ANALGESIC},
        "morphine": {MedicationFlag.OPIOID, MedicationFlag.ANALGESIC},
        "cyclobenzaprine": {MedicationFlag.MUSCLE_RELAXANT},
        "methocarbamol": {MedicationFlag.MUSCLE_RELAXANT},
        "tizanidine": {MedicationFlag.MUSCLE_RELAXANT},
        "baclofen": {MedicationFlag.MUSCLE_RELAXANT},
        "atorvastatin": {MedicationFlag.STATIN},
        "rosuvastatin": {MedicationFlag.STATIN},
        "simvastatin": {MedicationFlag.STATIN},
    }.items()
}


def suggest_flags(medication_name: str) -> frozenset[MedicationFlag]:
    words = medication_name.casefold().replace("/", " ").split()
    flags: set[MedicationFlag] = set()
    for word in words:
        flags |= KNOWN_MEDICATIONS.get(word.strip(",.()"), frozenset())
    return frozenset(flags)


class CancerStatus(StrEnum):
    NONE = "none"
    HISTORY = "history, treatment finished"
    ACTIVE = "in active treatment"
    BONE_METASTASIS = "with bone metastasis"


class Pressure(StrEnum):
    LIGHT = "light"
    MEDIUM = "medium"
    FIRM = "firm"
    DEEP = "deep"


@dataclass(frozen=True, slots=True)
class Medication:
    name: str
    flags: frozenset[MedicationFlag] = frozenset()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Surgery:
    description: str
    on: date | None = None
    spine: bool = False


@dataclass(frozen=True, slots=True)
class IntakeData:
    """One dated intake. A new intake never replaces an old one; both are kept."""

    recorded_on: date
    conditions: dict[str, str] = field(default_factory=dict)  # condition code -> detail
    medications: tuple[Medication, ...] = ()
    allergies: str = ""
    oil_or_scent_allergy: bool = False
    surgeries: tuple[Surgery, ...] = ()
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    high_risk_pregnancy: bool = False
    implants: str = ""
    cancer_status: CancerStatus = CancerStatus.NONE
    cancer_details: str = ""
    goals: str = ""
    focus_areas: str = ""
    areas_to_avoid: str = ""
    pressure_preference: Pressure = Pressure.MEDIUM
    positions_not_tolerated: str = ""
    other_notes: str = ""

    def has(self, code: str) -> bool:
        return code in self.conditions

    def medication_flags(self) -> frozenset[MedicationFlag]:
        flags: set[MedicationFlag] = set()
        for med in self.medications:
            flags |= med.flags
        return frozenset(flags)

    def medications_with(self, flag: MedicationFlag) -> list[str]:
        return [m.name for m in self.medications if flag in m.flags]

    @property
    def trimester(self) -> int | None:
        if not self.pregnant or self.pregnancy_weeks is None:
            return None
        return 1 if self.pregnancy_weeks < 14 else 2 if self.pregnancy_weeks < 28 else 3
