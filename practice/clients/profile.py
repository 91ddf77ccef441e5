"""The practice profile (the letterhead and who signs) and the physicians clients are referred
by: one transaction each; validate, write, audit, return plain records."""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.clients.models import PhysicianRow, PracticeProfileRow
from practice.clients.records import Physician, PhysicianForm, PracticeProfile
from practice.errors import ValidationError
from practice.store import audit, practitioners
from practice.store.database import Database
from practice.store.rows import get_or_raise
from practice.text import clean, fold, is_email, is_phone, single_line

MAX_LOGO_BYTES = 5_000_000  # a letterhead logo; a bigger file is a photo picked by mistake
# Texts that may run over several lines; every other text field is a single line.
MULTILINE = frozenset({"address", "notes"})


# ---------------------------------------------------------------- practice profile


def get_profile(db: Database) -> PracticeProfile | None:
    with db.read() as session:
        row = session.scalar(select(PracticeProfileRow).limit(1))
        return _profile(row) if row else None


def save_profile(db: Database, profile: PracticeProfile) -> PracticeProfile:
    profile = PracticeProfile(**_cleaned(profile))
    _validate_profile(profile)
    signer = _practitioner_form(profile)
    with db.transaction() as session:
        practitioners.write(db, session, signer, db.practitioner_id or _first_id(session))
        row = session.scalar(select(PracticeProfileRow).limit(1))
        old = asdict(_profile(row)) if row else {}
        if row is None:
            row = PracticeProfileRow(therapist_name=profile.therapist_name)
            session.add(row)
        for f in fields(PracticeProfile):
            setattr(row, f.name, getattr(profile, f.name))
        session.flush()
        new = asdict(profile)
        old.pop("logo_png", None)
        new.pop("logo_png", None)
        audit.log(
            db,
            session,
            action="update" if old else "create",
            entity="practice_profile",
            entity_id=row.id,
            summary="Practice profile saved",
            changes=audit.diff(old, new),
        )
        return _profile(row)


def _practitioner_form(profile: PracticeProfile) -> practitioners.PractitionerForm:
    """The profile's therapist as the practitioner who signs; errors named as the form's."""
    form = practitioners.PractitionerForm(
        profile.therapist_name, profile.credentials, profile.registration_number, profile.npi
    )
    try:
        return practitioners.validate(form)
    except ValidationError as error:
        names = {"name": "therapist_name"}
        raise ValidationError({names.get(k, k): v for k, v in error.errors.items()}) from None


def _first_id(session: Session) -> int | None:
    first = practitioners.first_active(session)
    return first.id if first else None


def _validate_profile(profile: PracticeProfile) -> None:
    from babel import Locale, UnknownLocaleError
    from babel.numbers import list_currencies

    errors: dict[str, str] = {}
    if not profile.therapist_name:
        errors["therapist_name"] = "Enter the therapist's name; it prints on every document."
    if profile.logo_png is not None and (
        not isinstance(profile.logo_png, bytes) or len(profile.logo_png) > MAX_LOGO_BYTES
    ):
        errors["logo_png"] = f"Choose a logo picture under {MAX_LOGO_BYTES // 1_000_000} MB."
    if profile.email and not is_email(profile.email):
        errors["email"] = "This does not look like an email address (name@example.com)."
    if profile.phone and not is_phone(profile.phone):
        errors["phone"] = "Use digits, spaces and + ( ) - only."
    if profile.npi and not (profile.npi.isdigit() and len(profile.npi) == 10):
        errors["npi"] = "An NPI has exactly 10 digits."
    if profile.currency not in list_currencies():
        errors["currency"] = f"Unknown currency code '{profile.currency}' (use e.g. USD, CAD, EUR)."
    try:
        Locale.parse(profile.locale)
    except (UnknownLocaleError, ValueError, TypeError):
        errors["locale"] = f"Unknown locale '{profile.locale}' (use e.g. en_US, en_CA, fr_CA)."
    if errors:
        raise ValidationError(errors)


def _cleaned(form: object) -> dict[str, object]:
    """The fields of a form with its text cleaned: addresses and notes keep their lines."""
    values = {f.name: getattr(form, f.name) for f in fields(form)}  # type: ignore[arg-type]
    return {
        name: (clean(v) if name in MULTILINE else single_line(v)) if isinstance(v, str) else v
        for name, v in values.items()
    }


def _profile(row: PracticeProfileRow) -> PracticeProfile:
    return PracticeProfile(**{f.name: getattr(row, f.name) for f in fields(PracticeProfile)})


# ---------------------------------------------------------------- physicians


def _validate_physician(form: PhysicianForm) -> PhysicianForm:
    form = PhysicianForm(**_cleaned(form))
    errors: dict[str, str] = {}
    if not form.name:
        errors["name"] = "Enter the physician's name."
    if form.email and not is_email(form.email):
        errors["email"] = "This does not look like an email address (name@example.com)."
    for key in ("phone", "fax"):
        if getattr(form, key) and not is_phone(getattr(form, key)):
            errors[key] = "Use digits, spaces and + ( ) - only."
    if form.npi and not (form.npi.isdigit() and len(form.npi) == 10):
        errors["npi"] = "An NPI has exactly 10 digits."
    if errors:
        raise ValidationError(errors)
    return form


def create_physician(db: Database, form: PhysicianForm) -> Physician:
    form = _validate_physician(form)
    with db.transaction() as session:
        row = PhysicianRow(**asdict(form))
        audit.created(
            db,
            session,
            row,
            entity="physician",
            summary=f"Physician {form.name} added",
            changes=audit.diff({}, asdict(form)),
        )
        return _physician(row)


def update_physician(db: Database, physician_id: int, form: PhysicianForm) -> Physician:
    form = _validate_physician(form)
    with db.transaction() as session:
        row = get_or_raise(session, PhysicianRow, physician_id, "physician")
        old = asdict(_physician(row))
        for key, value in asdict(form).items():
            setattr(row, key, value)
        session.flush()
        new = asdict(_physician(row))
        audit.log(
            db,
            session,
            action="update",
            entity="physician",
            entity_id=row.id,
            summary=f"Physician {form.name} updated",
            changes=audit.diff(old, new),
        )
        return _physician(row)


def list_physicians(db: Database, *, include_archived: bool = False) -> list[Physician]:
    with db.read() as session:
        query = select(PhysicianRow).order_by(func.lower(PhysicianRow.name))
        if not include_archived:
            query = query.where(PhysicianRow.archived.is_(False))
        return [_physician(r) for r in session.scalars(query)]


def get_physician(db: Database, physician_id: int) -> Physician:
    with db.read() as session:
        return _physician(get_or_raise(session, PhysicianRow, physician_id, "physician"))


def _physician(row: PhysicianRow) -> Physician:
    return Physician(
        id=row.id,
        archived=row.archived,
        **{f.name: getattr(row, f.name) for f in fields(PhysicianForm)},
    )


MAX_SEARCH_WORDS = 20  # a search box's words; more (a pasted page) are not searched for


def physicians_matching(db: Database, text: str) -> list[Physician]:
    """The physicians whose name or clinic holds every word typed (ignoring case and accents);
    each physician's text is folded once, whatever the number of words."""
    words = list(dict.fromkeys(fold(text).split()))[:MAX_SEARCH_WORDS]
    physicians = list_physicians(db)
    if not words:
        return physicians
    found = []
    for physician in physicians:
        haystack = fold(f"{physician.name} {physician.clinic}")
        if all(word in haystack for word in words):
            found.append(physician)
    return found
