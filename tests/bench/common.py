"""Timing helpers shared by the benchmarks: medians, child processes with their peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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


def run_child(code: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run python -c CODE; return (wall ms, peak RSS MiB) of that child alone."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
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
    return elapsed, usage.ru_maxrss / 1024


def best_child(
    code: str, env: dict[str, str] | None = None, repeat: int = 5
) -> tuple[float, float]:
    """Median wall time and max peak memory over a few runs (first run warms the disk cache)."""
    run_child(code, env)
    runs = [run_child(code, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)
