"""Timing helpers shared by the benchmarks: medians, child processes with their peak memory."""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def scratch_folder(prefix: str) -> Path:
    """A new temporary folder for one benchmark, removed when the run ends (each bench run
    left about 700 MB of practices in the temporary folder)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@dataclass
class Figure:
    name: str
    value: float
    floor: float
    unit: str
    target: str

    @property
    def ratio(self) -> float:
        return self.value / self.floor if self.floor else float("inf")

    def line(self) -> str:
        return (
            f"{self.name:<52} {self.value:9.2f} {self.unit:<3} floor {self.floor:9.2f} "
            f"{self.unit:<3} ratio {self.ratio:5.2f}x   target {self.target}"
        )


def median_ms(fn: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def paired_ms(
    fn: Callable[[], object], floor: Callable[[], object], repeat: int = 15, warmup: int = 2
) -> tuple[float, float]:
    """Medians of `fn` and its floor, sampled alternately so a change in the machine's load
    during the run weighs on both alike (the ratio is what the figure reports)."""
    for _ in range(warmup):
        fn()
        floor()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for taken, call in zip(samples, (fn, floor), strict=True):
            started = time.perf_counter()
            call()
            taken.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


# Prepended to a child's code: at exit it writes its own peak RSS (VmHWM, which exec resets)
# to a file. ru_maxrss from wait4 is not enough: it includes the pages the child shared with
# this (large) benchmark process between fork and exec.
_PEAK_HOOK = """
import atexit as _atexit, os as _os
def _fascia_bench_peak():
    try:
        with open("/proc/self/status") as _status:
            _peak = next(l.split()[1] for l in _status if l.startswith("VmHWM:"))
        with open(_os.environ["FASCIA_BENCH_PEAK_FILE"], "w") as _out:
            _out.write(_peak)
    except (OSError, StopIteration, KeyError):
        pass
_atexit.register(_fascia_bench_peak)
"""


def run_child(code: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run python -c CODE; return (wall ms, peak RSS MiB) of that child alone."""
    with tempfile.NamedTemporaryFile(prefix="fascia-peak-", delete=False) as handle:
        peak_file = Path(handle.name)
    full_env = {
        **os.environ,
        # As on a user's machine: modules load from cached bytecode (written by the first run,
        # which best_child does not count), not compiled from source at every start.
        "PYTHONDONTWRITEBYTECODE": "",
        "QT_QPA_PLATFORM": "offscreen",
        "FASCIA_BENCH_PEAK_FILE": str(peak_file),
        **(env or {}),
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PEAK_HOOK + code],
        env=full_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = (time.perf_counter() - started) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr.read().decode()}")
    reported = peak_file.read_text().strip()
    peak_file.unlink(missing_ok=True)
    peak_kib = int(reported) if reported.isdigit() else usage.ru_maxrss  # no /proc: macOS
    return elapsed, peak_kib / 1024


def best_child(
    code: str, env: dict[str, str] | None = None, repeat: int = 5
) -> tuple[float, float]:
    """Median wall time and max peak memory over a few runs (first run warms the disk cache)."""
    run_child(code, env)
    runs = [run_child(code, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)
