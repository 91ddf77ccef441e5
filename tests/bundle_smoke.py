"""Smoke test for the PyInstaller bundle: does dist/Fascia/Fascia start on a fresh folder?

Run after `make bundle`:  python tests/bundle_smoke.py [--exe PATH] [--timeout SECONDS]

Starts the built app headless (QT_QPA_PLATFORM=offscreen) on an empty temporary practice
folder with FASCIA_EXIT_AFTER_SHOW=1, which makes ui.app skip the first-run welcome dialog,
print "main window shown" once its main window is up and the event loop runs, and quit.
Passes when the app exits with 0, printed that line and no traceback, and created
fascia.db at the newest schema revision found in practice/store/migrations/versions
(i.e. the bundled Alembic migrations ran).

Not collected by pytest (testpaths are tests/practice and tests/ui); prints one line and
exits 0 on success, 1 on failure (with the app's output on stderr).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE_NAME = "Fascia.exe" if sys.platform == "win32" else "Fascia"
DEFAULT_EXE = ROOT / "dist" / "Fascia" / EXE_NAME
MARKER = "main window shown"
EXIT_ENV = "FASCIA_EXIT_AFTER_SHOW"  # read by ui.app.main


def head_revision() -> str:
    versions = ROOT / "practice" / "store" / "migrations" / "versions"
    return sorted(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py"))[-1]


def db_revision(db_path: Path) -> str | None:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def run(exe: Path, timeout: float) -> tuple[bool, str, str]:
    """(passed, one-line result, the app's output)."""
    if not exe.is_file():
        return False, f"no bundle at {exe} (run `make bundle` first)", ""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env[EXIT_ENV] = "1"
    env.pop("FASCIA_DATA_DIR", None)
    with tempfile.TemporaryDirectory(prefix="fascia-bundle-smoke-") as tmp:
        data_dir = Path(tmp) / "practice"  # not created: the app must create it
        started = time.monotonic()
        try:
            proc = subprocess.run(
                [str(exe), "--data-dir", str(data_dir)],
                env=env,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            output = _text(error.stdout) + _text(error.stderr)
            return (
                False,
                f"the app did not quit within {timeout:g} s (does ui/app.py still honour "
                f"{EXIT_ENV}?)",
                output,
            )
        elapsed = time.monotonic() - started
        output = proc.stdout + proc.stderr
        db_path = data_dir / "fascia.db"
        problems = []
        if proc.returncode != 0:
            problems.append(f"exit code {proc.returncode}")
        if "Traceback (most recent call last)" in output:
            problems.append("a traceback was printed")
        if MARKER not in proc.stdout:
            problems.append(f"no '{MARKER}' on stdout")
        if not db_path.is_file():
            problems.append(f"{db_path.name} was not created")
        else:
            revision, head = db_revision(db_path), head_revision()
            if revision != head:
                problems.append(f"schema revision {revision!r}, expected {head!r}")
        if problems:
            return False, "; ".join(problems), output
        return True, f"main window shown, fascia.db at schema {head} ({elapsed:.1f} s)", output


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode(errors="replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", type=Path, default=DEFAULT_EXE, help="the bundled executable")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for it")
    args = parser.parse_args(argv)
    passed, summary, output = run(args.exe, args.timeout)
    if not passed and output.strip():
        sys.stderr.write(f"--- output of {args.exe} ---\n{output.rstrip()}\n---\n")
    print(f"bundle smoke: {'OK' if passed else 'FAIL'}: {summary}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
