"""A printout as it is handed over, and the one audit entry that says so.

Every printout writes exactly one audit entry: "print" when the bytes go to the screen or the
printer, "export" (naming the file) when they go to a file. The entry names the document, the
records it was made from and the client, and carries the SHA-256 of the bytes handed over.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from practice.changes import Changes
from practice.errors import ValidationError
from practice.printouts.files import check_target, write_file
from practice.store import audit
from practice.store.database import Database

PRINT = "print"
EXPORT = "export"


class Document(StrEnum):
    """The kinds of printout, as the audit log names them."""

    PAIN_CHART = "pain_chart"
    CHART_COMPARISON = "chart_comparison"
    CHART_HISTORY = "chart_history"
    INTAKE_SUMMARY = "intake_summary"
    VISIT_NOTE = "visit_note"
    PHYSICIAN_SUMMARY = "physician_summary"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    RECEIPT = "receipt"
    SUPERBILL = "superbill"
    BILLING_REPORT = "billing_report"
    CLIENT_RECORDS = "client_records"  # every document of a client, for their records request
    CALL_LIST = "call_list"  # the reminder calls to make (names and phone numbers)
    RECOVERY_SHEET = "recovery_sheet"  # the code that opens an encrypted practice


@dataclass(frozen=True, slots=True)
class Printout:
    """The bytes of a document and what it is: enough to name it, file it and audit a copy."""

    document: Document
    title: str  # "Pain chart of 2025-03-05": the preview, the CLI and the audit entry say it
    file_name: str  # the name offered when it is saved
    client_id: int | None
    entity: str  # the record the audit entry names ("body_chart", "invoice" ...)
    entity_id: int | None
    records: Mapping[str, Any]  # the ids (and options) it was made from
    data: bytes
    touches: frozenset[str] = field(default=frozenset())  # record kinds printing it changed
    # The bytes hold a secret (the recovery code): its audit entries carry no hash of them,
    # and the preview offers no copy in the system viewer.
    secret: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def changes(self) -> Changes:
        """What making it changed, for the views: the client's documents (and `touches`)."""
        return Changes(frozenset({"document"}) | self.touches, self.client_id)


def action(to_file: Path | None) -> str:
    return PRINT if to_file is None else EXPORT


def target(db: Database, to_file: Path | None) -> Path | None:
    """Check the file a printout is asked to go to before anything is gathered or recorded:
    a file in a folder that exists, and never the practice's own database."""
    if to_file is None:
        return None
    path = check_target(Path(to_file))
    resolved, practice = path.resolve(), db.path.resolve()
    if resolved.parent == practice.parent and resolved.name.startswith(practice.name):
        message = f"{path} is the practice's own database; choose another file."
        raise ValidationError({"out": message})
    return path


def _audit_changes(
    document: str, records: Mapping[str, Any], to_file: Path | None, sha256: str | None
) -> dict[str, list[Any]]:
    """The entry's details, as [before, after] pairs like every other audit entry."""
    details: dict[str, Any] = {"document": str(document), **records}
    if sha256 is not None:
        details["sha256"] = sha256
    if to_file is not None:
        details["file"] = str(to_file)
    return {name: [None, audit.plain(value)] for name, value in details.items()}


def _audit_summary(title: str, to_file: Path | None) -> str:
    return f"{title} printed" if to_file is None else f"{title} exported to {to_file}"


def deliver(db: Database, made: Printout, to_file: Path | None = None) -> Printout:
    """Record the printout (print, or export to `to_file`), then write the file if there is one.

    The entry is committed before the file is written: a file that then cannot be written is
    reported, and the log errs on the side of an access that may not have completed.
    """
    log(
        db,
        made.document,
        made.title,
        made.entity,
        made.entity_id,
        made.client_id,
        made.records,
        to_file,
        None if made.secret else made.sha256,
    )
    return written(made, to_file)


def log(
    db: Database,
    document: Document,
    title: str,
    entity: str,
    entity_id: int | None,
    client_id: int | None,
    records: Mapping[str, Any],
    to_file: Path | None,
    sha256: str | None,
) -> None:
    """The one audit entry of a printout (or of a bundle of them) handed over."""
    with db.transaction() as session:
        audit.log(
            db,
            session,
            action=action(to_file),
            entity=entity,
            entity_id=entity_id,
            client_id=client_id,
            summary=_audit_summary(title, to_file),
            changes=_audit_changes(document, records, to_file, sha256),
        )


def written(made: Printout, to_file: Path | None) -> Printout:
    """Write the printout to `to_file` (when given) once its audit entry is in."""
    if to_file is not None:
        write_file(to_file, made.data)
    return made


def export_copy(db: Database, made: Printout, to_file: Path) -> Printout:
    """A copy of a printout already made goes to a file (the preview's Save as, Open in viewer).

    The bytes are those shown; nothing is made again (a receipt copy is no new duplicate).
    """
    return deliver(db, made, target(db, to_file))
