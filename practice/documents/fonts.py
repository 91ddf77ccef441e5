"""The fonts of every Fascia document: embedded Noto Sans plus CJK fonts that need no embedding.

Noto Sans (resources/fonts/, SIL OFL) covers Latin with its accents, Greek and Cyrillic and is
embedded, subset, in each PDF, so a document looks the same on every computer.

Korean, Japanese and Chinese characters are drawn with ReportLab's built-in CID fonts
(HYGothic-Medium, HeiseiKakuGo-W5, STSong-Light). They are not embedded: every PDF viewer
supplies them (Acrobat's Asian font packs, macOS, poppler with fonts-noto-cjk), and embedding
a CJK font would add megabytes to each page. A name with Hangul uses the Korean font and one
with kana the Japanese font, for its Han characters too; other Han text uses the Chinese font.

Hebrew and Arabic are drawn with Noto Sans Hebrew and Noto Sans Arabic (resources/fonts/, SIL
OFL), embedded and subset, in the order they are seen and with Arabic letters joined (see
`rtl`); they have no bold or italic face, so they print in their regular face throughout.

Emoji and other symbols (up to Unicode 9) are drawn in black and white with Symbola
(resources/fonts/Symbola.ttf, George Douros, "free for any use"), embedded and subset like
Noto Sans, so a 🌻 in a name prints and reads back from the PDF. A skin-tone modifier after an
emoji is left out (the glyph has no colour to change). Symbola is read the first time a text
needs it (`_symbol_coverage`): parsed, it holds about 7 MiB that most sessions never use.

Anything else no font covers (Devanagari, Thai, emoji newer than Unicode 9 ...) prints as
U+FFFD, a visible replacement mark, so the reader sees that something was there: nothing is
dropped silently and nothing crashes. One placeholder stands for a whole emoji sequence
(skin tones, ZWJ families). Invisible format characters (joiners, variation selectors) are
dropped.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from itertools import groupby
from operator import itemgetter

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from practice.documents import rtl
from practice.documents.text import escape, printable
from practice.paths import resource

FAMILY = "FasciaSans"
REGULAR = FAMILY
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

KOREAN = "HYGothic-Medium"
JAPANESE = "HeiseiKakuGo-W5"
CHINESE = "STSong-Light"  # MSung-Light (traditional) is paired with the wrong CMap in ReportLab

SYMBOLS = "FasciaSymbols"
HEBREW = "FasciaHebrew"
ARABIC = "FasciaArabic"
_SHAPED = frozenset({HEBREW, ARABIC})  # fonts HarfBuzz shapes (see `rtl`)

PLACEHOLDER = "\ufffd"

_FACES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    ITALIC: "NotoSans-Italic.ttf",
    BOLD_ITALIC: "NotoSans-BoldItalic.ttf",
}

# Unicode blocks sent to the CID fonts. Only the Basic Multilingual Plane: the UCS-2 CMaps
# cannot address anything beyond it.
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_HAN = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK punctuation
    (0x3100, 0x312F),  # bopomofo
    (0x31A0, 0x31BF),
    (0x3200, 0x33FF),  # enclosed and compatibility forms
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms
)

_ZWJ = "\u200d"
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)

_CACHED_LENGTH = 200  # longer text (notes) is rarely printed twice: not worth remembering

_lock = threading.Lock()
_covered: frozenset[int] = frozenset()
_symbols: frozenset[int] | None = None  # Symbola's characters, once it is registered
_scripts: tuple[tuple[str, frozenset[int]], ...] = ()  # Hebrew and Arabic, with what they cover


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, saying which text each character of a subset stands for.

    Characters beyond U+FFFF are written as UTF-16 surrogate pairs as the PDF reference asks
    (ReportLab writes five hex digits, which text extraction cannot read, so an emoji would not
    copy or search), and the glyphs of shaped Arabic map back to the letters typed."""
    face = fontname.split("+", 1)[-1]
    cmap = ttfonts.makeToUnicodeCMap.__wrapped__(fontname, [])  # type: ignore[attr-defined]
    head, tail = cmap.split("0 beginbfchar\n")
    lines = [
        f"<{index:02X}> <{rtl.to_unicode(face, code).encode('utf-16-be').hex().upper()}>"
        for index, code in enumerate(subset)
    ]
    head = head.replace("<00> <-1>", f"<00> <{len(subset) - 1:02X}>")
    return head + f"{len(subset)} beginbfchar\n" + "\n".join(lines) + "\n" + tail


def register_fonts() -> None:
    """Register FasciaSans and the CID fallbacks with ReportLab; safe to call again."""
    global _covered, _scripts
    if _covered:  # registered already: set last, so every font is in place once it is
        return
    with _lock:
        if _covered:
            return
        if not hasattr(ttfonts.makeToUnicodeCMap, "__wrapped__"):
            _to_unicode_cmap.__wrapped__ = ttfonts.makeToUnicodeCMap  # type: ignore[attr-defined]
            ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        for name, filename in _FACES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        for name in (KOREAN, JAPANESE, CHINESE):
            _register_single_face(UnicodeCIDFont(name))
        scripts = []
        for name, filename in (
            (HEBREW, "NotoSansHebrew-Regular.ttf"),
            (ARABIC, "NotoSansArabic-Regular.ttf"),
        ):
            font = TTFont(name, str(resource("fonts", filename)))
            _register_single_face(font)
            scripts.append((name, frozenset(font.face.charToGlyph)))
        _scripts = tuple(scripts)
        face = pdfmetrics.getFont(REGULAR).face
        _covered = frozenset(face.charToGlyph) | {ord("\n")}


