"""Plain input forms and read models for visits, SOAP notes, treatments, templates and measures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any


class VisitStatus(StrEnum):
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return {"completed": "Completed", "cancelled": "Cancelled", "no_show": "No-show"}[self]


# CMS place-of-service codes (CMS-1500 box 24B) a massage practice uses.
PLACES_OF_SERVICE: Mapping[str, str] = {
    "11": "Office",
    "12": "Client's home",
    "02": "Telehealth, not in the client's home",
    "10": "Telehealth in the client's home",
    "13": "Assisted living facility",
    "99": "Other place of service",
}
OFFICE = "11"


class Position(StrEnum):
    PRONE = "prone"
    SUPINE = "supine"
    SIDE_LYING_LEFT = "side_left"
    SIDE_LYING_RIGHT = "side_right"
    SEATED = "seated"


# Fascia's own pressure scale (the Walton scale's licence for software is unconfirmed).
PRESSURE_LABELS: Mapping[int, str] = {
    1: "light",
    2: "moderate",
    3: "firm",
    4: "deep",
    5: "very deep",
}
DEEP_PRESSURE = 4  # from here on a technique counts as deep work, whatever its name


class TriggerPointState(StrEnum):
    ACTIVE = "active"  # reproduces the familiar pain and refers it
    LATENT = "latent"  # painful only when pressed


@dataclass(frozen=True, slots=True)
class TriggerPointFinding:
    muscle: str
    state: TriggerPointState = TriggerPointState.ACTIVE
    side: str = ""  # "L", "R", or "" for midline or both sides
    note: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "muscle": self.muscle,
            "state": str(self.state),
            "side": self.side,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TriggerPointFinding:
        return cls(
            muscle=str(data.get("muscle", "")),
            state=TriggerPointState(data.get("state", TriggerPointState.ACTIVE)),
            side=str(data.get("side", "")),
            note=str(data.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class SoapNote:
    """The note of one visit. Field names are the soap_note column names."""

    # S: in the client's words
    complaint: str = ""
    pain_before: int | None = None  # NRS 0-10 before treatment
    changes_since_last: str = ""
    sleep: str = ""
    stress: str = ""
    medication_changes: str = ""
    goals_today: str = ""
    # O: what the therapist found (the body chart is stored with the visit id)
    posture: str = ""
    tone: str = ""
    texture: str = ""
    taut_bands: str = ""
    tenderness_grade: int | None = None  # 0-IV (Hubbard & Berkoff 1993)
    trigger_points: tuple[TriggerPointFinding, ...] = ()
    range_of_motion: str = ""
    # A: response to treatment
    response: str = ""
    pain_after: int | None = None  # NRS 0-10 after treatment
    released: str = ""
    not_released: str = ""
    # P: the plan
    next_focus: str = ""
    frequency: str = ""
    home_care: str = ""
    referrals: str = ""
    re_evaluation_on: date | None = None

    def is_empty(self) -> bool:
        return self == SoapNote()

    def carried_over(self) -> SoapNote:
        """What 'start from last visit' keeps: the course of care, none of today's findings."""
        return SoapNote(**{name: getattr(self, name) for name in CARRIED_OVER})

    def without_scores(self) -> SoapNote:
        """The note with every number measured on the day cleared (for templates)."""
        return replace(self, pain_before=None, pain_after=None, tenderness_grade=None)

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in NOTE_FIELDS}
        data["trigger_points"] = [t.to_json() for t in self.trigger_points]
        data["re_evaluation_on"] = _iso(self.re_evaluation_on)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SoapNote:
        """Read a stored note; unknown keys are ignored and missing ones take their default."""
        values = {name: data[name] for name in NOTE_FIELDS if name in data}
        values["trigger_points"] = tuple(
            TriggerPointFinding.from_json(t) for t in data.get("trigger_points") or ()
        )
        values["re_evaluation_on"] = _as_date(data.get("re_evaluation_on"))
        return cls(**values)


NOTE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(SoapNote))
NOTE_SCORES = ("pain_before", "pain_after", "tenderness_grade")
CARRIED_OVER = ("complaint", "goals_today", "next_focus", "frequency", "home_care")


