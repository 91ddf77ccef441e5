"""Backup files and their sidecars: names, what a sidecar records, and listing a folder.

A backup is `fascia-YYYYMMDD-HHMMSS-<reason>.db` (a server practice's: `….dump`, made by
`pg_dump`, see `dump.py`). It only ever gets that name after it was
verified (a kill before then leaves a hidden `.…tmp` file that the next backup sweeps away),
and its sidecar `<name>.json`, written just before, records that it was verified, when, the
schema revision, the counts of clients, visits and invoices, its size and its SHA-256, so a
list of backups never opens the databases. A file without a sidecar (made by an older Fascia,
or copied in by hand) is listed as not verified.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from practice.store.private import write_private_bytes

BACKUP_DIRNAME = "backups"
SIDECAR_FORMAT = 1
NAME = re.compile(r"^fascia-(\d{8})-(\d{6})-(.+)\.(?:db|dump)$")
SUFFIXES = (".db", ".dump")  # a practice file's copy, a server practice's dump
COUNTED = ("clients", "visits", "invoices")


@dataclass(frozen=True, slots=True)
class CopyFacts:
    """What verifying a copy established about it (written to its sidecar)."""

    schema: str | None
    counts: dict[str, int]
    size: int
    sha256: str
    tables: int
    rows: int  # compared row by row (0 when compared page by page)
    pages: int = 0  # compared page by page
    checks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file as listed: enough to choose one without opening it."""

    path: Path
    made_at: datetime
    size: int
    reason: str
    verified: bool
    problem: str = ""  # why it is not verified, in plain words
    schema: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    second_copy: bool = False  # listed from the second destination

    @property
    def clients(self) -> int | None:
        return self.counts.get("clients")

    @property
    def visits(self) -> int | None:
        return self.counts.get("visits")

    @property
    def invoices(self) -> int | None:
        return self.counts.get("invoices")

    @property
    def contents(self) -> str:
        """'10,000 clients, 40,000 visits, 1 invoice' (what it held when verified)."""
        if not self.counts:
            return "contents not recorded"
        return ", ".join(
            f"{n:,} {label if n != 1 else label[:-1]}"
            for label in COUNTED
            for n in [self.counts.get(label, 0)]
        )


def backups_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIRNAME


def new_name(folder: Path, reason: str, made_at: datetime, suffix: str = ".db") -> str:
    """A free backup name for `made_at` (local time in the name, to the second)."""
    stamp = made_at.astimezone().strftime("%Y%m%d-%H%M%S")
    name = f"fascia-{stamp}-{reason}{suffix}"
    counter = 1
    while (folder / name).exists() or sidecar_of(folder / name).exists():
        counter += 1
        name = f"fascia-{stamp}-{reason}-{counter}{suffix}"
    return name


def temp_name(name: str) -> str:
    """The hidden name a backup is written under until it has been verified."""
    return f".{name}.tmp"


def sidecar_of(path: Path) -> Path:
    return path.with_name(f"{path.name}.json")


def sidecar_data(facts: CopyFacts, *, name: str, reason: str, made_at: datetime) -> bytes:
    record = {
        "fascia_backup": SIDECAR_FORMAT,
        "file": name,
        "made_at": made_at.astimezone(UTC).isoformat(),
        "reason": reason,
        "verified": True,
        "verified_at": datetime.now(UTC).isoformat(),
        "checks": list(facts.checks),
        "schema": facts.schema,
        "counts": facts.counts,
        "size": facts.size,
        "sha256": facts.sha256,
        "tables": facts.tables,
        "rows": facts.rows,
        "pages": facts.pages,
    }
    return json.dumps(record, indent=2, ensure_ascii=False).encode()


def write_sidecar(path: Path, data: bytes) -> None:
    write_private_bytes(sidecar_of(path), data)


def read_sidecar(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(sidecar_of(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("fascia_backup") == SIDECAR_FORMAT else None


def describe(path: Path, *, second_copy: bool = False) -> BackupInfo | None:
    """The listing entry for one file, or None if it is not a backup by its name."""
    match = NAME.match(path.name)
    if match is None:
        return None
    try:
        size = path.stat().st_size
    except OSError:
        return None
    stamped = _stamp(match.group(1), match.group(2))
    if stamped is None:
        return None
    sidecar = read_sidecar(path)
    if sidecar is None:
        return BackupInfo(
            path, stamped, size, match.group(3), verified=False,
            problem="not verified when it was made", second_copy=second_copy,
        )  # fmt: skip
    verified = bool(sidecar.get("verified")) and sidecar.get("size") == size
    counts = sidecar.get("counts") if isinstance(sidecar.get("counts"), dict) else {}
    return BackupInfo(
        path=path,
        made_at=_moment(sidecar.get("made_at")) or stamped,
        size=size,
        reason=str(sidecar.get("reason") or match.group(3)),
        verified=verified,
        problem="" if verified else "changed since it was verified",
        schema=sidecar.get("schema"),
        counts={k: int(v) for k, v in counts.items() if k in COUNTED and isinstance(v, int)},
        sha256=str(sidecar.get("sha256") or ""),
        second_copy=second_copy,
    )


def list_backups(folder: Path, *, second_copy: bool = False) -> list[BackupInfo]:
    """The backups in `folder`, newest first (an absent folder has none)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = [describe(p, second_copy=second_copy) for p in entries if p.suffix in SUFFIXES]
    return sorted((b for b in found if b is not None), key=lambda b: b.made_at, reverse=True)


def _stamp(day: str, time: str) -> datetime | None:
    try:
        return datetime.strptime(day + time, "%Y%m%d%H%M%S").astimezone()
    except ValueError:
        return None


def _moment(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
