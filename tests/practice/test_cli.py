"""fascia-cli demo and check, run as a person would from a terminal."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from practice.cli import main
from practice.clients import service
from practice.clients.rules import AlertLevel
from practice.store import open_database


def test_demo_fills_an_empty_practice_with_varied_clients_and_alerts(data_dir: Path) -> None:
    assert main(["--data-dir", str(data_dir), "demo", "--clients", "150", "--seed", "3"]) == 0
    db = open_database(data_dir)
    try:
        rows = service.search_clients(db, include_archived=True)
        assert len(rows) == 150
        assert any(not name.isascii() for name in (r.display_name for r in rows))
        levels = {a.level for r in rows for a in service.alerts_for(db, r.id)}
        assert {AlertLevel.BLOCK, AlertLevel.LOCAL, AlertLevel.WARN_DEEP, AlertLevel.NOTE} <= levels
        assert service.get_profile(db) is not None
        assert len(service.list_physicians(db)) >= 3
    finally:
        db.close()


def test_demo_is_reproducible_with_a_seed(tmp_path: Path) -> None:
    names = []
    for folder in ("a", "b"):
        main(["--data-dir", str(tmp_path / folder), "demo", "--clients", "20", "--seed", "5"])
        db = open_database(tmp_path / folder)
        names.append([r.display_name for r in service.search_clients(db, include_archived=True)])
        db.close()
    assert names[0] == names[1]


def test_demo_refuses_a_practice_that_has_clients(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--data-dir", str(data_dir), "demo", "--clients", "3"])
    assert main(["--data-dir", str(data_dir), "demo", "--clients", "3"]) == 2
    assert "already has clients" in capsys.readouterr().err
    db = open_database(data_dir)
    assert len(service.search_clients(db, include_archived=True)) == 3
    db.close()


@pytest.mark.parametrize("count", ["-5", "100001", "99999999999", "10" * 20])
def test_demo_refuses_an_absurd_size_in_one_line_and_makes_no_folder(
    tmp_path: Path, count: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "never made"
    assert main(["--data-dir", str(folder), "demo", "--clients", count]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "A demo has 0 to 100,000 clients" in err
    assert not folder.exists()


def test_check_reports_counts_and_passes_on_a_healthy_file(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--data-dir", str(data_dir), "demo", "--clients", "12"])
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "check"]) == 0
    out = capsys.readouterr().out
    from practice.store.schema import head_revision

    assert f"Schema version:  {head_revision()}" in out
    assert "Integrity check: ok" in out
    assert "Foreign keys:    ok" in out


def test_check_fails_on_broken_references(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--data-dir", str(data_dir), "demo", "--clients", "2"])
    conn = sqlite3.connect(data_dir / "fascia.db")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("UPDATE client SET physician_id = 4242")
    conn.commit()
    conn.close()
    assert main(["--data-dir", str(data_dir), "check"]) == 1
    assert "broken references" in capsys.readouterr().out


def test_check_on_a_missing_practice_exits_1(tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path / "nothing"), "check"]) == 1


def test_cli_never_imports_qt(data_dir: Path) -> None:
    code = (
        "import sys; from practice.cli import main\n"
        f"main(['--data-dir', {str(data_dir)!r}, 'demo', '--clients', '2'])\n"
        f"main(['--data-dir', {str(data_dir)!r}, 'check'])\n"
        "sys.exit(5 if any(m.startswith('PySide6') for m in sys.modules) else 0)\n"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=False).returncode
        == 0
    )
