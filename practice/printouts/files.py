"""Writing a printout to a file: under a temporary name, fsynced, read back, then renamed."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from practice.errors import ValidationError


def check_target(path: Path, field: str = "out") -> Path:
    """The file a printout may go to: a file name in a folder that exists."""
    try:
        usable = (
            b"\0" not in str(path).encode()  # pathlib answers "not a folder" to a null byte
            and not path.is_dir()
            and path.parent.is_dir()
        )
    except (OSError, ValueError):  # a null byte, a lone surrogate, a name too long
        usable = False
    if not usable:
        raise ValidationError({field: f"{path!s:.300} is not a file in an existing folder."})
    return path


def write_file(path: Path, data: bytes, field: str = "out") -> Path:
    """Write `data` to `path` so that a crash leaves either the old file or the whole new one.

    The bytes go to a temporary file beside the target, are flushed to the disk and read back
    before the temporary file takes the target's name. Nothing is left behind on a failure.
    """
    with staged(path, field) as temp:
        with temp.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if temp.read_bytes() != data:
            raise OSError(0, "the copy on disk differs from what was written")
    return path


@contextlib.contextmanager
def staged(path: Path, field: str = "out") -> Iterator[Path]:
    """A temporary file beside `path` that takes its name when the block ends without error.

    The block writes the file, flushes it to the disk and checks it; only then is it renamed
    (atomically) to `path`, so `path` never holds a file that is not whole. On any error, or a
    cancel, the temporary file is removed. A temporary file that a killed process left for the
    same target (`.NAME.*.partial`) is removed first. An OSError becomes a ValidationError
    naming the file.
    """
    check_target(path, field)
    _remove_leftovers(path)
    temp: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(handle)
        temp = Path(name)
        yield temp
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


def fsync_path(path: Path) -> None:
    """Flush a file that was written and closed to the disk."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _remove_leftovers(path: Path) -> None:
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.partial"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder to flush it)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
