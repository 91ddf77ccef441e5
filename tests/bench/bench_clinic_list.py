"""Clinic mode: the client list and its search on a 30,000-client practice on a server, against
plain SQL reading the same rows from the same server in the same run.

The server practice is the benchmarks' demo practice (`demos.py`) moved with
`move_to_server`, as a clinic would move theirs. Building it takes many minutes, so it is built
once into a PostgreSQL cluster kept under /tmp (keyed by the size and the demo's code; the
list does not depend on the day) and each run starts that cluster again and measures a copy of
the practice database (`CREATE DATABASE ... TEMPLATE`). BENCH_CLINIC_CLIENTS picks another size.

Figures: the list's first page with its count, and each of 20 keys typed into the search box
with the page and count it makes, each against psycopg running the same page and count
queries: through the directory alone (the SQL path), and until the list on screen shows them
(median and worst keys; the keys are typed once first, untimed, to warm the server's caches).
Skipped without PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from tests.bench.common import Figure, paired_ms
from tests.bench.demos import CACHE, SEED, code_hash, demo_copy

CLIENTS = 30_000
WORDS = ("chloe", "smith", "tanak", "ferre")  # as bench_clients types them
RAW_PAGE = (
    "SELECT id, given_name, family_name, preferred_name, date_of_birth, phone_mobile,"
    " phone_other, email, archived, sort_key FROM client"
    " WHERE search_text LIKE %s AND NOT archived ORDER BY sort_key, id LIMIT 101"
)
RAW_COUNT = "SELECT count(*) FROM client WHERE search_text LIKE %s AND NOT archived"
RAW_FIRST_PAGE = (
    "SELECT id, given_name, family_name, preferred_name, date_of_birth, phone_mobile,"
    " phone_other, email, archived, sort_key FROM client"
    " WHERE NOT archived ORDER BY sort_key, id LIMIT 101"
)
RAW_FIRST_COUNT = "SELECT count(*) FROM client WHERE NOT archived"


def _clients() -> int:
    return int(os.environ.get("BENCH_CLINIC_CLIENTS", "").replace("_", "") or CLIENTS)


def server_practice(bindir: Path, clients: int) -> Any:
    """The started cluster holding the demo practice of this size as database `practice`
    (built now when it is not cached yet)."""
    from tests.pgcluster import Cluster

    folder = CACHE / f"server-{clients}-{SEED}-{code_hash()}"
    stamp = folder / "built.json"
    if stamp.exists():
        return Cluster(bindir, kept=folder).start()
    for stale in CACHE.glob(f"server-{clients}-{SEED}-*"):  # older code: not kept
        shutil.rmtree(stale, ignore_errors=True)
    cluster = Cluster(bindir, kept=folder).start()
    try:
        started = time.perf_counter()
        _move_demo(cluster, clients)
        seconds = time.perf_counter() - started
    except BaseException:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    stamp.write_text(json.dumps({"clients": clients, "seconds": seconds}))
    print(f"server practice of {clients:,} clients moved in {seconds:.1f} s (cached for reruns)")
    return cluster


def _move_demo(cluster: Any, clients: int) -> None:
    from practice import tables  # noqa: F401  (every table, for the move)
    from practice.store.moving import move_to_server

    copy = demo_copy(clients)
    try:
        cluster.execute("CREATE DATABASE practice")
        print(move_to_server(copy, cluster.url("practice")).summary())
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


def _raw(url: str) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    connection = psycopg.connect(
        host=parsed.query["host"], user=parsed.username, dbname=parsed.database, autocommit=True
    )
    # The same plans as the list's (`server.reader`): without it the floor itself takes 150 ms
    # on a one-letter key once psycopg has prepared the query.
    connection.execute("SET plan_cache_mode = force_custom_plan")
    return connection


def _until_idle(app: Any) -> None:
    """Let the window's ops land, sleeping between events as its event loop does (the test
    helper `wait_idle` polls, which holds the GIL from the worker reading the count)."""
    from PySide6.QtCore import QEventLoop

    from ui.ops import runner

    while not runner().idle:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _type_words(app: Any, page: Any, raw: Any) -> tuple[list[float], list[float]]:
    """Each key of WORDS typed into the search box until the list and its count show, and
    psycopg reading the same page and count (ms each)."""
    from practice.clients.directory import like_patterns
    from ui.ops import runner

    samples, floors = [], []
    for word in WORDS:
        page.search.clear()
        runner().wait_idle()
        for typed in range(1, len(word) + 1):
            pattern = like_patterns(word[:typed])[0]
            started = time.perf_counter()
            raw.execute(RAW_PAGE, (pattern,)).fetchall()
            raw.execute(RAW_COUNT, (pattern,)).fetchall()
            floors.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            page.search.insert(word[typed - 1])
            app.processEvents()
            _until_idle(app)  # the count under the box
            samples.append((time.perf_counter() - started) * 1000)
    return samples, floors


def _directory_keys(directory: Any, raw: Any) -> tuple[float, float]:
    """Median over every prefix of WORDS: the directory's page and count (no screen), and
    psycopg's, taken alternately."""
    from practice.clients.directory import like_patterns

    samples, floors = [], []
    for word in WORDS:
        for typed in range(1, len(word) + 1):
            text = word[:typed]
            pattern = like_patterns(text)[0]
            ms, floor = paired_ms(
                lambda text=text: (directory.page(text), directory.count(text)),
                lambda pattern=pattern: (
                    raw.execute(RAW_PAGE, (pattern,)).fetchall(),
                    raw.execute(RAW_COUNT, (pattern,)).fetchall(),
                ),
                repeat=3,
                warmup=1,
            )
            samples.append(ms)
            floors.append(floor)
    return statistics.median(samples), statistics.median(floors)


