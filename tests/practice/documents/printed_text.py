"""What the tests of every document type into each field, and how they find it on the PDF."""

from __future__ import annotations

from io import BytesIO
from typing import Any

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
