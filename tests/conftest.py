"""Fixtures shared by every suite: a fresh practice folder and an open database in it."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import pytest

from practice.paths import DB_FILENAME
from practice.store import Database, open_database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Rebuildable caches (the ICD-10-CM index) go to a folder of this run, not the user's. Under
# pytest-xdist the workers inherit the variable, so they share one folder (writes are atomic).
_OWN_CACHE_DIR: str | None = None
if "FASCIA_CACHE_DIR" not in os.environ:
    import tempfile

    _OWN_CACHE_DIR = os.environ["FASCIA_CACHE_DIR"] = tempfile.mkdtemp(prefix="fascia-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_CACHE_DIR is not None and not hasattr(config, "workerinput"):
        shutil.rmtree(_OWN_CACHE_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def migrated_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file brought to the head schema by the migrations, once per test process.

    Migrating takes most of a second; each `db` starts from a copy of this file instead.
    """
    folder = tmp_path_factory.mktemp("migrated") / "practice"
    open_database(folder, actor="test-therapist").close()
    return folder / DB_FILENAME


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "practice"
    path.mkdir()
    return path


@pytest.fixture
def db(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Database]:
    """An open, empty practice at the head schema: a practice file, or a fresh database on the
    test PostgreSQL server for tests the server run selects (`engine` parameter, see
    `pytest_generate_tests` below)."""
    engine = getattr(request, "param", "sqlite")
    if engine == "postgresql":
        database = request.getfixturevalue("server_db_factory")(data_dir)
    else:
        shutil.copyfile(request.getfixturevalue("migrated_db_file"), data_dir / DB_FILENAME)
        database = open_database(data_dir, actor="test-therapist")
    yield database
    settle_ops()
    database.close()


T = TypeVar("T")


@dataclass(frozen=True)
class Made(Generic[T]):
    """A practice a module made once: its folder, what `make` returned there, and `make`."""

    folder: Path
    result: T
    make: Callable[[Database], T]


def made_once(
    tmp_path_factory: pytest.TempPathFactory,
    migrated_db_file: Path,
    name: str,
    make: Callable[[Database], T],
) -> Made[T]:
    """A practice made by `make(db)` on a copy of the migrated file, for a module fixture to
    build once. Each test opens a copy of its own (`own_practice`)."""
    folder = tmp_path_factory.mktemp(name) / "practice"
    folder.mkdir()
    shutil.copyfile(migrated_db_file, folder / DB_FILENAME)
    database = open_database(folder, actor="test-therapist")
    try:
        return Made(folder, make(database), make)
    finally:
        database.close()


def own_practice(
    request: pytest.FixtureRequest, made: Made[Any], tmp_path: Path
) -> Iterator[Database]:
    """The body of a module's `db` fixture over `made_once`: this test's own copy of the
    practice, open. On the PostgreSQL engine (`pytest_generate_tests` below) the practice is
    made afresh on a server database instead; `made_result` gives what `make` returned."""
    if getattr(request, "param", "sqlite") == "postgresql":
        (tmp_path / "practice").mkdir()
        database = request.getfixturevalue("server_db_factory")(tmp_path / "practice")
        request.node.made_result = made.make(database)
    else:
        copy = tmp_path / "practice"
        shutil.copytree(made.folder, copy, ignore=shutil.ignore_patterns("*.lock"))
        database = open_database(copy, actor="test-therapist")
    yield database
    settle_ops()
    database.close()


def made_result(request: pytest.FixtureRequest, made: Made[T]) -> T:
    """What `make` returned for this test's practice (see `own_practice`)."""
    return getattr(request.node, "made_result", made.result)


# ---------------------------------------------------------------- the PostgreSQL engine
# Tests taking `db` in the modules below run on both engines (a `[postgresql]` copy of each)
# when PostgreSQL is installed: the server's own tests, and the raw-SQL tamper and concurrent
# numbering tests, whose PostgreSQL side differs most. A server test costs about a second (a
# database copied from the template, opened and dropped), so `make test` runs only these;
# FASCIA_TEST_SERVER=all runs every `db` test on both engines, FASCIA_TEST_SERVER=off none.
# See tests/pgcluster.py for the throwaway cluster.
SERVER_MODULES = {
    "tests/practice/store/test_server.py",
    "tests/practice/store/test_conflicts.py",
    "tests/practice/store/test_database.py",
    "tests/practice/visits/test_locking.py",
    "tests/practice/billing/test_invoices.py",
}


