"""Right-to-left and joined scripts on paper: one line of text put in the order it is seen.

A PDF draws glyphs left to right. Hebrew and Arabic are stored in the order they are read
(logical order), so each line is reordered with the Unicode bidirectional algorithm
(python-bidi) into the order it is seen, and Arabic is shaped with HarfBuzz (uharfbuzz, as
ReportLab's own shaping does) so its letters join.

The glyphs HarfBuzz picks are written as characters of the font: the Arabic presentation
forms where the font maps them, otherwise private-use characters that ReportLab allocates
(`TTFont.hbAddPrivate`). `to_unicode` maps both back to the letters they stand for, so a
reader copying or extracting the text gets the letters that were typed.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

import uharfbuzz
from bidi import algorithm
from reportlab.pdfbase import pdfmetrics

# Strong right-to-left characters and the explicit controls that start right-to-left text:
# only a line with one of them needs reordering.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067]")
_PRESENTATION_FORMS = ((0xFB1D, 0xFDFF), (0xFE70, 0xFEFC))
_FEATURES = {"kern": True, "liga": True}  # no discretionary ligatures (ﷴ for محمد)

_lock = threading.Lock()
_private: dict[str, dict[int, str]] = {}  # font face name -> private-use character -> text

Run = tuple[str, str]  # font name, text


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def rtl_paragraph(text: str) -> bool:
    """Whether a paragraph reads right to left: it has right-to-left letters and no
    left-to-right ones. Documents read left to right, so a line that mixes the two ("Client:
    محمد علي, DOB 3 May 1980", "שרה כהן · DOB ...") keeps their direction (a higher-level
    protocol, as UAX #9 allows, in place of its rule of the first strong character)."""
    return has_rtl(text) and not any(unicodedata.bidirectional(ch) == "L" for ch in text)


def visual(runs: Sequence[Run], shaped: frozenset[str], rtl: bool | None = None) -> list[Run]:
    """One line's font runs (logical order) in the order they are seen, left to right.

    Runs in a font of `shaped` are shaped with HarfBuzz; other right-to-left runs are simply
    reversed, with mirrored brackets. `rtl` gives the paragraph's direction; by default the
    line's own letters decide (see `rtl_paragraph`).
    """
    text = "".join(run for _, run in runs)
    if not has_rtl(text):
        return list(runs)
    fonts = [font for font, run in runs for _ in run]
    levels = _levels(text, rtl)
    _spaces_join_their_run(text, fonts, levels, shaped)
    pieces: list[Run] = []
    for start, end, level in _visual_spans(levels, fonts):
        font = fonts[start]
        piece = text[start:end]
        odd = level % 2 == 1
        if font in shaped:
            piece = _shape(font, piece, odd)
        elif odd:
            piece = "".join(_mirror(ch) for ch in reversed(piece))
        pieces.append((font, piece))
    return [(font, "".join(p for _, p in group)) for font, group in groupby(pieces, itemgetter(0))]


def _spaces_join_their_run(
    text: str, fonts: list[str], levels: list[int], shaped: frozenset[str]
) -> None:
    """Spaces and punctuation inside right-to-left text take the font of the letters before
    them where it has them, so a run of Hebrew or Arabic words is drawn (and extracted) as one
    string rather than word by word."""
    for index in range(1, len(text)):
        font = fonts[index - 1]
        if (
            levels[index] % 2
            and levels[index - 1] == levels[index]
            and font in shaped
            and fonts[index] not in shaped
            and not text[index].isalnum()
            and ord(text[index]) in pdfmetrics.getFont(font).face.charToGlyph
        ):
            fonts[index] = font


def _levels(text: str, rtl: bool | None) -> list[int]:
    """The embedding level of each character (even: left to right), as UAX #9 resolves them."""
    storage = algorithm.get_empty_storage()
    base = int(rtl_paragraph(text) if rtl is None else rtl)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    levels = [base] * len(text)  # explicit controls (removed by X9) keep the paragraph's level
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    # L1: spaces at the end of the line go back to the paragraph level
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
        levels[end] = base
    return levels


def _visual_spans(levels: list[int], fonts: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, level) of logical slices, in visual order: rule L2 over runs of one level
    and one font (reversing a run keeps its characters together, in logical order)."""
    spans: list[list[int]] = []
    for index, level in enumerate(levels):
        if spans and spans[-1][2] == level and fonts[spans[-1][0]] == fonts[index]:
            spans[-1][1] = index + 1
        else:
            spans.append([index, index + 1, level])
    highest = max(levels)
    lowest_odd = min((level for level in levels if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(spans):
            if spans[i][2] < level:
                i += 1
                continue
            j = i
            while j < len(spans) and spans[j][2] >= level:
                j += 1
            spans[i:j] = reversed(spans[i:j])
            i = j
    return [(start, end, level) for start, end, level in spans]


def _mirror(ch: str) -> str:
    return algorithm.MIRRORED.get(ch, ch) if unicodedata.mirrored(ch) else ch


@functools.lru_cache(maxsize=8192)
def _shape(font_name: str, text: str, rtl: bool) -> str:
    """The glyphs HarfBuzz chooses for `text`, left to right, as characters of the font."""
    font = pdfmetrics.getFont(font_name)
    hb_font = font.hbFont(1000)
    face = font.face
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    uharfbuzz.shape(hb_font, buffer, _FEATURES)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    scale = 1000 / font.hbFace.upem
    glyphs = []
    with _lock:
        for info, position in zip(infos, positions, strict=True):
            source = text[info.cluster : ends[info.cluster]]
            mapped = face.glyphToChar.get(info.codepoint, [])
            if len(source) == 1 and ord(source) in mapped:
                glyphs.append(source)
            elif mapped:
                glyphs.append(chr(mapped[0]))
            else:
                name = hb_font.glyph_to_string(info.codepoint)
                code = font.hbAddPrivate(name, info.codepoint, position.x_advance * scale)
                _private.setdefault(face.name.decode("latin-1"), {}).setdefault(code, source)
                glyphs.append(chr(code))
    return "".join(glyphs)


def to_unicode(face_name: str, code: int) -> str:
    """The text a character drawn in a font stands for: itself, or the letters of a
    presentation form or a private-use glyph of the shaping."""
    if any(low <= code <= high for low, high in _PRESENTATION_FORMS):
        return unicodedata.normalize("NFKC", chr(code)).strip() or chr(code)
    private = _private.get(face_name, {}).get(code)
    return private if private is not None else chr(code)
