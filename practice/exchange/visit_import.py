"""Import past visits from a CSV file (another tool's appointment history): map, preview, save.

The file is read and its columns mapped as for clients (`importing.read_source`,
`guess_mapping(..., Target.VISITS)`). Each row must name a client on file: by the stored name
key (family name, then first or preferred name, without case or accents) and, when the file has
a birth date column, that birth date too. Clients imported earlier, from this file or another,
are on file like any other. A row naming nobody on file, or two clients of that name and no
birth date to tell them apart, is reported and left out.

Each row is checked like a visit written here (`visits.imported.check_past_visit`): a date that
is a date, not after today, a length of 1 minute to 8 hours. A row whose client already has a
visit starting at that moment, or that repeats an earlier row, is a duplicate (importing the same
file twice adds nothing). The service and notes become the note's first field, as written.

Nothing is written until `save_visits`: then every new row at once (all or nothing), after a
verified backup, each visit final and marked imported (see `practice.visits.imported`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from practice.clients.models import ClientRow
from practice.errors import ValidationError
from practice.exchange import visit_cells as cells
from practice.exchange.formats import GENERIC, VISIT_FIELDS, Format
from practice.exchange.importing import (
    REPORT_EVERY,
    Checked,
    RowState,
    SourceFile,
    clean_cell,
    parse_birth_date,
    split_name,
)
from practice.progress import Progress
from practice.store.backups.run import back_up
from practice.store.database import Database
from practice.text import fold, single_line
from practice.visits.imported import PastVisit, add_imported_visits, check_past_visit
from practice.visits.models import VisitRow
from practice.visits.records import SoapNote, VisitDraft, VisitForm, VisitStatus

# The fields a row's problems are reported on, as the preview names them.
ERROR_LABELS = {
    "client": "Client",
    "date_of_birth": "Date of birth",
    "starts_at": "Date",
    "duration": "Length",
    "duration_minutes": "Length",
    "ends_at": "End",
    "status": "Status",
    "no_show": "Did not arrive",
    "complaint": "Service and notes",
}
NOON = time(12, 0)  # a day with no time of day: the middle of it, so no zone moves its date
CHUNK = 500  # client ids per query (SQLite's bound-parameter limit is far above)


@dataclass(frozen=True, slots=True)
class VisitOutcome:
    line: int  # the row's line in the file (the headings are line 1)
    client_id: int | None
    name: str  # the client as the file names them
    draft: VisitDraft | None
    state: RowState
    errors: dict[str, str] = field(default_factory=dict)  # field -> message
    duplicate_of: str = ""  # "visit 12" or "line 7"
    origin: str = ""  # "a Jane export (visits.csv, line 4)"


@dataclass(frozen=True, slots=True)
class VisitPreview(Checked["VisitOutcome"]):
    source: Path
    mapping: dict[int, str]  # column -> field
    rows: tuple[VisitOutcome, ...]


@dataclass(frozen=True, slots=True)
class ImportedVisits:
    source: Path
    created: int
    skipped: int
    visit_ids: tuple[int, ...]


def visits_text(count: int) -> str:
    return f"{count:,} past visit{'' if count == 1 else 's'}"


# ---------------------------------------------------------------- preview


def preview_visits(
    db: Database,
    source: SourceFile,
    mapping: dict[int, str],
    form: Format = GENERIC,
    progress: Progress | None = None,
    today: date | None = None,
) -> VisitPreview:
    """Every row checked, its client found, compared with the visits on file. Writes nothing."""
    progress = progress or Progress()
    check_visit_mapping(mapping)
    today = today or date.today()
    directory = _Directory(db)
    total = len(source.rows)
    read = []
    for k, row in enumerate(source.rows):
        if k % REPORT_EVERY == 0:
            progress.report(k, total, f"Checking row {k + 1:,} of {total:,}…")
        read.append(_outcome(k + 2, row, mapping, form, today, directory, source.path.name))
    progress.report(total, total)
    return VisitPreview(source.path, dict(mapping), tuple(_without_duplicates(db, read)))


def check_visit_mapping(mapping: dict[int, str]) -> None:
    names = set(mapping.values())
    if len(names) != len(mapping):
        raise ValidationError({"mapping": "Each field can come from one column only."})
    unknown = names - set(VISIT_FIELDS)
    if unknown:
        raise ValidationError({"mapping": f"Unknown fields: {', '.join(sorted(unknown))}."})
    missing = []
    if not names & {"given_name", "full_name"}:
        missing.append("the client's name")
    if "starts_at" not in names:
        missing.append("the visit date")
    if not names & {"duration", "ends_at"}:
        missing.append("the visit's duration or its end")
    if missing:
        raise ValidationError({"mapping": f"Choose the columns that hold {_listed(missing)}."})


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _outcome(
    line: int,
    row: tuple[str, ...],
    mapping: dict[int, str],
    form: Format,
    today: date,
    directory: _Directory,
    file_name: str,
) -> VisitOutcome:
    values = {name: clean_cell(row[column]) for column, name in mapping.items()}
    errors: dict[str, str] = {}
    name, client_id = directory.find(values, form, errors)
    visit, timed = _visit(values, form, errors)
    note = SoapNote(complaint="\n\n".join(filter(None, (values.get(k, "") for k in _TEXTS))))
    where = f"{file_name}, line {line}" + ("" if timed else "; no time of day given: noon")
    origin = where if form is GENERIC else f"a {form.label} export ({where})"
    if visit is None:
        return VisitOutcome(line, client_id, name, None, RowState.INVALID, errors, origin=origin)
    draft = VisitDraft(visit, note)
    try:
        draft = check_past_visit(draft, today)
    except ValidationError as error:
        errors |= error.errors
    if visit.starts_at.astimezone().date() > today:
        errors["starts_at"] = (
            f"This visit is after today ({today.isoformat()}): only past visits are imported."
        )
    state = RowState.INVALID if errors or client_id is None else RowState.NEW
    return VisitOutcome(line, client_id, name, draft, state, errors, origin=origin)


_TEXTS = ("service", "notes")


def _visit(
    values: dict[str, str], form: Format, errors: dict[str, str]
) -> tuple[VisitForm | None, bool]:
    """The visit's moment, length and status (or None, with the reasons in `errors`), and
    whether the file gave its time of day."""
    start, timed = _start(values, form, errors)
    status = _status(values, errors)
    minutes = _minutes(values, form, start, errors)
    if start is None or status is None or minutes is None:
        return None, timed
    return VisitForm(start, minutes, status=status), timed


def _start(
    values: dict[str, str], form: Format, errors: dict[str, str]
) -> tuple[datetime | None, bool]:
    text = values.get("starts_at", "")
    if not text:
        errors["starts_at"] = "The visit date is missing."
        return None, True
    try:
        day, clock, zone = cells.moment_of(text, form.day_first)
        if values.get("start_time"):
            clock = cells.clock_in(values["start_time"]) or clock
        moment = datetime.combine(day, clock or NOON)
        aware = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
        return aware, clock is not None
    except (ValueError, OverflowError):
        order = "DD/MM/YYYY" if form.day_first else "MM/DD/YYYY"
        errors["starts_at"] = f"{text[:40]!r} is not a date like 2024-03-05 14:30 or {order}."
        return None, True


def _minutes(
    values: dict[str, str], form: Format, start: datetime | None, errors: dict[str, str]
) -> int | None:
    if values.get("duration"):
        text = values["duration"]
        try:
            return cells.minutes_of(text)
        except ValueError:
            errors["duration"] = f"{text[:40]!r} is not a length like 60, 60 min or 1:30."
            return None
    text = values.get("ends_at", "")
    if not text:
        errors["duration"] = "The visit's length is missing (no duration and no end)."
        return None
    if start is None:
        return None
    try:
        day, clock, zone = cells.moment_of(text, form.day_first)
    except (ValueError, OverflowError):
        try:
            day, clock, zone = start.date(), cells.clock_in(text), None
        except ValueError:
            clock = None
    if clock is None:
        errors["ends_at"] = f"{text[:40]!r} is not an end time like 15:30."
        return None
    end = datetime.combine(day, clock)
    end = end.replace(tzinfo=zone) if zone is not None else end.astimezone()
    return round((end - start) / timedelta(minutes=1))


def _status(values: dict[str, str], errors: dict[str, str]) -> VisitStatus | None:
    try:
        if cells.flag_of(values.get("cancelled", ""), any_text_is_yes=True):
            return VisitStatus.CANCELLED
        if cells.flag_of(values.get("no_show", "")):
            return VisitStatus.NO_SHOW
    except ValueError:
        errors["no_show"] = f"{values['no_show'][:40]!r} is neither yes nor no."
        return None
    text = values.get("status", "")
    try:
        return cells.status_of(text)
    except ValueError:
        errors["status"] = (
            f"{text[:40]!r} is not a status Fascia knows: arrived (or completed), cancelled, "
            "no-show."
        )
        return None


def _without_duplicates(db: Database, rows: list[VisitOutcome]) -> Iterable[VisitOutcome]:
    """The rows, those of a visit already on file or earlier in the file marked duplicates."""
    wanted = sorted({r.client_id for r in rows if r.state is RowState.NEW and r.client_id})
    seen: dict[tuple[int, datetime], str] = {}
    with db.read() as session:
        for start in range(0, len(wanted), CHUNK):
            query = select(VisitRow.id, VisitRow.client_id, VisitRow.starts_at).where(
                VisitRow.client_id.in_(wanted[start : start + CHUNK])
            )
            for visit_id, client_id, starts_at in session.execute(query):
                seen[(client_id, starts_at)] = f"visit {visit_id}"
    for row in rows:
        if row.state is not RowState.NEW or row.draft is None or row.client_id is None:
            yield row
            continue
        key = (row.client_id, row.draft.visit.starts_at)
        if key in seen:
            yield VisitOutcome(
                row.line,
                row.client_id,
                row.name,
                row.draft,
                RowState.DUPLICATE,
                duplicate_of=seen[key],
                origin=row.origin,
            )
        else:
            seen[key] = f"line {row.line}"
            yield row


class _Directory:
    """The clients on file by name key, for finding the client a row names."""

    def __init__(self, db: Database) -> None:
        self.by_key: dict[str, dict[int, date | None]] = {}
        columns = (
            ClientRow.id,
            ClientRow.given_name,
            ClientRow.preferred_name,
            ClientRow.family_name,
            ClientRow.date_of_birth,
        )
        with db.read() as session:
            for client_id, given, preferred, family, born in session.execute(select(*columns)):
                for first in {given, preferred or given}:
                    self.by_key.setdefault(_key(first, family), {})[client_id] = born

    def find(
        self, values: dict[str, str], form: Format, errors: dict[str, str]
    ) -> tuple[str, int | None]:
        """The row's client name as written, and the client on file it names (or None, with
        the reason in `errors`)."""
        born = parse_birth_date(values.get("date_of_birth", ""), form, errors)
        name, candidates = _names(values)
        if not name:
            errors["client"] = "The client's name is missing."
            return "", None
        named: dict[int, date | None] = {}
        for given, family in candidates:
            named |= self.by_key.get(_key(given, family), {})
        if "date_of_birth" in errors:
            return name, None
        if values.get("date_of_birth"):
            matches = [cid for cid, on_file in named.items() if on_file == born]
        else:
            matches = list(named)
        if len(matches) == 1:
            return name, matches[0]
        errors["client"] = _no_client(name, born, len(named), len(matches))
        return name, None


def _no_client(name: str, born: date | None, named: int, matches: int) -> str:
    shown = name[:80]
    if matches > 1:
        return (
            f"{matches} clients named {shown} are on file; add a birth date column to tell "
            "them apart."
        )
    if named and born is not None:
        return f"A client named {shown} is on file, but not born {born.isoformat()}."
    return f"No client named {shown} is on file; import the clients first."


_MOST_NAME_WORDS = 12  # a full name split every way; a cell of more words names nobody


def _names(values: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The name as written and every (given, family) reading of it: a full name of several
    words may put the family name first (김 지민) or have one of several words (Te Rangi)."""
    given, family = values.get("given_name", ""), values.get("family_name", "")
    if given or family:
        return single_line(f"{given} {family}"), [(given, family)]
    full = single_line(values.get("full_name", ""))
    if "," in full:
        return full, [split_name(full)]
    words = full.split()
    if len(words) > _MOST_NAME_WORDS:  # not a person's name: read whole, in linear time
        return full, [(full, "")]
    readings = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    readings += [(family, given) for given, family in readings]
    return full, readings or [(full, "")]


def _key(given: str, family: str) -> str:
    """The stored name key's form (`clients.name_sort_key`): family, then first name, folded."""
    return fold(f"{single_line(family)}\x1f{single_line(given)}")


# ---------------------------------------------------------------- saving


def save_visits(
    db: Database, preview: VisitPreview, progress: Progress | None = None
) -> ImportedVisits:
    """Write the preview's new rows (all of them, or none on any failure), each final, marked
    imported and audited, after a verified backup of the practice as it was."""
    progress = progress or Progress()
    new = [row for row in preview.new if row.draft is not None and row.client_id is not None]
    if not new:
        return ImportedVisits(preview.source, 0, len(preview.rows), ())
    back_up(db.data_dir, reason="before-import", progress=progress)
    progress.report(0, 0, f"Saving {visits_text(len(new))}…")
    past = [PastVisit(row.client_id, row.draft, row.origin) for row in new]  # type: ignore[arg-type]
    with db.transaction() as session:
        ids = add_imported_visits(db, session, past)
        progress.check()  # a cancel now rolls everything back
    return ImportedVisits(preview.source, len(ids), len(preview.rows) - len(ids), tuple(ids))
