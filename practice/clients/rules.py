"""Contraindication rules: what an intake means for today's treatment.

The table follows DOMAIN.md section 2. BLOCK means no session today; LOCAL means avoid an
area; WARN-DEEP means no deep tissue, trigger point pressure, friction, cupping or instrument
work; CAUTION and NOTE are things to keep in mind. Each rule says what, why and what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from practice.clients.intake import CancerStatus, IntakeData, MedicationFlag


class AlertLevel(StrEnum):
    BLOCK = "BLOCK"
    LOCAL = "LOCAL"
    WARN_DEEP = "WARN-DEEP"
    CAUTION = "CAUTION"
    NOTE = "NOTE"

    @property
    def rank(self) -> int:
        return list(AlertLevel).index(self)

    @property
    def restricts_deep_work(self) -> bool:
        """Levels for which deep or point-pressure work needs an explicit acknowledgement."""
        return self in (AlertLevel.BLOCK, AlertLevel.LOCAL, AlertLevel.WARN_DEEP)


@dataclass(frozen=True, slots=True)
class Alert:
    rule: str
    level: AlertLevel
    title: str
    why: str
    action: str
    detail: str = ""


Check = Callable[[IntakeData, date], str | None]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    level: AlertLevel
    title: str
    why: str
    action: str
    check: Check


RECENT_SURGERY = timedelta(weeks=6)
SURGERY_FOLLOW_UP = timedelta(days=183)


def _condition(*codes: str) -> Check:
    def check(intake: IntakeData, _today: date) -> str | None:
        found = [c for c in codes if intake.has(c)]
        if not found:
            return None
        return "; ".join(d for d in (intake.conditions[c] for c in found) if d) or ""

    return check


def _medication(*flags: MedicationFlag) -> Check:
    def check(intake: IntakeData, _today: date) -> str | None:
        names = sorted({n for f in flags for n in intake.medications_with(f)})
        return ", ".join(names) if names else None

    return check


def _either(*checks: Check) -> Check:
    def check(intake: IntakeData, today: date) -> str | None:
        found = [d for d in (c(intake, today) for c in checks) if d is not None]
        if not found:
            return None
        return "; ".join(d for d in found if d)

    return check


def _surgery_within(window: timedelta, *, since: timedelta | None = None) -> Check:
    def check(intake: IntakeData, today: date) -> str | None:
        hits = []
        for s in intake.surgeries:
            if s.on is None or s.on > today:
                continue
            age = today - s.on
            if age <= window and (since is None or age > since):
                hits.append(f"{s.description} ({s.on.isoformat()})")
        return "; ".join(hits) if hits else None

    return check


def _recent_spine_surgery(intake: IntakeData, today: date) -> str | None:
    hits = [
        f"{s.description} ({s.on.isoformat()})"
        for s in intake.surgeries
        if s.spine and s.on is not None and s.on <= today and today - s.on <= RECENT_SURGERY
    ]
    return "; ".join(hits) if hits else None


def _pregnancy(intake: IntakeData, _today: date) -> str | None:
    if not intake.pregnant:
        return None
    parts = []
    if intake.pregnancy_weeks is not None:
        parts.append(f"{intake.pregnancy_weeks} weeks, trimester {intake.trimester}")
    if intake.high_risk_pregnancy:
        parts.append("high risk: needs clearance from the prenatal care provider")
    return "; ".join(parts)


def _cancer(*statuses: CancerStatus) -> Check:
    def check(intake: IntakeData, _today: date) -> str | None:
        return intake.cancer_details if intake.cancer_status in statuses else None

    return check


def _implants(intake: IntakeData, _today: date) -> str | None:
    return intake.implants.strip() or None


DEEP = "deep tissue, trigger point pressure, friction, cupping or instrument work"

RULES: tuple[Rule, ...] = (
    Rule(
        "acute_illness",
        AlertLevel.BLOCK,
        "Fever or acute illness",
        "Massage can worsen an acute illness and spread a contagious one.",
        "Do not treat today. Reschedule; refer to a physician if it needs care.",
        _condition("fever", "contagious_illness", "acute_condition"),
    ),
    Rule(
        "unstable_hypertension",
        AlertLevel.BLOCK,
        "Uncontrolled high blood pressure",
        "Unstable blood pressure is a medical problem to settle before bodywork.",
        "Do not treat today. Refer to the client's physician.",
        _condition("hypertension_unstable"),
    ),
    Rule(
        "dvt",
        AlertLevel.BLOCK,
        "Known or suspected blood clot (DVT)",
        "Pressure on a clot can dislodge it and cause a pulmonary embolism.",
        "Do not treat. Refer to a physician today; resume only with medical clearance.",
        _condition("dvt_known", "dvt_suspected"),
    ),
    Rule(
        "bone_metastasis",
        AlertLevel.LOCAL,
        "Bone metastasis",
        "Bone weakened by cancer can fracture under pressure.",
        f"Avoid the affected bones; no {DEEP} or percussion. Needs oncology clearance.",
        _cancer(CancerStatus.BONE_METASTASIS),
    ),
    Rule(
        "cancer_active",
        AlertLevel.WARN_DEEP,
        "Cancer in active treatment",
        "Treatment lowers blood counts and tissue tolerance; tumour sites, radiation fields "
        "and ports must not be pressed.",
        f"Needs oncology clearance. Light pressure only; no {DEEP}. Avoid the tumour, "
        "radiation field, ports and enlarged nodes. Defer if blood counts are low.",
        _cancer(CancerStatus.ACTIVE, CancerStatus.BONE_METASTASIS),
    ),
    Rule(
        "bleeding_risk",
        AlertLevel.WARN_DEEP,
        "Bleeding risk",
        "Anticoagulants, antiplatelets, bleeding disorders and low platelets make bruising "
        "and bleeding likely.",
        f"Light pressure only; no {DEEP}.",
        _either(
            _medication(MedicationFlag.ANTICOAGULANT, MedicationFlag.ANTIPLATELET),
            _condition("bleeding_disorder", "low_platelets"),
        ),
    ),
    Rule(
        "recent_surgery",
        AlertLevel.LOCAL,
        "Surgery in the last 6 weeks",
        "An incision must be fully closed, with no scab, before it is worked on.",
        "Avoid the surgical area until healed (about 6 weeks for a medium incision).",
        _surgery_within(RECENT_SURGERY),
    ),
    Rule(
        "recent_spine_surgery",
        AlertLevel.WARN_DEEP,
        "Spine surgery in the last 6 weeks",
        "Spinal surgery needs at least 4 to 6 weeks and the surgeon's clearance.",
        f"Get the surgeon's clearance; no {DEEP} near the spine.",
        _recent_spine_surgery,
    ),
    Rule(
        "surgery_this_half_year",
        AlertLevel.NOTE,
        "Surgery in the last 6 months",
        "Recent surgery can leave tender scar tissue and restrictions.",
        "Ask how healing is going and check the scar before working near it.",
        _surgery_within(SURGERY_FOLLOW_UP, since=RECENT_SURGERY),
    ),
    Rule(
        "fracture_or_osteoporosis",
        AlertLevel.WARN_DEEP,
        "Fracture or severe osteoporosis",
        "Fragile or healing bone can break under pressure.",
        f"Avoid a healing fracture site; no {DEEP} or percussion over fragile bone.",
        _condition("fracture", "osteoporosis"),
    ),
    Rule(
        "lymph_nodes_removed",
        AlertLevel.WARN_DEEP,
        "Lymph nodes removed",
        "A limb without its lymph nodes can swell (lymphoedema) for life after pressure.",
        "Lifelong light pressure on the affected limb; no deep work there.",
        _condition("lymph_nodes_removed"),
    ),
    Rule(
        "pregnancy",
        AlertLevel.WARN_DEEP,
        "Pregnancy",
        "Pregnancy raises clotting risk and changes positioning needs.",
        "Side-lying position; no deep pressure on the legs or abdomen. By convention avoid "
        "SP6, LI4 and the ankle hollows. High-risk pregnancy needs clearance.",
        _pregnancy,
    ),
    Rule(
        "local_skin_or_vessel",
        AlertLevel.LOCAL,
        "Skin, vessel or inflamed joint to avoid",
        "Wounds, rashes, varicose veins, aneurysms and inflamed joints are harmed by pressure.",
        "Avoid the affected area entirely.",
        _condition("skin_condition", "varicose_veins", "aneurysm", "inflammatory_flare"),
    ),
    Rule(
        "reduced_feedback",
        AlertLevel.WARN_DEEP,
        "Reduced pain feedback",
        "Neuropathy, opioids and muscle relaxants dull the client's warning signals.",
        f"Check in often and keep pressure moderate; no {DEEP}.",
        _either(
            _condition("neuropathy"),
            _medication(MedicationFlag.OPIOID, MedicationFlag.MUSCLE_RELAXANT),
        ),
    ),
    Rule(
        "implant",
        AlertLevel.LOCAL,
        "Implanted device",
        "Pressure over a pacemaker, port, pump or stimulator can damage or displace it.",
        "No pressure over the device.",
        _implants,
    ),
    Rule(
        "unexplained_lump",
        AlertLevel.LOCAL,
        "Unexplained lump or pain",
        "An unexplained lump needs a physician's assessment first.",
        "Avoid the area and suggest the client see their physician.",
        _condition("unexplained_lump"),
    ),
    Rule(
        "neck_vascular",
        AlertLevel.CAUTION,
        "Recent stroke, TIA or carotid disease",
        "Pressure in the front of the neck may affect the carotid artery.",
        "No pressure on the anterior neck; gentle work only on the neck.",
        _condition("stroke_tia", "carotid_bruit"),
    ),
    Rule(
        "antihypertensive",
        AlertLevel.NOTE,
        "Blood pressure medication",
        "Blood pressure can drop during treatment.",
        "Have the client sit up slowly; dizziness on getting up is common.",
        _medication(MedicationFlag.ANTIHYPERTENSIVE),
    ),
    Rule(
        "seizures",
        AlertLevel.NOTE,
        "Seizure history",
        "A seizure can happen on the table.",
        "Know the client's triggers and plan; keep the table low.",
        _condition("seizures"),
    ),
    Rule(
        "oil_allergy",
        AlertLevel.NOTE,
        "Allergy to oils or scents",
        "Lotions, oils and scented products can cause a reaction.",
        "Use unscented, allergen-free lubricant; check the product list.",
        lambda intake, _today: (intake.allergies or "") if intake.oil_or_scent_allergy else None,
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}


# Missing information is never read as safe: no intake, or an old one, is itself a caution.
INTAKE_MAX_AGE = timedelta(days=365)
NO_INTAKE = Alert(
    "no_intake",
    AlertLevel.CAUTION,
    "No health history on file",
    "Without an intake nothing can be checked for contraindications: treating blind.",
    "Ask about health history before treating, and record an intake.",
)


def stale_intake(recorded_on: date) -> Alert:
    return Alert(
        "stale_intake",
        AlertLevel.CAUTION,
        "Update the health history",
        f"The health history is from {recorded_on.isoformat()}, more than 12 months ago; "
        "conditions, medications and surgeries may have changed.",
        "Go through the health history with the client and record a new intake.",
        detail=recorded_on.isoformat(),
    )


def evaluate(intake: IntakeData | None, today: date | None = None) -> list[Alert]:
    """Alerts from an intake, most serious first. No intake, or an old one, is a caution too."""
    if intake is None:
        return [NO_INTAKE]
    today = today or date.today()
    alerts = []
    if today - intake.recorded_on > INTAKE_MAX_AGE:
        alerts.append(stale_intake(intake.recorded_on))
    for rule in RULES:
        detail = rule.check(intake, today)
        if detail is not None:
            alerts.append(Alert(rule.code, rule.level, rule.title, rule.why, rule.action, detail))
    return sorted(alerts, key=lambda a: a.level.rank)


def restricts_deep_work(alerts: list[Alert]) -> list[Alert]:
    return [a for a in alerts if a.level.restricts_deep_work]
