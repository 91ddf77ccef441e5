"""Tables for clients, physicians, intakes, consent and the practice profile."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practice.store.base import Base, UTCDateTime, utcnow


class PracticeProfileRow(Base):
    __tablename__ = "practice_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_name: Mapped[str] = mapped_column(String(200), default="")
    therapist_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(120), default="")
    registration_number: Mapped[str] = mapped_column(String(60), default="")
    npi: Mapped[str] = mapped_column(String(20), default="")
    tax_id: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    locale: Mapped[str] = mapped_column(String(20), default="en_US")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PhysicianRow(Base):
    __tablename__ = "physician"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    clinic: Mapped[str] = mapped_column(String(200), default="")
    specialty: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    fax: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    licence_number: Mapped[str] = mapped_column(String(60), default="")
    npi: Mapped[str] = mapped_column(String(20), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClientRow(Base):
    __tablename__ = "client"
    # The list's own index: walked in list order, it answers a page of a search (LIMIT) and its
    # count without reading the table (it covers the archived flag and the search text).
    __table_args__ = (Index("ix_client_list", "sort_key", "id", "archived", "search_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200), default="")
    preferred_name: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    pronouns: Mapped[str] = mapped_column(String(40), default="")
    sex: Mapped[str] = mapped_column(String(20), default="")
    phone_mobile: Mapped[str] = mapped_column(String(40), default="")
    phone_other: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    occupation: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact_phone: Mapped[str] = mapped_column(String(40), default="")
    emergency_contact_relation: Mapped[str] = mapped_column(String(60), default="")
    referral_source: Mapped[str] = mapped_column(String(200), default="")
    found_us: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    physician_id: Mapped[int | None] = mapped_column(
        ForeignKey("physician.id", ondelete="RESTRICT"), index=True
    )
    archived: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # Case- and accent-folded names, phone digits and email, kept for search-as-you-type.
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Grows with every save: a save made from an older version is refused (store.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    physician: Mapped[PhysicianRow | None] = relationship()


class IntakeRow(Base):
    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    conditions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    medications: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    allergies: Mapped[str] = mapped_column(Text, default="")
    oil_or_scent_allergy: Mapped[bool] = mapped_column(Boolean, default=False)
    surgeries: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    pregnancy_weeks: Mapped[int | None] = mapped_column(Integer)
    high_risk_pregnancy: Mapped[bool] = mapped_column(Boolean, default=False)
    implants: Mapped[str] = mapped_column(Text, default="")
    cancer_status: Mapped[str] = mapped_column(String(40), default="none")
    cancer_details: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    focus_areas: Mapped[str] = mapped_column(Text, default="")
    areas_to_avoid: Mapped[str] = mapped_column(Text, default="")
    pressure_preference: Mapped[str] = mapped_column(String(20), default="medium")
    positions_not_tolerated: Mapped[str] = mapped_column(Text, default="")
    other_notes: Mapped[str] = mapped_column(Text, default="")


class ConsentFormRow(Base):
    """A version of a consent text. Versions are never edited once a client has signed one."""

    __tablename__ = "consent_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="general")
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class ConsentRow(Base):
    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("consent_form.id", ondelete="RESTRICT"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signer_name: Mapped[str] = mapped_column(String(200))
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_relation: Mapped[str] = mapped_column(String(60), default="")
    sensitive_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(120), default="")

    form: Mapped[ConsentFormRow] = relationship()
