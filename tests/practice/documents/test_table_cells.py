"""Table cells drawn as single lines print user text exactly like a Paragraph would."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from practice.documents.layout import Line, cell_text, plain_table, styles


def _text_of(rows: list[list[object]], widths: list[float]) -> str:
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([plain_table(rows, widths)])
    return PdfReader(BytesIO(buffer.getvalue())).pages[0].extract_text()


def test_markup_and_any_script_in_a_cell_print_literally() -> None:
    text = _text_of(
        [[cell_text("<b>Smith & Co</b>"), cell_text("김민지 · Ελένη · Chloé 🌻")]],
        [160, 220],
    )
    assert "<b>Smith & Co</b>" in text
    assert "김민지 · Ελένη · Chloé 🌻" in text


def test_a_line_too_wide_for_its_cell_wraps_like_a_paragraph() -> None:
    long = "Myofascial release along the right upper trapezius and levator scapulae " * 3
    line = Line(long, styles().body)
    _width, height = line.wrap(120, 1000)
    assert height > 3 * styles().body.leading  # several lines, nothing cut off
    text = _text_of([[Line(long, styles().body)]], [120])
    assert " ".join(text.split()) == " ".join(long.split())


def test_a_short_line_takes_one_line_and_an_empty_one_none() -> None:
    assert Line("Cupping", styles().body).wrap(200, 1000)[1] == styles().body.leading
    assert Line("", styles().body).wrap(200, 1000)[1] == 0
