"""Export of the demo practice at each size (BENCH_SIZES) and import of 10,000 CSV rows, against
floors of the same run.

Export: the whole practice (the cached demo of tests/bench/demos.py) to a verified zip
archive, against a bare floor (every table read with sqlite3 and written as CSV into a zip, no
checks). Import: 10,000 Jane-shaped rows read, checked and saved (after the verified backup),
against a bare floor (the same rows inserted with sqlite3 in one transaction); the target is
under 10 s. Then 10,000 past visits of those clients (a Jane-shaped appointment export) the
same way.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bench.common import Figure, scratch_folder
from tests.bench.demos import demo_copy, sizes

ROWS = 10_000
IMPORT_TARGET_S = 10.0


def run_all() -> list[Figure]:
    figures: list[Figure] = []
    for clients in sizes():
        figures += _export_at(clients)
    scratch = scratch_folder("fascia-bench-exchange-")
    try:
        (import_ms, import_cpu), import_floor_ms = _import_figures(scratch)
        (visits_ms, visits_cpu), visits_floor_ms = _visit_import_figures(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"import of {ROWS:,} rows {import_ms / 1000:.1f} s (bare INSERTs "
        f"{import_floor_ms / 1000:.2f} s); CPU time {import_cpu / 1000:.1f} s"
    )
    return [
        *figures,
        Figure(
            f"import of {ROWS:,} CSV rows: read, check, save",
            import_ms,
            import_floor_ms,
            "ms",
            f"< {IMPORT_TARGET_S:g} s (floor: bare INSERTs)",
        ),
        Figure(
            "  the same, CPU time (load-independent)",
            import_cpu,
            import_floor_ms,
            "ms",
            "(the work done; wall time above)",
        ),
        Figure(
            f"import of {ROWS:,} past visits: read, find clients, check, save",
            visits_ms,
            visits_floor_ms,
            "ms",
            f"< {IMPORT_TARGET_S:g} s (floor: bare INSERTs)",
        ),
        Figure(
            "  the same, CPU time (load-independent)",
            visits_cpu,
            visits_floor_ms,
            "ms",
            "(the work done; wall time above)",
        ),
    ]


def _export_at(clients: int) -> list[Figure]:
    practice = demo_copy(clients)
    try:
        (export_ms, export_cpu), export_floor_ms, size = _export_figures(practice, practice.parent)
    finally:
        shutil.rmtree(practice.parent, ignore_errors=True)
    print(
        f"export of the {clients:,}-client demo: {export_ms / 1000:.1f} s for {size / 1e6:.0f} MB "
        f"(bare CSV-into-zip {export_floor_ms / 1000:.1f} s); CPU time {export_cpu / 1000:.1f} s"
    )
    return [
        Figure(
            f"export, {clients:,}-client demo, verified archive",
            export_ms,
            export_floor_ms,
            "ms",
            "timed and reported (floor: bare CSV into a zip)",
        ),
        Figure(
            f"  the same, CPU time, {clients:,} clients",
            export_cpu,
            export_floor_ms,
            "ms",
            "(the work done; wall time above)",
        ),
    ]


def _export_figures(practice: Path, scratch: Path) -> tuple[float, float, int]:
    from practice.exchange.export import export_practice
    from practice.store import open_database

    db = open_database(practice, actor="bench")
    try:
        with _timed() as export:
            made = export_practice(db, scratch / "export.zip")
    finally:
        db.close()
    started = time.perf_counter()
    _bare_export(practice / "fascia.db", scratch / "bare.zip")
    return export, (time.perf_counter() - started) * 1000, made.size


def _bare_export(db_path: Path, out: Path) -> None:
    connection = sqlite3.connect(db_path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                text = io.StringIO()
                csv.writer(text).writerows(connection.execute(f'SELECT * FROM "{table}"'))
                archive.writestr(f"{table}.csv", text.getvalue())
    finally:
        connection.close()


def _import_figures(scratch: Path) -> tuple[float, float]:
    from practice.exchange import importing
    from practice.exchange.formats import FORMATS
    from practice.store import open_database

    path = _jane_file(scratch / "jane.csv")
    db = open_database(scratch / "import", actor="bench")
    try:
        with _timed() as imported:
            source = importing.read_source(path)
            form = FORMATS["jane"]
            mapping = importing.guess_mapping(source, form)
            preview = importing.preview_import(db, source, mapping, form)
            made = importing.save_import(db, preview)
        assert made.created == ROWS
    finally:
        db.close()
    return imported, _bare_import(path, scratch / "bare.db")


def _visit_import_figures(scratch: Path) -> tuple[list[float], float]:
    """10,000 past visits of the clients `_import_figures` imported, one each."""
    from practice.exchange import importing, visit_import
    from practice.exchange.formats import FORMATS, Target
    from practice.store import open_database

    path = _appointments_file(scratch / "jane-appointments.csv")
    db = open_database(scratch / "import", actor="bench")
    try:
        with _timed() as imported:
            source = importing.read_source(path)
            form = FORMATS["jane"]
            mapping = importing.guess_mapping(source, form, Target.VISITS)
            preview = visit_import.preview_visits(db, source, mapping, form)
            made = visit_import.save_visits(db, preview)
        assert made.created == ROWS, {state: preview.count(state) for state in importing.RowState}
    finally:
        db.close()
    return imported, _bare_import(path, scratch / "bare-visits.db")


def _appointments_file(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Start At", "End At", "Patient", "Treatment", "State", "Notes"])
        for k in range(ROWS):
            day = f"{2015 + k % 10}-{1 + k % 12:02d}-{1 + k % 28:02d}"
            writer.writerow(
                [
                    f"{day} 14:30",
                    f"{day} 15:30",
                    f"Client{k} Peña-Ortiz",
                    "Massage therapy 60 min",
                    "Arrived",
                    "Neck and shoulders; prefers firm pressure",
                ]
            )
    return path


class _Timed(list):  # type: ignore[type-arg]
    """[wall ms, CPU ms] once the block has ended."""


@contextmanager
def _timed() -> Iterator[_Timed]:
    times = _Timed()
    wall, cpu = time.perf_counter(), time.process_time()
    yield times
    times.extend([(time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000])


def _bare_import(path: Path, db_path: Path) -> float:
    connection = sqlite3.connect(db_path)
    connection.execute("CREATE TABLE client (given TEXT, family TEXT, born TEXT, email TEXT)")
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    with connection:
        connection.executemany("INSERT INTO client VALUES (?, ?, ?, ?)", [r[:4] for r in rows])
    connection.close()
    return (time.perf_counter() - started) * 1000


def _jane_file(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Birth Date", "Email", "Mobile Phone",
                         "Address", "City", "Province", "Postal Code", "Notes"])  # fmt: skip
        for k in range(ROWS):
            born = f"{1940 + k % 60}-{1 + k % 12:02d}-{1 + k % 28:02d}"
            writer.writerow(
                [
                    f"Client{k}",
                    "Peña-Ortiz",
                    born,
                    f"client{k}@example.com",
                    "416 555 0101",
                    "12 King St W",
                    "Toronto",
                    "ON",
                    "M5V 1A1",
                    "Prefers firm pressure",
                ]
            )
    return path
