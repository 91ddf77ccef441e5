"""Text helpers shared by search, sorting and validation."""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_ALLOWED = re.compile(r"^[+0-9 ()./\-xext]*$", re.IGNORECASE)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Chloé' -> 'chloe', 'STRASSE' == 'straße'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def is_phone(text: str) -> bool:
    return bool(_PHONE_ALLOWED.match(text)) and 3 <= len(digits(text)) <= 20


def clean(text: str | None) -> str:
    """Strip surrounding whitespace and normalise to NFC so equal names compare equal."""
    return unicodedata.normalize("NFC", (text or "").strip())
