"""Clinic mode's people: each one signs in to the server as a PostgreSQL login of their own.

A clinic's users are PostgreSQL roles, not accounts kept by Fascia: each person's LOGIN role is
a member of one of three group roles (`practice.store.grants`), and the server itself refuses
what their group may not do, whichever program they connect with. `clinic_user` says, for each
login, which of the three it is and which practitioner record signs for it, so a note is signed
by the practitioner at the keyboard (never by the computer's login).

`care_team` says which practitioners treat a client: a practitioner sees the clinical records of
the clients whose team they are on (the server adds whoever creates a client), and of clients
with no team yet; sharing a client adds a practitioner to its team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from practice.errors import FasciaError, ValidationError
from practice.store.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from practice.store.database import Database
    from practice.store.practitioners import PractitionerForm, PractitionerRow

ROLES = ("owner", "practitioner", "front_desk")
ROLE_NAMES = {"owner": "owner", "practitioner": "practitioner", "front_desk": "front desk"}
SIGNING_ROLES = ("owner", "practitioner")
_LOGIN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class ClinicUserRow(Base):
    __tablename__ = "clinic_user"
    __table_args__ = (
        CheckConstraint("role IN ('owner', 'practitioner', 'front_desk')", name="known_role"),
    )

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    # The practitioner record the login signs as (None for the front desk, who signs nothing).
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="RESTRICT")
    )
    display_name: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CareTeamRow(Base):
    __tablename__ = "care_team"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("client.id", ondelete="RESTRICT"), primary_key=True
    )
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioner.id", ondelete="RESTRICT"), primary_key=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True, slots=True)
class ClinicUser:
    login: str
    role: str
    practitioner_id: int | None
    display_name: str


class ClinicUserError(FasciaError):
    """A login that cannot be added (taken, refused by the server)."""


def check_login(login: str) -> str:
    """A login name PostgreSQL takes unquoted: lower-case letters, digits and _, at most 63."""
    login = login.strip()
    if not _LOGIN.match(login):
        raise ValidationError(
            {
                "login": f"{login!r} cannot be a login: use lower-case letters, digits and _ "
                "(at most 63, not starting with a digit)."
            }
        )
    return login


def check_role(role: str) -> str:
    role = role.strip().lower().replace(" ", "_").replace("-", "_")
    if role not in ROLES:
        raise ValidationError({"role": f"The role is one of: {', '.join(ROLE_NAMES.values())}."})
    return role


def add_user(
    db: Database,
    login: str,
    role: str,
    password: str,
    *,
    practitioner: PractitionerForm | None = None,
    practitioner_id: int | None = None,
    display_name: str = "",
) -> ClinicUser:
    """Create a login on the server in one of the three groups, with its practitioner record
    (a new one from `practitioner`, or an existing `practitioner_id`) when it signs notes.

    Needs a connection allowed to create roles (the server's administrator, who ran
    `server init`). Nothing is created when anything is refused.
    """
    from practice.store import audit, grants
    from practice.store import practitioners as people
    from practice.store.rows import get_or_raise
    from practice.text import single_line

    login, role = check_login(login), check_role(role)
    if not db.on_server:
        raise ValidationError({"server": "Logins are for a clinic's server practice."})
    if not password or len(password) > 1000 or "\0" in password:
        raise ValidationError({"password": "Give the new login a password (one line)."})
    signs = role in SIGNING_ROLES
    if signs and practitioner is None and practitioner_id is None:
        raise ValidationError(
            {"practitioner": f"A {ROLE_NAMES[role]} signs notes: give their name as they sign."}
        )
    form = people.validate(practitioner) if signs and practitioner is not None else None
    display_name = single_line(display_name)[:60] or (form.name if form else login)
    with db.transaction() as session:
        if session.get(ClinicUserRow, login) is not None or grants.role_exists(session, login):
            raise ClinicUserError(f"There is already a login named {login} on this server.")
        if form is not None:
            practitioner_id = people.write(db, session, form, None).id
        elif signs and practitioner_id is not None:
            get_or_raise(session, people.PractitionerRow, practitioner_id, "practitioner")
        grants.create_login(session, login, role, password)
        row = ClinicUserRow(
            login=login,
            role=role,
            practitioner_id=practitioner_id if signs else None,
            display_name=display_name,
        )
        audit.created(
            db,
            session,
            row,
            entity="clinic_user",
            entity_id=row.practitioner_id,
            summary=f"Login {login} added ({ROLE_NAMES[role]})",
            changes={"login": [None, login], "role": [None, role]},
        )
        return _user(row)


def _user(row: ClinicUserRow) -> ClinicUser:
    return ClinicUser(row.login, row.role, row.practitioner_id, row.display_name)


def signed_in_user(db: Database) -> ClinicUser | None:
    """The clinic user this connection's login is (None: the server's administrator, or a
    practice file)."""
    if not db.on_server:
        return None
    with db.read() as session:
        login = session.execute(text("SELECT session_user")).scalar()
        row = session.get(ClinicUserRow, login)
        return _user(row) if row is not None else None


def sign_in_user(db: Database) -> ClinicUser | None:
    """Make the signed-in login's practitioner record the signer (its display name the actor
    for the front desk, who has none)."""
    user = db.clinic_user = signed_in_user(db)
    if user is None:
        return None
    if user.practitioner_id is not None:
        db.sign_in(user.practitioner_id)
    else:
        db.signer = None
        db.actor_override = db.actor_override or f"{user.display_name} (front desk)"
    return user


def sees_clinical(db: Database) -> bool:
    """Whether the person signed in may read clinical records (notes, treatment log, body
    charts, intake, measures, plans, issued documents): everyone but the front desk, whom the
    server refuses them (`practice.store.grants`). Screens ask this before offering them."""
    user = db.clinic_user
    return user is None or user.role in SIGNING_ROLES


def refuse_front_desk(db: Database, what: str) -> None:
    """A clear refusal of `what` (a sentence's subject) for the front desk, before the server
    would refuse the clinical reads it needs."""
    if not sees_clinical(db):
        raise FasciaError(f"{what} reads clinical records, which the front desk does not see.")


def reads_everything(db: Database) -> bool:
    """Whether every row of every table is readable to the person signed in (a practice file,
    the server's administrator, an owner): a practitioner's care team hides other clients'
    records, and checking the seals of records one cannot read would only raise false alarms."""
    user = db.clinic_user
    return user is None or user.role == "owner"


def sees_client(db: Database, client_id: int) -> bool:
    """Whether the person signed in sees this client's clinical records: on a server, the
    owner, or a practitioner on its care team (or any while it has none). Elsewhere the
    server's row-level security hides the rows without a word, so a screen that shows none
    must not take that for "nothing on record" (no alerts, no visits)."""
    if not sees_clinical(db):
        return False
    if reads_everything(db):
        return True
    with db.read() as session:
        team = session.scalars(
            select(CareTeamRow.practitioner_id).where(CareTeamRow.client_id == client_id)
        ).all()
    return may_change_team(db, list(team))


def may_share(db: Database) -> bool:
    """Whether the person signed in may add a practitioner to a client's care team."""
    return db.on_server and sees_clinical(db)


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A practitioner on a client's care team."""

    practitioner_id: int
    signature: str
    active: bool
    added_at: datetime

    @property
    def id(self) -> int:
        return self.practitioner_id


def care_team(db: Database, client_id: int) -> list[TeamMember]:
    """The practitioners on a client's care team, in the order they joined."""
    from practice.store.practitioners import PractitionerRow, signature_of
    from practice.store.rows import is_id

    if not is_id(client_id):
        return []
    with db.read() as session:
        rows = session.execute(
            select(PractitionerRow, CareTeamRow.added_at)
            .join(CareTeamRow, CareTeamRow.practitioner_id == PractitionerRow.id)
            .where(CareTeamRow.client_id == client_id)
            .order_by(CareTeamRow.added_at, PractitionerRow.id)
        ).all()
        return [
            TeamMember(
                row.id,
                signature_of(row.name, row.credentials, row.registration_number),
                row.active,
                added_at,
            )
            for row, added_at in rows
        ]


def may_change_team(db: Database, team: list[int]) -> bool:
    """Whether the person signed in may add to or take from a care team (the practitioners'
    ids): the owner, or a practitioner on it (any practitioner while it has none). The server
    enforces the same (`practice.store.grants`)."""
    if not sees_clinical(db):
        return False
    return reads_everything(db) or not team or db.practitioner_id in team


def _refuse_front_desk(db: Database) -> None:
    if not sees_clinical(db):
        raise FasciaError(
            "The front desk cannot change who sees a client's clinical records: ask a "
            "practitioner on the client's care team, or the owner."
        )


def _check_may_change(db: Database, session: Session, client_id: int) -> None:
    team = session.scalars(
        select(CareTeamRow.practitioner_id).where(CareTeamRow.client_id == client_id)
    ).all()
    if not may_change_team(db, list(team)):
        raise FasciaError(
            "Only a practitioner on the client's care team, or the owner, can change it."
        )


def _team_change(
    db: Database, session: Session, client_id: int, practitioner_id: int
) -> PractitionerRow:
    """The practitioner a change to the client's care team is about, once the client and
    they exist and the person signed in may change that team."""
    from practice.store.practitioners import PractitionerRow
    from practice.store.rows import get_or_raise

    _client_found(session, client_id)
    person = get_or_raise(session, PractitionerRow, practitioner_id, "practitioner")
    _check_may_change(db, session, client_id)
    return person


def _client_found(session: Session, client_id: int) -> None:
    from practice.errors import NotFoundError
    from practice.store.rows import is_id

    found = (
        is_id(client_id)
        and session.execute(text("SELECT 1 FROM client WHERE id = :id"), {"id": client_id}).first()
    )
    if not found:
        raise NotFoundError(f"No client with id {client_id}.")


def share_client(db: Database, client_id: int, practitioner_id: int) -> None:
    """Add a practitioner to a client's care team: they see its clinical records from now on.
    (Already on it: nothing changes.)"""
    from practice.store import audit

    _refuse_front_desk(db)
    with db.transaction() as session:
        person = _team_change(db, session, client_id, practitioner_id)
        exists = session.get(CareTeamRow, (client_id, practitioner_id))
        if exists is not None:
            return
        session.add(CareTeamRow(client_id=client_id, practitioner_id=practitioner_id))
        session.flush()
        audit.log(
            db,
            session,
            action="share",
            entity="care_team",
            entity_id=practitioner_id,
            client_id=client_id,
            summary=f"Client shared with {person.name} (practitioner {practitioner_id})",
            changes={"care_team": [None, practitioner_id]},
        )


def unshare_client(db: Database, client_id: int, practitioner_id: int) -> None:
    """Take a practitioner off a client's care team: they no longer see its clinical records.

    The last one stays: a client with no team is seen by every practitioner.
    """
    from practice.store import audit

    _refuse_front_desk(db)
    with db.transaction() as session:
        person = _team_change(db, session, client_id, practitioner_id)
        member = session.get(CareTeamRow, (client_id, practitioner_id))
        if member is None:
            return
        team = session.scalar(
            select(func.count()).select_from(CareTeamRow).where(CareTeamRow.client_id == client_id)
        )
        if team == 1:
            raise ValidationError(
                {
                    "care_team": f"{person.name} is the client's only practitioner: add another "
                    "first (a client with no care team is seen by every practitioner)."
                }
            )
        session.delete(member)
        session.flush()
        audit.log(
            db,
            session,
            action="unshare",
            entity="care_team",
            entity_id=practitioner_id,
            client_id=client_id,
            summary=f"{person.name} (practitioner {practitioner_id}) left the client's care team",
            changes={"care_team": [practitioner_id, None]},
        )
