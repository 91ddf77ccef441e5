"""Property tests of the export and import services: any id, any file name, any cells give a
result or the project's own error, and a refused call changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.exchange import export, importing
from practice.exchange.archive import verify_archive
from practice.store import Database
from tests.practice.fuzz import fuzz, known, outcome, row_ids, text


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
