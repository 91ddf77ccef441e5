"""What the invoice, receipt and superbill share: money, right-aligned figures, totals, stamps."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from practice.billing.money import format_money
from practice.billing.records import ZERO, Payment
from practice.dates import babel_locale
from practice.documents.fonts import BOLD, rich
from practice.documents.layout import (
    GRID,
    INK,
    MUTED,
    RULE,
    Cell,
    Line,
    format_date,
    plain_table,
    side_by_side,
    styles,
)
from practice.documents.lines import TextBlock

STAMP_COLOUR = colors.Color(0.70, 0.09, 0.09)
_NOTE_COLOUR = colors.HexColor("#5c5c5c")  # a total's note, "on $200.00"


def money(amount: Decimal, currency: str, locale: str) -> str:
    """'$1,234.50', '1 234,50 $', '1.234,50 €': the amount exactly as the records hold it."""
    # Keyed by the amount's text: Decimal("5.0") equals Decimal("5.00") but may print apart.
    return _money(str(amount), currency, locale)


@functools.lru_cache(maxsize=4096)
def _money(amount: str, currency: str, locale: str) -> str:
    return format_money(Decimal(amount), currency, str(babel_locale(locale)))


@dataclass(frozen=True, slots=True)
class Money:
    """Writes amounts in one currency, and dates, as the practice's locale writes them."""

    currency: str
    locale: str

    def __call__(self, amount: Decimal) -> str:
        return money(amount, self.currency, self.locale)

    def day(self, day: date | None) -> str:
        return format_date(day, self.locale) if day else ""


# --- cell styles ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellStyles:
    text: ParagraphStyle
    muted: ParagraphStyle
    number: ParagraphStyle
    label: ParagraphStyle
    label_number: ParagraphStyle
    total: ParagraphStyle
    total_number: ParagraphStyle
    grand: ParagraphStyle
    grand_number: ParagraphStyle


@functools.cache
def cells() -> CellStyles:
    """Table text a step smaller than body text; figures right-aligned so their digits line up."""
    s = styles()
    text = ParagraphStyle("bill_cell", parent=s.body, fontSize=8.5, leading=10.5)
    label = ParagraphStyle("bill_label", parent=text, textColor=s.muted.textColor)
    total = ParagraphStyle("bill_total", parent=s.body, fontName=BOLD)
    grand = ParagraphStyle("bill_grand", parent=total, fontSize=12, leading=16)
    return CellStyles(
        text=text,
        muted=label,
        number=ParagraphStyle("bill_number", parent=text, alignment=TA_RIGHT),
        label=label,
        label_number=ParagraphStyle("bill_label_number", parent=label, alignment=TA_RIGHT),
        total=total,
        total_number=ParagraphStyle("bill_total_number", parent=total, alignment=TA_RIGHT),
        grand=grand,
        grand_number=ParagraphStyle("bill_grand_number", parent=grand, alignment=TA_RIGHT),
    )


@functools.cache
def _reference_style() -> ParagraphStyle:
    """A payment's reference under its method: cell text in the grey of `layout.muted`."""
    grey = colors.HexColor(MUTED.hexval().replace("0x", "#"))
    return ParagraphStyle("bill_reference", parent=cells().text, textColor=grey)


def text(value: str | None) -> Line:
    """User text in a table cell, printed literally."""
    return Line(value, cells().text)


def figure(value: str) -> Line:
    """A right-aligned figure in a table cell."""
    return Line(value, cells().number)


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float | str
    numeric: bool = False


