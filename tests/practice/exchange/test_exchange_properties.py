"""Property tests of the export and import services: any id, any file name, any cells give a
result or the project's own error, and a refused call changes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.exchange import export, importing, visit_import
from practice.exchange.archive import verify_archive
from practice.exchange.formats import FORMATS, Target
from practice.store import Database
from practice.visits import service as visits
from practice.visits.validation import MAX_VISIT_MINUTES
from tests.practice.fuzz import TODAY, fuzz, known, outcome, row_ids, text


@pytest.fixture(scope="module")
def client_id(shared_db: Database) -> int:
    return clients.create_client(shared_db, ClientForm("Ana", "Peña")).id


@fuzz
@given(which=row_ids, name=st.one_of(st.just("records.zip"), text))
def test_any_client_id_and_file_name_export_or_are_refused(
    shared_db: Database,
    client_id: int,
    tmp_path_factory: pytest.TempPathFactory,
    which: object,
    name: str,
) -> None:
    folder = tmp_path_factory.mktemp("out")
    made = outcome(
        shared_db,
        lambda: export.export_client(shared_db, known(which, client_id), folder / name),
        stored=False,
    )
    if made is not None:
        assert verify_archive(made.path).counts["client"] == 1


@fuzz
@given(cells=st.lists(st.lists(text, min_size=3, max_size=3), max_size=3))
def test_any_text_in_a_csv_previews_or_is_refused_and_saves_only_clean_clients(
    shared_db: Database, tmp_path_factory: pytest.TempPathFactory, cells: list[list[str]]
) -> None:
    import csv

    path = tmp_path_factory.mktemp("csv") / "clients.csv"
    with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Notes"])
        writer.writerows(cells)

    def run() -> importing.Imported:
        source = importing.read_source(path)
        preview = importing.preview_import(shared_db, source, importing.guess_mapping(source))
        return importing.save_import(shared_db, preview)

    made = outcome(shared_db, run, stored=False)
    for client_id in made.client_ids if made else ():
        outcome(shared_db, lambda c=client_id: clients.get_client(shared_db, c))  # clean


def _csv(path, headings: list[str], rows: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    import csv

    with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        writer.writerows(rows)


# Cells a visit export holds: plausible rows (so that some are saved) and anything at all.
_likely_visit = st.tuples(
    st.sampled_from(["Ana Peña", "Peña, Ana", "ANA PEÑA"]),
    st.dates(date(1990, 1, 1), TODAY).map(date.isoformat),
    st.sampled_from(["", "9:30", "2 PM"]),
    st.integers(1, 600).map(str),
    st.sampled_from(["Arrived", "No Show", "Late Cancelled", ""]),
    text,
)
_any_visit = st.tuples(
    st.one_of(st.sampled_from(["Ana Peña", "Peña, Ana", "ANA PEÑA", "Ana"]), text),
    st.one_of(
        st.dates().map(date.isoformat),
        st.dates().map(lambda d: f"{d.month}/{d.day}/{d.year}"),
        st.datetimes().map(datetime.isoformat),
        text,
    ),
    st.one_of(st.sampled_from(["", "9:30", "2 PM", "25:00", "13 PM"]), text),
    st.one_of(
        st.integers(-(10**12), 10**12).map(str),
        st.sampled_from(["1:30", "1 h 30 min", "1.5 hours", "nan", "inf", "-0"]),
        text,
    ),
    st.one_of(st.sampled_from(["Arrived", "No Show", "Late Cancelled", "Booked"]), text),
    text,
)


@fuzz
@given(
    rows=st.lists(st.one_of(_likely_visit, _any_visit), max_size=3),
    key=st.sampled_from(sorted(FORMATS)),
)
def test_any_cells_in_a_visit_export_preview_or_are_refused_and_save_only_valid_visits(
    shared_db: Database,
    client_id: int,
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, ...]],
    key: str,
) -> None:
    path = tmp_path_factory.mktemp("csv") / "visits.csv"
    _csv(
        path,
        ["Client", "Date", "Start time", "Duration", "Status", "Notes"],
        [list(r) for r in rows],
    )
    form = FORMATS[key]

    def run() -> visit_import.ImportedVisits:
        source = importing.read_source(path)
        mapping = importing.guess_mapping(source, form, Target.VISITS)
        preview = visit_import.preview_visits(shared_db, source, mapping, form)
        return visit_import.save_visits(shared_db, preview)

    made = outcome(shared_db, run, stored=False)
    for visit_id in made.visit_ids if made else ():
        record = outcome(shared_db, lambda v=visit_id: visits.get_visit(shared_db, v))
        assert record is not None
        visit = record.visit
        assert visit.client_id == client_id and visit.imported is not None
        assert visit.signed_by == "" and visit.signed_by_id is None
        assert 1 <= visit.duration_minutes <= MAX_VISIT_MINUTES
        assert visit.day <= TODAY
