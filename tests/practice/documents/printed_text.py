"""What the tests of every document type into each field, and how they find it on the PDF."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pypdfium2
from pypdf import PdfReader

from practice.documents.layout import MARGIN

# Words of many scripts, as a note might mix them. Each Hebrew or Arabic word stands between
# Latin ones: pypdf puts right-to-left text back in typed order one run at a time.
WORDS = (
    "Tender upper trapezius, Chloé Ελένη and Дмитрий 김민지 said 陳大文 feels שרה better "
    "after محمد work <b>&amp;</b> O'Brien 🌻 eased. "
)

# The fields the issue found stopping a document, and the client's name: each kind must print
# them (so the test cannot pass by printing nothing).
MUST_PRINT = {
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


class Fields:
    """Text for each field: a tag naming it, then `length` characters of mixed scripts."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.texts: dict[str, str] = {}  # tag -> text

    def __call__(self, path: str) -> str:
        tag = f"Field{len(self.texts) // 2:03d}"
        count = self.length // len(WORDS) + 1
        # numbered sentences: no piece of one field's text is found in another's
        body = "".join(f"{tag}.{i} {WORDS}" for i in range(count))[: self.length].rstrip()
        self.texts[tag] = f"{tag} {body} {tag}end"
        self.texts[tag + "path"] = path
        return self.texts[tag]

    def printed(self, body: str) -> dict[str, str]:
        """Path -> text of each field whose tag is in `body`."""
        return {
            self.texts[tag + "path"]: text
            for tag, text in self.texts.items()
            if not tag.endswith("path") and squeezed(tag + text[len(tag) :])[:9] in body
        }


def squeezed(text: str) -> str:
    return "".join(text.split())


def in_order(text: str, body: str) -> bool:
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


def frame_text(data: bytes) -> str:
    """The text inside the page frames (not the running header and footer), without spaces."""
    parts: list[str] = []
    for page in PdfReader(BytesIO(data)).pages:
        top = float(page.mediabox.height) - MARGIN + 1

        def inside(text: str, cm: Any, tm: Any, *_: Any, top: float = top) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if MARGIN - 1 <= y <= top:
                parts.append(text)

        page.extract_text(visitor_text=inside)
    return squeezed("".join(parts))


def long_frame_text(data: bytes) -> str:
    """`frame_text` read by PDFium (pypdfium2) instead of pypdf, for documents of 100,000
    characters: pypdf's pure-Python extraction takes seconds on each (7 s for a long visit
    note), PDFium a tenth of that. Both readers give the same frames' text for every kind of
    document but the body maps' captions (the order of the side letters R and L; the last two
    letters of one short caption), where no long field is. The frames are the band between
    the bottom margin and the top one; the running header and footer lie outside it, more
    than a line away."""
    document = pypdfium2.PdfDocument(data)
    try:
        parts = []
        for page in document:
            width, height = page.get_size()
            band = (0, MARGIN - 1, width, height - MARGIN + 1)
            parts.append(page.get_textpage().get_text_bounded(*band))
        return squeezed("".join(parts))
    finally:
        document.close()
