"""User text in PDFs: escaping, font fallback for CJK, placeholders for what no font covers."""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from practice.documents.fonts import (
    ARABIC,
    CHINESE,
    HEBREW,
    JAPANESE,
    KOREAN,
    PLACEHOLDER,
    REGULAR,
    SYMBOLS,
    font_runs,
    register_fonts,
    rich,
)
from practice.documents.rtl import to_unicode
from practice.documents.text import escape, printable


def _style() -> ParagraphStyle:
    register_fonts()
    return ParagraphStyle("test", fontName=REGULAR, fontSize=10, leading=14)


def _printed(markup: str) -> str:
    """The characters a Paragraph will print for some markup, whitespace ignored."""
    paragraph = Paragraph(markup, _style())
    return "".join("".join(frag.text for frag in paragraph.frags).split())


def _draw(markup: str) -> None:
    canvas = Canvas(BytesIO())
    paragraph = Paragraph(markup, _style())
    paragraph.wrapOn(canvas, 300, 800)
    paragraph.drawOn(canvas, 20, 20)
    canvas.save()


def test_markup_characters_are_escaped() -> None:
    assert escape("<b>Smith & Co</b>") == "&lt;b&gt;Smith &amp; Co&lt;/b&gt;"


def test_line_breaks_become_br_tags_whatever_their_style() -> None:
    assert escape("one\ntwo\r\nthree\rfour") == "one<br/>two<br/>three<br/>four"


def test_control_characters_are_dropped_and_tabs_become_spaces() -> None:
    assert printable("a\x00b\x07c\td") == "abc d"


def test_decomposed_accents_are_composed() -> None:
    assert printable("Chloe\u0301") == "Chloé"


