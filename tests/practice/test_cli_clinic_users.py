"""fascia-cli --server URL server add-user: a clinic's logins, each refusal one line on stderr."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from practice.cli import main


def _run(tmp_path: Path, *argv: str) -> int:
    return main(["--data-dir", str(tmp_path / "local"), *argv])


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def practice_url(empty_url: Any, tmp_path: Path) -> str:
    url = empty_url()
    assert _run(tmp_path, "server", "init", url, "--name", "Noor Haddad") == 0
    return url


def test_add_user_makes_a_practitioner_login_that_signs_as_its_own_record(
    practice_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy.engine import make_url

    from practice.store.server import open_server

    login = f"maya_{os.getpid()}"
    secret = tmp_path / "password"
    secret.write_text("correct horse\n", encoding="utf-8")
    argv = ("--server", practice_url, "server", "add-user", login, "--role", "practitioner")
    details = ("--name", "Maya Chen", "--credentials", "RMT", "--password-file", str(secret))
    assert _run(tmp_path, *argv, *details) == 0
    assert f"Login {login} added (practitioner)" in capsys.readouterr().out
    as_maya = make_url(practice_url).set(username=login).render_as_string(False)
    db = open_server(as_maya, tmp_path / "maya")
    try:
        assert db.actor == "Maya Chen, RMT"
    finally:
        db.close()
    assert _run(tmp_path, *argv, *details) == 1
    assert "already a login named" in _one_line(capsys)


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("bad name", "--role", "practitioner", "--name", "X"), "cannot be a login"),
        (("anna", "--role", "janitor"), "The role is one of"),
        (("anna", "--role", "practitioner"), "signs notes"),
        (("anna", "--role", "owner", "--practitioner", "99"), "practitioner"),
        (("anna", "--role", "front_desk", "--password-file", "/nonexistent"), "cannot read"),
    ],
)
def test_add_user_refuses_bad_input_in_one_line(
    practice_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    says: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FASCIA_USER_PASSWORD", "pw")
    capsys.readouterr()
    assert _run(tmp_path, "--server", practice_url, "server", "add-user", *extra) != 0
    assert says in _one_line(capsys)


def test_add_user_without_a_server_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, "server", "add-user", "anna", "--role", "front_desk") != 0
    assert "--server URL" in _one_line(capsys)
