"""Tables for the schedule: settings, appointments, recurring series, the waitlist, reminders.

An appointment keeps its start and end in UTC beside the IANA zone it was booked in, so its
wall-clock time can always be shown as booked. Only the states a person sets are stored
(booked, confirmed, arrived, cancelled, no-show); completed, note signed and billed are read
from the visit the appointment became and that visit's invoice (see `records.derive_state`).
Working hours and breaks are a small structure owned by the one settings row, so they are JSON.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class ScheduleSettingsRow(Base):
    """One row: zone, hours, buffer, the fee policy, the calendar folder and the mailbox."""

    __tablename__ = "schedule_settings"
    __table_args__ = (
        CheckConstraint("buffer_minutes BETWEEN 0 AND 240", name="buffer_range"),
        CheckConstraint("late_cancel_percent BETWEEN 0 AND 100", name="late_percent"),
        CheckConstraint("no_show_percent BETWEEN 0 AND 100", name="no_show_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    buffer_minutes: Mapped[int] = mapped_column(Integer)
    # [{"weekday": 0, "start": "09:00", "end": "17:00", "breaks": [["12:00", "13:00"]]}, ...]
    working_hours: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    late_cancel_hours: Mapped[int] = mapped_column(Integer)
    late_cancel_percent: Mapped[int] = mapped_column(Integer)
    no_show_percent: Mapped[int] = mapped_column(Integer)
    waive_first: Mapped[bool] = mapped_column(Boolean)
    calendar_folder: Mapped[str] = mapped_column(Text, default="")
    calendar_full_names: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_hours: Mapped[int] = mapped_column(Integer)
    reminder_subject: Mapped[str] = mapped_column(Text)
    reminder_body: Mapped[str] = mapped_column(Text)
    smtp_host: Mapped[str] = mapped_column(String(255), default="")
    smtp_port: Mapped[int] = mapped_column(Integer, default=587)
    smtp_username: Mapped[str] = mapped_column(String(255), default="")
    smtp_sender: Mapped[str] = mapped_column(String(255), default="")
    send_automatically: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SeriesRow(Base):
    """A recurring booking: an RFC 5545 rule from a local wall-clock first start in a zone."""

    __tablename__ = "appointment_series"
    __table_args__ = (CheckConstraint("duration_minutes > 0", name="duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="RESTRICT")
    )
    rule: Mapped[str] = mapped_column(String(200))  # "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=8"
    first_local: Mapped[str] = mapped_column(String(16))  # "2026-03-10T10:00", wall clock
    time_zone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AppointmentRow(Base):
    __tablename__ = "appointment"
    __table_args__ = (
        Index("ix_appointment_starts_at", "starts_at"),
        Index("ix_appointment_client_id_starts_at", "client_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "status IN ('booked', 'confirmed', 'arrived', 'cancelled', 'no_show')",
            name="status_known",
        ),
        CheckConstraint("fee_cents IS NULL OR fee_cents >= 0", name="fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_zone: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(12), default="booked")
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_series.id", ondelete="RESTRICT"), index=True
    )
    occurrence: Mapped[str | None] = mapped_column(String(16))  # the rule's local start
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit.id", ondelete="RESTRICT"), unique=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")  # practical notes, never clinical
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    late_cancel: Mapped[bool] = mapped_column(Boolean, default=False)
    # The fee decided by the policy for a late cancellation or no-show: None when none
    # applies, 0 when waived; and the invoice that charged it.
    fee_cents: Mapped[int | None] = mapped_column(Integer)
    fee_note: Mapped[str] = mapped_column(Text, default="")
    fee_invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice.id", ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class WaitlistRow(Base):
    """A client who wants an earlier or a regular slot of some length."""

    __tablename__ = "waitlist_entry"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("weekdays BETWEEN 0 AND 127", name="weekday_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    wants: Mapped[str] = mapped_column(String(10))  # "earlier" or "regular"
    duration_minutes: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    weekdays: Mapped[int] = mapped_column(Integer, default=0)  # bit 0 = Monday; 0 = any day
    earliest: Mapped[time | None] = mapped_column(Time)  # local wall clock
    latest: Mapped[time | None] = mapped_column(Time)  # the latest the appointment may end
    notes: Mapped[str] = mapped_column(Text, default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(120), default="")


class ReminderRow(Base):
    """A reminder for one appointment time: an email to send or a call to make.

    `status` runs queued -> sending -> sent. A row left in `sending` means the mail may have
    gone out (a crash or a dropped connection after the message was handed over), so it is
    never sent again without a person deciding; its `message_id` was fixed before the first
    attempt, so a resend carries the same Message-ID and is recognisable as the same mail.
    """

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("appointment_id", "for_starts_at", "channel", name="uq_reminder_once"),
        Index("ix_reminder_status_due_at", "status", "due_at"),
        CheckConstraint("channel IN ('email', 'call')", name="channel_known"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'dropped')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id", ondelete="RESTRICT"))
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    channel: Mapped[str] = mapped_column(String(5))
    for_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the time it reminds of
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    to_address: Mapped[str] = mapped_column(String(200))  # an email address or a phone number
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str | None] = mapped_column(String(250), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")  # the server's words
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
