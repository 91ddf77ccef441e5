"""Batches made in a forked child arrive whole and in order; a child that fails or dies is
reported as ProducerFailed, never as a hang or a half-read batch; and where forking is not
safe they are made in this process instead."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from practice import forked
from practice.forked import ProducerFailed, batches

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the producer forks on Linux")


@pytest.fixture(autouse=True)
def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even when an earlier test in this worker left a thread running (these producers
    take no lock, so the child cannot inherit one held)."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)


def _numbered(count: int, size: int) -> Iterator[tuple[int, list[int]]]:
    for number in range(count):
        yield os.getpid(), list(range(number * size, (number + 1) * size))


def test_batches_come_from_another_process_whole_and_in_order() -> None:
    got = list(batches(lambda: _numbered(12, 50_000)))
    assert {pid for pid, _ in got} - {os.getpid()}, "the batches were made in this process"
    assert len({pid for pid, _ in got}) == 1
    assert [n for _, batch in got for n in batch] == list(range(12 * 50_000))


def test_without_fork_the_same_batches_are_made_here() -> None:
    got = list(batches(lambda: _numbered(3, 10), fork=False))
    assert {pid for pid, _ in got} == {os.getpid()}
    assert [n for _, batch in got for n in batch] == list(range(30))


def test_a_process_with_threads_makes_them_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real check
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not forked.can_fork()
        got = list(batches(lambda: _numbered(2, 3)))
    finally:
        stop.set()
        worker.join()
    assert {pid for pid, _ in got} == {os.getpid()}


def test_a_failure_in_the_child_is_raised_with_its_message_after_the_batches_before() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("no visit type 'massage'")

    got: list[int] = []
    with pytest.raises(ProducerFailed, match="ValueError: no visit type 'massage'"):
        got.extend(batches(failing))
    assert got == [1, 2]


def test_a_child_that_dies_is_reported_not_waited_for() -> None:
    def dying() -> Iterator[int]:
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2  # never reached

    got: list[int] = []
    with pytest.raises(ProducerFailed, match="ended before it finished"):
        got.extend(batches(dying))
    assert got == [1]


def test_leaving_early_ends_the_child() -> None:
    def endless() -> Iterator[int]:
        yield os.getpid()
        while True:
            yield 0

    stream = batches(endless)
    child = next(stream)
    assert child != os.getpid()
    stream.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie not yet reaped still answers: it has ended all the same.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


PARENT = """
import sys, time
from practice import forked
forked.can_fork = lambda: True

def endless():
    import os
    yield os.getpid()
    while True:
        time.sleep(0.01)  # making a batch that never ends
        yield 0

for batch in forked.batches(endless):
    if batch:
        print(batch, flush=True)
    time.sleep(0.01)
"""


def test_the_child_ends_when_its_parent_is_killed() -> None:
    """It shares the parent's open files (the practice folder's lock among them): a kill of
    the parent must not leave it running on."""
    import subprocess

    from tests.bench.common import ROOT

    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
