"""Demo visit histories: weekly-ish SOAP notes with pain improving, PSFS, sleep, headache diaries.

Every completed visit has its body chart and its scores bound to it; a headache diary is
reported at the next visit. Written with bulk inserts (a 30,000-client demo stays quick), in the
order the locking triggers allow: visits, notes, charts and scores as drafts, then the
signatures, then amendments of signed notes.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import func, select

from practice.bodymap.models import BodyChartRow
from practice.clients import service as clients
from practice.clients.models import IntakeRow
from practice.clients.rules import Alert, evaluate
from practice.forked import batches
from practice.store.audit import AuditEntry
from practice.store.bulk import (
    Prepared,
    bulk_transaction,
    insert_rows,
    prepare_insert,
    prepare_update,
    update_rows,
    write_prepared,
)
from practice.store.database import Database
from practice.visits.models import (
    AmendmentRow,
    HeadacheEntryRow,
    MeasureValueRow,
    SoapNoteRow,
    TreatmentEntryRow,
    VisitRow,
)
from practice.visits.records import Position, TreatmentInput, VisitStatus
from practice.visits.techniques import alerts_to_acknowledge, is_deep, technique_name

HISTORY_SHARE = 0.85  # of clients have visits, when the visit budget allows
DRAFT_SHARE = 0.06  # of histories end with a note not yet signed
AMENDED_SHARE = 0.03  # of signed notes
GAPS = (7, 7, 7, 7, 7, 6, 8, 5, 10, 14)  # days between visits: weekly, now and then not


@dataclass(frozen=True, slots=True)
class VisitDemoResult:
    visits: int
    signed: int
    drafts: int
    amendments: int
    scores: int
    headache_entries: int
    charts: int = 0


@dataclass(frozen=True, slots=True)
class DemoProfile:
    regions: tuple[str, ...]
    muscles: tuple[str, ...]
    techniques: tuple[str, ...]
    activities: tuple[str, ...]
    position: Position = Position.PRONE
    gentle: bool = False


BACK = DemoProfile(
    ("B_LOW_BACK_R", "B_LOW_BACK_L", "B_SACRUM", "B_BUTTOCK_R", "B_BUTTOCK_L", "B_MID_BACK_R"),
    ("Quadratus lumborum", "Gluteus medius", "Erector spinae", "Piriformis"),
    ("myofascial_release", "trigger_point", "deep_tissue", "effleurage", "muscle_energy"),
    ("Sit through a work meeting", "Lift groceries", "Tie shoes", "Walk 30 minutes"),
)
NECK = DemoProfile(
    (
        "B_NECK_R",
        "B_NECK_L",
        "B_TRAPEZIUS_R",
        "B_TRAPEZIUS_L",
        "B_HEAD_OCCIPUT_R",
        "B_UPPER_BACK_L",
    ),
    ("Upper trapezius", "Levator scapulae", "Suboccipitals", "Sternocleidomastoid"),
    ("trigger_point", "myofascial_release", "neuromuscular", "strain_counterstrain", "petrissage"),
    ("Turn head fully when driving", "Work at the computer for 2 hours", "Read in bed"),
    Position.SUPINE,
)
SHOULDER = DemoProfile(
    ("B_SHOULDER_R", "B_UPPER_ARM_R", "F_SHOULDER_R", "F_CHEST_R", "B_UPPER_BACK_R"),
    ("Infraspinatus", "Supraspinatus", "Pectoralis minor", "Teres minor"),
    ("cross_fibre_friction", "trigger_point", "muscle_energy", "pnf_stretching", "effleurage"),
    ("Reach the top shelf", "Put on a jacket", "Sleep on the right side"),
)
LEG = DemoProfile(
    ("B_THIGH_R", "B_THIGH_L", "F_THIGH_R", "F_KNEE_R", "B_CALF_R", "B_CALF_L", "B_FOOT_L"),
    ("Vastus lateralis", "Gastrocnemius", "Soleus", "Tensor fasciae latae"),
    ("myofascial_release", "instrument_assisted", "cupping", "petrissage", "effleurage"),
    ("Climb stairs without stopping", "Run 5 km", "Kneel in the garden"),
    Position.SUPINE,
)
WIDESPREAD = DemoProfile(
    ("B_UPPER_BACK_R", "B_UPPER_BACK_L", "B_LOW_BACK_L", "B_THIGH_R", "F_UPPER_ARM_L", "B_NECK_L"),
    ("Upper trapezius", "Gluteus medius"),
    ("effleurage", "petrissage", "myofascial_release", "lymphatic_drainage", "vibration"),
    ("Sleep through the night", "Do the housework", "Walk the dog"),
    gentle=True,
)
JAW = DemoProfile(
    ("F_JAW_R", "F_JAW_L", "F_HEAD_TEMPLE_R", "F_HEAD_TEMPLE_L", "F_FACE_R", "B_NECK_R"),
    ("Masseter", "Temporalis", "Lateral pterygoid"),
    ("trigger_point", "myofascial_release", "effleurage"),
    ("Chew a meal without pain", "Talk on the phone for an hour"),
    Position.SUPINE,
)
# Words of the intake complaint (practice.demo.COMPLAINTS) -> profile; the first match wins.
PROFILES: tuple[tuple[str, DemoProfile], ...] = (
    ("headache", NECK),
    ("neck", NECK),
    ("whiplash", NECK),
    ("jaw", JAW),
    ("shoulder", SHOULDER),
    ("fibromyalgia", WIDESPREAD),
    ("knee", LEG),
    ("plantar", LEG),
    ("back", BACK),
    ("sciatica", BACK),
)

CHANGES = (
    "Less stiff in the mornings",
    "Sore for a day after last visit, then better",
    "About the same",
    "Flared up after a long drive",
    "Managing the stretches most days",
)
SLEEP = ("Sleeping 6-7 hours", "Woke twice with pain", "Sleeping well", "Restless")
STRESS = ("Busy week at work", "Low", "Moderate; moving house", "High; exams")
POSTURE = ("Forward head", "Right shoulder elevated", "Increased lumbar lordosis", "Level")
RESPONSES = (
    "Tissue softened; client relaxed",
    "Good response; ROM improved",
    "Tender throughout, eased by the end",
)
HOME_CARE = (
    "Stretches twice daily, heat 15 minutes",
    "Hydration; posture breaks every 30 minutes",
    "Self-massage with a ball, gentle walking",
)
AMENDMENTS = (
    ("Wrong side recorded", "Trigger point was in the left muscle, not the right."),
    ("Client called after the visit", "Soreness settled within 24 hours; no bruising."),
    ("Omitted finding", "Mild swelling noted at the right ankle; client to see physician."),
)


@dataclass
class _Rows:
    """Everything to insert, built in memory first."""

    next_visit_id: int
    chart_rng: random.Random
    practitioner_id: int | None = None
    visits: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    treatments: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[dict[str, Any]] = field(default_factory=list)
    amendments: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    headaches: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    drafts: int = 0
    drawn: dict[Any, tuple[dict[str, Any], Any]] = field(default_factory=dict)
    written: int = 0  # visits of the batches already made

    @property
    def made(self) -> int:
        return self.written + len(self.visits)

    def batch(self, dialect: Any) -> _Batch:
        """What was made since the last batch, ready to write (converted to the driver's
        values when `dialect` is SQLite's); then start the next batch."""
        for row in self.audit:
            row["practitioner_id"] = self.practitioner_id
        tables = (
            (VisitRow, self.visits),
            (SoapNoteRow, self.notes),
            (TreatmentEntryRow, self.treatments),
            (MeasureValueRow, self.scores),
            (HeadacheEntryRow, self.headaches),
            (BodyChartRow, self.charts),
            (AuditEntry, self.audit),
            (_SIGNATURES, self.signatures),
            (AmendmentRow, self.amendments),
        )
        writes: list[Prepared | tuple[Any, list[dict[str, Any]]]] = []
        for model, rows in tables:
            if not rows:
                continue
            if dialect is None:
                writes.append((model, rows))
            elif model is _SIGNATURES:
                writes.append(prepare_update(dialect, VisitRow, rows))
            else:
                writes.append(prepare_insert(dialect, model, rows))
        counts = Counter(
            visits=len(self.visits),
            signed=len(self.signatures),
            drafts=self.drafts,
            amendments=len(self.amendments),
            scores=len(self.scores),
            headache_entries=len(self.headaches),
            charts=len(self.charts),
        )
        self.drafts = 0
        self.written += len(self.visits)
        # New lists for the next batch: a server's writes hold these ones.
        self.visits, self.charts, self.notes, self.treatments = [], [], [], []
        self.signatures, self.amendments, self.scores, self.headaches, self.audit = (
            [],
            [],
            [],
            [],
            [],
        )
        return _Batch(writes, counts)


@dataclass(frozen=True, slots=True)
class DemoClient:
    id: int
    complaint: str
    goal: str
    profile: DemoProfile
    alerts: tuple[Alert, ...]
    headaches: bool


def generate_visits(
    db: Database,
    client_ids: Sequence[int],
    seed: int = 1,
    today: date | None = None,
    *,
    visits_per_client: tuple[int, int] = (8, 26),
    max_visits: int = 40_000,
    ended_days_ago: Mapping[int, int] | None = None,
    people: Sequence[DemoClient] | None = None,
    fork: bool = False,
    done: Callable[[int, int], None] | None = None,
) -> VisitDemoResult:
    """Give most of these clients a course of visits; at most `max_visits` in all.

    `ended_days_ago` moves a client's course that many days back (a client of years ago);
    by default every course ends near `today`. `people` are these clients' `demo_clients`,
    when the caller has them already. With `fork` the rows are made in a forked process
    while this one writes them (`practice.forked`): the same rows, sooner, on two cores.
    `done(clients, of)` is told after each batch is written."""
    rng = random.Random(seed)
    today = today or date.today()
    people = people if people is not None else demo_clients(db, client_ids, today)
    with db.read() as session:
        first_id = (session.scalar(select(func.max(VisitRow.id))) or 0) + 1
    rows = _Rows(
        next_visit_id=first_id,
        chart_rng=random.Random(f"body charts {seed}"),  # its own stream: visits stay the same
        practitioner_id=db.practitioner_id,
    )
    mean = sum(visits_per_client) / 2
    share = min(HISTORY_SHARE, max_visits / max(1.0, len(client_ids) * mean))
    dialect, actor = db.engine.dialect, db.actor
    on_sqlite = dialect.name == "sqlite"

    def make() -> Iterator[_Batch]:
        """Batches of a few hundred clients' courses, in the order of `people`."""
        for first in range(0, len(people), BATCH_CLIENTS):
            for person in people[first : first + BATCH_CLIENTS]:
                room = max_visits - rows.made
                if room <= 0:
                    break
                if rng.random() < share:
                    count = min(room, rng.randint(*visits_per_client))
                    back = ended_days_ago.get(person.id, 0) if ended_days_ago else 0
                    day = today - timedelta(days=back) if back else today
                    _history(rng, rows, person, count, day, actor)
            batch = rows.batch(dialect if on_sqlite else None)
            batch.counts["clients"] = min(first + BATCH_CLIENTS, len(people))
            yield batch
            if rows.made >= max_visits:
                return

    total = _Batch([], Counter())
    with bulk_transaction(db) as session:
        for batch in batches(make, fork=fork and on_sqlite):
            _write(session, batch)
            db.seal_made_final(session)  # while the next batch is made
            total.counts.update(batch.counts)
            if done is not None:
                done(batch.counts["clients"], len(people))
    return VisitDemoResult(**{name: total.counts[name] for name in _COUNTED})


BATCH_CLIENTS = 500  # clients' courses per batch: the writer waits for the first one only
_COUNTED = ("visits", "signed", "drafts", "amendments", "scores", "headache_entries", "charts")


@dataclass
class _Batch:
    """Writes in the order the locking triggers allow: the drafts (visits, notes, treatments,
    scores, diaries, charts) and the audit trail, then the signatures, then the amendments.
    Each is a `Prepared` statement on SQLite, or (model, rows) for a server."""

    writes: list[Prepared | tuple[Any, list[dict[str, Any]]]]
    counts: Counter[str]


def _write(session: Any, batch: _Batch) -> None:
    for write in batch.writes:
        if isinstance(write, Prepared):
            write_prepared(session.connection(), write)
        else:
            model, rows = write
            if model is _SIGNATURES:
                update_rows(session, VisitRow, rows)
            else:
                insert_rows(session, model, rows)


_SIGNATURES = object()  # the write that signs a batch's visits (an update, not an insert)


def demo_clients(db: Database, client_ids: Sequence[int], today: date) -> list[DemoClient]:
    """Each client's complaint, profile and alerts, from the latest intake."""
    wanted = set(client_ids)
    latest: dict[int, IntakeRow] = {}
    with db.read() as session:
        for row in session.scalars(select(IntakeRow).order_by(IntakeRow.recorded_on, IntakeRow.id)):
            if row.client_id in wanted:
                latest[row.client_id] = row
        people = []
        for cid in client_ids:
            intake = latest.get(cid)
            complaint = intake.other_notes if intake else ""
            # The demo reads intakes in bulk; the service's own reader keeps this one place.
            alerts = evaluate(clients._intake_data(intake), today) if intake else []
            migraine = bool(intake and "migraine" in (intake.conditions or {}))
            people.append(
                DemoClient(
                    id=cid,
                    complaint=complaint or "Muscle tension",
                    goal=intake.goals if intake else "",
                    profile=_profile(complaint),
                    alerts=tuple(alerts),
                    headaches="headache" in complaint.lower() or migraine,
                )
            )
    return people


def _profile(complaint: str) -> DemoProfile:
    words = complaint.lower()
    return next((profile for word, profile in PROFILES if word in words), BACK)


def _history(
    rng: random.Random, rows: _Rows, person: DemoClient, count: int, today: date, actor: str
) -> None:
    """One client's course of care, first visit to last."""
    active = rng.random() < 0.7
    last_day = today - timedelta(days=rng.randint(1, 6) if active else rng.randint(20, 150))
    days = [last_day]
    for _ in range(count - 1):
        days.append(days[-1] - timedelta(days=rng.choice(GAPS)))
    days.reverse()
    start_pain = rng.randint(5, 8)
    relief = rng.uniform(1.5, 4.5)
    pace = rng.uniform(3, 8)
    hour = rng.randint(9, 17)
    psfs = rng.random() < 0.45
    sleep = rng.random() < 0.3
    draft_last = rng.random() < DRAFT_SHARE or (rows.drafts == 0 and not rows.made)
    done = 0
    completed: list[tuple[int, date, int]] = []  # visit, day, pain before treatment
    for k, day in enumerate(days):
        status = _status(rng) if 0 < k < len(days) - 1 else VisitStatus.COMPLETED
        starts_at = datetime.combine(day, time(hour, rng.choice((0, 30)))).astimezone(UTC)
        noise = rng.gauss(0, 0.8) if done else 0.0  # the first visit is the 5-8 baseline
        pain = start_pain - relief * (1 - math.exp(-done / pace)) + noise
        rating = _nrs(pain)
        visit_id = _visit(rng, rows, person, starts_at, status, rating, done, actor)
        if status is not VisitStatus.COMPLETED:
            continue
        completed.append((visit_id, day, rating))
        if k == len(days) - 1 and draft_last:
            rows.drafts += 1
        else:
            _sign(rng, rows, person, visit_id, starts_at, actor)
        if psfs and done % 4 == 0:
            _psfs(rng, rows, person, visit_id, day, done / max(1, count - 1))
        if sleep and done % 2 == 0:
            _score(
                rows,
                person.id,
                "sleep_quality",
                "",
                _nrs(4 + done * 0.3 + rng.gauss(0, 1)),
                day,
                visit_id,
            )
        done += 1
    _charts(rows, person, completed, actor)
    if person.headaches:
        _diary(rng, rows, person.id, days[0], days[-1], completed)


def _charts(
    rows: _Rows, person: DemoClient, completed: list[tuple[int, date, int]], actor: str
) -> None:
    """A body chart drawn at every completed visit, bound to it, agreeing with its pain rating."""
    from practice.bodymap.atlas import load_atlas
    from practice.bodymap.demo import chart_course
    from practice.bodymap.metrics import summarize

    atlas = load_atlas()
    days = [day for _, day, _ in completed]
    pains = [pain for _, _, pain in completed]
    course = chart_course(rows.chart_rng, person.complaint, days, pains)
    for (visit_id, _, _), (day, note, chart) in zip(completed, course, strict=True):
        drawn = rows.drawn.get(chart)
        if drawn is None:  # courses of one complaint often reach the same drawing
            drawn = rows.drawn[chart] = (chart.to_json(), summarize(chart, atlas))
        data, metrics = drawn
        at = datetime.combine(day, time(18), UTC)
        rows.charts.append(
            {
                "client_id": person.id,
                "visit_id": visit_id,
                "charted_on": day,
                "source": "visit",
                "note": note,
                "data": data,
                "extent_percent": metrics.extent_percent,
                "region_count": metrics.region_count,
                "wpi": metrics.wpi,
                "max_intensity": metrics.max_intensity,
                "created_at": at,
                "updated_at": at,
            }
        )


def _status(rng: random.Random) -> VisitStatus:
    roll = rng.random()
    if roll < 0.05:
        return VisitStatus.NO_SHOW
    if roll < 0.11:
        return VisitStatus.CANCELLED
    return VisitStatus.COMPLETED


def _visit(
    rng: random.Random,
    rows: _Rows,
    person: DemoClient,
    starts_at: datetime,
    status: VisitStatus,
    pain: int,
    number: int,
    actor: str,
) -> int:
    visit_id = rows.next_visit_id
    rows.next_visit_id += 1
    duration = rng.choice((45, 60, 60, 60, 75, 90))
    written = starts_at + timedelta(minutes=duration)
    rows.visits.append(
        {
            "id": visit_id,
            "client_id": person.id,
            "starts_at": starts_at,
            "duration_minutes": duration,
            "place_of_service": "12" if rng.random() < 0.05 else "11",
            "status": str(status),
            "created_at": written,
            "created_by": actor,
            "updated_at": written,
            "signed_at": None,
            "signed_by": "",
        }
    )
    rows.audit.append(
        _audit_row(person.id, visit_id, "create", "Demo visit created", written, actor)
    )
    if status is not VisitStatus.COMPLETED:
        rows.notes.append({**_EMPTY_NOTE, "visit_id": visit_id, "saved_at": written})
        return visit_id
    rows.notes.append(_note(rng, person, visit_id, pain, number, starts_at, written))
    _treatments(rng, rows, person, visit_id, duration, written, actor)
    return visit_id


_EMPTY_NOTE: dict[str, Any] = {
    "complaint": "",
    "pain_before": None,
    "changes_since_last": "",
    "sleep": "",
    "stress": "",
    "medication_changes": "",
    "goals_today": "",
    "posture": "",
    "tone": "",
    "texture": "",
    "taut_bands": "",
    "tenderness_grade": None,
    "trigger_points": [],
    "range_of_motion": "",
    "response": "",
    "pain_after": None,
    "released": "",
    "not_released": "",
    "next_focus": "",
    "frequency": "",
    "home_care": "",
    "referrals": "",
    "re_evaluation_on": None,
    "autosave": None,
    "autosaved_at": None,
}


def _note(
    rng: random.Random,
    person: DemoClient,
    visit_id: int,
    pain: int,
    number: int,
    starts_at: datetime,
    written: datetime,
) -> dict[str, Any]:
    profile = person.profile
    muscles = rng.sample(profile.muscles, k=min(2, len(profile.muscles)))
    state = "active" if number < 4 or rng.random() < 0.3 else "latent"
    first = number == 0
    return {
        **_EMPTY_NOTE,
        "visit_id": visit_id,
        "complaint": person.complaint if first else f"Follow-up: {person.complaint.lower()}",
        "pain_before": pain,
        "changes_since_last": "" if first else rng.choice(CHANGES),
        "sleep": rng.choice(SLEEP),
        "stress": rng.choice(STRESS),
        "goals_today": person.goal,
        "posture": rng.choice(POSTURE),
        "tone": "hypertonic" if pain >= 4 else "mildly hypertonic",
        "taut_bands": ", ".join(muscles),
        "tenderness_grade": max(0, min(4, round(pain / 2.5) + rng.choice((-1, 0, 0)))),
        "trigger_points": [
            {"muscle": m, "state": state, "side": rng.choice(("R", "L", "")), "note": ""}
            for m in muscles
        ],
        "range_of_motion": f"{min(100, 60 + number * 4 + rng.randint(-5, 5))}% of normal",
        "response": rng.choice(RESPONSES),
        "pain_after": max(0, pain - rng.choice((1, 1, 2, 2, 3))),
        "released": muscles[0],
        "not_released": muscles[1] if len(muscles) > 1 and rng.random() < 0.4 else "",
        "next_focus": rng.choice(profile.muscles),
        "frequency": "1x/week x 4" if number < 8 else "Every 2 weeks",
        "home_care": rng.choice(HOME_CARE),
        "re_evaluation_on": (starts_at + timedelta(weeks=6)).date() if first else None,
        "saved_at": written,
    }


def _treatments(
    rng: random.Random,
    rows: _Rows,
    person: DemoClient,
    visit_id: int,
    duration: int,
    written: datetime,
    actor: str,
) -> None:
    profile = person.profile
    codes = rng.sample(profile.techniques, k=rng.randint(2, min(4, len(profile.techniques))))
    budget = duration - rng.choice((5, 10, 15))
    cuts = sorted(rng.sample(range(5, budget - 4, 5), k=len(codes) - 1))
    minutes = [b - a for a, b in zip([0, *cuts], [*cuts, budget], strict=True)]
    for seq, (code, spent) in enumerate(zip(codes, minutes, strict=True)):
        pressure = rng.randint(1, 2) if profile.gentle else rng.randint(2, 4)
        regions = tuple(rng.sample(profile.regions, k=rng.randint(1, 3)))
        entry, name, deep = _entry(code, pressure, profile.position)
        stamps = [
            {
                "alert": a.rule,
                "level": str(a.level),
                "title": a.title,
                "by": actor,
                "at": written.isoformat(),
            }
            for a in (alerts_to_acknowledge(person.alerts, entry) if person.alerts else ())
        ]
        rows.treatments.append(
            {
                "visit_id": visit_id,
                "seq": seq,
                "technique_code": code,
                "technique_name": name,
                "regions": _listed(regions),
                "minutes": spent,
                "pressure": pressure,
                "position": str(profile.position),
                "notes": "",
                "deep": deep,
                "acknowledgements": stamps or _NO_STAMPS,
            }
        )


@cache
def _listed(regions: tuple[str, ...]) -> list[str]:
    """One list per combination of regions, shared by the rows (never changed)."""
    return list(regions)


@cache
def _entry(code: str, pressure: int, position: Position) -> tuple[TreatmentInput, str, bool]:
    """A treatment entry of this technique and pressure (its regions change neither its name,
    its depth nor the alerts it must acknowledge), with its stored name and depth."""
    entry = TreatmentInput(code, 0, (), pressure, position)
    return entry, technique_name(entry), is_deep(entry)


def _sign(
    rng: random.Random,
    rows: _Rows,
    person: DemoClient,
    visit_id: int,
    starts_at: datetime,
    actor: str,
) -> None:
    signed_at = starts_at + timedelta(minutes=rng.randint(70, 300))
    rows.signatures.append(
        {
            "id": visit_id,
            "signed_at": signed_at,
            "signed_by": actor,
            "signed_by_id": rows.practitioner_id,
            "updated_at": signed_at,
        }
    )
    rows.audit.append(
        _audit_row(person.id, visit_id, "sign", "Demo visit note signed", signed_at, actor)
    )
    if rng.random() < AMENDED_SHARE:
        reason, text = rng.choice(AMENDMENTS)
        at = min(signed_at + timedelta(days=rng.randint(1, 5)), datetime.now(UTC))
        rows.amendments.append(
            {
                "visit_id": visit_id,
                "created_at": at,
                "author": actor,
                "author_id": rows.practitioner_id,
                "reason": reason,
                "text": text,
            }
        )
        rows.audit.append(
            _audit_row(person.id, visit_id, "amend", f"Demo amendment: {reason}", at, actor)
        )


def _psfs(
    rng: random.Random, rows: _Rows, person: DemoClient, visit_id: int, day: date, progress: float
) -> None:
    for activity in person.profile.activities[:3]:
        score = _nrs(rng.randint(2, 4) + progress * rng.uniform(3, 5) + rng.gauss(0, 0.7))
        _score(rows, person.id, "psfs", activity, score, day, visit_id)


def _score(
    rows: _Rows, client_id: int, measure: str, item: str, value: int, day: date, visit_id: int
) -> None:
    rows.scores.append(
        {
            "client_id": client_id,
            "measure": measure,
            "custom_measure_id": None,
            "item": item,
            "value": value,
            "measured_on": day,
            "visit_id": visit_id,
            "created_at": datetime.combine(day, time(12), UTC),
            "created_by": "",
        }
    )


def _diary(
    rng: random.Random,
    rows: _Rows,
    client_id: int,
    first: date,
    last: date,
    completed: list[tuple[int, date, int]],
) -> None:
    """A headache diary kept over the course of care: fewer and milder headaches over time,
    each day reported at the next completed visit (the last days may not be reported yet)."""
    span = max(1, (last - first).days)
    for offset in range(span + 1):
        progress = offset / span
        if rng.random() < 0.45 - 0.3 * progress:
            day = first + timedelta(days=offset)
            medication = rng.random() < 0.5
            rows.headaches.append(
                {
                    "client_id": client_id,
                    "occurred_on": day,
                    "duration_hours": round(rng.uniform(1, 8) * (1 - 0.4 * progress), 1),
                    "intensity": _nrs(rng.randint(4, 8) - 3 * progress + rng.gauss(0, 1)),
                    "medication_taken": medication,
                    "medication": "Ibuprofen 400 mg" if medication else "",
                    "notes": "",
                    "created_at": datetime.combine(day, time(21), UTC),
                    "visit_id": next((vid for vid, seen, _ in completed if seen >= day), None),
                }
            )


_NO_CHANGES: dict[str, Any] = {}  # shared by the rows (never changed): its JSON is made once
_NO_STAMPS: list[dict[str, str]] = []


def _audit_row(
    client_id: int, visit_id: int, action: str, summary: str, at: datetime, actor: str
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "practitioner_id": None,  # set for the whole batch at insert time
        "action": action,
        "entity": "visit",
        "entity_id": visit_id,
        "client_id": client_id,
        "summary": summary,
        "changes": _NO_CHANGES,
    }


def _nrs(value: float) -> int:
    return max(0, min(10, round(value)))
