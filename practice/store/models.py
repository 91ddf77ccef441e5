"""Imports every feature's tables so Base.metadata (and Alembic) sees the whole schema."""

from practice.clients import models as clients_models
from practice.store import audit

__all__ = ["audit", "clients_models"]
