"""User text on paper: one line drawn straight onto the canvas, or a block of lines.

`TextBlock` breaks text into lines once, puts each line in the order it is seen (right-to-left
scripts reordered, Arabic joined: see `fonts.font_runs`) and splits between any two lines, so
text of any length runs across as many pages as it needs in time linear in its length (a
Paragraph breaks all of its remaining text again at every page, which takes quadratic time).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from practice.documents import rtl
from practice.documents.fonts import REGULAR, font_runs, register_fonts, rich
from practice.documents.text import printable

# Characters ReportLab's Paragraph treats as spaces between words (paragraph._wsc), and the
# soft hyphen it may break at: text with any of them, other than single spaces between words,
# is left to a TextBlock, which breaks and spaces it as a Paragraph would.
_PARAGRAPH_SPACES = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\xad\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000"
)


_MEASURED_LENGTH = 200  # longer text (a note) is not worth remembering
_ONE_LINE_AT_MOST = 500  # characters: a page is narrower than any longer line of text
_Piece: TypeAlias = tuple[str, float, colors.Color, str, float]  # face, size, colour, text, width


@functools.lru_cache(maxsize=4096)
def _measure(
    value: str,
    face: str,
    size: float,
    colour: colors.Color,
    aside: tuple[str, float, colors.Color] | None,
) -> tuple[tuple[_Piece, ...], float, bool]:
    """A Line's pieces (one per font), its width, and whether its spacing is one a Paragraph
    would print unchanged. Tables repeat the same dates, labels and amounts; this is a pure
    function of its arguments (the fonts are registered) and lru_cache is thread-safe."""

    def font_of(font: str) -> str:
        return face if font == REGULAR else font  # CJK and symbol runs keep their font

    pieces = [(font_of(font), size, colour, run) for font, run in font_runs(value)]
    if aside is not None:
        text, aside_size, aside_colour = aside
        pieces.append((face, size, colour, " "))
        pieces += [(font_of(font), aside_size, aside_colour, run) for font, run in font_runs(text)]
    measured = tuple((*piece, stringWidth(piece[3], piece[0], piece[1])) for piece in pieces)
    shown = "".join(piece[3] for piece in measured)
    simple = not (
        shown.startswith(" ")
        or shown.endswith(" ")
        or "  " in shown
        or not _PARAGRAPH_SPACES.isdisjoint(shown)
    )
    return measured, sum(piece[4] for piece in measured), simple


class Line(Flowable):
    """One line of user text in a table cell, drawn straight onto the canvas.

    Most cells are one short line, so this draws them directly (switching to the CJK, Hebrew,
    Arabic and symbol fonts where needed) and looks exactly like a one-line Paragraph in the
    same style. Text too wide for its cell, on several lines, or spaced in a way a Paragraph
    would change, becomes a `TextBlock` (a Paragraph, for a line with an aside), which can
    also split across pages.

    `aside` (text, size, colour) follows the text after a space in a smaller or paler print,
    as `text <font color=... size=...>aside</font>` would in a Paragraph.
    """

    def __init__(
        self,
        value: str | None,
        style: ParagraphStyle,
        *,
        aside: tuple[str, float, colors.Color] | None = None,
    ) -> None:
        super().__init__()
        self.style = style
        self.value = value or ""
        self.aside = aside
        register_fonts()
        if len(self.value) > _ONE_LINE_AT_MOST:  # no cell is wide enough: a TextBlock
            self._pieces, self._width, simple_text = (), float("inf"), False
        else:
            measure = _measure if len(self.value) <= _MEASURED_LENGTH else _measure.__wrapped__
            self._pieces, self._width, simple_text = measure(
                self.value, style.fontName, style.fontSize, style.textColor, aside
            )
        self._simple = simple_text and not (
            style.alignment not in (TA_LEFT, TA_RIGHT)
            or style.leftIndent
            or style.rightIndent
            or style.firstLineIndent
            or style.backColor
            or style.borderWidth
        )
        self._block: Flowable | None = None
        self._wrapped: Flowable | None = None  # the block, when it draws this line

    def _markup(self) -> str:
        markup = rich(self.value)
        if self.aside is not None:
            text, size, colour = self.aside
            hexa = colour.hexval().replace("0x", "#")
            markup += f' <font color="{hexa}" size="{size:g}">{rich(text)}</font>'
        return markup

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._simple or self._width > avail_width + 0.01:
            if self._block is None:
                self._block = (
                    TextBlock(self.value, self.style)
                    if self.aside is None
                    else Paragraph(self._markup(), self.style)
                )
            self._wrapped = self._block
            self.width, self.height = self._wrapped.wrap(avail_width, avail_height)
            return self.width, self.height
        self._wrapped = None
        self.width = avail_width
        # an empty Paragraph has no lines
        self.height = self.style.leading if self._pieces else 0
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self._wrapped.split(avail_width, avail_height) if self._wrapped else []

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if self._wrapped is not None:
            self._wrapped.drawOn(canvas, x, y, _sW)
            return
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        self.draw_at(self.canv, 0.0, 0.0)

    def plain(self, avail_width: float) -> tuple[str, str] | None:
        """(font, text) when the line is one run in one font that fits `avail_width`: a Table
        draws such a cell as a plain string just as this flowable would draw it."""
        if len(self._pieces) != 1 or not self._simple or self._width > avail_width + 0.01:
            return None
        face, _size, _colour, text, _width = self._pieces[0]
        return face, text

    def draw_at(self, canv: Canvas, x: float, y: float) -> None:
        """Draw the line (as last wrapped, unwrapped) with its box's lower left at (x, y)."""
        if not self._pieces:
            return
        style = self.style
        if style.alignment == TA_RIGHT:
            x += self.width - self._width
        baseline = y + self.height - style.fontSize
        # One text object for the whole line, as a Paragraph writes it: a reader copying or
        # extracting the text gets "김민지 · Chloé 🌻" as one line, not one line per font.
        text_object = canv.beginText(x, baseline)
        colour = None
        for face, size, piece_colour, text, _width in self._pieces:
            if piece_colour is not colour:
                text_object.setFillColor(piece_colour)
                colour = piece_colour
            text_object.setFont(face, size)
            text_object.textOut(text)
        canv.drawText(text_object)


