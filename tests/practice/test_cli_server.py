"""fascia-cli on a clinic's server: `server init URL`, `--server URL COMMAND`, and one clear line
on stderr for a bad address, a server that is down, a refused login or a newer schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from practice.cli import main
from tests.rawsql import RawSQL


@pytest.fixture
def empty_url(pg_cluster: Any) -> Any:
    name = f"cli_{id(pg_cluster) % 100000}"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    yield pg_cluster.url(name)
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run(tmp_path: Path, *argv: str) -> int:
    return main(["--data-dir", str(tmp_path / "local"), *argv])


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_server_init_makes_a_practice_the_commands_then_work_on(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, "server", "init", empty_url, "--name", "Noor Haddad") == 0
    assert "owner is Noor Haddad" in capsys.readouterr().out
    for command in (
        ("today",),
        ("schedule",),
        ("report", "balances"),
        ("document", "list", "--client", "1"),
    ):
        assert _run(tmp_path, "--server", empty_url, *command) == 0, command
        assert capsys.readouterr().err == "", command
    assert _run(tmp_path, "server", "init", empty_url, "--name", "Someone Else") == 1
    assert "already holds a Fascia practice" in _one_line(capsys)


def test_a_practice_on_a_newer_schema_is_refused_in_one_line(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from practice.store.server import open_server

    _run(tmp_path, "server", "init", empty_url, "--name", "Noor Haddad")
    raw = RawSQL(open_server(empty_url, tmp_path))
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    assert _run(tmp_path, "--server", empty_url, "today") == 1
    assert "newer version of Fascia" in _one_line(capsys)


def test_an_empty_server_database_is_refused_with_the_command_to_run(
    empty_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, "--server", empty_url, "today") == 1
    assert "fascia-cli server init" in _one_line(capsys)


def test_a_refused_login_is_one_line(
    pg_cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_cluster.url("postgres").replace("fascia_test@", "mallory@")
    assert _run(tmp_path, "--server", url, "today") == 1
    assert "refused the login" in _one_line(capsys)


def test_a_server_that_is_down_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://nobody@/practice?host={tmp_path}"
    assert _run(tmp_path, "--server", url, "today") == 1
    assert "not answering" in _one_line(capsys)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--server", "mysql://host/db", "today"), "not a server address"),
        (("--server", "postgresql://host", "today"), "names no database"),
        (("--server", "postgresql://host/db", "demo"), "works on a practice folder"),
        (("server", "init", "sqlite:///x.db", "--name", "A"), "not a server address"),
    ],
)
def test_a_wrong_address_or_a_folder_only_command_is_one_line(
    argv: tuple[str, ...], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, *argv) in (1, 2)
    assert message in _one_line(capsys)
