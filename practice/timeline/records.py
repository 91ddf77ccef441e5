"""What a client timeline is made of: entries of nine kinds, newest first, read a page at a time."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class Kind(StrEnum):
    """What the therapist filters by. Each kind opens in its own tab of the client workspace."""

    INTAKE = "intake"
    CONSENT = "consent"
    VISIT = "visit"
    CHART = "chart"
    MEASURE = "measure"
    PLAN = "plan"
    DOCUMENT = "document"
    INVOICE = "invoice"
    PAYMENT = "payment"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


# The kinds that are clinical records: the front desk is not shown them (the server refuses
# them the tables: `practice.store.grants`).
CLINICAL_KINDS = frozenset(
    {Kind.INTAKE, Kind.VISIT, Kind.CHART, Kind.MEASURE, Kind.PLAN, Kind.DOCUMENT}
)

KIND_LABELS = {
    Kind.INTAKE: "Intake",
    Kind.CONSENT: "Consent",
    Kind.VISIT: "Visit",
    Kind.CHART: "Body chart",
    Kind.MEASURE: "Measure",
    Kind.PLAN: "Plan",
    Kind.DOCUMENT: "Document",
    Kind.INVOICE: "Invoice",
    Kind.PAYMENT: "Payment",
}


class Source(StrEnum):
    """Where an entry comes from: one lean query each. The order breaks ties between entries of
    the same moment (a later source shows first: the payment above the invoice it settles)."""

    INTAKE = "intake"
    CONSENT = "consent"  # signed
    CONSENT_WITHDRAWN = "consent_withdrawn"
    PLAN = "plan"  # the plan as started
    REEVALUATION = "reevaluation"  # its re-evaluation date: done, due or overdue
    VISIT = "visit"
    CHART = "chart"  # each saved version of a body chart
    MEASURE = "measure"  # a PSFS (its activities together), a sleep rating, a custom score
    HEADACHE = "headache"  # a headache diary day
    DOCUMENT = "document"  # an issued document
    INVOICE = "invoice"  # invoices, credit notes and drafts
    PAYMENT = "payment"
    REFUND = "refund"

    @property
    def kind(self) -> Kind:
        return SOURCE_KINDS[self]

    @property
    def rank(self) -> int:
        return SOURCE_RANKS[self]


SOURCE_KINDS = {
    Source.INTAKE: Kind.INTAKE,
    Source.CONSENT: Kind.CONSENT,
    Source.CONSENT_WITHDRAWN: Kind.CONSENT,
    Source.PLAN: Kind.PLAN,
    Source.REEVALUATION: Kind.PLAN,
    Source.VISIT: Kind.VISIT,
    Source.CHART: Kind.CHART,
    Source.MEASURE: Kind.MEASURE,
    Source.HEADACHE: Kind.MEASURE,
    Source.DOCUMENT: Kind.DOCUMENT,
    Source.INVOICE: Kind.INVOICE,
    Source.PAYMENT: Kind.PAYMENT,
    Source.REFUND: Kind.PAYMENT,
}
SOURCE_RANKS = {source: rank for rank, source in enumerate(Source)}

# Where in its day an entry known only by its date sorts: an intake and a plan's start before
# that day's visit, charts, scores and money after it.
START_OF_DAY = frozenset({Source.INTAKE, Source.PLAN, Source.REEVALUATION})


class Flag(StrEnum):
    """States an entry carries; the title says each in words too (never colour alone)."""

    SIGNED = "signed"
    IMPORTED = "imported"  # a visit from another tool's export: final, never signed here
    DRAFT = "draft"
    AMENDED = "amended"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    WITHDRAWN = "withdrawn"  # a consent withdrawn since
    EDITED = "edited"  # a chart version that replaced an earlier drawing
    SUPERSEDED = "superseded"  # a chart version replaced by a later one
    VOID = "void"  # an invoice cancelled by a credit note
    CREDIT_NOTE = "credit_note"
    DUE = "due"  # a re-evaluation still ahead
    OVERDUE = "overdue"  # a re-evaluation past its date on an open plan
    CLOSED = "closed"  # a completed or discharged plan

    @property
    def inactive(self) -> bool:
        """Entries that no longer count: shown muted, still listed."""
        return self in INACTIVE


INACTIVE = frozenset({Flag.CANCELLED, Flag.NO_SHOW, Flag.WITHDRAWN, Flag.SUPERSEDED, Flag.VOID})


@dataclass(frozen=True, slots=True, order=True)
class Cursor:
    """An entry's place in the timeline; a page continues from the last entry's cursor."""

    moment: datetime  # aware; a date-only entry sorts at the start or end of its local day
    rank: int
    record_id: int


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One thing that happened to the client, with what is needed to open it."""

    source: Source
    when: date | datetime  # a datetime for visits, consents and documents, else the day
    title: str
    detail: str
    client_id: int
    record_id: int  # the visit, chart version, plan, invoice ... this entry opens
    visit_id: int | None = None  # the visit it belongs to (a chart, a score, a bill)
    flags: frozenset[Flag] = frozenset()

    @property
    def kind(self) -> Kind:
        return self.source.kind

    @property
    def day(self) -> date:
        """The local calendar day."""
        return self.when.astimezone().date() if isinstance(self.when, datetime) else self.when

    @property
    def cursor(self) -> Cursor:
        return Cursor(sort_moment(self.source, self.when), self.source.rank, self.record_id)

    @property
    def inactive(self) -> bool:
        return any(flag.inactive for flag in self.flags)

    def has(self, flag: Flag) -> bool:
        return flag in self.flags


@dataclass(frozen=True, slots=True)
class TimelinePage:
    entries: tuple[TimelineEntry, ...]
    more: bool  # older entries remain: ask again with `before=page.next_before`
    locale: str = "en_US"  # the practice's, which the entries' texts are written in

    @property
    def next_before(self) -> Cursor | None:
        return self.entries[-1].cursor if self.entries and self.more else None


def sort_moment(source: Source, when: date | datetime) -> datetime:
    """The aware moment an entry sorts at."""
    if isinstance(when, datetime):
        return when
    return day_edge(source, when)


@functools.lru_cache(maxsize=16384)
def day_edge(source: Source, day: date) -> datetime:
    anchor = time.min if source in START_OF_DAY else time.max
    return datetime.combine(day, anchor).astimezone()
