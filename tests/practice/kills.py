"""Real processes killed (SIGKILL) at random moments of their work, however busy the machine.

One run is timed first, but a machine whose load changes (other tests, other jobs) makes that
first timing a poor guide: kills planned from it can all land after the work has finished, or
all before it starts. So the moments follow the runs: each run that finishes updates the
expected length, and the runs go on until enough were killed and some finished.

Each run is a real process forked from a warm `fascia-cli` parent (tests/practice/warm_cli.py),
one per test process, so the kills land in the command's work rather than in Python's start.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.practice.warm_cli import ROOT, shared

__all__ = ["ROOT", "cli", "kill_runs", "run", "run_and_kill", "timed"]


def cli(data_dir: Path, *args: str) -> list[str]:
    """The arguments of `fascia-cli --data-dir DATA_DIR ARGS...`."""
    return ["--data-dir", str(data_dir), *args]


def run(command: list[str]) -> None:
    """Run fascia-cli COMMAND (from `cli`) in a process of its own; it must succeed."""
    status, _ = shared().run(command)
    assert status == 0, f"fascia-cli {' '.join(command)} failed with exit code {status}"


def run_and_kill(command: list[str], delay: float) -> tuple[int, float]:
    """Start fascia-cli `command`, SIGKILL it after `delay` seconds if still running:
    (exit code, seconds)."""
    return shared().run(command, kill_after=delay)


def timed(command: list[str], before: Callable[[], None] = lambda: None) -> float:
    """How long one uninterrupted run takes (the median of three: the machine may be busy)."""
    runs = []
    for _ in range(3):
        before()
        status, seconds = shared().run(command)
        assert status == 0, f"fascia-cli {' '.join(command)} failed with exit code {status}"
        runs.append(seconds)
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
