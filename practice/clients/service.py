"""Client use cases: one transaction each; validate, write, audit, return plain records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practice.bounds import (
    MAX_AGE_YEARS,
    day_errors,
    is_whole,
    moment_errors,
    oldest_birth_date,
    whole_in,
)
from practice.clients import directory, rules
from practice.clients.intake import (
    CONDITION_BY_CODE,
    CancerStatus,
    IntakeData,
    Medication,
    MedicationFlag,
    Pressure,
    Surgery,
)
from practice.clients.models import (
    ClientRow as ClientTable,
)
from practice.clients.models import (
    ConsentFormRow,
    ConsentRow,
    IntakeRow,
    PhysicianRow,
)
from practice.clients.profile import (
    MAX_LOGO_BYTES as MAX_LOGO_BYTES,
)
from practice.clients.profile import (
    MULTILINE as MULTILINE,
)
from practice.clients.profile import (  # re-exported: the practice profile and physicians
    _cleaned,
)
from practice.clients.profile import (
    create_physician as create_physician,
)
from practice.clients.profile import (
    get_physician as get_physician,
)
from practice.clients.profile import (
    get_profile as get_profile,
)
from practice.clients.profile import (
    list_physicians as list_physicians,
)
from practice.clients.profile import (
    physicians_matching as physicians_matching,
)
from practice.clients.profile import (
    save_profile as save_profile,
)
from practice.clients.profile import (
    update_physician as update_physician,
)
from practice.clients.records import (
    Client,
    ClientCounts,
    ClientForm,
    ClientRow,
    Consent,
    ConsentForm,
    ConsentSignature,
    Intake,
    Standing,
)
from practice.errors import ValidationError
from practice.store import audit, staff, versions
from practice.store.database import Database
from practice.store.rows import MAX_ID, get_or_raise, is_id
from practice.text import clean, digits, fold, is_email, is_phone, single_line

ADULT_AGE = 18
MAX_PREGNANCY_WEEKS = 42  # a pregnancy past 42 weeks is induced; more is a typo

# ---------------------------------------------------------------- clients


def validate_client(form: ClientForm, today: date | None = None) -> ClientForm:
    """Return the cleaned form or raise ValidationError naming every bad field."""
    today = today or date.today()
    form = ClientForm(**_cleaned(form))
    errors: dict[str, str] = {}
    if not form.given_name:
        errors["given_name"] = "Enter the client's first (given) name."
    if form.date_of_birth is not None:
        errors |= _birth_date_errors(form.date_of_birth, today)
    if form.email and not is_email(form.email):
        errors["email"] = "This does not look like an email address (name@example.com)."
    for key in ("phone_mobile", "phone_other", "emergency_contact_phone"):
        if getattr(form, key) and not is_phone(getattr(form, key)):
            errors[key] = "Use digits, spaces and + ( ) - only, with at least 3 digits."
    for key, limit in (("given_name", 200), ("family_name", 200), ("preferred_name", 200)):
        if len(getattr(form, key)) > limit:
            errors[key] = f"Keep this under {limit} characters."
    if errors:
        raise ValidationError(errors)
    return form


def _birth_date_errors(born: object, today: date) -> dict[str, str]:
    oldest = oldest_birth_date(today)
    errors = day_errors("date_of_birth", born, today, what="Birth date", earliest=oldest)
    if errors and type(born) is date and born < oldest:
        return {"date_of_birth": f"Birth date is more than {MAX_AGE_YEARS} years ago."}
    return errors


def create_client(db: Database, form: ClientForm) -> Client:
    form = validate_client(form)
    with db.transaction() as session:
        if form.physician_id is not None:
            get_or_raise(session, PhysicianRow, form.physician_id, "physician")
        return _client(_add(db, session, form, "Client record created"))


def add_clients(
    db: Database, session: Session, forms: Sequence[ClientForm], *, source: str
) -> list[int]:
    """Add forms already validated (`validate_client`, no physician) in the caller's
    transaction, with one statement for all (an import adds thousands). Each is audited as
    created from `source`. Returns their ids, in order."""
    if not forms:
        return []
    names = [f.name for f in fields(ClientForm)]
    values = [{name: getattr(form, name) for name in names} for form in forms]  # asdict is slow
    rows = [
        v | {"search_text": _search_text(f), "sort_key": name_sort_key(f)}
        for v, f in zip(values, forms, strict=True)
    ]
    # One executemany (RETURNING would go row by row on SQLite). The transaction holds the
    # write lock, so the new rows are exactly those after the highest id before them.
    before = session.scalar(select(func.max(ClientTable.id))) or 0
    session.execute(ClientTable.__table__.insert(), rows)
    ids = list(
        session.scalars(
            select(ClientTable.id).where(ClientTable.id > before).order_by(ClientTable.id)
        )
    )
    summary = f"Client record created (imported from {source})"
    audit.log_many(
        db,
        session,
        [
            {
                "action": "create",
                "entity": "client",
                "entity_id": client_id,
                "client_id": client_id,
                "summary": summary,
                # audit.diff({}, new), without comparing with nothing field by field
                "changes": {k: [None, audit.plain(v)] for k, v in new.items() if v is not None},
            }
            for client_id, new in zip(ids, values, strict=True)
        ],
    )
    return ids


def _add(db: Database, session: Session, form: ClientForm, summary: str) -> ClientTable:
    row = ClientTable(**asdict(form))
    _index(row)
    session.add(row)
    session.flush()
    audit.log(
        db,
        session,
        action="create",
        entity="client",
        entity_id=row.id,
        client_id=row.id,
        summary=summary,
        changes=audit.diff({}, asdict(form)),
    )
    return row


def update_client(
    db: Database, client_id: int, form: ClientForm, *, expected_version: int | None = None
) -> Client:
    """Save a client's details; refused (ConflictError) when someone else saved them after
    `expected_version` was read (`store.versions`)."""
    form = validate_client(form)
    with db.transaction() as session:
        row = get_or_raise(session, ClientTable, client_id, "client")
        versions.claim(row, expected_version, "this client's details")
        if form.physician_id is not None:
            get_or_raise(session, PhysicianRow, form.physician_id, "physician")
        old = asdict(_client(row).form())
        for key, value in asdict(form).items():
            setattr(row, key, value)
        _index(row)
        changes = audit.diff(old, asdict(form))
        if changes:
            session.flush()
            audit.log(
                db,
                session,
                action="update",
                entity="client",
                entity_id=row.id,
                client_id=row.id,
                summary="Client record updated",
                changes=changes,
            )
        return _client(row)


def set_archived(db: Database, client_id: int, archived: bool) -> Client:
    """Archive (or restore) a client. Clinical records are never deleted."""
    with db.transaction() as session:
        row = get_or_raise(session, ClientTable, client_id, "client")
        if row.archived != archived:
            row.archived = archived
            versions.bump(row)
            audit.log(
                db,
                session,
                action="archive" if archived else "restore",
                entity="client",
                entity_id=row.id,
                client_id=row.id,
                summary="Client archived" if archived else "Client restored",
                changes={"archived": [not archived, archived]},
            )
        return _client(row)


def get_client(db: Database, client_id: int) -> Client:
    with db.read() as session:
        return _client(get_or_raise(session, ClientTable, client_id, "client"))


def search_clients(
    db: Database, text: str = "", *, include_archived: bool = False, limit: int | None = None
) -> list[ClientRow]:
    """Clients whose names, phone or email contain every word typed, ignoring case and accents.

    The query is `directory.search_rows`, run on this session's own connection (the window
    runs it through a `ClientDirectory` before SQLAlchemy is loaded).
    """
    if limit is not None and (not is_whole(limit) or limit < 0):
        raise ValidationError({"limit": "Show a whole number of clients, 0 or more."})
    limit = None if limit is None else min(limit, MAX_ID)
    with db.read() as session:
        raw = db.raw_connection(session)
        return directory.search_rows(raw, text, include_archived=include_archived, limit=limit)


def standings(db: Database, now: datetime | None = None) -> dict[int, Standing]:
    """Every client's balance owed, last visit and next appointment, in one grouped query
    (`directory.standing_rows`); clients with none of these are left out."""
    with db.read() as session:
        raw = db.raw_connection(session)
        return directory.standing_rows(raw, now or datetime.now(UTC))


def standing(db: Database, client_id: int, now: datetime | None = None) -> Standing:
    """One client's standing (`standings` for one client), read by that client's rows only."""
    with db.read() as session:
        raw = db.raw_connection(session)
        return directory.standing_of(raw, client_id, now or datetime.now(UTC))


def _index(row: ClientTable) -> None:
    row.search_text = _search_text(row)
    row.sort_key = name_sort_key(row)


def _search_text(client: ClientForm | ClientTable) -> str:
    """Names, email and phone digits folded for search-as-you-type (`client.search_text`)."""
    names = " ".join(filter(None, [client.given_name, client.preferred_name, client.family_name]))
    phones = " ".join(filter(None, [digits(client.phone_mobile), digits(client.phone_other)]))
    return " ".join(filter(None, [fold(names), fold(client.email), phones]))


def name_sort_key(client: ClientForm | ClientTable) -> str:
    """The stored name key (`client.sort_key`): family name, then the name used, folded."""
    return fold(f"{client.family_name}\x1f{client.preferred_name or client.given_name}")


def _client(row: ClientTable) -> Client:
    return Client(
        id=row.id,
        archived=row.archived,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        **{f.name: getattr(row, f.name) for f in fields(ClientForm)},
    )


def counts(db: Database) -> ClientCounts:
    with db.read() as session:

        def count(q):  # type: ignore[no-untyped-def]
            return session.scalar(select(func.count()).select_from(q)) or 0

        return ClientCounts(
            active=count(select(ClientTable.id).where(ClientTable.archived.is_(False)).subquery()),
            archived=count(select(ClientTable.id).where(ClientTable.archived.is_(True)).subquery()),
            physicians=count(select(PhysicianRow.id).subquery()),
            intakes=count(select(IntakeRow.id).subquery()),
            consents=count(select(ConsentRow.id).subquery()),
        )


# ---------------------------------------------------------------- intake and alerts


def validate_intake(data: IntakeData, today: date | None = None) -> IntakeData:
    """The intake with its text cleaned, or ValidationError naming every problem."""
    today = today or date.today()
    data, errors = _cleaned_intake(data)
    errors |= day_errors("recorded_on", data.recorded_on, today, what="The intake date")
    unknown = sorted(set(data.conditions) - set(CONDITION_BY_CODE))
    if unknown:
        errors["conditions"] = f"Unknown condition code(s): {', '.join(unknown)}."
    if data.pregnancy_weeks is not None and not whole_in(
        data.pregnancy_weeks, 0, MAX_PREGNANCY_WEEKS
    ):
        errors["pregnancy_weeks"] = (
            f"Weeks of pregnancy are a whole number between 0 and {MAX_PREGNANCY_WEEKS}."
        )
    elif data.pregnancy_weeks is not None and not data.pregnant:
        errors["pregnancy_weeks"] = "Weeks of pregnancy given but pregnancy is not ticked."
    if data.high_risk_pregnancy and not data.pregnant:
        errors["high_risk_pregnancy"] = "A high-risk pregnancy is ticked but pregnancy is not."
    for i, med in enumerate(data.medications):
        if not med.name:
            errors[f"medications[{i}]"] = "Each medication needs a name."
        elif not all(isinstance(flag, MedicationFlag) for flag in med.flags):
            errors[f"medications[{i}]"] = f"Unknown kind of medication for {med.name}."
    for i, surgery in enumerate(data.surgeries):
        if not surgery.description:
            errors[f"surgeries[{i}]"] = "Each surgery needs a description."
        elif surgery.on is not None:
            errors |= day_errors(
                f"surgeries[{i}]",
                surgery.on,
                today,
                what=f"The date of '{surgery.description}'",
                earliest=oldest_birth_date(today),
            )
    if errors:
        raise ValidationError(errors)
    return data


def _cleaned_intake(data: IntakeData) -> tuple[IntakeData, dict[str, str]]:
    """Texts cleaned (details and names on one line), choices read as their enums."""
    errors: dict[str, str] = {}
    texts = {
        name: clean(getattr(data, name))
        for name in (
            "allergies",
            "implants",
            "cancer_details",
            "goals",
            "focus_areas",
            "areas_to_avoid",
            "positions_not_tolerated",
            "other_notes",
        )
    }
    choices: dict[str, object] = {}
    for name, enum in (("cancer_status", CancerStatus), ("pressure_preference", Pressure)):
        try:
            choices[name] = enum(getattr(data, name))
        except ValueError:
            errors[name] = f"Choose one of: {', '.join(m.value for m in enum)}."
    data = replace(
        data,
        conditions={code: single_line(detail) for code, detail in data.conditions.items()},
        medications=tuple(
            Medication(single_line(m.name), _flags(m.flags), clean(m.note))
            for m in data.medications
        ),
        surgeries=tuple(Surgery(single_line(s.description), s.on, s.spine) for s in data.surgeries),
        **texts,
        **choices,  # type: ignore[arg-type]
    )
    return data, errors


def _flags(flags: frozenset[MedicationFlag]) -> frozenset[MedicationFlag]:
    """The flags as MedicationFlag members; one that is no member is kept for the checks."""
    values = {f.value for f in MedicationFlag}
    return frozenset(MedicationFlag(f) if f in values else f for f in flags)


def save_intake(
    db: Database, client_id: int, data: IntakeData, *, expected_latest: int | None = None
) -> Intake:
    """Record a new dated intake. Earlier intakes stay as they were.

    `expected_latest` is the id of the newest intake the form was filled from (0: none yet):
    when someone else recorded one since, this one is refused (ConflictError), as it would
    silently take the place of theirs. None: not checked (the caller did not start from a form).
    """
    data = validate_intake(data)
    with db.transaction() as session:
        get_or_raise(session, ClientTable, client_id, "client")
        newest = select(func.max(IntakeRow.id)).where(IntakeRow.client_id == client_id)
        versions.check(session.scalar(newest) or 0, expected_latest, "this client's intake")
        previous = _latest_intake_row(session, client_id)
        row = IntakeRow(client_id=client_id, created_by=db.actor, **_intake_columns(data))
        session.add(row)
        session.flush()
        old = _intake_columns(_intake_data(previous)) if previous else {}
        audit.log(
            db,
            session,
            action="create",
            entity="intake",
            entity_id=row.id,
            client_id=client_id,
            summary=f"Intake of {data.recorded_on.isoformat()} recorded",
            changes=audit.diff(old, _intake_columns(data)),
        )
        return _intake(row)


def latest_intake(db: Database, client_id: int) -> Intake | None:
    if not is_id(client_id):
        return None
    with db.read() as session:
        row = _latest_intake_row(session, client_id)
        return _intake(row) if row else None


def intake_history(db: Database, client_id: int) -> list[Intake]:
    if not is_id(client_id):
        return []
    with db.read() as session:
        query = (
            select(IntakeRow)
            .where(IntakeRow.client_id == client_id)
            .order_by(IntakeRow.recorded_on.desc(), IntakeRow.id.desc())
        )
        return [_intake(r) for r in session.scalars(query)]


def alerts_for(db: Database, client_id: int, today: date | None = None) -> list[rules.Alert]:
    """The client's alerts from their latest intake (none for those who may not read it: the
    front desk, a practitioner off the client's care team; `staff.sees_client`)."""
    if not staff.sees_client(db, client_id):
        return []
    intake = latest_intake(db, client_id)
    return rules.evaluate(intake.data if intake else None, today)