def figures_table(columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> Table:
    """A list with a grey header and hairlines; figure columns (header too) are right-aligned.

    The header row repeats at the top of every page the list runs on to.
    """
    c = cells()
    header = [Line(col.title, c.label_number if col.numeric else c.label) for col in columns]
    return plain_table(
        [header, *rows],
        [col.width for col in columns],
        [
            ("LEFTPADDING", (1, 0), (-1, -1), GRID * 0.75),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ],
        repeatRows=1,
    )


@dataclass(frozen=True, slots=True)
class Total:
    label: str
    amount: str
    weight: int = 0  # 0 an ordinary line, 1 a total (bold, rule above), 2 the figure to pay
    note: str = ""  # a grey aside after the label, e.g. "on $200.00"


def totals_table(rows: Sequence[Total], width: float = 80 * mm) -> Table:
    """The sums under a list: labels on the left, amounts right-aligned, the last ones bold."""
    c = cells()
    data: list[list[Cell]] = []
    commands: list[tuple[Any, ...]] = [
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (0, -1), GRID),
    ]
    for index, row in enumerate(rows):
        label_style, number_style = (
            (c.text, c.number),
            (c.total, c.total_number),
            (c.grand, c.grand_number),
        )[row.weight]
        aside = (row.note, 8.0, _NOTE_COLOUR) if row.note else None
        data.append([Line(row.label, label_style, aside=aside), Line(row.amount, number_style)])
        if row.weight and index:
            commands.append(
                ("LINEABOVE", (0, index), (-1, index), 0.75 if row.weight == 2 else 0.5, INK)
            )
        if row.weight == 2:
            commands += [
                ("TOPPADDING", (0, index), (-1, index), GRID / 2),
                ("BACKGROUND", (0, index), (-1, index), colors.Color(0.94, 0.94, 0.94)),
                ("LEFTPADDING", (0, index), (0, index), GRID / 2),
                ("RIGHTPADDING", (1, index), (1, index), GRID / 2),
            ]
    table = plain_table(data, [width - 32 * mm, 32 * mm], commands)
    table.hAlign = "RIGHT"
    return table


def payments_table(invoice_id: int, payments: Sequence[Payment], fmt: Money) -> Table | None:
    """What each payment put on this invoice: date, method (and reference) and amount.

    None when nothing is applied to it (a voided invoice's payments were released).
    """
    rows: list[list[Cell]] = []
    for payment in sorted(payments, key=lambda p: (p.received_on, p.id)):
        applied = sum((a.amount for a in payment.allocations if a.invoice_id == invoice_id), ZERO)
        if not applied:
            continue
        method: Cell = text(payment.method.label)
        if payment.reference.strip():
            # the reference under the method, in grey: as `<br/>` and `muted` print it
            method = [method, Line(payment.reference, _reference_style())]
        rows.append([text(fmt.day(payment.received_on)), method, figure(fmt(applied))])
    if not rows:
        return None
    return figures_table(
        [Column("Date", 24 * mm), Column("Method", "*"), Column("Amount", 24 * mm, numeric=True)],
        rows,
    )


def beside_totals(left: Sequence[Flowable], totals: Sequence[Total]) -> Table:
    """Payments, terms or notes on the left half; the totals at the right margin."""
    block = side_by_side(list(left), totals_table(totals), space_before=GRID)
    block.setStyle([("RIGHTPADDING", (0, 0), (0, 0), 3 * GRID), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    return block


def signature_line(
    caption: str, date_caption: str = "Date", space_before: float = 3 * GRID
) -> Table:
    """A line to sign on with a caption under it, and a shorter one for the date."""
    c = cells()
    return plain_table(
        [
            ["", "", ""],
            [Line(caption, c.label), "", Line(date_caption, c.label)],
        ],
        ["58%", "6%", "*"],
        [
            ("LINEBELOW", (0, 0), (0, 0), 0.75, INK),
            ("LINEBELOW", (2, 0), (2, 0), 0.75, INK),
            ("TOPPADDING", (0, 1), (-1, 1), 3),
        ],
        rowHeights=[10 * mm, None],
        spaceBefore=space_before,
    )


# --- the stamp ------------------------------------------------------------------------------


_INLINE_EXPLANATION = 400  # characters that share the stamp word's line


def stamp_line(word: str, explanation: str) -> Flowable:
    """A boxed line that leads with DRAFT, VOID or DUPLICATE and says what it means.

    It goes with the same word as a watermark across every page (`build_document`).
    """
    s = styles()
    markup = f'<font color="{STAMP_COLOUR.hexval().replace("0x", "#")}"><b>{rich(word)}</b></font>'
    cell: list[Flowable]
    if len(explanation) > _INLINE_EXPLANATION:  # a long void reason: lines of its own, which
        cell = [Paragraph(markup, s.body), TextBlock(explanation, s.body)]  # split linearly
    else:
        cell = [Paragraph(f"{markup} · {rich(explanation)}" if explanation else markup, s.body)]
    return plain_table(
        [[cell]],
        ["100%"],
        [
            ("BOX", (0, 0), (-1, -1), 1, STAMP_COLOUR),
            ("LEFTPADDING", (0, 0), (-1, -1), GRID),
            ("RIGHTPADDING", (0, 0), (-1, -1), GRID),
            ("TOPPADDING", (0, 0), (-1, -1), GRID / 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), GRID * 0.75),
        ],
        spaceBefore=GRID,
    )
