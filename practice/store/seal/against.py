"""Comparing the seal chain with a backup's: a history rewritten since the backup was made.

A chain that checks out on its own can still have been rebuilt from some point on, or cut
short with the records at its end. A backup holds the chain as it was: its newest seal must
still be in the practice, unchanged (every seal before it is then unchanged too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from practice.errors import ValidationError
from practice.store.connection import connect, database_errors


def _head(conn: Any) -> tuple[int, str] | None:
    row = conn.execute("SELECT id, chain FROM seal ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def rewritten_since(live: Any, backup: Path) -> list[str]:
    """What of the backup's chain the practice no longer has ([] when it still has all of it)."""
    if not backup.is_file():
        raise ValidationError({"against": f"No backup file at {backup}."})
    conn = connect(backup, read_only=True)
    try:
        head = _head(conn)
    except database_errors() as error:
        raise ValidationError(
            {"against": f"{backup} is not a readable Fascia backup ({error})."}
        ) from None
    finally:
        conn.close()
    if head is None:
        return []
    seal_id, chain = head
    row = live.execute("SELECT chain FROM seal WHERE id = ?", (seal_id,)).fetchone()
    if row is None:
        return [f"seals up to {seal_id} were in the backup and are gone from the practice"]
    if row[0] != chain:
        return [f"the seal chain up to seal {seal_id} was rewritten since the backup"]
    return []
