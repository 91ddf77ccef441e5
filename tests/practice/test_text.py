"""The shared text cleaning: what a person cannot see goes, what writing needs stays."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practice.text import clean, name_key, single_line, visible


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Ana\x00 Peña", "Ana Peña"),  # NUL
        ("Chlo\u200bé", "Chloé"),  # zero-width space
        ("\ufeffMaya", "Maya"),  # byte order mark pasted from a file
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # a right-to-left override hides the name
        ("\u2066Sara\u2069", "Sara"),  # bidi isolates
        ("Bea\x1b[31m", "Bea[31m"),  # a terminal colour code
        ("co\u00adoperate", "cooperate"),  # soft hyphen
        ("\u3164", ""),  # a Hangul filler: a "blank" letter used for invisible names
        ("\u200dAna\u200d", "Ana"),  # joiners with nothing to join
    ],
)
def test_control_and_invisible_characters_are_dropped_from_names(typed: str, kept: str) -> None:
    assert single_line(typed) == kept


@pytest.mark.parametrize(
    "name",
    [
        "می\u200cخواهم",  # Persian needs the zero-width non-joiner
        "क्\u200dष",  # Devanagari: a joiner between letters shapes the conjunct
        "👨\u200d👩\u200d👧",  # a family emoji is three people joined
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag
        "❤\ufe0f",  # a variation selector picks the emoji form
        "שרה כהן",
        "محمد علي",
        "김민지",
    ],
)
def test_what_writing_needs_is_kept(name: str) -> None:
    assert single_line(name) == name
    assert clean(name) == name


def test_single_lines_lose_line_breaks_and_runs_of_spaces() -> None:
    assert single_line("  Ana\r\n  Peña\t\u2028Ruiz  ") == "Ana Peña Ruiz"


def test_notes_keep_their_lines_and_tabs_but_lose_other_controls() -> None:
    assert clean(" Neck\r\n\tstiff\x07\u2028better\u2029 ") == "Neck\n\tstiff\nbetter"


def test_stray_tag_characters_go_but_flags_stay() -> None:
    assert visible("a\U000e0041b") == "ab"


def test_names_compare_caselessly_in_every_script() -> None:
    assert name_key("Échelle de douleur") == name_key("ÉCHELLE  DE DOULEUR ")
    assert name_key("Étirements") == name_key("étirements")
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("Ｍａｓｓａｇｅ") == name_key("massage")
    assert name_key("Ana\u200b") == name_key("ana")
    assert name_key("Étirements") != name_key("Etirements")  # accents can make a new word


@settings(max_examples=200)
@given(st.text())
def test_cleaning_twice_changes_nothing(text: str) -> None:
    assert clean(clean(text)) == clean(text)
    assert single_line(single_line(text)) == single_line(text)
    assert name_key(name_key(text)) == name_key(text)


@settings(max_examples=50)
@given(st.text(min_size=1, max_size=8))
def test_a_hundred_thousand_characters_are_cleaned(piece: str) -> None:
    long = (piece * 100_000)[:100_000]
    assert len(clean(long)) <= len(long)
