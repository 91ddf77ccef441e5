"""Every kind of document prints a field of 100,000 characters in full, across pages, in the
order typed (the long half of test_every_document, in its own file so it runs beside it).

The PDFs are read back with PDFium (`long_frame_text`): pypdf needs over 20 s for these eleven
documents, PDFium about 3. The other document tests read with pypdf."""

from __future__ import annotations

import pytest

from tests.practice.documents.every_document import KINDS, build
from tests.practice.documents.printed_text import (
    MUST_PRINT,
    Fields,
    in_order,
    long_frame_text,
    squeezed,
)


@pytest.mark.parametrize("kind", KINDS)
def test_fields_of_100000_characters_run_across_pages_in_full(kind: str) -> None:
    """The field the issue saw stop a document at 100,000 characters, the rest short."""
    fields = Fields(100_000)
    short = Fields(40)
    long_fields = {MUST_PRINT[kind][0]}

    def text(path: str) -> str:
        return fields(path) if path in long_fields else short(path)

    data = build(kind, text)
    body = long_frame_text(data)
    printed = fields.printed(body)
    assert set(printed) == long_fields
    for path, value in printed.items():
        assert in_order(squeezed(value), body), f"{kind}: {path} is cut short or out of order"
