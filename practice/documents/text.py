"""User text made safe for ReportLab Paragraph markup, so it prints exactly as typed."""

from __future__ import annotations

import re
import unicodedata

# Control characters have no printed form, and some of them upset the PDF string encoders.
_DROPPED: dict[int, str | None] = {
    c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c != 0x0A
}
_DROPPED |= {0x09: " ", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"}

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "<br/>"})


def printable(text: str | None) -> str:
    """NFC text with `\n` for every line break, tabs as spaces and no control characters.

    Stray surrogates (from undecodable input) become U+FFFD rather than breaking the PDF.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text.translate(_DROPPED))


def escape(text: str | None) -> str:
    """Paragraph markup for user text: `&`, `<` and `>` print literally, line breaks break lines.

    Characters the embedded fonts lack are not handled here: `fonts.rich()` does that, and is
    what documents call for every user-supplied string.
    """
    return printable(text).translate(_MARKUP)