def _measure(app: Any, url: str, local: Path, label: str) -> list[Figure]:
    from practice.clients.directory import ClientDirectory
    from practice.store.server import open_server
    from ui.clients.page import ClientsPage
    from ui.ops import runner

    db = open_server(url, local)
    raw = _raw(url)
    directory = ClientDirectory.of(db)
    page = ClientsPage(db)
    try:
        page.resize(1440, 900)
        page.show()
        runner().wait_idle()  # the balances and visits, loaded once at startup

        def raw_first() -> None:
            raw.execute(RAW_FIRST_PAGE).fetchall()
            raw.execute(RAW_FIRST_COUNT).fetchall()

        def shown_first() -> None:
            page.refresh()
            _until_idle(app)

        direct_ms, direct_floor = paired_ms(
            lambda: (directory.page(), directory.count()), raw_first, repeat=21
        )
        shown_ms, shown_floor = paired_ms(shown_first, raw_first, repeat=21)

        _type_words(app, page, raw)  # a first pass warms the server's caches for both
        samples, floors = _type_words(app, page, raw)
        key_ms, key_floor = _directory_keys(directory, raw)
    finally:
        page.close()
        directory.close()
        page.directory.close()
        raw.close()
        db.close()
    keys = f"{len(samples)} keys, {label}"
    return [
        Figure(
            f"clinic: first page + count (directory), {label}",
            direct_ms,
            direct_floor,
            "ms",
            "< 2x the same SQL in psycopg",
        ),
        Figure(
            f"clinic: first page + count on screen, {label}",
            shown_ms,
            shown_floor,
            "ms",
            "< 2x the same SQL in psycopg",
        ),
        Figure(
            f"clinic: key, page + count (directory), median of {keys}",
            key_ms,
            key_floor,
            "ms",
            "< 2x the same SQL in psycopg",
        ),
        Figure(
            f"clinic: key to list + count, median of {keys}",
            statistics.median(samples),
            statistics.median(floors),
            "ms",
            "< 2x the same SQL in psycopg",
        ),
        Figure(
            f"clinic: key to list + count, worst of {keys}",
            max(samples),
            max(floors),
            "ms",
            "< 2x the same SQL in psycopg",
        ),
    ]


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.pgcluster import find_bindir

    bindir = find_bindir()
    if bindir is None:
        print("bench_clinic_list: PostgreSQL is not installed; skipped")
        return []
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    clients = _clients()
    cluster = server_practice(bindir, clients)
    try:
        cluster.execute(
            "DROP DATABASE IF EXISTS bench_list WITH (FORCE)",
            "CREATE DATABASE bench_list TEMPLATE practice STRATEGY FILE_COPY",
        )
        with TemporaryDirectory(prefix="fascia-bench-clinic-list-") as local:
            return _measure(app, cluster.url("bench_list"), Path(local), f"{clients:,} clients")
    finally:
        cluster.execute("DROP DATABASE IF EXISTS bench_list WITH (FORCE)")
        cluster.stop()


if __name__ == "__main__":
    for figure in run_all():
        print(figure.line())
