"""Files only the therapist's own account can read: the practice folder, backups, previews.

On POSIX the folder is made 0700 and every file in it 0600 whatever the umask; SQLite gives its
-wal and -shm files the mode of the database file, so they follow. On Windows nothing is done:
the practice lives in the user profile (%LOCALAPPDATA%), whose ACL already admits only the user,
administrators and SYSTEM, and POSIX modes mean nothing there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from filelock import FileLock, Timeout

FOLDER_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name == "posix"
PRIVATE_TEMP_ENV = "FASCIA_PRIVATE_TEMP"


def make_private_dir(path: Path) -> None:
    """Create `path` (and parents) if needed and make it 0700."""
    path.mkdir(parents=True, exist_ok=True)
    if POSIX:
        with contextlib.suppress(OSError):  # a FAT USB drive has no modes
            path.chmod(FOLDER_MODE)


def make_private_file(path: Path) -> None:
    if POSIX:
        with contextlib.suppress(OSError):
            path.chmod(FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file only the owner can read (it must not exist yet)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)
    make_private_file(path)  # the umask may have taken bits away, never added them


def tighten_folder(folder: Path, own_files: Iterable[Path]) -> None:
    """Make a practice folder private: the folder itself and the files Fascia keeps in it.

    Only `own_files` are touched (and files directly inside folders among them), never
    anything else a person keeps in the folder they chose.
    """
    make_private_dir(folder)
    if not POSIX:
        return
    for path in own_files:
        if path.is_symlink():
            continue
        if path.is_dir():
            make_private_dir(path)
            with contextlib.suppress(OSError):
                for entry in path.iterdir():
                    if entry.is_file() and not entry.is_symlink():
                        make_private_file(entry)
        elif path.is_file():
            make_private_file(path)


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write an owner-only file durably under a temporary name, then rename it into place."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    make_private_file(temp)
    os.replace(temp, path)
    fsync_dir(path.parent)


def copy_private_file(source: Path, target: Path) -> None:
    """Copy `source` to the new file `target` (owner-only), fsynced before returning."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as writer, source.open("rb") as reader:
        shutil.copyfileobj(reader, writer, 1 << 20)
        writer.flush()
        os.fsync(writer.fileno())
    make_private_file(target)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (POSIX; Windows cannot open a folder to flush it)."""
    if not POSIX:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- previews and viewer copies


def private_temp_root() -> Path:
    """Where PDF previews and "open in the system viewer" copies go, never the shared /tmp.

    The per-user runtime folder on Linux (a RAM disk, cleared at logout) when there is one,
    else a folder in the user cache; FASCIA_PRIVATE_TEMP overrides both (tests).
    """
    override = os.environ.get(PRIVATE_TEMP_ENV)
    if override:
        return Path(override)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if sys.platform.startswith("linux") and runtime and Path(runtime).is_dir():
        return Path(runtime) / "Fascia"
    from practice.paths import cache_dir

    return cache_dir() / "private"


class PrivateTemp:
    """This process's private temporary folder: made 0700, emptied when the process ends.

    Each process gets a sub-folder holding a lock; `start()` first removes the folders of
    processes that have ended (their lock is free), so nothing outlives a crash for long.
    """

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self.folder: Path | None = None
        self._lock: FileLock | None = None

    @property
    def root(self) -> Path:
        return self._root or private_temp_root()

    def start(self) -> Path:
        """This process's folder, made (and the ended processes' folders removed) on first use."""
        if self.folder is not None:
            return self.folder
        make_private_dir(self.root)
        self.sweep()
        folder = self.root / f"p{os.getpid()}"
        make_private_dir(folder)
        self._lock = FileLock(str(folder / ".in-use"), mode=FILE_MODE)
        self._lock.acquire(timeout=0)
        self.folder = folder
        return folder

    def sweep(self) -> None:
        """Remove the folders of Fascia processes that are no longer running."""
        with contextlib.suppress(OSError):
            for folder in self.root.iterdir():
                if folder == self.folder or not folder.is_dir() or not _is_process_folder(folder):
                    continue
                lock = FileLock(str(folder / ".in-use"))
                try:
                    lock.acquire(timeout=0)
                except Timeout:
                    continue  # another Fascia is running and may be showing these
                lock.release()
                shutil.rmtree(folder, ignore_errors=True)

    def stop(self) -> None:
        """Empty and remove this process's folder (on exit)."""
        if self.folder is None:
            return
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None


def _is_process_folder(folder: Path) -> bool:
    return folder.name.startswith("p") and folder.name[1:].isdigit()


PRIVATE_TEMP = PrivateTemp()
