"""What a write changed, so each view can tell whether it needs to refresh (no Qt here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The kinds of record a write can touch. Views name the kinds they show.
KINDS = frozenset(
    {
        "client",  # identity, contact details, archive
        "intake",
        "consent",
        "visit",  # notes, signing, amendments, treatment log
        "chart",  # body charts and their versions
        "measure",  # outcome measures and the headache diary
        "plan",
        "invoice",
        "payment",
        "document",  # issued documents, prints and exports
        "appointment",
        "settings",  # practice profile, practitioner, billing settings, library
        "backup",
    }
)


@dataclass(frozen=True, slots=True)
class Changes:
    """The kinds of record a write touched and, when it concerned one client, which one.

    `client_id` None with a kind means "any client's" (a setting, or many clients at once).
    """

    kinds: frozenset[str] = frozenset()
    client_id: int | None = None

    def __post_init__(self) -> None:
        unknown = self.kinds - KINDS
        if unknown:
            raise ValueError(f"unknown change kinds: {sorted(unknown)}")

    @classmethod
    def of(cls, *kinds: str, client_id: int | None = None) -> Changes:
        return cls(frozenset(kinds), client_id)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, kinds: Iterable[str], client_id: int | None = None) -> bool:
        """Whether a view of `kinds` (for one client, or all when None) is affected."""
        if not self.kinds & frozenset(kinds):
            return False
        return client_id is None or self.client_id is None or self.client_id == client_id

    def __or__(self, other: Changes) -> Changes:
        client = self.client_id if self.client_id == other.client_id else None
        if not self.kinds:
            client = other.client_id
        elif not other.kinds:
            client = self.client_id
        return Changes(self.kinds | other.kinds, client)


NOTHING = Changes()
