"""Every kind of document prints any length and any script: everything typed comes back from
the PDF, in full and in the order typed."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.practice.documents.every_document import KINDS, build
from tests.practice.documents.printed_text import (
    MUST_PRINT,
    Fields,
    frame_text,
    in_order,
    squeezed,
)

NAMES = (
    "Chloé Lefèvre-Dubois",
    "Ελένη Παπαδοπούλου",
    "Дмитрий Иванов",
    "김민지",
    "陳大文",
    "שרה כהן",
    "محمد علي",
    "Bea 🌻 Ng",
)
_NAME_FIELDS = frozenset(
    {
        "Client.given_name",
        "SummaryDraft.client_name",
        "Superbill.client_name",
        "Invoice.client_name",
    }
)


def _all_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


def _check_every_field_in_full(kind: str, fields: Fields, data: bytes) -> None:
    body = frame_text(data)
    printed = fields.printed(body)
    assert set(MUST_PRINT[kind]) <= set(printed), f"{kind} left out {MUST_PRINT[kind]}"
    for path, text in printed.items():
        assert in_order(squeezed(text), body), f"{kind}: {path} is cut short or out of order"


@pytest.mark.parametrize("kind", KINDS)
def test_every_text_field_prints_in_full_whatever_its_script(kind: str) -> None:
    """1,500 characters a field: longer than a narrow column holds on a page, so rows split."""
    fields = Fields(1_500)
    _check_every_field_in_full(kind, fields, build(kind, fields))


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_in_any_script_reads_back_from_the_pdf(kind: str) -> None:
    for name in NAMES:
        text: Callable[[str], str] = lambda path, name=name: (  # noqa: E731
            name if path in _NAME_FIELDS else "" if path == "Client.family_name" else "Note"
        )
        assert name in _all_text(build(kind, text)), f"{name} on the {kind}"
