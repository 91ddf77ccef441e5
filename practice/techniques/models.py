"""The technique table: the starter techniques and the therapist's own, never deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class TechniqueRow(Base):
    __tablename__ = "technique"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # text.name_key(name); None for a duplicate name from before migration 0008.
    name_key: Mapped[str | None] = mapped_column(String(400), index=True, unique=True)
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    deep: Mapped[bool] = mapped_column(Boolean, default=False)
    point_pressure: Mapped[bool] = mapped_column(Boolean, default=False)
    default_cpt: Mapped[str] = mapped_column(String(5))
    built_in: Mapped[bool] = mapped_column(Boolean, default=False)  # from the starter list
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
