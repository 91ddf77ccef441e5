"""Every kind of document prints a field of 100,000 characters in full, across pages, in the
order typed (the long half of test_every_document, in its own file so it runs beside it)."""

from __future__ import annotations

import pytest

from tests.practice.documents.every_document import KINDS, build
from tests.practice.documents.printed_text import (
    MUST_PRINT,
    Fields,
    frame_text,
    in_order,
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
    body = frame_text(data)
    printed = fields.printed(body)
    assert set(printed) == long_fields
    for path, value in printed.items():
        assert in_order(squeezed(value), body), f"{kind}: {path} is cut short or out of order"
