"""Tables for visits, SOAP notes, treatment entries, amendments, templates and outcome measures.

A signed visit is locked by SQLite triggers (migration 0003) as well as by the service: its
visit, note and treatment rows can be neither changed nor deleted, and amendments are only
ever added. Trigger points found and acknowledgements are small lists owned by one row and
never queried alone, so they are JSON; everything that is counted or billed has a column.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class VisitRow(Base):
    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_client_id_starts_at", "client_id", "starts_at"),
        # Today's cards: completed visits in a period, and the notes not signed yet.
        Index("ix_visit_status_starts_at", "status", "starts_at"),
        Index("ix_visit_signed_at_status_starts_at", "signed_at", "status", "starts_at"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place_of_service: Mapped[str] = mapped_column(String(2), default="11")
    status: Mapped[str] = mapped_column(String(20), default="completed")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The signature as it read when signed ("Maya Chen, RMT (reg. 12345)"), and who that was.
    signed_by: Mapped[str] = mapped_column(String(120), default="")
    signed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="RESTRICT")
    )
    # What the therapist acknowledged when signing: [{"kind", "text", "by", "at"}] (say, no
    # current consent on file). Written with the signature and locked with it.
    signing_acknowledgements: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )


class SoapNoteRow(Base):
    """The note of one visit. Column names are the field names of `records.SoapNote`."""

    __tablename__ = "soap_note"
    __table_args__ = (
        CheckConstraint("pain_before BETWEEN 0 AND 10", name="pain_before_nrs"),
        CheckConstraint("pain_after BETWEEN 0 AND 10", name="pain_after_nrs"),
        CheckConstraint("tenderness_grade BETWEEN 0 AND 4", name="tenderness_grade_0_iv"),
    )

    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visit.id", ondelete="RESTRICT"), primary_key=True
    )
    # S: subjective
    complaint: Mapped[str] = mapped_column(Text, default="")
    pain_before: Mapped[int | None] = mapped_column(Integer)
    changes_since_last: Mapped[str] = mapped_column(Text, default="")
    sleep: Mapped[str] = mapped_column(Text, default="")
    stress: Mapped[str] = mapped_column(Text, default="")
    medication_changes: Mapped[str] = mapped_column(Text, default="")
    goals_today: Mapped[str] = mapped_column(Text, default="")
    # O: objective (the body chart links to the visit through body_chart.visit_id)
    posture: Mapped[str] = mapped_column(Text, default="")
    tone: Mapped[str] = mapped_column(Text, default="")
    texture: Mapped[str] = mapped_column(Text, default="")
    taut_bands: Mapped[str] = mapped_column(Text, default="")
    tenderness_grade: Mapped[int | None] = mapped_column(Integer)
    trigger_points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    range_of_motion: Mapped[str] = mapped_column(Text, default="")
    # A: assessment
    response: Mapped[str] = mapped_column(Text, default="")
    pain_after: Mapped[int | None] = mapped_column(Integer)
    released: Mapped[str] = mapped_column(Text, default="")
    not_released: Mapped[str] = mapped_column(Text, default="")
    # P: plan
    next_focus: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(120), default="")
    home_care: Mapped[str] = mapped_column(Text, default="")
    referrals: Mapped[str] = mapped_column(Text, default="")
    re_evaluation_on: Mapped[date | None] = mapped_column(Date)
    # Unvalidated editor state written every few seconds; the columns above stay as last saved.
    autosave: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    autosaved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Grows with every save: a save made from an older version is refused (store.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class TreatmentEntryRow(Base):
    __tablename__ = "treatment_entry"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("pressure BETWEEN 1 AND 5", name="pressure_1_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)  # order within the note
    technique_code: Mapped[str] = mapped_column(String(40))
    technique_name: Mapped[str] = mapped_column(String(120))  # as named on the day
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  # body map atlas codes
    minutes: Mapped[int] = mapped_column(Integer)
    pressure: Mapped[int] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    deep: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{"alert", "level", "title", "by", "at"}]: alerts the therapist chose to work despite.
    acknowledgements: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class AmendmentRow(Base):
    """A dated correction of a signed note. Never changed or deleted (see the triggers)."""

    __tablename__ = "amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(120))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioner.id", ondelete="RESTRICT")
    )
    reason: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class VisitTemplateRow(Base):
    __tablename__ = "visit_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # text.name_key(name): 'Étirements' and 'ÉTIREMENTS' are one template (None: a duplicate
    # from before migration 0008, until it is renamed).
    name_key: Mapped[str | None] = mapped_column(String(400), index=True, unique=True)
    structure: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"note": {...}, "treatments": []}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MeasureDefinitionRow(Base):
    """A measure the therapist defines; the published ones live in `measures.py`."""

    __tablename__ = "measure_definition"
    __table_args__ = (CheckConstraint("max_value > min_value", name="range_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_key: Mapped[str | None] = mapped_column(String(400), index=True, unique=True)
    unit: Mapped[str] = mapped_column(String(40), default="")
    min_value: Mapped[float] = mapped_column(Float)
    max_value: Mapped[float] = mapped_column(Float)
    higher_is_better: Mapped[bool] = mapped_column(Boolean)
    mcid: Mapped[float | None] = mapped_column(Float)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeasureValueRow(Base):
    """One score: a PSFS activity (item = the activity), a sleep rating or a custom measure."""

    __tablename__ = "measure_value"
    __table_args__ = (
        Index("ix_measure_value_client_id_measured_on", "client_id", "measured_on"),
        CheckConstraint(
            "(measure = 'custom') = (custom_measure_id IS NOT NULL)", name="custom_has_definition"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    measure: Mapped[str] = mapped_column(String(40))  # a built-in code, or "custom"
    custom_measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure_definition.id", ondelete="RESTRICT")
    )
    item: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    measured_on: Mapped[date] = mapped_column(Date)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")


class HeadacheEntryRow(Base):
    __tablename__ = "headache_entry"
    __table_args__ = (
        Index("ix_headache_entry_client_id_occurred_on", "client_id", "occurred_on"),
        CheckConstraint("intensity BETWEEN 0 AND 10", name="intensity_nrs"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    occurred_on: Mapped[date] = mapped_column(Date)
    # The visit at which the client reported it, if any; a signed visit locks it.
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="RESTRICT"), index=True
    )
    duration_hours: Mapped[float] = mapped_column(Float)
    intensity: Mapped[int] = mapped_column(Integer)
    medication_taken: Mapped[bool] = mapped_column(Boolean, default=False)
    medication: Mapped[str] = mapped_column(Text, default="")  # what and how much
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
