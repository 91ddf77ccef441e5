"""Encryption and record seals: opening a connection with the raw key against a plain one,
the client list read on each, unwrapping the key, and verifying every seal of a demo practice.

The demo practice (`fascia-cli demo --clients 1000`) is built in a scratch folder, copied, and
one copy encrypted with `protect_practice`; the floors are the same work on the plain copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.common import ROOT, Figure, median_ms

CLIENTS = 1_000
PASSPHRASE = "correct horse battery staple"


def run_all() -> list[Figure]:
    scratch = Path(tempfile.mkdtemp(prefix="fascia-bench-crypto-"))
    try:
        plain = scratch / "plain"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "practice.cli",
                "--data-dir",
                str(plain),
                "demo",
                "--clients",
                str(CLIENTS),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        encrypted = scratch / "encrypted"
        shutil.copytree(plain, encrypted, ignore=shutil.ignore_patterns("*.lock"))
        return _figures(plain, encrypted)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _figures(plain: Path, encrypted: Path) -> list[Figure]:
    from practice.clients.directory import ClientDirectory
    from practice.paths import DB_FILENAME
    from practice.store import open_database
    from practice.store.connection import connect, forget_key
    from practice.store.encryption import protect_practice, unlock_practice
    from practice.store.seal.verify import verify_records

    protect_practice(encrypted, PASSPHRASE)
    started = time.perf_counter()
    unlock_practice(encrypted, passphrase=PASSPHRASE)
    unwrap_ms = (time.perf_counter() - started) * 1000

    def open_and_read(path: Path) -> None:
        conn = connect(path)
        conn.execute("SELECT count(*) FROM client").fetchone()
        conn.close()

    def list_clients(path: Path) -> None:
        directory = ClientDirectory(path)
        directory.search("")
        directory.search("ma")
        directory.close()

    def warm_search(path: Path) -> float:
        """The list as the app reads it: its connection stays open between searches."""
        directory = ClientDirectory(path)
        try:
            return median_ms(lambda: (directory.search(""), directory.search("ma")), repeat=11)
        finally:
            directory.close()

    open_plain = median_ms(lambda: open_and_read(plain / DB_FILENAME), repeat=41)
    open_cipher = median_ms(lambda: open_and_read(encrypted / DB_FILENAME), repeat=41)
    list_plain = median_ms(lambda: list_clients(plain / DB_FILENAME), repeat=11)
    list_cipher = median_ms(lambda: list_clients(encrypted / DB_FILENAME), repeat=11)
    warm_plain = warm_search(plain / DB_FILENAME)
    warm_cipher = warm_search(encrypted / DB_FILENAME)
    timings = {}
    for name, folder in (("plain", plain), ("encrypted", encrypted)):
        db = open_database(folder)
        try:
            timings[name] = median_ms(lambda db=db: verify_records(db), repeat=1, warmup=0)
            seals = verify_records(db).seals
        finally:
            db.close()
    floor_scan = _scan_ms(plain / DB_FILENAME)
    forget_key(encrypted)
    print(
        f"encryption, {CLIENTS:,}-client demo: connection open+first read {open_cipher:.2f} ms "
        f"with the raw key, {open_plain:.2f} ms plain ({open_cipher / open_plain:.2f}x); client "
        f"list on a new connection {list_cipher:.1f} ms against {list_plain:.1f} ms "
        f"({list_cipher / list_plain:.2f}x), on the open one {warm_cipher:.1f} ms against "
        f"{warm_plain:.1f} ms ({warm_cipher / warm_plain:.2f}x); "
        f"key unwrap (Argon2id, 64 MiB) {unwrap_ms:.0f} ms; verifying {seals:,} seals "
        f"{timings['encrypted']:.0f} ms encrypted, {timings['plain']:.0f} ms plain"
    )
    return [
        Figure(
            "connection open + first read, raw key",
            open_cipher,
            open_plain,
            "ms",
            "no key derivation per connection (~1x plain)",
        ),
        Figure(
            "client list (all + a search), open connection",
            warm_cipher,
            warm_plain,
            "ms",
            "<= 1.2x plain",
        ),
        Figure(
            "  the same on a new connection (cold page cache)",
            list_cipher,
            list_plain,
            "ms",
            "(every page decrypted once)",
        ),
        Figure(
            f"verify every seal ({seals:,}), encrypted",
            timings["encrypted"],
            floor_scan,
            "ms",
            "floor: reading the same rows with sqlite3",
        ),
        Figure("  the same on the plain file", timings["plain"], floor_scan, "ms", "(same floor)"),
    ]


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
