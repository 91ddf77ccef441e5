"""The rows behind a client's progress and plan course, read once in four plain statements.

`outcomes.progress_series` (the Progress tab and its chart) and `plans.course` (the Plan tab, the
physician summary, superbills, the timeline) both start from a `ClientRecord`, so they read the
same rows the same way. The statements are plain SQL with named parameters and no result types:
rows come back as the driver gives them, and `_day`/`_moment` turn SQLite's ISO text (or a
server's native values) into dates. This keeps the course near the cost of the raw read (see
`make bench`, "plan course"), where building SQLAlchemy statements and converting every value
through its types cost several times the read itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from practice.store.rows import plain_rows
from practice.visits.records import VisitStatus

STATUSES = {s.value: s for s in VisitStatus}

_VISITS = (
    "SELECT v.id, v.starts_at, v.status, v.signed_at IS NOT NULL, s.pain_before, s.pain_after,"
    " (SELECT coalesce(sum(t.minutes), 0) FROM treatment_entry t WHERE t.visit_id = v.id)"
    " FROM visit v LEFT JOIN soap_note s ON s.visit_id = v.id"
    " WHERE v.client_id = :client ORDER BY v.starts_at, v.id"
)
_VALUES = (
    "SELECT measure, custom_measure_id, measured_on, value, item, visit_id FROM measure_value"
    " WHERE client_id = :client ORDER BY measured_on, id"
)
_DIARY = "SELECT occurred_on, intensity, visit_id FROM headache_entry WHERE client_id = :client"
_CHARTS = (
    "SELECT c.charted_on, c.extent_percent, c.visit_id FROM body_chart c"
    " WHERE c.client_id = :client"
    " AND NOT EXISTS (SELECT 1 FROM body_chart n WHERE n.supersedes_id = c.id)"
    " ORDER BY c.charted_on, c.id"
)


class VisitFact(NamedTuple):
    visit_id: int
    day: date  # the local date the visit started
    status: VisitStatus
    signed: bool
    pain_before: int | None
    pain_after: int | None
    treatment_minutes: int


class ValueFact(NamedTuple):
    measure: str  # a built-in code, or "custom"
    custom_measure_id: int | None
    measured_on: date
    value: float
    item: str  # the PSFS activity ("" for other measures)
    visit_id: int | None


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """Every visit, score, diary entry and current chart of one client, oldest first."""

    visits: tuple[VisitFact, ...]
    values: tuple[ValueFact, ...]
    diary: tuple[tuple[date, int, int | None], ...]  # (day, intensity, visit_id)
    charts: tuple[tuple[date, float, int | None], ...]  # (charted on, extent %, visit_id)

    def unsigned_visits(self) -> frozenset[int]:
        """The visits whose scores do not count on paper yet: a score taken outside a visit
        (visit_id None) or at a signed one is attested."""
        return frozenset(v.visit_id for v in self.visits if not v.signed)


def read_record(session: Session, client_id: int) -> ClientRecord:
    """One client's record in four statements, inside the caller's read."""

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return plain_rows(session, sql, {"client": client_id})

    visit_rows, value_rows, diary_rows, chart_rows = (
        rows(_VISITS),
        rows(_VALUES),
        rows(_DIARY),
        rows(_CHARTS),
    )
    local_day = _local_days(visit_rows, 1)
    visits = tuple(
        VisitFact(vid, local_day(at), STATUSES[status], bool(signed), before, after, int(minutes))
        for vid, at, status, signed, before, after, minutes in visit_rows
    )
    day = _days(value_rows, 2)
    values = tuple(
        ValueFact(code, custom, day(on), value, item, visit)
        for code, custom, on, value, item, visit in value_rows
    )
    day = _days(diary_rows, 0)
    diary = tuple((day(on), intensity, visit) for on, intensity, visit in diary_rows)
    day = _days(chart_rows, 0)
    charts = tuple((day(on), extent, visit) for on, extent, visit in chart_rows)
    return ClientRecord(visits, values, diary, charts)


def _days(rows: list[tuple[Any, ...]], column: int) -> Callable[[Any], date]:
    """How to read a DATE column: ISO text from SQLite, a server engine's own dates as they are."""
    if rows and isinstance(rows[0][column], str):
        return date.fromisoformat
    return _same


def _same(value: Any) -> Any:
    return value


def _local_days(rows: list[tuple[Any, ...]], column: int) -> Callable[[Any], date]:
    """How to read the local calendar day of a UTC timestamp column (ISO text or a datetime)."""
    if rows and isinstance(rows[0][column], str):
        return lambda text: datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone().date()
    return lambda moment: moment.replace(tzinfo=UTC).astimezone().date()