# Text between these is one word; a Paragraph breaks lines at them (the soft hyphen too).
_WORD_BREAKS = re.compile("[" + "".join(sorted(_PARAGRAPH_SPACES - {"\n"})) + " ]+")
_FUZZ = 1e-6


@dataclass(frozen=True, slots=True)
class _TextLine:
    text: str  # as typed (logical order)
    pieces: tuple[tuple[str, str], ...]  # (face, text) in the order seen, left to right
    width: float
    breaks_after: bool  # a line break typed after it (not a wrap)


class TextBlock(Flowable):
    """User text in one style, printed literally, broken into lines like a Paragraph and
    split between any two lines across pages or table rows.

    The text is broken once for a width; the parts a split makes share those lines, so a
    note of any length costs time in proportion to its length.
    """

    def __init__(self, text: str | None, style: ParagraphStyle) -> None:
        super().__init__()
        register_fonts()
        self.style = style
        self.text = printable(text).strip("\n")
        self._lines: Sequence[_TextLine] = ()
        self._broken_for: float | None = None

    @classmethod
    def _part(cls, whole: TextBlock, lines: Sequence[_TextLine]) -> TextBlock:
        part = cls.__new__(cls)
        Flowable.__init__(part)
        part.style = whole.style
        part.text = "".join(
            line.text + ("\n" if line.breaks_after else " ") for line in lines
        ).rstrip()
        part._lines = lines
        part._broken_for = whole._broken_for
        return part

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._broken_for is None or abs(self._broken_for - availWidth) > _FUZZ:
            self._lines = _break(self.text, self.style, availWidth)
            self._broken_for = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # Split the lines as last wrapped: a Table splitting a row passes the column's width,
        # padding included, though it wrapped the cell (and will draw it) narrower.
        if self._broken_for is None:
            self.wrap(availWidth, availHeight)
        fits = int((availHeight + _FUZZ) // self.style.leading)
        if fits <= 0:
            return []
        if fits >= len(self._lines):  # a table splitting a row asks for the two parts
            return [self, self._part(self, ())]
        return [self._part(self, self._lines[:fits]), self._part(self, self._lines[fits:])]

    def draw(self) -> None:
        style = self.style
        canv = self.canv
        baseline = self.height - style.fontSize
        for line in self._lines:
            x = 0.0
            if style.alignment == TA_RIGHT:
                x = self.width - line.width
            elif style.alignment == TA_CENTER:
                x = (self.width - line.width) / 2
            if line.pieces:
                text_object = canv.beginText(x, baseline)
                text_object.setFillColor(style.textColor)
                for face, run in line.pieces:
                    text_object.setFont(face, style.fontSize)
                    text_object.textOut(run)
                canv.drawText(text_object)
            baseline -= style.leading


def _break(text: str, style: ParagraphStyle, width: float) -> list[_TextLine]:
    """Lines no wider than `width` (a word wider than that is cut between characters)."""
    face, size = style.fontName, style.fontSize
    space = stringWidth(" ", face, size)
    lines: list[_TextLine] = []
    for paragraph in text.split("\n") if text else ():
        direction = rtl.rtl_paragraph(paragraph) if rtl.has_rtl(paragraph) else None
        words: list[str] = []
        used = 0.0
        for word in _WORD_BREAKS.split(paragraph):
            if not word:
                continue
            word_width = _width(word, face, size)
            if words and used + space + word_width > width + _FUZZ:
                lines.append(_line(" ".join(words), face, size, direction, False))
                words, used = [], 0.0
            if word_width > width + _FUZZ:
                *whole, word = _cut(word, face, size, width)
                lines += [_line(part, face, size, direction, False) for part in whole]
                word_width = _width(word, face, size)
            used += (space if words else 0.0) + word_width
            words.append(word)
        lines.append(_line(" ".join(words), face, size, direction, True))
    return lines


def _line(text: str, face: str, size: float, direction: bool | None, last: bool) -> _TextLine:
    pieces = tuple(
        (face if font == REGULAR else font, run) for font, run in font_runs(text, direction) if run
    )
    width = sum(stringWidth(run, font, size) for font, run in pieces)
    return _TextLine(text, pieces, width, last)


@functools.lru_cache(maxsize=16384)
def _width(word: str, face: str, size: float) -> float:
    return sum(
        stringWidth(run, face if font == REGULAR else font, size) for font, run in font_runs(word)
    )


def _cut(word: str, face: str, size: float, width: float) -> list[str]:
    """A word too long for a line in pieces that fit, cut between characters."""
    pieces: list[str] = []
    start, used = 0, 0.0
    for index, ch in enumerate(word):
        advance = _width(ch, face, size)
        if used + advance > width + _FUZZ and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += advance
    pieces.append(word[start:])
    return pieces
