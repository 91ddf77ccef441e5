"""Tables for treatment plans with their diagnoses, goals and techniques.

A plan's end date is stored beside its start and length so lists and visit counts can filter on
it in SQL. Planned techniques are never deleted, only marked removed, so the acknowledgements
given for them stay on record.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class PlanRow(Base):
    """An episode of care: why the client comes, how often, for how long, and its state."""

    __tablename__ = "treatment_plan"
    __table_args__ = (
        CheckConstraint("frequency_count > 0", name="frequency_positive"),
        CheckConstraint("frequency_weeks > 0", name="frequency_period_positive"),
        CheckConstraint("length_weeks > 0", name="length_positive"),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    physician_id: Mapped[int | None] = mapped_column(
        ForeignKey("physician.id", ondelete="RESTRICT")
    )
    referral_date: Mapped[date | None] = mapped_column(Date)
    referral_reason: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    frequency_count: Mapped[int] = mapped_column(Integer)  # visits ...
    frequency_weeks: Mapped[int] = mapped_column(Integer, default=1)  # ... per this many weeks
    length_weeks: Mapped[int] = mapped_column(Integer)
    end_date: Mapped[date] = mapped_column(Date)  # the last day of the plan's length
    reevaluation_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Grows with every save: a save made from an older version is refused (store.versions).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class PlanDiagnosisRow(Base):
    """An ICD-10-CM code of the plan; `position` (1-12) is its diagnosis pointer on a claim."""

    __tablename__ = "plan_diagnosis"
    __table_args__ = (
        UniqueConstraint("plan_id", "code", name="uq_plan_diagnosis_code"),
        UniqueConstraint("plan_id", "position", name="uq_plan_diagnosis_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)  # as the code list worded it when picked


class PlanGoalRow(Base):
    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))  # measurable or functional
    text: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(String(240), default="")  # e.g. pain_before, psfs:<item>
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    status_override: Mapped[str | None] = mapped_column(String(20))  # set by the therapist
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PlannedTechniqueRow(Base):
    __tablename__ = "planned_technique"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("pressure BETWEEN 1 AND 5", name="pressure_1_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    technique_code: Mapped[str] = mapped_column(String(40))
    technique_name: Mapped[str] = mapped_column(String(120))  # as named when planned
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  # body map atlas codes
    muscle: Mapped[str] = mapped_column(String(60), default="")  # trigger point catalogue key
    pressure: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)  # deep or point pressure
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanAcknowledgementRow(Base):
    """A therapist's explicit 'I know about this alert and plan this technique anyway'."""

    __tablename__ = "plan_acknowledgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    planned_technique_id: Mapped[int] = mapped_column(
        ForeignKey("planned_technique.id", ondelete="RESTRICT"), index=True
    )
    alert: Mapped[str] = mapped_column(String(40))  # the contraindication rule code
    level: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text, default="")  # the reason shown when acknowledged
    acknowledged_by: Mapped[str] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanPrecautionRow(Base):
    __tablename__ = "plan_precaution"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    source_alert: Mapped[str] = mapped_column(String(40), default="")  # "" = the therapist's own
    level: Mapped[str] = mapped_column(String(20), default="")  # the alert's level when copied
