"""The seal table: one row per sealed record state, each chained to the one before."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class Seal(Base):
    """A record as it was when it became final: what it is, its content hash and the chain.

    `chain` is an HMAC over the previous seal's chain and this row, so a seal cannot be
    changed, removed or inserted in the middle without every later chain value disagreeing.
    """

    __tablename__ = "seal"
    __table_args__ = (Index("ix_seal_kind_entity_id", "kind", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    chain: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
