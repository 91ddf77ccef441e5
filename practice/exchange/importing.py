"""Import clients from a CSV file: read it, map its columns, preview every row, then save.

Nothing is written until `save_import` is called with a preview the therapist accepted. The
preview checks every row the way the client profile does (`clients.validate_client`), reports
each row's problems by field, and marks as duplicates the rows whose name and birth date match
a client already on file (the stored name key, `client.sort_key`) or an earlier row of the file.
Saving writes every new row in one transaction (all or nothing), with an audit entry per client
naming the file, after a verified backup.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

from dateutil import parser as dates

from practice.clients import service as clients
from practice.clients.models import ClientRow
from practice.clients.records import ClientForm
from practice.errors import ValidationError
from practice.exchange.formats import FIELDS, FIELDS_OF, GENERIC, Format, Target
from practice.progress import Progress
from practice.store.backups.run import back_up
from practice.store.database import Database

MAX_FILE_BYTES = 50_000_000  # a client list of 100,000 rows is well under this
MAX_ROWS = 100_000
MAX_CELL = 100_000
REPORT_EVERY = 500
ENCODINGS = ("utf-8-sig", "cp1252")  # Excel on Windows still writes the second
ADDRESS_PARTS = ("street", "street2", "city", "region", "postal_code", "country")
FORM_FIELDS = frozenset(ClientForm.__dataclass_fields__)
_FOUR_DIGIT_YEAR = re.compile(r"\b\d{4}\b")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: .*)?$")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r\n])")  # Fascia's (and others') spreadsheet guard


class RowState(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


OutcomeT = TypeVar("OutcomeT", bound=Any)  # a checked row: its `state` says what becomes of it


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A CSV file as read: its headings and rows of text, nothing interpreted yet."""

    path: Path
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class RowOutcome:
    line: int  # the row's line in the file (the headings are line 1)
    form: ClientForm | None
    state: RowState
    errors: dict[str, str] = field(default_factory=dict)  # field -> message
    duplicate_of: str = ""  # "client 12" or "line 7"

    @property
    def name(self) -> str:
        return (
            " ".join(filter(None, (self.form.given_name, self.form.family_name)))
            if (self.form)
            else ""
        )


class Checked(Generic[OutcomeT]):
    """What a preview of checked rows answers, for clients and past visits alike."""

    __slots__ = ()
    rows: tuple[OutcomeT, ...]

    def count(self, state: RowState) -> int:
        return sum(1 for row in self.rows if row.state is state)

    @property
    def new(self) -> list[OutcomeT]:
        return [row for row in self.rows if row.state is RowState.NEW]


@dataclass(frozen=True, slots=True)
class Preview(Checked["RowOutcome"]):
    source: Path
    mapping: dict[int, str]  # column -> field
    rows: tuple[RowOutcome, ...]


@dataclass(frozen=True, slots=True)
class Imported:
    source: Path
    created: int
    skipped: int
    client_ids: tuple[int, ...]


def clients_text(count: int) -> str:
    return f"{count:,} client{'' if count == 1 else 's'}"


# ---------------------------------------------------------------- reading


