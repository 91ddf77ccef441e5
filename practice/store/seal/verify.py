"""Walking the seal chain: every record changed, inserted or removed behind Fascia's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from practice.progress import Progress
from practice.store.seal.chain import has_seal_table, link
from practice.store.seal.content import content_hashes
from practice.store.seal.kinds import KINDS, Kind

if TYPE_CHECKING:
    from practice.store.database import Database

LABELS = {
    "visit": "signed visit note",
    "amendment": "amendment",
    "body_chart": "body chart",
    "consent": "consent signature",
    "invoice": "issued invoice",
    "payment": "payment",
    "payment_allocation": "payment allocation",
    "refund": "refund",
    "receipt": "receipt",
    "issued_document": "issued document",
    "audit_entry": "audit entry",
}


@dataclass(frozen=True, slots=True)
class Verification:
    """What a walk of the chain found: `problems` name each record, one sentence each."""

    seals: int
    records: int
    problems: list[str] = field(default_factory=list)
    head: tuple[int, str] = (0, "")

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: all intact, or how many problems and the first few."""
        if self.ok:
            return (
                f"Records intact: {self.records:,} final records match their {self.seals:,} seals."
            )
        shown = "; ".join(self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        count = len(self.problems)
        return f"Records tampered with: {count} problem{'s' * (count != 1)}: {shown}{more}."


def verify(conn: sqlite3.Connection, key: bytes, progress: Progress | None = None) -> Verification:
    """Check the chain and every final record against its latest seal (reads only)."""
    if not has_seal_table(conn):
        return Verification(0, 0, ["the practice has no record seals (an old schema)"])
    total = conn.execute("SELECT count(*) FROM seal").fetchone()[0]
    problems: list[str] = []
    head = _walk_chain(conn, key, total, problems, progress)
    records = 0
    for number, kind in enumerate(KINDS):
        if progress is not None:
            progress.report(number, len(KINDS), f"Checking {LABELS[kind.name]}s")
        records += _compare(conn, kind, problems)
    return Verification(total, records, problems, head)


def chain_problems(conn: sqlite3.Connection, key: bytes) -> list[str]:
    """What is wrong with the chain itself (seals altered or removed), records aside."""
    if not has_seal_table(conn):
        return []
    problems: list[str] = []
    _walk_chain(conn, key, 0, problems, None)
    return problems


def _walk_chain(
    conn: sqlite3.Connection,
    key: bytes,
    total: int,
    problems: list[str],
    progress: Progress | None,
) -> tuple[int, str]:
    previous_id, previous = 0, ""
    rows = conn.execute("SELECT id, kind, entity_id, content_sha256, chain FROM seal ORDER BY id")
    for seal_id, kind, entity_id, content, chain in rows:
        if progress is not None and seal_id % 50_000 == 0:
            progress.report(seal_id, total, "Checking the seal chain")
        gap = seal_id != previous_id + 1
        if gap:
            problems.append(_missing(previous_id + 1, seal_id - 1))
        if not gap and link(key, previous, seal_id, kind, entity_id, content) != chain:
            label = LABELS.get(kind, kind)
            problems.append(f"seal {seal_id} ({label} {entity_id}) was altered")
        previous_id, previous = seal_id, chain
    return previous_id, previous


def _missing(first: int, last: int) -> str:
    return f"seal {first} was removed" if first == last else f"seals {first}-{last} were removed"


def _latest_seals(conn: sqlite3.Connection, kind: Kind) -> Iterator[tuple[int, str]]:
    return conn.execute(
        "SELECT entity_id, content_sha256 FROM seal AS s WHERE kind = ?1 AND id = "
        "(SELECT max(id) FROM seal WHERE kind = ?1 AND entity_id = s.entity_id) "
        "ORDER BY entity_id",
        (kind.name,),
    )


def _compare(conn: sqlite3.Connection, kind: Kind, problems: list[str]) -> int:
    """Merge the final records and their latest seals, both in id order; how many records."""
    label = LABELS[kind.name]
    current = content_hashes(conn, kind)
    sealed = _latest_seals(conn, kind)
    here, seal = next(current, None), next(sealed, None)
    count = 0
    while here is not None or seal is not None:
        if seal is None or (here is not None and here[0] < seal[0]):
            problems.append(f"{label} {here[0]} was written outside Fascia (it has no seal)")
            count += 1
            here = next(current, None)
        elif here is None or seal[0] < here[0]:
            problems.append(f"{label} {seal[0]} was removed or reopened after it was sealed")
            seal = next(sealed, None)
        else:
            if here[1] != seal[1]:
                problems.append(f"{label} {here[0]} was changed after it was sealed")
            count += 1
            here, seal = next(current, None), next(sealed, None)
    return count


def verify_records(db: Database, progress: Progress | None = None) -> Verification:
    """Verify an open practice's records in one read transaction."""
    with db.read() as session:
        return verify(db.raw_connection(session), db.seal_key, progress)