def _server_mode() -> str:
    return os.environ.get("FASCIA_TEST_SERVER", "some")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" not in metafunc.fixturenames or _server_mode() == "off":
        return
    module = Path(metafunc.definition.path).relative_to(Path(__file__).parent.parent).as_posix()
    if _server_mode() == "all" or module in SERVER_MODULES:
        metafunc.parametrize("db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A throwaway PostgreSQL cluster for this test process (skips when not installed)."""
    from tests.pgcluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    pytest.importorskip("psycopg")
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def server_template(pg_cluster: Any) -> str:
    """A database migrated to the head schema once; each test's database is a copy of it."""
    from practice.store import server

    pg_cluster.execute("CREATE DATABASE fascia_template")
    server.migrate(pg_cluster.url("fascia_template"))
    return "fascia_template"


def _databases(pg_cluster: Any, prefix: str, create: str) -> Iterator[Any]:
    """`make()` gives the URL of a new database (`CREATE DATABASE name` + `create`), each
    dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = f"{prefix}_{os.getpid()}_{len(made)}_{id(made) % 100000}"
        pg_cluster.execute(f"CREATE DATABASE {name}{create}")
        made.append(name)
        return pg_cluster.url(name)

    yield make
    for name in made:
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def server_url_factory(pg_cluster: Any, server_template: str) -> Iterator[Any]:
    """`make()` gives the URL of a new database copied from the template (dropped after)."""
    yield from _databases(pg_cluster, "practice", f" TEMPLATE {server_template} STRATEGY FILE_COPY")


@pytest.fixture
def empty_url(pg_cluster: Any) -> Iterator[Any]:
    """`make()` gives the URL of a new, empty database on the test server (dropped after)."""
    yield from _databases(pg_cluster, "empty", "")


@pytest.fixture
def server_db_factory(server_url_factory: Any) -> Any:
    """`open(local_dir)`: a Database on a fresh server database at the head schema."""
    from practice.store.server import open_server

    return lambda local_dir: open_server(server_url_factory(), local_dir, actor="test-therapist")


def settle_ops() -> None:
    """In the screens' tests, let background ops finish before their database closes (a
    closing backup still copying, say). The core's tests never load Qt, so nothing waits."""
    ops = sys.modules.get("ui.ops")
    if ops is not None and not ops.runner().wait_idle():
        pytest.fail("A background op was still running 30 s after its test ended")


def give_consent(db: Database, client_id: int, days_ago: int = 400) -> None:
    """Record the client's general treatment consent, signed `days_ago` days ago."""
    from datetime import UTC, datetime, timedelta

    from practice.clients import service as clients
    from practice.clients.records import ConsentSignature

    forms = [f for f in clients.consent_forms(db) if f.kind == "general"]
    form = (
        forms[0]
        if forms
        else clients.save_consent_form(
            db, "general", "Consent to treatment", "I agree to medical massage treatment."
        )
    )
    signed_at = datetime.now(UTC) - timedelta(days=days_ago)
    clients.sign_consent(
        db, client_id, ConsentSignature(form.id, "The client", signed_at=signed_at)
    )


@pytest.fixture
def consent(db: Database):  # type: ignore[no-untyped-def]
    """`consent(client_id)` records a general consent for that client (see give_consent)."""
    return lambda client_id, days_ago=400: give_consent(db, client_id, days_ago)


# ---------------------------------------------------------------- mail (tests/smtp.py)


@pytest.fixture
def tls():  # type: ignore[no-untyped-def]
    """A certificate authority of this test; its certificates are trusted nowhere else."""
    import trustme

    return trustme.CA()


@pytest.fixture
def smtp_server(tls):  # type: ignore[no-untyped-def]
    """(controller, inbox) of a loopback SMTP server requiring STARTTLS and a login."""
    from tests.smtp import running_server

    with running_server(tls) as running:
        yield running


@pytest.fixture
def memory_keyring():  # type: ignore[no-untyped-def]
    """The OS keyring replaced by a dictionary for the test."""
    import keyring

    from tests.smtp import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# ---------------------------------------------------------------- order (pytest-xdist)

# The longest files, longest first (measured with --durations under `make test`). Under
# `--dist loadfile --no-loadscope-reorder` (the Makefile) the workers take files in collection
# order, so these start first and the short files fill in around them, instead of one long
# file starting last and running alone.
LONGEST_FIRST = (
    "tests/ui/test_one_truth.py",  # the screens' longest (~75 s of CPU), first of tests/ui
    "tests/ui/test_front_desk.py",
    "tests/ui/test_live_updates.py",
    "tests/ui/test_documents_tab.py",
    "tests/ui/test_work_area.py",
    "tests/ui/test_visits_editor.py",
    "tests/practice/store/test_server_backups.py",  # dumps checked, a kill test
    "tests/practice/documents/test_every_document.py",
    "tests/practice/store/test_crash_upgrade.py",
    "tests/practice/exchange/test_import_kills.py",
    "tests/practice/store/test_crash_restore.py",
    "tests/practice/test_cli.py",
    "tests/practice/billing/test_invoices.py",
    "tests/practice/exchange/test_export_kills.py",
    "tests/practice/printouts/test_printouts_cli.py",
    "tests/practice/documents/test_every_document_long.py",
    "tests/practice/test_demo_kills.py",
    "tests/practice/store/test_crash_backup.py",
    "tests/practice/exchange/test_client_import_kills.py",
    "tests/practice/test_cli_errors.py",
    "tests/practice/visits/test_locking.py",
    "tests/practice/store/test_conflicts.py",
    "tests/practice/store/test_damaged_properties.py",
    "tests/practice/store/test_restore.py",
    "tests/practice/billing/test_cli_documents.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    rank = {root / name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.path)), len(rank)))


# ---------------------------------------------------------------- the garbage collector

# With Python's default thresholds (700, 10, 10) a test process spends about a tenth of its
# CPU in the cyclic garbage collector, most of it walking the same imported modules (SQLAlchemy,
# ReportLab, Qt's wrappers) again and again: measured on the documents, invoices and CLI tests,
# 5.2 s of collections in about 50 s. Young collections ten times rarer, and everything alive
# once the tests are collected frozen out of the walks, take that to about 1.3 s. Garbage is
# still collected: only less often.
GC_THRESHOLDS = (10_000, 10, 10)


def pytest_configure(config: pytest.Config) -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLDS)


def pytest_collection_finish(session: pytest.Session) -> None:
    import gc

    gc.collect()
    gc.freeze()
