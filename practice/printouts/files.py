"""Writing a printout to a file: under a temporary name, fsynced, read back, then renamed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from practice.errors import ValidationError


def check_target(path: Path, field: str = "out") -> Path:
    """The file a printout may go to: a file name in a folder that exists."""
    if path.is_dir() or not path.parent.is_dir():
        raise ValidationError({field: f"{path} is not a file in an existing folder."})
    return path


def write_file(path: Path, data: bytes, field: str = "out") -> Path:
    """Write `data` to `path` so that a crash leaves either the old file or the whole new one.

    The bytes go to a temporary file beside the target, are flushed to the disk and read back
    before the temporary file takes the target's name. Nothing is left behind on a failure.
    """
    check_target(path, field)
    temp: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        temp = Path(name)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if temp.read_bytes() != data:
            raise OSError(0, "the copy on disk differs from what was written")
        os.replace(temp, path)
        temp = None
        _sync_folder(path.parent)
    except OSError as error:
        raise ValidationError(
            {field: f"{path} cannot be written: {error.strerror or error}."}
        ) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder to flush it)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