def test_none_and_empty_text_escape_to_nothing() -> None:
    assert escape(None) == ""
    assert rich("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escaped_text_prints_exactly_the_characters_typed(text: str) -> None:
    assert _printed(escape(text)) == "".join(printable(text).split())


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_through_rich_draws_without_error(text: str) -> None:
    markup = rich(text)
    _draw(markup)
    expected = "".join(run for _, run in font_runs(text))
    assert _printed(markup) == "".join(expected.split())


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcÉéçñßΑλΩДжЯ김민지陳大文山田はな <>&'\"\n"))
def test_latin_greek_cyrillic_and_cjk_print_without_placeholders(text: str) -> None:
    assert PLACEHOLDER not in "".join(run for _, run in font_runs(text))
    assert _printed(rich(text)) == "".join(printable(text).split())


def test_european_names_stay_in_the_embedded_font() -> None:
    for name in ("Chloé", "Ελένη", "Дмитрий", "O'Brien", "Łukasz Żółć"):
        assert font_runs(name) == [(REGULAR, name)]


def test_hangul_uses_the_korean_font() -> None:
    assert font_runs("김민지") == [(KOREAN, "김민지")]


def test_han_characters_follow_the_script_around_them() -> None:
    assert font_runs("陳大文") == [(CHINESE, "陳大文")]
    assert font_runs("山田はなこ") == [(JAPANESE, "山田はなこ")]
    assert font_runs("李 김") == [(KOREAN, "李"), (REGULAR, " "), (KOREAN, "김")]


def test_mixed_text_switches_font_only_where_needed() -> None:
    assert rich("Dr. 陳 & <Kim>") == 'Dr. <font name="STSong-Light">陳</font> &amp; &lt;Kim&gt;'


def test_emoji_print_in_the_symbol_font() -> None:
    assert font_runs("Loves 🌸 lavender") == [
        (REGULAR, "Loves "),
        (SYMBOLS, "🌸"),
        (REGULAR, " lavender"),
    ]
    assert font_runs("❤️") == [(SYMBOLS, "❤")]  # the variation selector is invisible
    assert font_runs("👍🏽 ok") == [(SYMBOLS, "👍"), (REGULAR, " ok")]  # no colour to tone
    assert font_runs("👨\u200d👩\u200d👧") == [(SYMBOLS, "👨👩👧")]


def test_the_symbol_font_is_read_only_when_a_text_needs_it() -> None:
    """Symbola parsed holds about 7 MiB: a session printing names in every script the other
    fonts cover leaves it unread; the first emoji reads it (in a fresh process: this one may
    have printed one already)."""
    script = (
        "from reportlab.pdfbase import pdfmetrics\n"
        "from practice.documents.fonts import SYMBOLS, font_runs, register_fonts, rich\n"
        "register_fonts()\n"
        "rich('Anna Müller · Ωmega · Жанна · 김민지 · 山田 · שלום · سلام · 1/2 ½')\n"
        "print(SYMBOLS in pdfmetrics.getRegisteredFontNames())\n"
        "runs = font_runs('Loves 🌸')\n"
        "print(runs == [('FasciaSans', 'Loves '), (SYMBOLS, '🌸')])\n"
        "print(SYMBOLS in pdfmetrics.getRegisteredFontNames())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True"]


def test_an_emoji_newer_than_the_symbol_font_is_one_visible_placeholder() -> None:
    assert font_runs("Bea 🥲🏽") == [(REGULAR, f"Bea {PLACEHOLDER}")]


def test_an_emoji_in_a_name_reads_back_from_the_pdf() -> None:
    buffer = BytesIO()
    canvas = Canvas(buffer)
    paragraph = Paragraph(rich("Bea 🌻 O'Brien"), _style())
    paragraph.wrapOn(canvas, 300, 800)
    paragraph.drawOn(canvas, 20, 700)
    canvas.save()
    text = PdfReader(BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert "Bea 🌻 O'Brien" in text


def test_scripts_without_a_font_are_marked_not_dropped() -> None:
    runs = font_runs("Dana สวัสดี")
    assert runs == [(REGULAR, f"Dana {PLACEHOLDER * 4}")]  # marks join their letter


def test_stray_surrogates_do_not_break_a_document() -> None:
    _draw(rich("bad \udcff byte"))
    assert font_runs("bad \udcff byte") == [(REGULAR, f"bad {PLACEHOLDER} byte")]


def test_registering_fonts_twice_is_harmless() -> None:
    register_fonts()
    register_fonts()
    assert font_runs("é") == [(REGULAR, "é")]


def test_hebrew_is_drawn_in_the_order_it_is_seen() -> None:
    assert font_runs("שרה כהן") == [(HEBREW, "ןהכ הרש")]


def test_a_mixed_line_keeps_its_left_to_right_words_in_place() -> None:
    runs = font_runs("Client: محمد علي, DOB 3 May 1980")
    assert runs[0] == (REGULAR, "Client: ")
    assert runs[-1] == (REGULAR, ", DOB 3 May 1980")
    assert [font for font, _ in runs[1:-1]] == [ARABIC]


def test_arabic_letters_are_joined_and_read_back_as_typed() -> None:
    ((font, shaped),) = font_runs("محمد")
    assert font == ARABIC
    assert shaped != "دمحم"  # joined forms, not the letters reversed
    face = pdfmetrics.getFont(ARABIC).face.name.decode()
    assert "".join(to_unicode(face, ord(ch)) for ch in reversed(shaped)) == "محمد"


def test_right_to_left_names_read_back_from_the_pdf_in_typed_order() -> None:
    buffer = BytesIO()
    canvas = Canvas(buffer)
    for index, name in enumerate(("שרה כהן", "محمد علي", "لا إله")):
        paragraph = Paragraph(rich(name), _style())
        paragraph.wrapOn(canvas, 300, 800)
        paragraph.drawOn(canvas, 20, 700 - 20 * index)
    canvas.save()
    text = PdfReader(BytesIO(buffer.getvalue())).pages[0].extract_text()
    for name in ("שרה כהן", "محمد علي", "لا إله"):
        assert name in text
