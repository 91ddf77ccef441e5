"""fascia-cli as real processes that skip the interpreter's start: a warm parent has imported
the CLI and its commands once, and each run is a child forked from it (`os.fork`), running
`practice.cli.main(argv)` and exiting with its status, stdin, stdout and stderr on /dev/null.

The child is a process of its own: SIGKILL ends it wherever it is, its files and SQLite locks
die with it, as with a `fascia-cli` started from a shell. What it skips is Python's start and
the imports (over a second of CPU each run), so the kill tests' moments fall in the command's
work instead of in `import sqlalchemy`.

Run as `python -m tests.practice.warm_cli`; one JSON line per run in: `[argv, kill_after,
env, out, err]` (kill_after in seconds or null to let it finish; env the whole environment or
null for the parent's; out and err files for stdout and stderr, or null for /dev/null); one
JSON line out: `[exit status, seconds]`, the status as `subprocess` gives it (-9 for a
SIGKILL). The parent kills its own child, not yet waited for, so a kill can never reach
another process that took a finished child's pid.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class WarmCli:
    """The test's end: a warm parent started once (`with WarmCli() as cli:`)."""

    def __enter__(self) -> WarmCli:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.practice.warm_cli"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)

    def run(
        self,
        argv: list[str],
        kill_after: float | None = None,
        *,
        env: Mapping[str, str] | None = None,
        out: Path | None = None,
        err: Path | None = None,
    ) -> tuple[int, float]:
        """Run fascia-cli ARGV in a fresh child (with the environment `env`, writing stdout and
        stderr to the files `out` and `err`), SIGKILLed after `kill_after` seconds if it is
        still running: (exit status, seconds it ran)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = [[str(a) for a in argv], kill_after, env and dict(env), out and str(out)]
        self.process.stdin.write(json.dumps([*request, err and str(err)]) + "\n")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the warm fascia-cli parent ended ({self.process.wait()})")
        status, seconds = json.loads(line)
        return int(status), float(seconds)

    def completed(
        self, argv: list[str], env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run fascia-cli ARGV to its end: its exit status, stdout and stderr (as text)."""
        if not hasattr(os, "fork"):  # Windows: a process started the ordinary way
            command = [sys.executable, "-m", "practice.cli", *argv]
            return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        with tempfile.TemporaryDirectory(prefix="fascia-cli-") as folder:
            out, err = Path(folder) / "out", Path(folder) / "err"
            status, _ = self.run(argv, env=env, out=out, err=err)
            text = [path.read_text(encoding="utf-8") for path in (out, err)]
        return subprocess.CompletedProcess(["fascia-cli", *argv], status, *text)


_SHARED: list[WarmCli] = []


def shared() -> WarmCli:
    """The warm parent of this test process, started at its first use, ended at exit."""
    if not _SHARED:
        _SHARED.append(WarmCli().__enter__())
        atexit.register(_SHARED[0].__exit__)
    return _SHARED[0]


def _warm() -> None:
    """Import what the commands import, so that each child only works."""
    import practice.cli as cli

    cli._parser()  # every feature's command module
    import importlib

    from practice.warmup import CORE_MODULES

    for name in (
        *CORE_MODULES,
        "practice.demo",
        "practice.store.backups.run",
        "practice.store.backups.restore",
        "practice.exchange.export",
        "practice.exchange.importing",
        "practice.exchange.visit_import",
        "practice.bodymap.demo",
        "practice.store.upgrade",  # creating or upgrading a practice runs Alembic:
        "alembic.command",  # importing it is a quarter of a second of a child's run
        "alembic.config",
        "alembic.runtime.migration",
        "alembic.operations",
        "sqlalchemy.dialects.sqlite",  # loaded by the first engine of each command
        "practice.store.backups.listing",
        "practice.store.encryption",
        "practice.store.grants",
        "practice.store.guards",
        "practice.store.seal.verify",
        "svgelements",  # the body atlas's drawing (practice.bodymap.atlas)
        "tzlocal",
        "babel.numbers",
    ):
        importlib.import_module(name)
    from sqlalchemy.orm import configure_mappers

    configure_mappers()  # the ORM's one-time setup (a sixth of a second), as warm_up does


def _child(argv: list[str], env: dict[str, str] | None, out: str | None, err: str | None) -> None:
    """In the forked child: run the command as `fascia-cli` would, then exit (never return)."""
    status = 1
    try:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        for fd, path in ((1, out), (2, err)):
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            os.dup2(os.open(path or os.devnull, flags, 0o600), fd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        from practice.cli import main

        try:
            status = main(argv)
        except SystemExit as exit:  # argparse's refusals
            status = exit.code if isinstance(exit.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        atexit._run_exitfuncs()
    finally:
        os._exit(status)


def _wait(pid: int, kill_after: float | None) -> int:
    """Wait for our child, SIGKILLing it once `kill_after` seconds passed: its status."""
    if kill_after is not None and not _ends_within(pid, max(kill_after, 0.0)):
        os.kill(pid, signal.SIGKILL)  # not waited for yet: still ours, even if it just ended
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _ends_within(pid: int, seconds: float) -> bool:
    """Whether our child ends within `seconds` (it is left unwaited for, a zombie if ended)."""
    if hasattr(os, "pidfd_open"):  # Linux
        pidfd = os.pidfd_open(pid)
        try:
            return bool(select.select([pidfd], [], [], seconds)[0])
        finally:
            os.close(pidfd)
    deadline = time.perf_counter() + seconds  # macOS: look every millisecond
    while time.perf_counter() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.001)
    return False


def serve() -> None:
    _warm()
    import gc

    gc.collect()
    gc.freeze()  # the imported modules stay out of each child's collections (and its copies)
    for line in sys.stdin:
        argv, kill_after, env, out, err = json.loads(line)
        sys.stdout.flush()
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            _child(argv, env, out, err)
        status = _wait(pid, kill_after)
        print(json.dumps([status, time.perf_counter() - started]), flush=True)


if __name__ == "__main__":
    serve()
