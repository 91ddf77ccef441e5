"""The body chart table: a chart is stored as data (regions, points, strokes), not a picture.

Every row is one version of a chart and is never changed or deleted (triggers of migration
0008): editing a chart adds a row that `supersedes` the one edited, so a comparison made
against an earlier drawing keeps showing that drawing. A chart bound to a signed visit takes
no new version at all (migration 0003).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from practice.store.base import Base, UTCDateTime, utcnow


class BodyChartRow(Base):
    __tablename__ = "body_chart"
    # A version is superseded at most once: the history of a chart is a line, never a fork.
    __table_args__ = (Index("ix_body_chart_supersedes_id", "supersedes_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"), index=True)
    # Set once visits exist; a chart can also stand alone or be the intake baseline.
    visit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    charted_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(20), default="chart")
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The version this one replaced (None for a chart's first drawing).
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("body_chart.id", ondelete="RESTRICT")
    )
    # Metrics kept beside the data so lists and trends need not re-measure every chart.
    extent_percent: Mapped[float] = mapped_column(Float, default=0.0)
    region_count: Mapped[int] = mapped_column(Integer, default=0)
    wpi: Mapped[int] = mapped_column(Integer, default=0)
    max_intensity: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
