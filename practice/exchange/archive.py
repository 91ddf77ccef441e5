"""The export archive as a file: a zip with a manifest of SHA-256 checksums, written safely.

`write_archive` writes under a temporary name beside the target, fsyncs it, opens it again and
checks every file against the manifest, and only then gives it the target's name
(`printouts.files.staged`). A process killed at any moment leaves the old file (or none) under
the target's name and at most a hidden `.NAME.*.partial`, which the next export removes.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from practice import __version__
from practice.errors import FasciaError
from practice.printouts.files import fsync_path, staged
from practice.progress import Progress

FORMAT = "fascia-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Already compressed (PDF streams, PNG): stored as they are, which is faster and no bigger.
STORED_SUFFIXES = (".pdf", ".png")
READ_CHUNK = 1 << 20


class ArchiveError(FasciaError):
    """An archive that is not a whole, unchanged Fascia export."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an archive holds: its files with checksums, its row counts and what it covers."""

    data: dict[str, Any]

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        return {entry["path"]: entry for entry in self.data["files"]}

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.data["counts"])


class ArchiveWriter:
    """Adds files to an open zip and keeps each one's SHA-256 and size for the manifest."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._files: list[dict[str, Any]] = []

    def add(self, path: str, data: bytes) -> None:
        with self.stream(path) as write:
            write(data)

    @contextmanager
    def stream(self, path: str) -> Iterator[Callable[[bytes], None]]:
        """Write a file in pieces: `with writer.stream(path) as write: write(b"...")`."""
        digest = hashlib.sha256()
        size = 0
        info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = (
            zipfile.ZIP_STORED if path.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
        )
        info.external_attr = 0o600 << 16
        with self._archive.open(info, "w", force_zip64=True) as member:

            def write(data: bytes) -> None:
                nonlocal size
                digest.update(data)
                size += len(data)
                member.write(data)

            yield write
        self._files.append({"path": path, "sha256": digest.hexdigest(), "size": size})

    def finish(self, details: dict[str, Any]) -> Manifest:
        """Write manifest.json (last, so it lists every file) and return it."""
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "fascia_version": __version__,
            **details,
            "files": self._files,
        }
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False)
        info = zipfile.ZipInfo(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        self._archive.writestr(info, text.encode("utf-8"))
        return Manifest(manifest)


def write_archive(
    out: Path, fill: Callable[[ArchiveWriter], dict[str, Any]], progress: Progress
) -> Manifest:
    """Make the archive at `out`: `fill` adds the files and returns the manifest's details.

    Nothing appears under `out` unless the whole archive was written, flushed to the disk and
    read back with every checksum right. A cancel or an error leaves `out` as it was.
    """
    with staged(out) as temp:
        with zipfile.ZipFile(temp, "w", allowZip64=True) as archive:
            writer = ArchiveWriter(archive)
            manifest = writer.finish(fill(writer))
        fsync_path(temp)
        progress.report(0, 0, "Checking the archive…")
        verify_archive(temp, progress)
    return manifest


def verify_archive(path: Path, progress: Progress | None = None) -> Manifest:
    """Open an archive and check it is whole: every file in the manifest, unchanged, and nothing
    else. Raises ArchiveError saying what is wrong."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive)
            listed = manifest.files
            present = set(archive.namelist()) - {MANIFEST}
            if present != set(listed):
                raise ArchiveError(f"{path.name} holds files its manifest does not list.")
            for k, (name, entry) in enumerate(listed.items()):
                if progress is not None and k % 50 == 0:
                    progress.report(k, len(listed))
                if _checksum(archive, name) != (entry["sha256"], entry["size"]):
                    raise ArchiveError(f"{name} in {path.name} does not match its checksum.")
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError) as error:
        raise ArchiveError(f"{path.name} is not a whole Fascia export ({error}).") from None
    return manifest


def _read_manifest(archive: zipfile.ZipFile) -> Manifest:
    data = json.loads(archive.read(MANIFEST))
    if data.get("format") != FORMAT:
        raise ArchiveError("The archive is not a Fascia export.")
    return Manifest(data)


def _checksum(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
