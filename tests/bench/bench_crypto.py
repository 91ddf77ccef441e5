"""Encryption and record seals on the 10,000-client demo: each figure on the encrypted copy
against the same work on the plain one, and verifying every seal against reading its rows.

The cached demo practice (tests/bench/demos.py) is copied twice and one copy encrypted with
`protect_practice`. Issue 12's targets: unlock to client list <= 1.3x the plain startup; list,
search, note save and invoice PDF <= 1.2x plain; verifying the seals of a 200,000-visit
practice < 5 s. `BENCH_VERIFY_CLIENTS=30000` also verifies a demo of that size (about 200,000
visits; its first build takes about 8 minutes).
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.bench.common import Figure, best_child, median_ms

CLIENTS = 10_000
PASSPHRASE = "correct horse battery staple"

STARTUP = """
from pathlib import Path
folder = Path({folder!r})
if {passphrase!r}:
    from practice.store.encryption import unlock_practice
    unlock_practice(folder, passphrase={passphrase!r})  # Argon2id: what the unlock screen does
from ui.app import main
raise SystemExit(main(["--data-dir", str(folder)]))
"""


def run_all() -> list[Figure]:
    from tests.bench.demos import demo_copy

    plain = demo_copy(CLIENTS)
    encrypted = plain.parent.parent / "encrypted" / "practice"
    try:
        encrypted.parent.mkdir()
        shutil.copytree(plain, encrypted, ignore=shutil.ignore_patterns("*.lock"))
        figures = _figures(plain, encrypted)
        extra = int(os.environ.get("BENCH_VERIFY_CLIENTS", "0") or 0)
        if extra:
            big = demo_copy(extra)
            try:
                figures += _verify_figures(big, f"{extra:,}-client demo, plain")
            finally:
                shutil.rmtree(big.parent, ignore_errors=True)
        return figures
    finally:
        shutil.rmtree(plain.parent, ignore_errors=True)
        shutil.rmtree(encrypted.parent, ignore_errors=True)


def _figures(plain: Path, encrypted: Path) -> list[Figure]:
    from practice.store.connection import forget_key
    from practice.store.encryption import protect_practice, unlock_practice

    started = time.perf_counter()
    protect_practice(encrypted, PASSPHRASE)
    protect_s = time.perf_counter() - started
    forget_key(encrypted)
    startup_plain, _ = best_child(_startup(plain, ""), {"FASCIA_EXIT_AFTER_SHOW": "ready"})
    startup_cipher, _ = best_child(
        _startup(encrypted, PASSPHRASE), {"FASCIA_EXIT_AFTER_SHOW": "ready"}
    )
    started = time.perf_counter()
    unlock_practice(encrypted, passphrase=PASSPHRASE)
    unwrap_ms = (time.perf_counter() - started) * 1000
    try:
        work = _work_ms(plain, encrypted)
        verify = _verify_figures(encrypted, "encrypted", floor_folder=plain)
        verify += _verify_figures(plain, "plain")
    finally:
        forget_key(encrypted)
    print(
        f"encryption, {CLIENTS:,}-client demo: protected in {protect_s:.1f} s; key unwrap "
        f"(Argon2id, 64 MiB) {unwrap_ms:.0f} ms; process start to client list "
        f"{startup_cipher:.0f} ms unlocking, {startup_plain:.0f} ms plain"
    )
    plain_ms, cipher_ms = work["plain"], work["cipher"]
    return [
        Figure(
            "unlock (Argon2id) + start to client list, 10k",
            startup_cipher,
            startup_plain,
            "ms",
            "<= 1.3x plain startup",
        ),
        *(
            Figure(f"{name}, encrypted", cipher_ms[name], plain_ms[name], "ms", target)
            for name, target in (
                ("connection open + first read", "~1x plain (raw key)"),
                ("client list (all + a search), open connection", "<= 1.2x plain"),
                ("client list on a new connection", "(every page decrypted once)"),
                ("note save, durable commit", "<= 1.2x plain"),
                ("invoice PDF (printout, audited)", "<= 1.2x plain"),
            )
        ),
        *verify,
    ]


def _startup(folder: Path, passphrase: str) -> str:
    return STARTUP.format(folder=str(folder), passphrase=passphrase)


def _work_ms(plain: Path, encrypted: Path, rounds: int = 3) -> dict[str, dict[str, float]]:
    """The everyday work on each practice: medians taken in turns, plain then encrypted, so a
    change in the machine's load falls on both; the median of each side's rounds."""
    with ExitStack() as stack:
        work = {"plain": _work(plain, stack), "cipher": _work(encrypted, stack)}
        samples: dict[str, dict[str, list[float]]] = {side: {} for side in work}
        for _round in range(rounds):
            for name, repeat in REPEATS.items():
                for side, fns in work.items():
                    samples[side].setdefault(name, []).append(median_ms(fns[name], repeat))
    return {
        side: {name: statistics.median(values) for name, values in by_name.items()}
        for side, by_name in samples.items()
    }


REPEATS = {
    "connection open + first read": 21,
    "client list (all + a search), open connection": 7,
    "client list on a new connection": 7,
    "note save, durable commit": 15,
    "invoice PDF (printout, audited)": 7,
}


def _work(folder: Path, stack: ExitStack) -> dict[str, Callable[[], object]]:
    """Each measured piece of work on one practice (what it holds open is closed by `stack`)."""
    from practice import printouts
    from practice.clients.directory import ClientDirectory
    from practice.paths import DB_FILENAME
    from practice.store import open_database
    from practice.store.connection import connect

    path = folder / DB_FILENAME

    def open_and_read() -> None:
        conn = connect(path)
        conn.execute("SELECT count(*) FROM client").fetchone()
        conn.close()

    def list_cold() -> None:
        directory = ClientDirectory(path)
        directory.search("")
        directory.search("ma")
        directory.close()

    directory = ClientDirectory(path)
    stack.callback(directory.close)
    db = open_database(folder, actor="bench")
    stack.callback(db.close)
    with db.read() as session:
        invoice_id = (
            db.raw_connection(session)
            .execute("SELECT min(id) FROM invoice WHERE status = 'issued'")
            .fetchone()[0]
        )
    return {
        "connection open + first read": open_and_read,
        "client list (all + a search), open connection": lambda: (
            directory.search(""),
            directory.search("ma"),
        ),
        "client list on a new connection": list_cold,
        "note save, durable commit": _note_saver(db),
        "invoice PDF (printout, audited)": lambda: printouts.invoice_pdf(db, invoice_id),
    }


def _note_saver(db):  # type: ignore[no-untyped-def]
    """Saving a draft note again and again, as the editor's Save does."""
    from practice.visits import service
    from practice.visits.records import SoapNote, TreatmentInput, VisitDraft, VisitForm

    with db.read() as session:
        client_id = db.raw_connection(session).execute("SELECT min(id) FROM client").fetchone()[0]
    note = SoapNote(complaint="Low back ache after gardening", pain_before=6, pain_after=3)
    log = (TreatmentInput("myofascial_release", 20, ("B_LOW_BACK_R", "B_LOW_BACK_L"), 3),)
    draft = VisitDraft(VisitForm(datetime.now(UTC) - timedelta(hours=3)), note, log)
    visit_id = service.create_visit(db, client_id, draft).visit.id
    edits = iter(range(10_000))

    def save() -> None:
        edited = replace(note, response=f"Tissue softened; edit {next(edits)}")
        service.save_draft(db, visit_id, replace(draft, note=edited))

    return save


