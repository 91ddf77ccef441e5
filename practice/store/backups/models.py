"""The backup settings table: one row, the therapist's choices (migration 0011)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class BackupSettingsRow(Base):
    """Where the second copy of each backup goes and how often a practice in use is backed up."""

    __tablename__ = "backup_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    second_folder: Mapped[str] = mapped_column(Text, default="")
    second_folder_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    every_minutes: Mapped[int] = mapped_column(Integer, default=30)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
