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
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table

from practice.billing.money import format_money
from practice.billing.records import ZERO, Payment
from practice.documents.fonts import BOLD, REGULAR, font_runs, rich
from practice.documents.layout import (
    GRID,
    INK,
    RULE,
    Cell,
    _locale,
    format_date,
    muted,
    plain_table,
    side_by_side,
    styles,
)

STAMP_COLOUR = colors.Color(0.70, 0.09, 0.09)


def money(amount: Decimal, currency: str, locale: str) -> str:
    """'$1,234.50', '1 234,50 $', '1.234,50 €': the amount exactly as the records hold it."""
    return format_money(amount, currency, str(_locale(locale)))


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


class Line(Flowable):
    """One line of user text in a table cell, drawn straight onto the canvas.

    A Paragraph parses markup for every cell; a list of figures has hundreds of cells that are
    one short line each, so this draws them directly (switching to the CJK fonts where needed)
    and looks exactly like a one-line Paragraph. Text too wide for its cell becomes a Paragraph
    after all, so it wraps.
    """

    def __init__(self, value: str | None, style: ParagraphStyle) -> None:
        super().__init__()
        self.style = style
        self.value = value or ""
        self._runs = font_runs(value)
        self._width = sum(
            stringWidth(run, self._face(font), style.fontSize) for font, run in self._runs
        )
        self._wrapped: Paragraph | None = None

    def _face(self, font: str) -> str:
        """FasciaSans runs take the style's face (bold for totals); CJK runs keep their font."""
        return self.style.fontName if font == REGULAR else font

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if "\n" in self.value or self._width > avail_width + 0.01:
            self._wrapped = Paragraph(rich(self.value), self.style)
            return self._wrapped.wrap(avail_width, avail_height)
        self._wrapped = None
        self.width = avail_width
        self.height = self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self._wrapped.split(avail_width, avail_height) if self._wrapped else []

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if self._wrapped is not None:
            self._wrapped.drawOn(canvas, x, y, _sW)
            return
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        canv = self.canv
        x = self.width - self._width if self.style.alignment == TA_RIGHT else 0.0
        baseline = self.height - self.style.fontSize
        canv.setFillColor(self.style.textColor)
        for font, run in self._runs:
            face = self._face(font)
            canv.setFont(face, self.style.fontSize)
            canv.drawString(x, baseline, run)
            x += stringWidth(run, face, self.style.fontSize)


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
        label = rich(row.label)
        if row.note:
            label += f' <font color="#5c5c5c" size="8">{rich(row.note)}</font>'
        data.append([Paragraph(label, label_style), Paragraph(rich(row.amount), number_style)])
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
        method = rich(payment.method.label)
        if payment.reference.strip():
            method += f"<br/>{muted(rich(payment.reference))}"
        rows.append(
            [
                text(fmt.day(payment.received_on)),
                Paragraph(method, cells().text),
                figure(fmt(applied)),
            ]
        )
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
            [Paragraph(rich(caption), c.label), "", Paragraph(rich(date_caption), c.label)],
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


def stamp_line(word: str, explanation: str) -> Flowable:
    """A boxed line that leads with DRAFT, VOID or DUPLICATE and says what it means.

    It goes with the same word as a watermark across every page (`build_document`).
    """
    s = styles()
    markup = f'<font color="{STAMP_COLOUR.hexval().replace("0x", "#")}"><b>{rich(word)}</b></font>'
    if explanation:
        markup += f" · {rich(explanation)}"
    return plain_table(
        [[Paragraph(markup, s.body)]],
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
