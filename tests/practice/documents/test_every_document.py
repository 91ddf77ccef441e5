"""Every kind of document prints any length and any script: everything typed comes back from
the PDF, in full and in the order typed."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from practice.documents.layout import MARGIN
from tests.practice.documents.every_document import KINDS, build

# Words of many scripts, as a note might mix them. Each Hebrew or Arabic word stands between
# Latin ones: pypdf puts right-to-left text back in typed order one run at a time.
_WORDS = (
    "Tender upper trapezius, Chloé Ελένη and Дмитрий 김민지 said 陳大文 feels שרה better "
    "after محمد work <b>&amp;</b> O'Brien 🌻 eased. "
)

# The fields the issue found stopping a document, and the client's name: each kind must print
# them (so the test cannot pass by printing nothing).
_MUST_PRINT = {
    "visit note": ("TreatmentEntry.notes", "SoapNote.complaint", "Amendment.text"),
    "draft visit note": ("TreatmentEntry.notes", "SoapNote.home_care"),
    "intake summary": ("IntakeData.allergies", "Client.address", "IntakeData.other_notes"),
    "pain chart": ("BodyChart.note", "Client.given_name"),
    "chart comparison": ("Client.given_name",),
    "chart history": ("Client.given_name",),
    "physician summary": ("Physician.address", "SummaryDraft.assessment"),
    "invoice": ("Client.address", "InvoiceLine.description", "Invoice.notes"),
    "credit note": ("Client.address", "InvoiceLine.description", "Invoice.void_reason"),
    "receipt": ("Client.address", "InvoiceLine.description"),
    "superbill": ("Client.address", "SuperbillLine.description"),
}

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


class _Fields:
    """Text for each field: a tag naming it, then `length` characters of mixed scripts."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.texts: dict[str, str] = {}  # tag -> text

    def __call__(self, path: str) -> str:
        tag = f"Field{len(self.texts) // 2:03d}"
        count = self.length // len(_WORDS) + 1
        # numbered sentences: no piece of one field's text is found in another's
        body = "".join(f"{tag}.{i} {_WORDS}" for i in range(count))[: self.length].rstrip()
        self.texts[tag] = f"{tag} {body} {tag}end"
        self.texts[tag + "path"] = path
        return self.texts[tag]

    def printed(self, body: str) -> dict[str, str]:
        """Path -> text of each field whose tag is in `body`."""
        return {
            self.texts[tag + "path"]: text
            for tag, text in self.texts.items()
            if not tag.endswith("path") and _squeezed(tag + text[len(tag) :])[:9] in body
        }


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _in_order(text: str, body: str) -> bool:
    """Whether `text` is in `body` in order, whole or in pieces with other text between them:
    a table row split across pages prints each cell's part on its page beside the others."""
    start = 0
    while text:
        if body.find(text[:1], start) < 0:
            return False
        low, high = 1, len(text)  # the longest piece of text found from `start` on
        while low < high:
            middle = (low + high + 1) // 2
            if body.find(text[:middle], start) >= 0:
                low = middle
            else:
                high = middle - 1
        start = body.find(text[:low], start) + low
        text = text[low:]
    return True


def _frame_text(data: bytes) -> str:
    """The text inside the page frames (not the running header and footer), without spaces."""
    parts: list[str] = []
    for page in PdfReader(BytesIO(data)).pages:
        top = float(page.mediabox.height) - MARGIN + 1

        def inside(text: str, cm: Any, tm: Any, *_: Any, top: float = top) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if MARGIN - 1 <= y <= top:
                parts.append(text)

        page.extract_text(visitor_text=inside)
    return _squeezed("".join(parts))


def _all_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


def _check_every_field_in_full(kind: str, fields: _Fields, data: bytes) -> None:
    body = _frame_text(data)
    printed = fields.printed(body)
    assert set(_MUST_PRINT[kind]) <= set(printed), f"{kind} left out {_MUST_PRINT[kind]}"
    for path, text in printed.items():
        assert _in_order(_squeezed(text), body), f"{kind}: {path} is cut short or out of order"


@pytest.mark.parametrize("kind", KINDS)
def test_every_text_field_prints_in_full_whatever_its_script(kind: str) -> None:
    """1,500 characters a field: longer than a narrow column holds on a page, so rows split."""
    fields = _Fields(1_500)
    _check_every_field_in_full(kind, fields, build(kind, fields))


@pytest.mark.parametrize("kind", KINDS)
def test_fields_of_100000_characters_run_across_pages_in_full(kind: str) -> None:
    """The field the issue saw stop a document at 100,000 characters, the rest short."""
    fields = _Fields(100_000)
    short = _Fields(40)
    long_fields = {_MUST_PRINT[kind][0]}

    def text(path: str) -> str:
        return fields(path) if path in long_fields else short(path)

    data = build(kind, text)
    body = _frame_text(data)
    printed = fields.printed(body)
    assert set(printed) == long_fields
    for path, value in printed.items():
        assert _in_order(_squeezed(value), body), f"{kind}: {path} is cut short or out of order"


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_in_any_script_reads_back_from_the_pdf(kind: str) -> None:
    for name in NAMES:
        text: Callable[[str], str] = lambda path, name=name: (  # noqa: E731
            name if path in _NAME_FIELDS else "" if path == "Client.family_name" else "Note"
        )
        assert name in _all_text(build(kind, text)), f"{name} on the {kind}"
