"""fascia-cli fails as a terminal user expects: one line on stderr, a non-zero exit, no traceback;
a reader closing the pipe early (`| head -1`) ends it quietly. Run as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from practice.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, code: str = "", env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run fascia-cli ARGS in a process of its own (after `code`): exit status and stderr."""
    script = f"import sys\n{code}\nfrom practice.cli import main\nsys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return proc.returncode, proc.stderr


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("fascia-cli: ")
    return lines[0]


@pytest.fixture
def practice(data_dir: Path) -> Path:
    assert main(["--data-dir", str(data_dir), "demo", "--clients", "3"]) == 0
    return data_dir


def test_a_damaged_database_is_reported_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "fascia.db").write_bytes(b"not a database, just bytes " * 2000)
    status, stderr = _cli("--data-dir", str(tmp_path), "report", "balances")
    assert status != 0
    line = _one_line(stderr)
    assert "cannot be opened" in line and "not a database" in line
    assert "backup" in line


def test_a_data_folder_that_is_a_file_is_reported_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the practice folder should be")
    status, stderr = _cli("--data-dir", str(folder), "demo", "--clients", "1")
    assert status != 0
    assert str(folder) in _one_line(stderr)


def test_an_output_path_that_cannot_be_written_is_reported_in_one_line(practice: Path) -> None:
    status, stderr = _cli(
        "--data-dir", str(practice), "summary", "--client", "1", "--out", str(practice)
    )
    assert status != 0
    assert str(practice) in _one_line(stderr)


def test_an_unexpected_error_is_one_line_pointing_at_the_details(practice: Path) -> None:
    # A document that no page can hold, as ReportLab reports it.
    broken = (
        "from reportlab.platypus.doctemplate import LayoutError\n"
        "import practice.cli\n"
        "def _fails(data_dir, args):\n"
        "    raise LayoutError('Flowable too large on page 1')\n"
        "practice.cli._command = lambda name: _fails\n"
    )
    status, stderr = _cli("--data-dir", str(practice), "check", code=broken)
    assert status == 1
    line = _one_line(stderr)
    assert "check failed unexpectedly: LayoutError: Flowable too large on page 1." in line
    assert "FASCIA_DEBUG=1" in line

    status, stderr = _cli(
        "--data-dir", str(practice), "check", code=broken, env={"FASCIA_DEBUG": "1"}
    )
    assert status == 1
    assert "Traceback" in stderr
    assert stderr.splitlines()[-1].startswith("fascia-cli: check failed unexpectedly")


def test_a_closed_pipe_ends_a_report_quietly(practice: Path) -> None:
    script = "import sys\nfrom practice.cli import main\nsys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "--data-dir", str(practice), "report", "balances"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the report is written, as after `head -1`
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait() != 0
    assert stderr == ""
