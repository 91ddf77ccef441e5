"""Practitioners: who signs notes, issues invoices and stands behind every audit entry.

A solo practice has one practitioner, set up in the Welcome and edited in the practice profile.
The table allows more (a clinic, or a therapist who takes on an associate); `Database.signer`
names the one at the keyboard. Nothing a clinician or insurer reads ever names the computer's
login: before anyone is set up, writes are attributed to "Fascia setup".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from practice.errors import ValidationError
from practice.store.base import Base, UTCDateTime, utcnow
from practice.text import single_line

if TYPE_CHECKING:
    from practice.store.database import Database

SETUP_ACTOR = "Fascia setup"
NAME_MAX = 60
CREDENTIALS_MAX = 24
REGISTRATION_MAX = 24
NPI_LENGTH = 10


class PractitionerRow(Base):
    __tablename__ = "practitioner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    credentials: Mapped[str] = mapped_column(String(CREDENTIALS_MAX), default="")
    registration_number: Mapped[str] = mapped_column(String(REGISTRATION_MAX), default="")
    npi: Mapped[str] = mapped_column(String(NPI_LENGTH), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@dataclass(frozen=True, slots=True)
class PractitionerForm:
    name: str
    credentials: str = ""
    registration_number: str = ""
    npi: str = ""


@dataclass(frozen=True, slots=True)
class Practitioner:
    id: int
    name: str
    credentials: str
    registration_number: str
    npi: str
    active: bool

    @property
    def signature(self) -> str:
        """'Maya Chen, RMT (reg. 12345)': how the practitioner signs, stored with each record."""
        return signature_of(self.name, self.credentials, self.registration_number)


def signature_of(name: str, credentials: str = "", registration_number: str = "") -> str:
    text = name.strip()
    if credentials.strip():
        text += f", {credentials.strip()}"
    if registration_number.strip():
        text += f" (reg. {registration_number.strip()})"
    return text


def signed_line(signature: str, at: datetime, locale: str = "en_US") -> str:
    """'Signed by Maya Chen, RMT (reg. 12345), 6 Dec 2026 14:02' for screens and paper."""
    from practice.dates import format_moment

    return f"Signed by {signature}, {format_moment(at, locale)}"


def validate(form: PractitionerForm) -> PractitionerForm:
    form = PractitionerForm(
        name=single_line(form.name),
        credentials=single_line(form.credentials),
        registration_number=single_line(form.registration_number),
        npi="".join(single_line(form.npi).split()),
    )
    errors: dict[str, str] = {}
    if not form.name:
        errors["name"] = "Enter the name you sign with."
    elif len(form.name) > NAME_MAX:
        errors["name"] = f"Keep the name to {NAME_MAX} characters; it prints on every signature."
    if len(form.credentials) > CREDENTIALS_MAX:
        errors["credentials"] = f"Keep credentials to {CREDENTIALS_MAX} characters (e.g. RMT)."
    if len(form.registration_number) > REGISTRATION_MAX:
        errors["registration_number"] = (
            f"A registration number has at most {REGISTRATION_MAX} characters."
        )
    if form.npi and not (form.npi.isdigit() and len(form.npi) == NPI_LENGTH and form.npi.isascii()):
        errors["npi"] = "An NPI is 10 digits."
    if errors:
        raise ValidationError(errors)
    return form


def _record(row: PractitionerRow) -> Practitioner:
    return Practitioner(
        id=row.id,
        name=row.name,
        credentials=row.credentials,
        registration_number=row.registration_number,
        npi=row.npi,
        active=row.active,
    )


def first_active(session: Session) -> Practitioner | None:
    row = session.scalar(
        select(PractitionerRow)
        .where(PractitionerRow.active.is_(True))
        .order_by(PractitionerRow.id)
        .limit(1)
    )
    return _record(row) if row is not None else None


def list_practitioners(db: Database) -> list[Practitioner]:
    with db.read() as session:
        rows = session.scalars(select(PractitionerRow).order_by(PractitionerRow.id))
        return [_record(row) for row in rows]


def get_practitioner(db: Database, practitioner_id: int) -> Practitioner:
    from practice.store.rows import get_or_raise

    with db.read() as session:
        return _record(get_or_raise(session, PractitionerRow, practitioner_id, "practitioner"))


def save_practitioner(
    db: Database, form: PractitionerForm, practitioner_id: int | None = None
) -> Practitioner:
    """Add a practitioner (id None) or change one. Signed records keep the signature they have.

    The first practitioner of a practice becomes the signer of this open database at once.
    """
    form = validate(form)
    with db.transaction() as session:
        return write(db, session, form, practitioner_id)


def write(
    db: Database, session: Session, form: PractitionerForm, practitioner_id: int | None
) -> Practitioner:
    """Save a validated form in the caller's transaction (the practice profile saves through
    here too, so the letterhead and the signature never disagree)."""
    from practice.store import audit
    from practice.store.rows import get_or_raise

    if practitioner_id is None:
        row = PractitionerRow()
        session.add(row)
        old: dict[str, str] = {}
    else:
        row = get_or_raise(session, PractitionerRow, practitioner_id, "practitioner")
        old = _fields(row)
    row.name, row.credentials = form.name, form.credentials
    row.registration_number, row.npi = form.registration_number, form.npi
    row.active = True
    session.flush()
    saved = _record(row)
    if db.signer is None or db.signer.id == saved.id:
        db.signer = saved  # the first practitioner signs from now on, this entry included
    changes = audit.diff(old, _fields(row))
    if changes:
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="practitioner",
            entity_id=saved.id,
            summary=f"Practitioner {saved.signature} saved",
            changes=changes,
        )
    return saved


def _fields(row: PractitionerRow) -> dict[str, str]:
    return {
        "name": row.name,
        "credentials": row.credentials,
        "registration_number": row.registration_number,
        "npi": row.npi,
    }