def read_source(path: Path) -> SourceFile:
    """The headings and rows of a CSV file (comma, semicolon or tab separated, any of the usual
    encodings). Raises ValidationError({"file": ...}) for a file that is not such a table."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValidationError({"file": f"{path.name} is over 50 MB; split it first."})
        raw = path.read_bytes()
    except OSError as error:
        raise ValidationError({"file": f"{path} cannot be read: {error.strerror}."}) from None
    text = _decoded(raw, path)
    rows = _rows(text, path)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValidationError({"file": f"{path.name} has no column headings on its first line."})
    width = len(rows[0])
    body = tuple(_fitted(row, width) for row in rows[1:] if any(c.strip() for c in row))
    return SourceFile(path, tuple(h.strip() for h in rows[0]), body)


def _decoded(raw: bytes, path: Path) -> str:
    if b"\x00" in raw[:4096]:
        raise ValidationError({"file": f"{path.name} is not a text (CSV) file."})
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": f"{path.name} is not a text (CSV) file."})


def _rows(text: str, path: Path) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    csv.field_size_limit(MAX_CELL * 4)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ValidationError({"file": f"{path.name} has over {MAX_ROWS:,} rows."})
        return rows
    except csv.Error as error:
        raise ValidationError(
            {"file": f"{path.name} is not a readable CSV file: {error}."}
        ) from None


def _fitted(row: list[str], width: int) -> tuple[str, ...]:
    return tuple((row + [""] * width)[:width])


def guess_mapping(
    source: SourceFile, form: Format = GENERIC, target: Target = Target.CLIENTS
) -> dict[int, str]:
    """Column -> field, for the columns whose heading the format knows (each field once)."""
    mapping: dict[int, str] = {}
    for column, heading in enumerate(source.headings):
        name = form.field_of(heading, target)
        if name is not None and name not in mapping.values():
            mapping[column] = name
    return mapping


def mapping_from_text(
    source: SourceFile, pairs: Iterable[str], target: Target = Target.CLIENTS
) -> dict[int, str]:
    """Column -> field from "Heading=field" pairs (the command line's --map)."""
    fields = FIELDS_OF[target]
    mapping = {}
    for pair in pairs:
        heading, _, name = pair.partition("=")
        if name.strip() not in fields:
            raise ValidationError(
                {"map": f"{name.strip()!r} is not a field; use one of " + ", ".join(fields) + "."}
            )
        if heading.strip() not in source.headings:
            raise ValidationError({"map": f"{source.path.name} has no column {heading.strip()!r}."})
        mapping[source.headings.index(heading.strip())] = name.strip()
    return mapping


# ---------------------------------------------------------------- preview


def preview_import(
    db: Database,
    source: SourceFile,
    mapping: dict[int, str],
    form: Format = GENERIC,
    progress: Progress | None = None,
    today: date | None = None,
) -> Preview:
    """Every row checked and compared with the clients on file. Writes nothing."""
    progress = progress or Progress()
    _check_mapping(mapping)
    today = today or date.today()
    known = _known_clients(db)
    outcomes = []
    total = len(source.rows)
    for k, row in enumerate(source.rows):
        if k % REPORT_EVERY == 0:
            progress.report(k, total, f"Checking row {k + 1:,} of {total:,}…")
        outcomes.append(_outcome(k + 2, row, mapping, form, today, known))
    progress.report(total, total)
    return Preview(source.path, dict(mapping), tuple(outcomes))


def _check_mapping(mapping: dict[int, str]) -> None:
    names = set(mapping.values())
    if not names & {"given_name", "full_name"}:
        raise ValidationError({"mapping": "Choose the column that holds the first name."})
    if len(names) != len(mapping):
        raise ValidationError({"mapping": "Each field can come from one column only."})
    unknown = names - set(FIELDS)
    if unknown:
        raise ValidationError({"mapping": f"Unknown fields: {', '.join(sorted(unknown))}."})


def _known_clients(db: Database) -> dict[tuple[str, date | None], str]:
    with db.read() as session:
        rows = session.execute(
            ClientRow.__table__.select().with_only_columns(
                ClientRow.id, ClientRow.sort_key, ClientRow.date_of_birth
            )
        )
        return {(key, born): f"client {cid}" for cid, key, born in rows}


def _outcome(
    line: int,
    row: tuple[str, ...],
    mapping: dict[int, str],
    form: Format,
    today: date,
    known: dict[tuple[str, date | None], str],
) -> RowOutcome:
    values = {name: clean_cell(row[column]) for column, name in mapping.items()}
    errors: dict[str, str] = {}
    born = parse_birth_date(values.get("date_of_birth", ""), form, errors)
    draft = _form(values, born)
    try:
        cleaned = clients.validate_client(draft, today)
    except ValidationError as error:
        errors |= error.errors
    if errors:
        return RowOutcome(line, draft, RowState.INVALID, errors)
    key = (clients.name_sort_key(cleaned), cleaned.date_of_birth)
    if key in known:
        return RowOutcome(line, cleaned, RowState.DUPLICATE, duplicate_of=known[key])
    known[key] = f"line {line}"
    return RowOutcome(line, cleaned, RowState.NEW)


def clean_cell(text: str) -> str:
    return _FORMULA_GUARD.sub("", text.strip())


def parse_birth_date(text: str, form: Format, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return parse_day(text, form.day_first)
    except (ValueError, OverflowError):
        order = "DD/MM/YYYY" if form.day_first else "MM/DD/YYYY"
        errors["date_of_birth"] = f"{text[:40]!r} is not a date like 1980-03-05 or {order}."
        return None


def parse_day(text: str, day_first: bool) -> date:
    """1980-03-05, 05/03/1980 (day first or not, as the format writes), 5 March 1980 ..."""
    iso = _ISO_DAY.match(text)
    if iso:
        return date(int(iso[1]), int(iso[2]), int(iso[3]))
    numeric = _NUMERIC_DAY.match(text)
    if numeric:
        first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
        day, month = (first, second) if day_first else (second, first)
        return date(year, month, day)
    if not _FOUR_DIGIT_YEAR.search(text):
        raise ValueError(text)
    return dates.parse(text, dayfirst=day_first).date()


def _form(values: dict[str, str], born: date | None) -> ClientForm:
    given, family = values.get("given_name", ""), values.get("family_name", "")
    if not given and not family and values.get("full_name"):
        given, family = split_name(values["full_name"])
    address = "\n".join(filter(None, (values.get(part, "") for part in ADDRESS_PARTS)))
    direct = {name: value for name, value in values.items() if name in FORM_FIELDS and value} | {
        "given_name": given,
        "family_name": family,
        "address": address,
    }
    direct.pop("date_of_birth", None)
    return ClientForm(**direct, date_of_birth=born)


def split_name(full: str) -> tuple[str, str]:
    """'Dubois, Chloé' or 'Chloé Dubois' -> ('Chloé', 'Dubois') (a family name of several words
    goes to the given name: the visit import tries every split, see `visit_import`)."""
    if "," in full:
        family, _, given = full.partition(",")
        return given.strip(), family.strip()
    parts = full.split()
    return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (full.strip(), "")


# ---------------------------------------------------------------- saving


def save_import(db: Database, preview: Preview, progress: Progress | None = None) -> Imported:
    """Write the preview's new rows (all of them, or none on any failure), audited per client,
    after a verified backup of the practice as it was."""
    progress = progress or Progress()
    new = preview.new
    if not new:
        return Imported(preview.source, 0, len(preview.rows), ())
    back_up(db.data_dir, reason="before-import", progress=progress)
    progress.report(0, 0, f"Saving {len(new):,} clients…")
    with db.transaction() as session:
        forms = [outcome.form for outcome in new if outcome.form is not None]
        ids = clients.add_clients(db, session, forms, source=preview.source.name)
        progress.check()  # a cancel now rolls everything back
    return Imported(preview.source, len(ids), len(preview.rows) - len(ids), tuple(ids))
