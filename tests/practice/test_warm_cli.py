"""The warm fascia-cli the kill and CLI-output tests use answers as the real command does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.practice.warm_cli import ROOT, shared

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")


def test_a_warm_child_answers_like_fascia_cli_started_from_a_shell(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("a file where the practice folder should be")
    for argv in (
        ["--data-dir", str(tmp_path / "p"), "no-such-command"],
        ["--data-dir", str(not_a_folder), "check"],
        ["--version"],
    ):
        real = subprocess.run(
            [sys.executable, "-m", "practice.cli", *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        warm = shared().completed(argv)
        assert (warm.returncode, warm.stdout, warm.stderr) == (
            real.returncode,
            real.stdout,
            real.stderr,
        )


def test_a_killed_child_reports_sigkill_and_the_next_run_still_works(tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    status, _ = shared().run(["--data-dir", str(folder), "demo", "--clients", "30"], 0.0)
    assert status == -signal.SIGKILL
    done = shared().completed(["--data-dir", str(tmp_path / "other"), "demo", "--clients", "1"])
    assert done.returncode == 0 and "1 clients" in done.stdout, done.stderr