def _verify_figures(folder: Path, label: str, floor_folder: Path | None = None) -> list[Figure]:
    """Verifying every seal once, against reading the same rows with sqlite3 (the floor)."""
    from practice.paths import DB_FILENAME
    from practice.store import open_database
    from practice.store.seal.verify import verify_records

    db = open_database(folder)
    try:
        started = time.perf_counter()
        result = verify_records(db)
        verify_ms = (time.perf_counter() - started) * 1000
        visits = _count(db, "SELECT count(*) FROM visit")
    finally:
        db.close()
    floor = _scan_ms((floor_folder or folder) / DB_FILENAME)
    print(
        f"verified {result.seals:,} seals ({visits:,} visits, {label}) in {verify_ms:.0f} ms; "
        f"reading their rows {floor:.0f} ms; {'intact' if result.ok else result.summary()}"
    )
    return [
        Figure(
            f"verify {result.seals:,} seals, {visits:,} visits ({label})",
            verify_ms,
            floor,
            "ms",
            "200,000 visits < 5 s; floor: the rows read with sqlite3",
        )
    ]


def _count(db, sql: str) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return int(db.raw_connection(session).execute(sql).fetchone()[0])


def _scan_ms(path: Path) -> float:
    """Reading every row of the sealed tables once with sqlite3 (no hashing): the floor."""
    import sqlite3

    from practice.store.seal.kinds import COLUMNS

    def scan() -> None:
        conn = sqlite3.connect(path)
        for table, columns in COLUMNS.items():
            for _row in conn.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                pass
        conn.close()

    return median_ms(scan, repeat=3, warmup=1)
