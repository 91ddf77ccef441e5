"""Walking the seal chain: every record changed, inserted or removed behind Fascia's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from practice.errors import FasciaError
from practice.progress import Progress
from practice.store import staff
from practice.store.engines import on_server
from practice.store.seal.chain import Linker, has_seal_table
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
    """Check the chain and every final record against its latest seal (reads only).

    Progress counts seals walked, then records compared (about as many): twice the seals.
    """
    if not has_seal_table(conn):
        return Verification(0, 0, ["the practice has no record seals (an old schema)"])
    total = conn.execute("SELECT count(*) FROM seal").fetchone()[0]
    steps = _Steps(progress, 2 * total)
    problems: list[str] = []
    head = _walk_chain(conn, key, problems, steps)
    records = 0
    for kind in KINDS:
        records += _compare(conn, kind, problems, steps)
    steps.report(steps.total - steps.done, "Records checked")  # records may be fewer than seals
    return Verification(total, records, problems, head)


def chain_problems(conn: sqlite3.Connection, key: bytes) -> list[str]:
    """What is wrong with the chain itself (seals altered or removed), records aside."""
    if not has_seal_table(conn):
        return []
    problems: list[str] = []
    _walk_chain(conn, key, problems, _Steps(None, 0))
    return problems


class _Steps:
    """Progress every few thousand seals or records (and a chance to cancel)."""

    EVERY = 20_000

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def report(self, count: int, text: str) -> None:
        self.done += count
        if self.progress is not None:
            self.progress.report(min(self.done, self.total), self.total, text)


def _walk_chain(
    conn: sqlite3.Connection, key: bytes, problems: list[str], steps: _Steps
) -> tuple[int, str]:
    link = Linker(key)
    previous_id, previous = 0, ""
    rows = conn.execute("SELECT id, kind, entity_id, content_sha256, chain FROM seal ORDER BY id")
    text = "Checking the seal chain"
    steps.report(0, text)
    for seal_id, kind, entity_id, content, chain in rows:
        if seal_id % _Steps.EVERY == 0:
            steps.report(seal_id - steps.done, text)
        if seal_id != previous_id + 1:
            problems.append(_missing(previous_id + 1, seal_id - 1))
        elif link(previous, seal_id, kind, entity_id, content) != chain:
            label = LABELS.get(kind, kind)
            problems.append(f"seal {seal_id} ({label} {entity_id}) was altered")
        previous_id, previous = seal_id, chain
    steps.report(previous_id - steps.done, text)
    return previous_id, previous


def _plural(label: str) -> str:
    return f"{label[:-1]}ies" if label.endswith("y") else f"{label}s"


def _missing(first: int, last: int) -> str:
    return f"seal {first} was removed" if first == last else f"seals {first}-{last} were removed"


def _latest_seals(conn: sqlite3.Connection, kind: Kind) -> Iterator[tuple[int, str]]:
    """(record id, content hash of its newest seal) for each record of `kind` ever sealed."""
    if on_server(conn):
        return iter(
            conn.execute(
                "SELECT DISTINCT ON (entity_id) entity_id, content_sha256, id FROM seal "
                "WHERE kind = ? ORDER BY entity_id, id DESC",
                (kind.name,),
            )
        )
    # SQLite takes a bare column from the row that holds the max() of its group.
    return conn.execute(
        "SELECT entity_id, content_sha256, max(id) FROM seal WHERE kind = ? "
        "GROUP BY entity_id ORDER BY entity_id",
        (kind.name,),
    )


def _compare(conn: sqlite3.Connection, kind: Kind, problems: list[str], steps: _Steps) -> int:
    """Merge the final records and their latest seals, both in id order; how many records."""
    label = LABELS[kind.name]
    text = f"Checking {_plural(label)}"
    steps.report(0, text)
    sealed = _latest_seals(conn, kind)
    seal = next(sealed, None)
    count = 0
    for record_id, content in content_hashes(conn, kind):
        while seal is not None and seal[0] < record_id:
            problems.append(f"{label} {seal[0]} was removed or reopened after it was sealed")
            seal = next(sealed, None)
        if seal is None or seal[0] > record_id:
            problems.append(f"{label} {record_id} was written outside Fascia (it has no seal)")
        else:
            if seal[1] != content:
                problems.append(f"{label} {record_id} was changed after it was sealed")
            seal = next(sealed, None)
        count += 1
        if count % _Steps.EVERY == 0:
            steps.report(_Steps.EVERY, text)
    while seal is not None:
        problems.append(f"{label} {seal[0]} was removed or reopened after it was sealed")
        seal = next(sealed, None)
    steps.report(count % _Steps.EVERY, text)
    return count


def verify_records(db: Database, progress: Progress | None = None) -> Verification:
    """Verify an open practice's records in one read transaction (on a clinic's server, as its
    owner or administrator: the others cannot read every record)."""
    if not staff.reads_everything(db):
        raise FasciaError("Only the practice's owner can verify every record's seal.")
    with db.read() as session:
        return verify(db.raw_connection(session), db.seal_key, progress)
