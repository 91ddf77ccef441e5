"""Text helpers shared by search, sorting and validation.

Every service cleans what a person typed with `clean` (text that may run over several lines:
notes, addresses) or `single_line` (names, titles, codes, references) before it validates or
stores it, and compares names by `name_key`. Both drop what a person cannot see or did not mean
to type: control characters (NUL, escape, the C1 block), zero-width spaces and stray joiners,
bidirectional overrides that make text read differently from how it is stored, soft hyphens,
byte order marks, Hangul filler "blank" letters and code points that are not characters at all.
They keep what writing needs: the zero-width joiner and non-joiner between two letters or
symbols (Persian, Indic scripts, emoji families), flag tag sequences, variation selectors.
"""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_ALLOWED = re.compile(r"^[+0-9 ()./\-xext]*$", re.IGNORECASE)

# Line breaks of every kind become "\n" in multi-line text.
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
# Invisible or meaningless code points, dropped from all text. Visible format characters
# (Arabic number signs, Egyptian hieroglyph controls) are left alone.
_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"  # C0 and C1 controls but tab and line breaks
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers: letters that print as nothing
    "\ud800-\udfff"  # lone surrogates cannot even be stored as UTF-8
    f"{_NONCHARACTERS}]"
)
# Tag characters are kept only inside a flag sequence (England: black flag, g b e n g, cancel).
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[\U000e0000-\U000e0fff]")
# A joiner is needed only between two visible characters, and once.
_STRAY_JOINER = re.compile("(?<!\\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\\S)")
_JOINER_RUN = re.compile("([\u200c\u200d])[\u200c\u200d]+")


def visible(text: str, *, multiline: bool = True) -> str:
    """`text` without control and invisible characters; tabs and "\n" stay when `multiline`."""
    if text.isascii() and text.isprintable():
        return text  # no control, invisible or line-break character: most text, at once
    text = _LINE_BREAK.sub("\n", text)
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    text = _INVISIBLE.sub("", text)
    if text and max(text) >= "\U000e0000":
        text = _TAGS.sub(_flag_or_nothing, text)
    if "\u200c" in text or "\u200d" in text:
        text = _JOINER_RUN.sub(r"\1", _STRAY_JOINER.sub("", text))
    return text


def _flag_or_nothing(match: re.Match[str]) -> str:
    return match.group(1) or ""


def clean(text: str | None) -> str:
    """Text that may hold several lines (a note, an address), ready to validate and store.

    Surrounding whitespace is stripped, line breaks become "\n", invisible characters go (see
    the module docstring) and the text is normalised to NFC, so equal texts compare equal.
    """
    return unicodedata.normalize("NFC", visible(text or "")).strip()


def single_line(text: str | None) -> str:
    """A name, title, code or reference: `clean`, with every run of whitespace one space."""
    return " ".join(unicodedata.normalize("NFC", visible(text or "", multiline=False)).split())


def name_key(text: str | None) -> str:
    """The form two names are compared in: 'Étirements' and 'ÉTIREMENTS  ' are one name.

    Unicode case folding over the compatibility form (NFKC), as the Unicode standard defines
    caseless matching, so 'Straße' equals 'STRASSE' and a full-width 'Ａ' equals 'a'. Accents
    are kept: in many scripts a mark makes a different word.
    """
    folded = unicodedata.normalize("NFKC", single_line(text)).casefold()
    # NFKC may bring spaces of its own: the diaeresis '¨' is a space and a combining mark.
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search: 'Chloé' -> 'chloe', 'STRASSE' == 'straße'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def is_phone(text: str) -> bool:
    return bool(_PHONE_ALLOWED.match(text)) and 3 <= len(digits(text)) <= 20
