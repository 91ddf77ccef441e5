"""Real processes killed (SIGKILL) at random moments of their work, however busy the machine.

One run is timed first, but a machine whose load changes (other tests, other jobs) makes that
first timing a poor guide: kills planned from it can all land after the work has finished, or
all before it starts. So the moments follow the runs: each run that finishes updates the
expected length, and the runs go on until enough were killed and some finished.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "practice.cli", "--data-dir", str(data_dir), *args]


def run_and_kill(command: list[str], delay: float) -> tuple[int, float]:
    """Start `command`, SIGKILL it after `delay` seconds if still running: (exit code, seconds)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    status = process.wait()
    return status, time.perf_counter() - started


def timed(command: list[str], before: Callable[[], None] = lambda: None) -> float:
    """How long one uninterrupted run takes (the median of three: the machine may be busy)."""
    runs = []
    for _ in range(3):
        before()
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    return sorted(runs)[1]


@dataclass
class Tally:
    killed: int = 0
    finished: int = 0


def kill_runs(
    command: Callable[[int], list[str]],
    *,
    duration: float,
    kills: int,
    seed: int,
    after: Callable[[int, int], None],
    before: Callable[[int], None] = lambda n: None,
    enough: Callable[[], bool] = lambda: True,
) -> Tally:
    """Run `command(n)` again and again, each killed at a random moment of its expected length
    (densest in the later part, where the work is; about a third of the moments fall after
    it, so some runs finish), until `kills` runs were killed, at least one finished and
    `enough()` holds. `before(n)` prepares run n; `after(n, status)` checks what it left."""
    rng = random.Random(seed)
    tally = Tally()
    expected = duration
    for n in range(kills * 5):
        before(n)
        status, elapsed = run_and_kill(command(n), expected * 1.2 * rng.random() ** 0.5)
        if status == -signal.SIGKILL:
            tally.killed += 1
            if tally.killed >= kills and not (tally.finished and enough()):
                expected *= 1.25  # the machine got slower: let runs finish
        else:
            assert status == 0, f"run {n} failed with exit code {status}"
            tally.finished += 1
            expected = (expected + elapsed) / 2
        after(n, status)
        if tally.killed >= kills and tally.finished and enough():
            return tally
    raise AssertionError(f"after {kills * 5} runs: {tally} (the runs never settled)")
