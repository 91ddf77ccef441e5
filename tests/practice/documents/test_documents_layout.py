"""The shared document look: paper, letterhead, footer, fonts, dates and exact reprints."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from practice.clients.records import Client, PracticeProfile
from practice.documents.layout import (
    build_document,
    client_identity,
    data_table,
    fields,
    format_date,
    page_size,
    para,
    section,
)

NAMES = ("Chloé Dubois", "김민지", "陳大文", "O'Brien", "Ελένη Παπαδοπούλου", "Дмитрий Иванов")

Pages = Callable[[bytes], list[str]]


def _build(profile: PracticeProfile, flowables=(), **kwargs) -> bytes:
    return build_document(None, profile, "Test document", list(flowables), **kwargs)


def _png(width: int = 60, height: int = 30) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (30, 90, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def test_unicode_names_print_literally(profile: PracticeProfile, pdf_pages: Pages) -> None:
    data = _build(profile, [para(name) for name in NAMES])
    text = "".join(pdf_pages(data))
    for name in NAMES:
        assert name in text


def test_markup_in_user_text_prints_literally(profile: PracticeProfile, pdf_pages: Pages) -> None:
    data = _build(profile, [para("<b>Smith & Co</b>"), fields([("Employer", "<i>A&B</i>")])])
    text = pdf_pages(data)[0]
    assert "<b>Smith & Co</b>" in text
    assert "<i>A&B</i>" in text


def test_every_page_says_page_x_of_y_and_names_the_client(
    profile: PracticeProfile, pdf_pages: Pages
) -> None:
    body = [para("A line of text that fills the page. " * 12) for _ in range(40)]
    pages = pdf_pages(_build(profile, body, client_line="Chloé Dubois · DOB Mar 12, 1985"))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Chloé Dubois · DOB Mar 12, 1985" in text


def test_the_letterhead_shows_the_practice(profile: PracticeProfile, pdf_pages: Pages) -> None:
    text = pdf_pages(_build(profile))[0]
    for expected in ("Riverside Medical Massage", "Jane O'Brien, LMT", "MA.0123456", "Elm Street"):
        assert expected in text


def test_without_a_practice_name_the_therapist_heads_the_letter(
    profile: PracticeProfile, pdf_pages: Pages
) -> None:
    text = pdf_pages(_build(replace(profile, practice_name="")))[0]
    assert text.lstrip().startswith("Jane O'Brien, LMT")


def test_fonts_are_embedded_except_the_cjk_fallbacks(profile: PracticeProfile) -> None:
    reader = PdfReader(BytesIO(_build(profile, [para(name) for name in NAMES])))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded, cid = [], []
    for ref in fonts.values():
        font = ref.get_object()
        if font["/Subtype"] == "/Type0":
            cid.append(font["/BaseFont"])
        else:
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            embedded.append(font["/BaseFont"])
    assert any(name.endswith("NotoSans-Regular") for name in embedded)
    assert not any("Helvetica" in name for name in embedded + cid)
    assert set(cid) <= {"/HYGothic-Medium", "/HeiseiKakuGo-W5", "/STSong-Light"}


def test_the_same_content_gives_the_same_bytes(profile: PracticeProfile) -> None:
    def build() -> bytes:
        flowables = [*section("Names"), *(para(name) for name in NAMES)]
        return _build(replace(profile, logo_png=_png()), flowables, doc_date=date(2025, 3, 5))

    assert build() == build()


def test_a_build_is_written_to_a_path_or_a_stream(profile: PracticeProfile, tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    data = build_document(target, profile, "Test", [para("x")])
    assert target.read_bytes() == data
    stream = BytesIO()
    build_document(stream, profile, "Test", [para("x")])
    assert stream.getvalue() == data


@pytest.mark.parametrize(
    ("locale", "size"),
    [
        ("en_US", LETTER),
        ("en_CA", LETTER),
        ("es_MX", LETTER),
        ("fr_CA", LETTER),
        ("en_GB", A4),
        ("de_DE", A4),
        ("en_AU", A4),
        ("en", LETTER),
        ("not a locale", LETTER),
    ],
)
def test_paper_follows_the_practice_country(locale: str, size: tuple[float, float]) -> None:
    assert page_size(locale) == size


def test_a4_practices_get_a4_pages(profile: PracticeProfile) -> None:
    reader = PdfReader(BytesIO(_build(replace(profile, locale="en_GB"))))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "Mar 5, 2025"),
        ("en_GB", "5 Mar 2025"),
        ("de_DE", "05.03.2025"),
        ("fr-CA", "5 mars 2025"),
    ],
)
def test_dates_are_written_the_local_way(locale: str, expected: str) -> None:
    assert format_date(date(2025, 3, 5), locale) == expected


def test_the_document_date_is_printed(profile: PracticeProfile, pdf_pages: Pages) -> None:
    assert "Mar 5, 2025" in pdf_pages(_build(profile, doc_date=date(2025, 3, 5)))[0]


def test_client_identity_names_the_client_and_birth_date() -> None:
    client = Client(given_name="Chloé", family_name="Dubois", date_of_birth=date(1985, 3, 12))
    assert client_identity(client, "en_US") == "Chloé Dubois · DOB Mar 12, 1985"
    assert client_identity(Client(given_name="김민지"), "en_US") == "김민지"


def test_a_logo_is_placed_in_the_letterhead(profile: PracticeProfile) -> None:
    reader = PdfReader(BytesIO(_build(replace(profile, logo_png=_png()))))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


def test_an_unreadable_logo_is_left_out(profile: PracticeProfile, pdf_pages: Pages) -> None:
    data = _build(replace(profile, logo_png=b"not a png"))
    assert "Riverside Medical Massage" in pdf_pages(data)[0]


def test_long_text_and_long_words_wrap_onto_more_pages(
    profile: PracticeProfile, pdf_pages: Pages
) -> None:
    word = "x" * 400
    note = ("Long note. " * 800) + word
    rows = [(f"Field {n}", "value " * 60) for n in range(10)]
    table = data_table(["A", "B"], [["row", "text " * 200]] * 10, ["30%", "*"])
    pages = pdf_pages(_build(profile, [para(note), fields(rows), table]))
    assert len(pages) > 3
    assert word in re.sub(r"\s", "", "".join(pages))