@dataclass(frozen=True, slots=True)
class TreatmentInput:
    """One line of the treatment log as typed: technique x regions x minutes, pressure, position."""

    technique: str  # a code from techniques.TECHNIQUES, or "other" with a name
    minutes: int
    regions: tuple[str, ...] = ()  # body map atlas codes
    pressure: int = 3  # PRESSURE_LABELS
    position: Position = Position.PRONE
    notes: str = ""
    name: str = ""  # needed for "other"; the technique list's name otherwise
    deep: bool = False  # deep work whatever the technique (pressure 4-5 counts too)
    acknowledged: frozenset[str] = frozenset()  # alert rule codes the therapist acknowledged

    def to_json(self) -> dict[str, Any]:
        return {
            "technique": self.technique,
            "minutes": self.minutes,
            "regions": list(self.regions),
            "pressure": self.pressure,
            "position": str(self.position),
            "notes": self.notes,
            "name": self.name,
            "deep": self.deep,
            "acknowledged": sorted(self.acknowledged),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TreatmentInput:
        return cls(
            technique=str(data.get("technique", "")),
            minutes=data.get("minutes", 0),
            regions=tuple(data.get("regions") or ()),
            pressure=data.get("pressure", 3),
            position=Position(data.get("position", Position.PRONE)),
            notes=str(data.get("notes", "")),
            name=str(data.get("name", "")),
            deep=bool(data.get("deep", False)),
            acknowledged=frozenset(data.get("acknowledged") or ()),
        )


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """A therapist's explicit 'I know about this alert and work deep anyway', with who and when."""

    alert: str  # the contraindication rule code
    level: str
    title: str
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TreatmentEntry:
    id: int
    technique: str
    name: str
    regions: tuple[str, ...]
    minutes: int
    pressure: int
    position: Position
    notes: str
    deep: bool
    acknowledgements: tuple[Acknowledgement, ...]

    def as_input(self) -> TreatmentInput:
        return TreatmentInput(
            technique=self.technique,
            minutes=self.minutes,
            regions=self.regions,
            pressure=self.pressure,
            position=self.position,
            notes=self.notes,
            name=self.name,
            deep=self.deep,
            acknowledged=frozenset(a.alert for a in self.acknowledgements),
        )


@dataclass(frozen=True, slots=True)
class VisitForm:
    """When and where a visit happened and how it went (status)."""

    starts_at: datetime  # timezone-aware
    duration_minutes: int = 60
    place_of_service: str = OFFICE
    status: VisitStatus = VisitStatus.COMPLETED

    def to_json(self) -> dict[str, Any]:
        return {
            "starts_at": self.starts_at.isoformat(),
            "duration_minutes": self.duration_minutes,
            "place_of_service": self.place_of_service,
            "status": str(self.status),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VisitForm:
        return cls(
            starts_at=datetime.fromisoformat(data["starts_at"]),
            duration_minutes=data.get("duration_minutes", 60),
            place_of_service=str(data.get("place_of_service", OFFICE)),
            status=VisitStatus(data.get("status", VisitStatus.COMPLETED)),
        )


@dataclass(frozen=True, slots=True)
class VisitDraft:
    """Everything the note editor holds: the visit facts, the SOAP note and the treatment log."""

    visit: VisitForm
    note: SoapNote = SoapNote()
    treatments: tuple[TreatmentInput, ...] = ()

    @property
    def treatment_minutes(self) -> int:
        return sum(t.minutes for t in self.treatments)

    def to_json(self) -> dict[str, Any]:
        return {
            "visit": self.visit.to_json(),
            "note": self.note.to_json(),
            "treatments": [t.to_json() for t in self.treatments],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VisitDraft:
        return cls(
            visit=VisitForm.from_json(data["visit"]),
            note=SoapNote.from_json(data.get("note") or {}),
            treatments=tuple(TreatmentInput.from_json(t) for t in data.get("treatments") or ()),
        )


@dataclass(frozen=True, slots=True)
class SigningAcknowledgement:
    """Something the therapist knowingly signed despite: no current consent on file, say."""

    kind: str
    text: str
    by: str
    at: datetime


NO_CONSENT = "no_consent"
# A past visit brought in from another tool's export: final (locked and sealed) from the moment
# it was imported, by whoever imported it, but never signed in Fascia (see visits/imported.py).
IMPORTED = "imported"
NOT_BILLED_HERE = (
    "Imported from another tool, where this visit was billed: Fascia does not bill it again."
)


def is_imported(acknowledgements: Sequence[Mapping[str, object]] | None) -> bool:
    """Whether a visit's signing acknowledgements (as stored) mark it imported."""
    return any(a.get("kind") == IMPORTED for a in acknowledgements or ())


@dataclass(frozen=True, slots=True)
class Visit:
    id: int
    client_id: int
    starts_at: datetime
    duration_minutes: int
    place_of_service: str
    status: VisitStatus
    created_at: datetime
    created_by: str
    updated_at: datetime
    signed_at: datetime | None
    signed_by: str  # the signature as it read when signed
    signed_by_id: int | None = None
    signing_acknowledgements: tuple[SigningAcknowledgement, ...] = ()

    @property
    def signed(self) -> bool:
        """Final: signed here, or imported (then locked as it came, and never signed here)."""
        return self.signed_at is not None

    @property
    def imported(self) -> SigningAcknowledgement | None:
        """Where the visit came from, when it was imported from another tool's export."""
        return next((a for a in self.signing_acknowledgements if a.kind == IMPORTED), None)

    def signature_line(self, locale: str = "en_US") -> str:
        """'Signed by Maya Chen, RMT (reg. 12345), 6 Dec 2026 14:02', or '' for a draft; an
        imported visit says who imported it and that nobody signed it in Fascia."""
        if self.signed_at is None:
            return ""
        from practice.store.practitioners import signed_line

        source = self.imported
        if source is not None:
            from practice.dates import format_moment

            moment = format_moment(source.at, locale)
            return f"Imported by {source.by}, {moment}; not signed in Fascia"
        return signed_line(self.signed_by, self.signed_at, locale)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def day(self) -> date:
        """The visit's date where the therapist is (times are stored in UTC)."""
        return self.starts_at.astimezone().date()

    def form(self) -> VisitForm:
        return VisitForm(self.starts_at, self.duration_minutes, self.place_of_service, self.status)


@dataclass(frozen=True, slots=True)
class Amendment:
    id: int
    visit_id: int
    created_at: datetime
    author: str
    reason: str
    text: str

    def signature_line(self, locale: str = "en_US") -> str:
        from practice.store.practitioners import signed_line

        return signed_line(self.author, self.created_at, locale)


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """A visit as the editor and the printout show it: the note as signed, then its amendments."""

    visit: Visit
    note: SoapNote
    treatments: tuple[TreatmentEntry, ...]
    amendments: tuple[Amendment, ...]  # oldest first; the note above is never replaced
    saved_at: datetime
    autosaved: VisitDraft | None = None  # typing newer than the saved note, to offer back
    autosaved_at: datetime | None = None
    chart_id: int | None = None  # the current version of the visit's body chart
    measures: tuple[MeasureEntry, ...] = ()  # PSFS items, sleep, custom scores of this visit
    headaches: tuple[HeadacheEntry, ...] = ()  # diary days reported at this visit
    version: int = 0  # the note's, as read: a save passes it back (store.versions)

    @property
    def treatment_minutes(self) -> int:
        return sum(t.minutes for t in self.treatments)

    def draft(self) -> VisitDraft:
        """The saved note as editable input."""
        return VisitDraft(
            self.visit.form(), self.note, tuple(t.as_input() for t in self.treatments)
        )


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """One line of a client's visit history."""

    id: int
    starts_at: datetime
    duration_minutes: int
    place_of_service: str
    status: VisitStatus
    signed_at: datetime | None
    pain_before: int | None
    pain_after: int | None
    treatment_minutes: int
    techniques: tuple[str, ...]  # names, in note order, each once
    amendments: int
    imported: bool = False  # from another tool's export: final, never signed here

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    since: date | None = None  # inclusive, the therapist's dates
    until: date | None = None  # inclusive
    statuses: frozenset[VisitStatus] = frozenset()  # empty: every status
    unsigned_only: bool = False


@dataclass(frozen=True, slots=True)
class StaleDraft:
    visit_id: int
    client_id: int
    client_name: str
    starts_at: datetime
    days_old: int


@dataclass(frozen=True, slots=True)
class VisitTemplate:
    id: int
    name: str
    note: SoapNote
    treatments: tuple[TreatmentInput, ...]

    def draft(self, visit: VisitForm) -> VisitDraft:
        return VisitDraft(visit, self.note, self.treatments)


# ---------------------------------------------------------------- outcome measures


@dataclass(frozen=True, slots=True)
class PsfsItem:
    """One activity the client finds hard, scored 0 (unable) to 10 (as before the problem)."""

    activity: str
    score: int


@dataclass(frozen=True, slots=True)
class CustomMeasureForm:
    name: str
    minimum: float
    maximum: float
    higher_is_better: bool
    mcid: float | None = None  # the smallest change the therapist counts as meaningful
    unit: str = ""


@dataclass(frozen=True, slots=True)
class HeadacheForm:
    occurred_on: date
    duration_hours: float
    intensity: int  # NRS 0-10 at its worst
    medication_taken: bool = False
    medication: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class HeadacheEntry:
    id: int
    client_id: int
    entry: HeadacheForm
    visit_id: int | None = None


@dataclass(frozen=True, slots=True)
class MeasureEntry:
    """A stored score: a PSFS activity, a sleep rating or a custom measure value."""

    id: int
    measure: str  # the measure code (see measures.Measure.code)
    item: str
    value: float
    measured_on: date
    visit_id: int | None = None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
