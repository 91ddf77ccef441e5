"""Batches made in a forked process while the caller writes the one before (a big demo).

Building a 30,000-client demo takes as long in Python, making the rows, as in SQLite, writing
them. With a second core the two overlap: a forked child runs the generator and sends each
batch down a pipe; the caller writes one batch while the child makes the next. The pipe holds
one batch at most, so the child is never more than a batch ahead and the memory stays bounded.

Fork, not spawn: the child starts with everything the generator needs (its random stream
included), so only the batches cross the pipe, and the data is exactly what the same generator
gives in one process. Where forking is not safe (not Linux, or a process running threads, such
as the window's), the batches are made in this process, in the same order: the same data,
only slower.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import TypeVar

from practice.errors import FasciaError

T = TypeVar("T")


class ProducerFailed(FasciaError):
    """The forked process making the batches failed or ended early."""


def can_fork() -> bool:
    """Whether this process can fork a producer safely: Linux, and no thread but this one
    (a forked child holds only the calling thread; a lock another thread held stays held)."""
    return sys.platform == "linux" and threading.active_count() == 1


def batches(make: Callable[[], Iterator[T]], *, fork: bool = True) -> Iterator[T]:
    """The batches of `make()`, in order; made in a forked child when `fork` and `can_fork()`.

    A failure in the child is raised here as ProducerFailed (its type and message: the data
    it was making is the caller's to roll back). Leaving the loop early ends the child."""
    if not (fork and can_fork()):
        yield from make()
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(make, sending, os.getpid()), daemon=True)
    child.start()
    sending.close()  # the child's end: EOF here once the child has gone
    try:
        while True:
            try:
                kind, payload = receiving.recv()
            except EOFError:
                raise ProducerFailed(
                    "The process making the demo's rows ended before it finished."
                ) from None
            if kind == "done":
                return
            if kind == "failed":
                raise ProducerFailed(f"Making the demo's rows failed: {payload}")
            yield payload
    finally:
        receiving.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(make: Callable[[], Iterator[object]], sending, parent: int) -> None:  # type: ignore[no-untyped-def]
    """The child: every batch, then "done"; or what went wrong."""
    _end_with(parent)
    try:
        for batch in make():
            sending.send(("batch", batch))
        sending.send(("done", None))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent is gone: nothing to tell
    except Exception as error:  # told to the parent, which raises it
        with suppress(OSError):
            sending.send(("failed", f"{type(error).__name__}: {error}"))
    finally:
        sending.close()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _end_with(parent: int) -> None:
    """End this child the moment its parent ends, however it ends (a kill included): it shares
    the parent's open files, the practice folder's lock among them, which must not outlive it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)
