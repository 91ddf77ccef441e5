"""Backups of a server practice with pg_dump, on the real throwaway cluster: verified by a
restore into a scratch database before they get a backup's name, and restored into an empty
database only."""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from practice.demo import generate
from practice.errors import BackupError
from practice.store import Database, staff
from practice.store.backups import catalog, dump, pgtools
from practice.store.backups.catalog import backups_dir
from practice.store.backups.run import back_up
from practice.store.backups.server_restore import restore_to_server
from practice.store.practitioners import PractitionerForm
from practice.store.seal.verify import verify_records
from practice.store.server import open_server
from tests.practice.warm_cli import shared

_names = itertools.count()


@pytest.fixture(scope="module")
def practice_template(pg_cluster: Any, tmp_path_factory: Any) -> str:
    """A server practice with demo records (signed notes, issued invoices: sealed), made once:
    a solo demo practice moved to the server."""
    import practice.tables  # noqa: F401  (every table is moved)
    from practice.store import open_database
    from practice.store.moving import move_to_server

    folder = tmp_path_factory.mktemp("solo") / "practice"
    solo = open_database(folder, actor="jordan")
    try:
        generate(solo, clients_count=3, seed=5)
    finally:
        solo.close()
    name = f"backed_{os.getpid()}"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    move_to_server(folder, pg_cluster.url(name))
    return name


@pytest.fixture
def practice(pg_cluster: Any, practice_template: str, tmp_path: Path) -> Iterator[Database]:
    """A copy of the demo practice, opened by its administrator."""
    name = f"practice_{os.getpid()}_{next(_names)}"
    pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE {practice_template}")
    db = open_server(pg_cluster.url(name), tmp_path / "admin")
    yield db
    db.close()
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _as(db: Database, login: str) -> str:
    return make_url(db.server_url or "").set(username=login).render_as_string(False)