def _register_single_face(font: TTFont | UnicodeCIDFont) -> None:
    """Register a font that has one face: its bold and italic map to it, so <b> or <i>
    around a name in that script still prints (in the regular face)."""
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(font.fontName, bold, italic, font.fontName)


def _symbol_coverage() -> frozenset[int]:
    """What Symbola draws, registering it the first time a character needs it: its 3 MB are
    about 7 MiB once parsed, which a session printing no emoji or symbol never spends."""
    global _symbols
    if _symbols is None:
        with _lock:
            if _symbols is None:
                symbols = TTFont(SYMBOLS, str(resource("fonts", "Symbola.ttf")))
                _register_single_face(symbols)
                _symbols = frozenset(symbols.face.charToGlyph) - frozenset(_EMOJI_MODIFIERS)
    return _symbols


def font_runs(text: str | None, rtl_paragraph: bool | None = None) -> list[tuple[str, str]]:
    """Split user text into (font name, text) runs, each drawable by its font, in the order
    they are seen on each line: right-to-left text reordered and Arabic joined (see `rtl`).

    `REGULAR` runs are meant for whichever FasciaSans face is current (all four faces cover
    the same characters). Characters no font covers come back as `PLACEHOLDER`. A line reads
    right to left if it has only right-to-left letters, unless `rtl_paragraph` says it belongs
    to a paragraph that reads right to left (True) or left to right (False).
    """
    register_fonts()
    text = text or ""
    if len(text) <= _CACHED_LENGTH:
        return list(_runs(text, rtl_paragraph))
    return list(_runs.__wrapped__(text, rtl_paragraph))


@functools.lru_cache(maxsize=8192)
def _runs(text: str, rtl_paragraph: bool | None = None) -> tuple[tuple[str, str], ...]:
    """`font_runs`, remembered: documents print the same labels, names and dates again and
    again. A pure function of the text once the fonts are registered; lru_cache is safe to
    share between threads."""
    runs = _logical_runs(text)
    if not rtl.has_rtl(text):
        return tuple(runs)
    seen: list[tuple[str, str]] = []
    for line in _lines(runs):
        if seen:
            seen.append((REGULAR, "\n"))
        seen += rtl.visual(line, _SHAPED, rtl_paragraph)
    return tuple(
        (font, "".join(run for _, run in group)) for font, group in groupby(seen, itemgetter(0))
    )


def _lines(runs: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Runs cut at line breaks: each line is reordered on its own."""
    lines: list[list[tuple[str, str]]] = [[]]
    for font, run in runs:
        for index, part in enumerate(run.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((font, part))
    return lines


def _logical_runs(text: str) -> list[tuple[str, str]]:
    """The runs in the order the text is stored."""
    text = printable(text)
    if text.isascii():  # every printable ASCII character is in Noto Sans
        return [(REGULAR, text)] if text else []
    cjk = _cjk_font(text)
    fonts: list[str] = []
    chars: list[list[str]] = []  # each run's characters, joined once at the end
    after_placeholder = joined = False
    for ch in text:
        if _is_variation_selector(ch):
            continue  # they pick a glyph style; neither font draws one
        if (ord(ch) in _EMOJI_MODIFIERS or ch == _ZWJ) and fonts and fonts[-1] == SYMBOLS:
            continue  # a skin tone or a joiner inside an emoji sequence: the glyphs say enough
        if after_placeholder and _is_invisible(ch):
            joined = ch == _ZWJ
            continue
        font = _font_for(ch, cjk)
        if font is None:
            if _is_invisible(ch):
                continue
            if after_placeholder and (joined or _is_modifier(ch)):
                joined = False
                continue
            font, ch = REGULAR, PLACEHOLDER
            after_placeholder = True
        else:
            after_placeholder = False
        joined = False
        if fonts and fonts[-1] == font:
            chars[-1].append(ch)
        else:
            fonts.append(font)
            chars.append([ch])
    return [(font, "".join(run)) for font, run in zip(fonts, chars, strict=True)]


def rich(text: str | None) -> str:
    """Paragraph markup that prints user text literally, switching font where FasciaSans can't.

    Use it for every user-supplied string that goes into a Paragraph.
    """
    register_fonts()
    text = text or ""
    return _rich(text) if len(text) <= _CACHED_LENGTH else _rich.__wrapped__(text)


@functools.lru_cache(maxsize=8192)
def _rich(text: str) -> str:
    return "".join(
        escape(run) if font == REGULAR else f'<font name="{font}">{escape(run)}</font>'
        for font, run in font_runs(text)
    )


def _font_for(ch: str, cjk: str) -> str | None:
    code = ord(ch)
    if code in _covered:
        return REGULAR
    if _within(code, _HANGUL):
        return KOREAN
    if _within(code, _KANA):
        return JAPANESE
    if _within(code, _HAN):
        return cjk
    for font, covered in _scripts:
        if code in covered:
            return font
    if code in _symbol_coverage():
        return SYMBOLS
    return None


def _cjk_font(text: str) -> str:
    """The font for Han characters, judged from the rest of the string."""
    codes = [ord(ch) for ch in text if ord(ch) >= 0x1100]
    if any(_within(code, _HANGUL) for code in codes):
        return KOREAN
    if any(_within(code, _KANA) for code in codes):
        return JAPANESE
    return CHINESE


def _within(code: int, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in blocks)


def _is_invisible(ch: str) -> bool:
    """Format characters and variation selectors: they change how a glyph looks, not what it is."""
    code = ord(ch)
    return (
        unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
    )


def _is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_modifier(ch: str) -> bool:
    """Marks and emoji modifiers, which belong to the character before them."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ord(ch) in _EMOJI_MODIFIERS
