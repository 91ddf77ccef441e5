"""The issued document table: physician summaries and printouts as handed over, never changed.

Each row keeps the content it was made from (JSON) and the exact PDF bytes with their SHA-256,
so a reprint is the same file. Migration 0006 adds triggers that refuse any UPDATE or DELETE.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class IssuedDocumentRow(Base):
    __tablename__ = "issued_document"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="sha256_hex"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_plan.id", ondelete="RESTRICT")
    )
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(120))
    physician_name: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