def _counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        connection = db.raw_connection(session)
        tables = [r[0] for r in connection.execute(dump._TABLES)]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _seals(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return list(
            db.raw_connection(session).execute(
                "SELECT id, kind, entity_id, content_sha256, chain FROM seal ORDER BY id"
            )
        )


def _scratch_databases(pg_cluster: Any) -> list[str]:
    import psycopg

    with psycopg.connect(host=str(pg_cluster.folder), user="fascia_test", dbname="postgres") as c:
        rows = c.execute("SELECT datname FROM pg_database WHERE datname LIKE 'fascia_verify_%'")
        return [r[0] for r in rows]


def _until_killed_sessions_end(pg_cluster: Any, timeout_s: float = 30) -> None:
    """Until no server session is creating or using a scratch database (a killed backup's)."""
    import psycopg

    busy = (
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
        " AND (datname LIKE 'fascia_verify_%' OR query LIKE 'CREATE DATABASE \"fascia_verify_%')"
    )
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(
        host=str(pg_cluster.folder), user="fascia_test", dbname="postgres", autocommit=True
    ) as c:
        while c.execute(busy).fetchone()[0] and time.monotonic() < deadline:
            time.sleep(0.05)


def _finished(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("fascia-*.dump") if catalog.NAME.match(p.name))


def test_a_backup_and_its_restore_hold_the_same_rows_and_the_same_seals(
    practice: Database, empty_url: Any, tmp_path: Path
) -> None:
    outcome = back_up(practice.data_dir, reason="manual", server=practice)
    made = outcome.backup
    assert made.path.suffix == ".dump" and made.verified
    assert catalog.describe(made.path) == made
    assert made.counts["clients"] == 3 and made.counts["visits"] > 0
    target = empty_url()
    restored = restore_to_server(target, made.path)
    assert restored.counts == made.counts
    assert restored.seals.startswith("Records intact")
    copy = open_server(target, tmp_path / "restored")
    try:
        assert _counts(copy) == _counts(practice)
        assert _seals(copy) == _seals(practice)
        assert verify_records(copy).ok
        from practice.clients import service as clients
        from practice.clients.records import ClientForm

        added = clients.create_client(copy, ClientForm(given_name="After", family_name="Restore"))
        assert added.id > max(c.id for c in clients.search_clients(practice))  # ids go on
        assert verify_records(copy).ok  # and its seals chain on from the restored ones
    finally:
        copy.close()


def test_an_owner_login_backs_up_and_other_logins_are_refused_with_nothing_written(
    practice: Database, tmp_path: Path
) -> None:
    suffix = f"{os.getpid()}_{next(_names)}"
    owner, desk = f"own_{suffix}", f"desk_{suffix}"
    staff.add_user(practice, owner, "owner", "pw", practitioner=PractitionerForm("O. Wner"))
    staff.add_user(practice, desk, "front_desk", "pw")
    as_owner = open_server(_as(practice, owner), tmp_path / "owner")
    try:
        assert back_up(as_owner.data_dir, reason="manual", server=as_owner).backup.verified
    finally:
        as_owner.close()
    with practice.transaction() as session:  # an owner added before owners could
        session.connection().exec_driver_sql(f"ALTER ROLE {owner} NOCREATEDB")
    as_owner = open_server(_as(practice, owner), tmp_path / "owner")
    try:
        with pytest.raises(BackupError, match=f"ALTER ROLE {owner} CREATEDB"):
            back_up(as_owner.data_dir, reason="manual", server=as_owner)
    finally:
        as_owner.close()
    as_desk = open_server(_as(practice, desk), tmp_path / "desk")
    try:
        with pytest.raises(BackupError, match="Only the practice's owner"):
            back_up(as_desk.data_dir, reason="manual", server=as_desk)
        assert _finished(backups_dir(as_desk.data_dir)) == []
    finally:
        as_desk.close()


def test_a_dump_damaged_before_its_check_fails_and_leaves_no_file_that_looks_complete(
    practice: Database, pg_cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = pgtools.Target.run

    def damaging(self: pgtools.Target, tool: str, *arguments: str) -> str:
        output = run(self, tool, *arguments)
        if tool == "pg_dump":  # a disk that garbles what was written
            path = Path(arguments[-1].removeprefix("--file="))
            data = bytearray(path.read_bytes())
            middle = len(data) // 2
            data[middle : middle + 4096] = bytes(4096)
            path.write_bytes(bytes(data))
        return output

    monkeypatch.setattr(pgtools.Target, "run", damaging)
    with pytest.raises(BackupError):
        back_up(practice.data_dir, reason="manual", server=practice)
    folder = backups_dir(practice.data_dir)
    assert _finished(folder) == []
    assert not [p for p in folder.iterdir() if p.name.startswith(".fascia-")]
    assert _scratch_databases(pg_cluster) == []


def test_missing_postgresql_programs_are_named_with_how_to_install_them(
    practice: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pgtools, "VERSIONED", tmp_path / "none")
    monkeypatch.delenv("FASCIA_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    with pytest.raises(BackupError, match=r"pg_dump is not installed.*postgresql-client"):
        back_up(practice.data_dir, reason="manual", server=practice)
    assert _finished(backups_dir(practice.data_dir)) == []


def test_a_restore_into_a_database_that_holds_anything_is_refused_and_changes_nothing(
    practice: Database, server_url_factory: Any
) -> None:
    made = back_up(practice.data_dir, reason="manual", server=practice).backup
    holding = server_url_factory()  # a practice at the head schema, no records
    with pytest.raises(BackupError, match=r"is not empty.*Nothing was changed"):
        restore_to_server(holding, made.path)
    with pytest.raises(BackupError, match="not empty"):
        restore_to_server(practice.server_url or "", made.path)


def test_a_file_that_is_not_a_server_backup_or_was_changed_is_refused(
    practice: Database, empty_url: Any, tmp_path: Path
) -> None:
    target = empty_url()
    stranger = tmp_path / "notes.dump"
    stranger.write_bytes(b"PGDMP but not really")
    with pytest.raises(BackupError, match="not a server backup"):
        restore_to_server(target, stranger)
    made = back_up(practice.data_dir, reason="manual", server=practice).backup
    with made.path.open("r+b") as handle:
        handle.seek(made.size // 2)
        handle.write(b"\0" * 64)
    with pytest.raises(BackupError, match="changed since it was verified"):
        restore_to_server(target, made.path)


def test_the_command_line_backs_up_lists_and_restores_a_server_practice(
    practice: Database, empty_url: Any, tmp_path: Path
) -> None:
    url, data_dir = practice.server_url or "", tmp_path / "cli"
    made = shared().completed(["--data-dir", str(data_dir), "--server", url, "backup"])
    assert made.returncode == 0, made.stderr
    assert "verified: 3 clients" in made.stdout
    listed = shared().completed(["--data-dir", str(data_dir), "--server", url, "backups"])
    assert "verified" in listed.stdout and ".dump" in listed.stdout
    path = made.stdout.split("Backup written to ", 1)[1].split(", verified")[0]
    target = empty_url()
    restored = shared().completed(["--server", target, "restore", path])
    assert restored.returncode == 0, restored.stderr
    assert "3 clients" in restored.stdout and "Records intact" in restored.stdout
    again = shared().completed(["--server", target, "restore", path])
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "not empty" in again.stderr


def test_killing_a_server_backup_never_leaves_a_file_that_looks_complete(
    practice: Database, pg_cluster: Any, tmp_path: Path
) -> None:
    from practice.store.backups.verify import file_sha256
    from practice.store.server import local_folder
    from tests.practice.kills import kill_runs, timed

    data_dir = tmp_path / "killed"
    command = ["--data-dir", str(data_dir), "--server", practice.server_url or "", "backup"]
    folder = backups_dir(local_folder(data_dir, practice.server_url or ""))
    checked: set[str] = set()

    def each_finished_file_is_verified(_n: int, _status: int) -> None:
        for path in _finished(folder):
            if path.name in checked:
                continue
            listed = catalog.describe(path)
            assert listed is not None and listed.verified, f"{path.name} is not verified"
            assert file_sha256(path) == listed.sha256, f"{path.name} is incomplete"
            listing = subprocess.run(
                [str(pgtools.find_tool("pg_restore")), "--list", str(path)],
                capture_output=True, check=False,
            )  # fmt: skip
            assert listing.returncode == 0, f"{path.name} is not a whole dump"
            checked.add(path.name)

    kill_runs(
        lambda n: command, duration=timed(command), kills=12, seed=7,
        after=each_finished_file_is_verified, enough=lambda: len(checked) > 1,
    )  # fmt: skip
    # What killed runs left (temporary files, scratch databases) goes with the next backup,
    # once the server has ended their sessions: a CREATE DATABASE it was running when its
    # client was killed still completes, after the client is gone.
    _until_killed_sessions_end(pg_cluster)
    assert back_up(folder.parent, reason="manual", server=practice).backup.verified
    assert not [p for p in folder.iterdir() if p.name.startswith(".fascia-")]
    assert _scratch_databases(pg_cluster) == []


def test_the_owners_fascia_backs_up_what_anyone_saved_on_the_schedule_stored_on_the_server(
    practice: Database, tmp_path: Path
) -> None:
    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.store.backups.auto import AutoBackup
    from practice.store.backups.settings import get_backup_settings, save_backup_settings

    save_backup_settings(practice, "", 45)
    other = open_server(practice.server_url or "", tmp_path / "other computer")
    try:
        assert get_backup_settings(other).every_minutes == 45  # the practice's, not a computer's
        auto = AutoBackup(practice)
        assert auto.refusal is None and auto.pending  # no backup yet
        auto.now()
        assert not auto.pending and auto.on_close() is None
        clients.create_client(other, ClientForm(given_name="Saved", family_name="Elsewhere"))
        outcome = auto.on_close()
        assert outcome is not None and outcome.backup.counts["clients"] == 4
        clients.create_client(other, ClientForm(given_name="While", family_name="Closed"))
        assert AutoBackup(practice).pending  # a write after the newest backup, seen at the start
    finally:
        other.close()


def test_a_practitioners_fascia_makes_no_backups_and_says_whose_they_are(
    practice: Database, tmp_path: Path
) -> None:
    from practice.store.backups.auto import AutoBackup
    from practice.today.figures import backup_state
    from practice.today.overview import backup_text

    login = f"prac_{os.getpid()}_{next(_names)}"
    staff.add_user(practice, login, "practitioner", "pw", practitioner=PractitionerForm("P. Rac"))
    as_practitioner = open_server(_as(practice, login), tmp_path / login)
    try:
        auto = AutoBackup(as_practitioner)
        assert auto.refusal is not None and "owner" in auto.refusal
        assert auto.on_close() is None and auto.tick() is None
        assert _finished(backups_dir(as_practitioner.data_dir)) == []
        today = backup_state(as_practitioner)  # Today's card: nothing to do here
        assert today.healthy and today.by_owner
        assert backup_text(today, "en") == "Backed up by the owner's Fascia"
    finally:
        as_practitioner.close()


@pytest.fixture(scope="module")
def made_dump(pg_cluster: Any, practice_template: str, tmp_path_factory: Any) -> Path:
    """A verified dump of the demo practice (its sidecar beside it)."""
    db = open_server(pg_cluster.url(practice_template), tmp_path_factory.mktemp("dumped"))
    try:
        return back_up(db.data_dir, reason="manual", server=db).backup.path
    finally:
        db.close()


@pytest.fixture(scope="module")
def one_empty_database(pg_cluster: Any) -> str:
    name = f"stays_empty_{os.getpid()}"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    return str(pg_cluster.url(name))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    cut=st.floats(min_value=0.0, max_value=0.999),
    garbage=st.one_of(st.just(b""), st.binary(max_size=64), st.just(b"PGDMP")),
)
def test_a_cut_or_garbled_dump_is_refused_in_plain_words_and_nothing_is_restored(
    made_dump: Path, one_empty_database: str, tmp_path_factory: Any, cut: float, garbage: bytes
) -> None:
    """Any prefix of a real dump, with or without bytes after it, and any bytes at all."""
    import psycopg

    whole = made_dump.read_bytes()
    offered = tmp_path_factory.mktemp("offered") / "offered.dump"
    offered.write_bytes(whole[: int(len(whole) * cut)] + garbage)
    with pytest.raises(BackupError):
        restore_to_server(one_empty_database, offered)
    target = pgtools.Target.of(one_empty_database)
    with psycopg.connect(**target.params) as connection:
        tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        assert connection.execute(tables).fetchone()[0] == 0


def test_a_practice_tampered_with_before_its_backup_is_backed_up_as_it_is_and_says_so(
    practice: Database, empty_url: Any
) -> None:
    from tests.rawsql import RawSQL

    raw = RawSQL(practice)  # the administrator in psql, the guards switched off
    try:
        raw.execute("SET session_replication_role = replica")
        visit = raw.execute("SELECT min(id) FROM visit WHERE signed_at IS NOT NULL").fetchone()[0]
        raw.execute("UPDATE soap_note SET complaint = 'rewritten' WHERE visit_id = ?", (visit,))
    finally:
        raw.close()
    assert not verify_records(practice).ok
    made = back_up(practice.data_dir, reason="manual", server=practice).backup
    assert made.verified  # the very practice, tampering included: better kept than lost
    restored = restore_to_server(empty_url(), made.path)
    assert restored.seals.startswith("Records tampered with: 1 problem")
    assert f"signed visit note {visit} was changed" in restored.seals
