"""The recovery code sheet: one page with the code that opens an encrypted practice when its
passphrase is forgotten, and how to keep it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from practice.clients.records import PracticeProfile
from practice.documents.layout import GRID, build_document, fields, para, section, styles

TITLE = "Recovery code"
MONOSPACE = "Courier-Bold"  # one of PDF's standard fonts: every viewer and printer has it

KEEPING = (
    "Keep this sheet away from the computer: in a locked drawer or a safe at home, or with "
    "someone you trust. A thief who takes the laptop must not find it in the laptop bag.",
    "Anyone who holds this sheet and a copy of the practice (the laptop, a backup) can read "
    "every record. Guard it like the key to your filing cabinet.",
    "Do not photograph it, email it, or keep it in a file on this computer or in the cloud.",
    "Changing the passphrase does not change this code. Protecting the practice again makes "
    "a new code: then destroy this sheet.",
)
USING = (
    "Start Fascia and choose “Forgot it? Use the recovery code” on the unlock screen.",
    "Type the code above. Dashes, spaces and capitals do not matter; 0 and O, 1 and I, "
    "8 and B are read the same.",
    "Then choose a new passphrase in Edit > Security. The code stays valid.",
)


def recovery_sheet_pdf(profile: PracticeProfile, code: str, made_on: date, folder: Path) -> bytes:
    """The code in large monospace type, in two lines of four groups, framed."""
    groups = code.split("-")
    half = (len(groups) + 1) // 2
    lines = ["-".join(groups[:half]), "-".join(groups[half:])]
    s = styles()
    story: list[Flowable] = [
        para(
            "This code opens the practice below if the passphrase is forgotten. Fascia showed "
            "it once, when the practice was encrypted, and keeps no readable copy.",
        ),
        Spacer(0, 2 * GRID),
        fields(
            [
                ("Practice", profile.practice_name or profile.therapist_name),
                ("Therapist", profile.therapist_name),
                ("Practice folder", str(folder)),
            ]
        ),
        Spacer(0, 3 * GRID),
        _framed(lines),
        *section("Keeping it safe"),
        *_numbered(KEEPING, s.body),
        *section("Using it"),
        *_numbered(USING, s.body),
    ]
    return build_document(None, profile, TITLE, story, doc_date=made_on)


def _framed(lines: list[str]) -> Table:
    style = ParagraphStyle(
        "recovery_code", fontName=MONOSPACE, fontSize=26, leading=38, alignment=TA_CENTER
    )
    table = Table(
        [[Paragraph("<br/>".join(lines), style)]],
        colWidths=[150 * mm],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * GRID),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * GRID),
            ]
        ),
    )
    table.hAlign = "CENTER"
    return table


def _numbered(items: tuple[str, ...], style: ParagraphStyle) -> list[Flowable]:
    story: list[Flowable] = []
    for number, text in enumerate(items, 1):
        story += [para(f"{number}. {text}", style), Spacer(0, GRID / 2)]
    return story
