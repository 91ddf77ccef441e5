"""Writing a file so that a reader never sees half of it: temporary name, fsync, verify, rename."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from practice.errors import ValidationError


def write_atomically(
    path: Path, data: bytes, verify: Callable[[bytes], object] | None = None, field: str = "out"
) -> Path:
    """Write `data` to `path` through a temporary file in the same folder.

    The bytes are flushed to disk and read back (and handed to `verify`, which raises on a bad
    copy) before the rename, so a synced folder or a subscribed calendar only ever sees the
    old file or the whole new one. Raises ValidationError (keyed `field`) when it cannot.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        written = partial.read_bytes()
        if written != data:
            raise OSError(f"{partial} reads back differently")
        if verify is not None:
            verify(written)
        os.replace(partial, path)
        _sync_folder(path.parent)
    except OSError as error:
        partial.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise ValidationError({field: f"{path} cannot be written: {reason}."}) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows opening a folder."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