def _latest_intake_row(session: Session, client_id: int) -> IntakeRow | None:
    query = (
        select(IntakeRow)
        .where(IntakeRow.client_id == client_id)
        .order_by(IntakeRow.recorded_on.desc(), IntakeRow.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def _intake_columns(data: IntakeData) -> dict:  # type: ignore[type-arg]
    return {
        "recorded_on": data.recorded_on,
        "conditions": dict(data.conditions),
        "medications": [
            {"name": m.name, "flags": sorted(f.value for f in m.flags), "note": m.note}
            for m in data.medications
        ],
        "allergies": data.allergies,
        "oil_or_scent_allergy": data.oil_or_scent_allergy,
        "surgeries": [
            {
                "description": s.description,
                "on": s.on.isoformat() if s.on else None,
                "spine": s.spine,
            }
            for s in data.surgeries
        ],
        "pregnant": data.pregnant,
        "pregnancy_weeks": data.pregnancy_weeks,
        "high_risk_pregnancy": data.high_risk_pregnancy,
        "implants": data.implants,
        "cancer_status": data.cancer_status.name.lower(),
        "cancer_details": data.cancer_details,
        "goals": data.goals,
        "focus_areas": data.focus_areas,
        "areas_to_avoid": data.areas_to_avoid,
        "pressure_preference": data.pressure_preference.value,
        "positions_not_tolerated": data.positions_not_tolerated,
        "other_notes": data.other_notes,
    }


def _intake_data(row: IntakeRow) -> IntakeData:
    return IntakeData(
        recorded_on=row.recorded_on,
        conditions=dict(row.conditions or {}),
        medications=tuple(
            Medication(
                m["name"],
                frozenset(MedicationFlag(f) for f in m.get("flags", [])),
                m.get("note", ""),
            )
            for m in row.medications or []
        ),
        allergies=row.allergies,
        oil_or_scent_allergy=row.oil_or_scent_allergy,
        surgeries=tuple(
            Surgery(
                s["description"],
                date.fromisoformat(s["on"]) if s.get("on") else None,
                bool(s.get("spine")),
            )
            for s in row.surgeries or []
        ),
        pregnant=row.pregnant,
        pregnancy_weeks=row.pregnancy_weeks,
        high_risk_pregnancy=row.high_risk_pregnancy,
        implants=row.implants,
        cancer_status=CancerStatus[row.cancer_status.upper()],
        cancer_details=row.cancer_details,
        goals=row.goals,
        focus_areas=row.focus_areas,
        areas_to_avoid=row.areas_to_avoid,
        pressure_preference=Pressure(row.pressure_preference),
        positions_not_tolerated=row.positions_not_tolerated,
        other_notes=row.other_notes,
    )


def _intake(row: IntakeRow) -> Intake:
    return Intake(
        id=row.id,
        client_id=row.client_id,
        data=_intake_data(row),
        created_at=row.created_at,
        created_by=row.created_by,
    )


# ---------------------------------------------------------------- consent


def save_consent_form(db: Database, kind: str, title: str, body: str) -> ConsentForm:
    """Publish a consent text. Changing a text makes a new version; old versions stay."""
    title, body = single_line(title), clean(body)
    errors = {}
    if not title:
        errors["title"] = "Give the consent form a title."
    if len(body) < 20:
        errors["body"] = "Write the consent text (at least a sentence)."
    if kind not in ("general", "sensitive"):
        errors["kind"] = "Consent kind must be 'general' or 'sensitive'."
    if errors:
        raise ValidationError(errors)
    with db.transaction() as session:
        current = session.scalar(
            select(ConsentFormRow)
            .where(ConsentFormRow.kind == kind, ConsentFormRow.retired.is_(False))
            .order_by(ConsentFormRow.version.desc())
        )
        if current is not None and current.body == body and current.title == title:
            return _consent_form(current)
        version = (
            session.scalar(
                select(func.max(ConsentFormRow.version)).where(ConsentFormRow.kind == kind)
            )
            or 0
        ) + 1
        if current is not None:
            current.retired = True
        row = ConsentFormRow(kind=kind, title=title, body=body, version=version)
        audit.created(
            db,
            session,
            row,
            entity="consent_form",
            summary=f"Consent form '{title}' version {version} published",
            changes={"title": [None, title], "version": [None, version]},
        )
        return _consent_form(row)


def consent_forms(db: Database, *, include_retired: bool = False) -> list[ConsentForm]:
    with db.read() as session:
        query = select(ConsentFormRow).order_by(ConsentFormRow.kind, ConsentFormRow.version.desc())
        if not include_retired:
            query = query.where(ConsentFormRow.retired.is_(False))
        return [_consent_form(r) for r in session.scalars(query)]


def sign_consent(db: Database, client_id: int, signature: ConsentSignature) -> Consent:
    signer = single_line(signature.signer_name)
    guardian = single_line(signature.guardian_name)
    areas = sorted({single_line(area) for area in signature.sensitive_areas} - {""})
    signed_at = signature.signed_at or datetime.now(UTC)
    errors = moment_errors("signed_at", signed_at, date.today(), what="The signing time")
    if not errors and signed_at > datetime.now(UTC):
        errors["signed_at"] = "The signing time is in the future."
    if not signer:
        errors["signer_name"] = "Enter the name of the person signing."
    if errors.get("signed_at"):
        raise ValidationError(errors)
    with db.transaction() as session:
        client = get_or_raise(session, ClientTable, client_id, "client")
        form = get_or_raise(session, ConsentFormRow, signature.form_id, "consent form")
        if form.retired:
            errors["form_id"] = "This consent form has been replaced by a newer version."
        age = _client(client).age_on(signed_at.date())
        if age is not None and age < ADULT_AGE and not guardian:
            errors["guardian_name"] = (
                f"The client is {age}: a parent or guardian must sign for a minor."
            )
        if form.kind == "sensitive" and not areas:
            errors["sensitive_areas"] = "Tick the sensitive areas this consent covers."
        if errors:
            raise ValidationError(errors)
        row = ConsentRow(
            client_id=client_id,
            form_id=form.id,
            signed_at=signed_at,
            signer_name=signer,
            guardian_name=guardian,
            guardian_relation=single_line(signature.guardian_relation),
            sensitive_areas=areas,
            recorded_by=db.actor,
        )
        session.add(row)
        session.flush()
        audit.log(
            db,
            session,
            action="sign",
            entity="consent",
            entity_id=row.id,
            client_id=client_id,
            summary=f"Consent '{form.title}' v{form.version} signed",
            changes={
                "signer_name": [None, signer],
                "form_id": [None, form.id],
                "sensitive_areas": [None, areas],
            },
        )
        return _consent(row)


def withdraw_consent(db: Database, consent_id: int, reason: str) -> Consent:
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": "Say why consent was withdrawn (the client's words)."})
    with db.transaction() as session:
        row = get_or_raise(session, ConsentRow, consent_id, "consent")
        if row.withdrawn_at is not None:
            raise ValidationError({"reason": "This consent was already withdrawn."})
        row.withdrawn_at = datetime.now(UTC)
        row.withdrawn_reason = reason
        audit.log(
            db,
            session,
            action="withdraw",
            entity="consent",
            entity_id=row.id,
            client_id=row.client_id,
            summary="Consent withdrawn",
            changes={"withdrawn_reason": [None, reason]},
        )
        return _consent(row)


def has_current_consent(db: Database, client_id: int, day: date) -> bool:
    """Whether a general treatment consent signed on or before `day` is in force (not withdrawn
    by then). Missing consent is never assumed."""
    end_of_day = datetime.combine(day + timedelta(days=1), time.min).astimezone(UTC)
    query = (
        select(ConsentRow.id)
        .join(ConsentFormRow, ConsentFormRow.id == ConsentRow.form_id)
        .where(
            ConsentRow.client_id == client_id,
            ConsentFormRow.kind == "general",
            ConsentRow.signed_at < end_of_day,
            (ConsentRow.withdrawn_at.is_(None)) | (ConsentRow.withdrawn_at >= end_of_day),
        )
        .limit(1)
    )
    with db.read() as session:
        return session.scalar(query) is not None


def consents_for(db: Database, client_id: int) -> list[Consent]:
    if not is_id(client_id):
        return []
    with db.read() as session:
        query = (
            select(ConsentRow)
            .where(ConsentRow.client_id == client_id)
            .order_by(ConsentRow.signed_at.desc())
        )
        return [_consent(r) for r in session.scalars(query)]


def _consent_form(row: ConsentFormRow) -> ConsentForm:
    return ConsentForm(
        id=row.id,
        kind=row.kind,
        title=row.title,
        version=row.version,
        body=row.body,
        created_at=row.created_at,
        retired=row.retired,
    )


def _consent(row: ConsentRow) -> Consent:
    return Consent(
        id=row.id,
        client_id=row.client_id,
        form=_consent_form(row.form),
        signed_at=row.signed_at,
        signer_name=row.signer_name,
        guardian_name=row.guardian_name,
        guardian_relation=row.guardian_relation,
        sensitive_areas=tuple(row.sensitive_areas or ()),
        withdrawn_at=row.withdrawn_at,
        withdrawn_reason=row.withdrawn_reason,
        recorded_by=row.recorded_by,
    )
