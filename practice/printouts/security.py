"""The recovery code sheet: the one printout that holds a secret.

The audit entry says a sheet was printed or saved (and where), never the code nor a hash of
the bytes; the bytes go to the preview, the printer or the one file chosen, nowhere else.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from practice.clients import service as clients
from practice.clients.records import PracticeProfile
from practice.errors import ValidationError, WrongPassphraseError
from practice.printouts.output import Document, Printout, deliver, target
from practice.store import keyfile
from practice.store.database import Database


def recovery_sheet_pdf(
    db: Database, code: str, *, to_file: Path | None = None, today: date | None = None
) -> Printout:
    """One page with the practice's recovery code, once it is checked to open the practice."""
    from practice.documents.recovery_sheet import TITLE
    from practice.documents.recovery_sheet import recovery_sheet_pdf as render

    out = target(db, to_file)
    _check(db, code)
    made_on = today or date.today()
    profile = clients.get_profile(db) or PracticeProfile(therapist_name="")
    made = Printout(
        document=Document.RECOVERY_SHEET,
        title=TITLE,
        file_name=f"{TITLE} {made_on.isoformat()}.pdf",
        client_id=None,
        entity="practice",
        entity_id=None,
        records={},
        data=render(profile, code, made_on, db.data_dir),
        secret=True,
    )
    return deliver(db, made, out)


def _check(db: Database, code: str) -> None:
    """A sheet with a code that does not open the practice would fail the day it is needed."""
    if not keyfile.is_protected(db.data_dir):
        raise ValidationError({"code": "This practice is not encrypted: it has no recovery code."})
    try:
        keyfile.unlock(db.data_dir, recovery_code=code)
    except WrongPassphraseError:
        raise ValidationError({"code": "That code does not open this practice."}) from None
