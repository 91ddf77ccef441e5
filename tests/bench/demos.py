"""Demo practices for the benchmarks, by size, built once and kept under /tmp.

`BENCH_SIZES=1000,10000 make bench` picks the sizes (the default is 1,000, 10,000 and 30,000,
as the Makefile's; the 30,000-client practice takes minutes to build the first time). A demo
is cached under /tmp/fascia-bench-demos keyed by the hash of the code that writes it (every
demo module, the bulk writer and the migrations) and the day (the demo is relative to today),
so a rerun only copies it; each benchmark gets its own copy to write to.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from functools import cache
from pathlib import Path

from tests.bench.common import ROOT

CACHE = Path(tempfile.gettempdir()) / "fascia-bench-demos"
DEFAULT_SIZES = (1_000, 10_000, 30_000)
SEED = 42
DB_FILENAME = "fascia.db"


def sizes() -> tuple[int, ...]:
    """The practice sizes to measure at, from BENCH_SIZES (comma separated client counts)."""
    text = os.environ.get("BENCH_SIZES", "").strip()
    if not text:
        return DEFAULT_SIZES
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


@cache
def code_hash() -> str:
    """What the demo depends on: every demo module, the bulk writer, the migrations (hashed
    once per run: the code that runs is the code loaded at the start)."""
    practice = ROOT / "practice"
    files = sorted(
        [
            *practice.rglob("demo*.py"),
            practice / "forked.py",
            practice / "store" / "bulk.py",
            *(practice / "store" / "migrations" / "versions").glob("*.py"),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_demo(clients: int) -> tuple[Path, float]:
    """The cached demo practice folder of this size (built now if missing) and the seconds its
    build took. Never write to it: benchmarks take `demo_copy`."""
    folder = CACHE / f"{clients}-{SEED}-{date.today().isoformat()}-{code_hash()}"
    stamp = folder / "built.json"
    if not stamp.exists():
        shutil.rmtree(folder, ignore_errors=True)
        for stale in CACHE.glob(f"{clients}-{SEED}-*"):  # older code or days: not kept
            shutil.rmtree(stale, ignore_errors=True)
        seconds = _build(folder / "practice", clients)
        stamp.write_text(json.dumps({"clients": clients, "seconds": seconds}))
    return folder / "practice", float(json.loads(stamp.read_text())["seconds"])


def demo_copy(clients: int) -> Path:
    """A fresh copy of the demo practice of this size, in its own temporary folder, removed
    when the run ends (a run makes several; at 30,000 clients each is 2 GB)."""
    source, _ = cached_demo(clients)
    folder = Path(tempfile.mkdtemp(prefix=f"fascia-bench-{clients}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "practice"
    shutil.copytree(source, target)
    return target


def _build(folder: Path, clients: int) -> float:
    """`fascia-cli demo` in its own process, as a therapist runs it: the seconds from the
    command to its end (the start of Python and the practice file's creation included)."""
    command = [sys.executable, "-m", "practice.cli", "--data-dir", str(folder), "demo"]
    command += ["--clients", str(clients), "--seed", str(SEED)]
    started = time.perf_counter()
    # Not a terminal: the command's progress line stays out of the bench's output.
    built = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if built.returncode != 0:
        raise RuntimeError(f"fascia-cli demo failed: {built.stderr.decode().strip()}")
    print(f"demo practice of {clients:,} clients built in {seconds:.1f} s (cached for reruns)")
    return seconds
