"""The shared look of every Fascia document: paper, letterhead, footer, styles and the build."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

import babel
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Spacer,
    Table,
)
from reportlab.platypus.tables import CellStyle

from practice.clients.records import Client, PracticeProfile
from practice.dates import babel_locale
from practice.dates import format_day as format_date
from practice.documents.fonts import BOLD, REGULAR, font_runs, register_fonts
from practice.documents.lines import Line, TextBlock

MARGIN = 18 * mm
GRID = 8.0  # vertical rhythm, in points: space between blocks is a multiple of it

INK = colors.black
MUTED = colors.Color(0.36, 0.36, 0.36)
RULE = colors.Color(0.72, 0.72, 0.72)

NONE_REPORTED = "None reported"
NOT_GIVEN = "Not given"

# CLDR's paperSize data: the territories that use US Letter. Everyone else uses A4.
LETTER_TERRITORIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
)

_FOOTER_SIZE = 8.0
_FOOTER_BASELINE = MARGIN - 2.5 * GRID
_FOOTER_RULE = MARGIN - GRID
_HEADER_BASELINE_FROM_TOP = MARGIN - 2 * GRID
_HEADER_RULE_FROM_TOP = MARGIN - GRID
_SECTION_MIN = 10 * GRID  # a heading and about three lines
_SPLIT_IN_ROW = 2 * GRID  # the least of a split table row worth a place on a page
_LOGO_MAX = (32 * mm, 18 * mm)


# --- locale ---------------------------------------------------------------------------------


def page_size(locale: str) -> tuple[float, float]:
    """US Letter where the practice's country uses it, A4 everywhere else."""
    loc = babel_locale(locale)
    territory = loc.territory
    if territory is None:
        likely = babel.core.get_global("likely_subtags").get(loc.language, "")
        territory = likely.rsplit("_", 1)[-1]
    return LETTER if territory in LETTER_TERRITORIES else A4


def client_identity(client: Client, locale: str) -> str:
    """The line that identifies a client on every page of a clinical document."""
    if client.date_of_birth is None:
        return client.legal_name
    return f"{client.legal_name} · DOB {format_date(client.date_of_birth, locale)}"


# --- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Styles:
    body: ParagraphStyle
    muted: ParagraphStyle
    label: ParagraphStyle
    small: ParagraphStyle
    strong: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    title_date: ParagraphStyle
    practice: ParagraphStyle
    letterhead: ParagraphStyle
    letterhead_muted: ParagraphStyle
    letterhead_right: ParagraphStyle


@functools.cache
def styles() -> Styles:
    """The paragraph styles every document shares, all in FasciaSans."""
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK)
    muted = ParagraphStyle("muted", parent=body, textColor=MUTED)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=11, textColor=MUTED)
    return Styles(
        body=body,
        muted=muted,
        label=ParagraphStyle("label", parent=muted),
        small=small,
        strong=ParagraphStyle("strong", parent=body, fontName=BOLD),
        heading=ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=11, leading=16),
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=17, leading=24),
        title_date=ParagraphStyle("title_date", parent=muted, alignment=TA_RIGHT),
        practice=ParagraphStyle("practice", parent=body, fontName=BOLD, fontSize=13, leading=18),
        letterhead=ParagraphStyle("letterhead", parent=body, fontSize=9, leading=13),
        letterhead_muted=ParagraphStyle(
            "letterhead_muted", parent=body, fontSize=9, leading=13, textColor=MUTED
        ),
        letterhead_right=ParagraphStyle(
            "letterhead_right", parent=small, fontSize=9, leading=13, alignment=TA_RIGHT
        ),
    )


# --- building blocks ------------------------------------------------------------------------


class _Table(Table):
    """A Table that prints exactly as Table does, with less work for its one-line cells.

    A `Line` that fits a fixed-width column becomes a plain string (see `_plain_strings`);
    one in a column of relative width is drawn straight onto the canvas where Table would put
    it (same padding, alignment and vertical alignment arithmetic), where Table would measure
    it again, save the graphics state and move the origin for it. A layout is reused while
    the width stays the same (see `_calc`).
    """

    _calculated_for: float | None = None

    def _calc(self, availWidth: float, availHeight: float) -> None:
        """Lay the table out, unless it was just laid out for the same width.

        A table in a cell of another is measured by the outer table when it lays out and again
        when it draws, and the frame measures tables before it splits or places them. Without
        spanned cells ReportLab's layout depends on the width alone (the height only lets it
        stop early in tables with spans), so the same width gives the same layout."""
        if self._calculated_for == availWidth and not self._spanCmds:
            return
        self._plain_strings()
        super()._calc(availWidth, availHeight)
        self._calculated_for = availWidth

    def _plain_strings(self) -> None:
        """Cells of fixed width holding a Line that fits become plain strings in the Line's
        font, size, colour and alignment, which Table measures and draws far more cheaply
        than a flowable, at the very same place (Table puts a string's baseline one font size
        under the top padding, as a one-line Paragraph or Line sits). The column's width
        never changes, so neither does the fit."""
        if self._spanCmds:
            return
        for row, cell_styles in zip(self._cellvalues, self._cellStyles, strict=True):
            for j, value in enumerate(row):
                width = self._argW[j]
                cell = value[0] if isinstance(value, list | tuple) and len(value) == 1 else value
                if type(cell) is not Line or not isinstance(width, int | float):
                    continue
                cell_style = cell_styles[j]
                plain = cell.plain(width - cell_style.leftPadding - cell_style.rightPadding)
                if plain is None:
                    continue
                style = cell.style
                cell_style.fontname, row[j] = plain
                cell_style.fontsize = style.fontSize
                cell_style.leading = style.leading
                cell_style.color = style.textColor
                cell_style.alignment = "RIGHT" if style.alignment == TA_RIGHT else "LEFT"

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        least = self.splitInRow
        if not parts and least and availHeight > 2 * least:
            # ReportLab refuses a split that leaves less than `least` of a row for the next
            # page, so a row a little taller than a page would fit no page: split higher.
            parts = super().split(availWidth, availHeight - least)
        if len(parts) == 2 and parts[0].wrap(availWidth, availHeight)[1] < 1:
            return []  # nothing fits above the split (see _splitCell): try the next page
        return parts

    def _splitCell(  # ReportLab's name
        self, value: Any, style: Any, oldHeight: float, newHeight: float, width: float
    ) -> tuple[Any, Any]:
        """A cell's content above and below the point where its row splits. Where nothing of
        it fits above that point (less than a line is left), all of it goes below: ReportLab
        would give up on the whole table, which no page can then hold."""
        parts = super()._splitCell(value, style, oldHeight, newHeight, width)
        if parts:
            return parts
        return ((), value) if isinstance(value, list | tuple) else ("", value)

    def setStyle(self, tblstyle: Any) -> None:
        self._calculated_for = None  # new padding or fonts change the layout
        super().setStyle(tblstyle)

    def _drawCell(  # ReportLab's name
        self,
        cellval: Any,
        cellstyle: Any,
        pos: tuple[float, float],
        size: tuple[float, float],
    ) -> None:
        # Table keeps a flowable cell as a list or tuple of the flowables it holds.
        line = cellval[0] if isinstance(cellval, list | tuple) and len(cellval) == 1 else cellval
        if type(line) is not Line:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        colpos, rowpos = pos
        colwidth, rowheight = size
        w, h = line.wrap(
            colwidth - cellstyle.leftPadding - cellstyle.rightPadding,
            rowheight - cellstyle.topPadding - cellstyle.bottomPadding,
        )
        if line._wrapped is not None or cellstyle.href or cellstyle.destination:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        valign, just = cellstyle.valign, cellstyle.alignment
        if valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding
        elif valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + h
        else:
            y = rowpos + (rowheight + cellstyle.bottomPadding - cellstyle.topPadding + h) / 2.0
        if just == "RIGHT":
            x = colpos + colwidth - cellstyle.rightPadding - w
        elif just in ("CENTRE", "CENTER"):
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding - w) / 2.0
        else:
            x = colpos + cellstyle.leftPadding
        line.draw_at(self.canv, x, y - h)
        self._curcellstyle = None  # the fill colour and font changed: the next cell sets its own


def cell_text(text: str | None, style: ParagraphStyle | None = None, *, empty: str = "") -> Line:
    """`para` for a table cell: one line of user text drawn directly when it fits."""
    if text and text.strip():
        return Line(text, style or styles().body)
    return Line(empty, styles().muted)


Cell: TypeAlias = str | Flowable | Sequence[Flowable] | None  # what a table cell may hold


def para(text: str | None, style: ParagraphStyle | None = None, *, empty: str = "") -> TextBlock:
    """A paragraph of user text, printed literally, that runs across pages however long it
    is. Empty text prints `empty` in grey."""
    s = styles()
    if text and text.strip():
        return TextBlock(text, style or s.body)
    return TextBlock(empty, s.muted)


def none_reported(text: str = NONE_REPORTED) -> TextBlock:
    return TextBlock(text, styles().muted)


def muted(markup: str) -> str:
    """Paragraph markup in the muted grey, for asides inside a line of black text."""
    return f'<font color="{MUTED.hexval().replace("0x", "#")}">{markup}</font>'


def plain_table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float | str],
    style: Sequence[tuple[Any, ...]] = (),
    **kwargs: Any,
) -> Table:
    """A left-aligned Table in FasciaSans with no padding of its own; `style` adds to that.

    A row taller than the room left on a page is split between the lines of its cells (and
    between the rows of a table in a cell), so a cell of any length runs on to the next page.
    """
    # ReportLab splits a row only between the flowables of a list: a lone one would be lost.
    data = [[_listed(_cell(value)) for value in row] for row in rows]
    # Every cell starts from _PlainCell rather than from six commands run over every cell.
    cell_styles = [[_PlainCell("") for _ in row] for row in data]
    kwargs.setdefault("splitInRow", _SPLIT_IN_ROW)
    return _Table(
        data,
        colWidths=list(widths),
        style=list(style),
        hAlign="LEFT",
        cellStyles=cell_styles,
        **kwargs,
    )


def _listed(value: Flowable | Sequence[Flowable]) -> Sequence[Flowable]:
    return [value] if isinstance(value, Flowable) else value


class _PlainCell(CellStyle):
    """A table cell in FasciaSans, aligned to the top, with no padding: what the commands
    FONTNAME, VALIGN TOP and LEFT/RIGHT/TOP/BOTTOMPADDING 0 over the whole table give."""

    fontname = REGULAR
    valign = "TOP"
    leftPadding = 0
    rightPadding = 0
    topPadding = 0
    bottomPadding = 0


def heading(title: str) -> Flowable:
    """A section heading with a hairline under it."""
    return _Heading(title)


class _Heading(Flowable):
    """The heading's title over a hairline across the frame.

    It prints as a one-cell Table would (3 points of padding under the title, the rule along
    the bottom edge, drawn with round caps and joins as Table draws its lines) without the
    cost of a Table for every heading.
    """

    _PADDING = 3.0
    _RULE_WIDTH = 0.5

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = Line(title, styles().heading)
        self.spaceBefore = 2 * GRID
        self.spaceAfter = GRID

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, height = self.title.wrap(availWidth, availHeight - self._PADDING)
        self.width, self.height = availWidth, height + self._PADDING
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # as a one-row Table: it moves to the next page whole

    def draw(self) -> None:
        canv = self.canv
        self.title.drawOn(canv, 0, self._PADDING)
        canv.saveState()
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(self._RULE_WIDTH)
        canv.line(0, 0, self.width, 0)
        canv.restoreState()


def section(title: str) -> list[Flowable]:
    """A heading that starts a new page rather than end one with no content under it."""
    return [CondPageBreak(_SECTION_MIN), heading(title)]


def fields(
    rows: Sequence[tuple[str, Cell]], *, label_width: float = 40 * mm, empty: str = NOT_GIVEN
) -> Table:
    """Label and value pairs, labels in grey in a column of their own. Empty values say `empty`."""
    label = styles().label
    return plain_table(
        [[Line(name, label), _cell(value, empty)] for name, value in rows],
        [label_width, "*"],
        [("RIGHTPADDING", (0, 0), (0, -1), GRID), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)],
    )


def data_table(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float | str]
) -> Table:
    """A list with a grey header and hairlines between rows; the header repeats on a new page."""
    label = styles().label
    return plain_table(
        [[Line(name, label) for name in header], *rows],
        widths,
        [
            ("RIGHTPADDING", (0, 0), (-2, -1), GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ],
        repeatRows=1,
    )


def side_by_side(*cells: Cell, space_before: float = 0) -> Table:
    """Blocks next to each other in equal columns, with a gutter between them."""
    return plain_table(
        [cells],
        [f"{100 / len(cells):.4g}%"] * len(cells),
        [("RIGHTPADDING", (0, 0), (-2, -1), 2 * GRID)],
        spaceBefore=space_before,
    )


def _cell(value: Cell, empty: str = "") -> Flowable | Sequence[Flowable]:
    """User text becomes a Line (a TextBlock where it wraps; printed literally); flowables pass
    through."""
    if isinstance(value, str) or value is None:
        return cell_text(value, empty=empty)
    return value


# --- letterhead and title -------------------------------------------------------------------


def letterhead(profile: PracticeProfile) -> list[Flowable]:
    """Logo, practice and therapist on the left, how to reach them on the right."""
    s = styles()
    therapist = ", ".join(p for p in (profile.therapist_name, profile.credentials) if p.strip())
    left: list[Flowable] = []
    if profile.practice_name.strip():
        left += [cell_text(profile.practice_name, s.practice), cell_text(therapist, s.letterhead)]
    else:
        left.append(cell_text(therapist, s.practice))
    registration = " · ".join(
        f"{label} {value.strip()}"
        for label, value in (("Reg. no.", profile.registration_number), ("NPI", profile.npi))
        if value.strip()
    )
    if registration:
        left.append(cell_text(registration, s.letterhead_muted))
    contact = [profile.address, profile.phone, profile.email, profile.website]
    right = [cell_text(text, s.letterhead_right) for text in contact if text.strip()]

    row: list[Cell] = [left, right]
    widths: list[float | str] = ["*", "38%"]
    logo = _logo(profile.logo_png)
    if logo is not None:
        row.insert(0, logo)
        widths.insert(0, logo.drawWidth + 2 * GRID)
    table = plain_table(
        [row],
        widths,
        [("BOTTOMPADDING", (0, 0), (-1, -1), GRID), ("LINEBELOW", (0, 0), (-1, -1), 0.75, INK)],
    )
    return [table, Spacer(0, 2 * GRID)]


def _logo(png: bytes | None) -> Image | None:
    """The practice logo scaled into the letterhead; an unreadable image is left out."""
    if not png:
        return None
    try:
        width, height = ImageReader(BytesIO(png)).getSize()
    except Exception:  # ReportLab and Pillow raise many kinds; a bad logo must not stop a print
        return None
    if width <= 0 or height <= 0:
        return None
    scale = min(_LOGO_MAX[0] / width, _LOGO_MAX[1] / height)
    return Image(BytesIO(png), width=width * scale, height=height * scale)


def title_block(title: str, subtitle: str, doc_date: date | None, locale: str) -> list[Flowable]:
    """The title with the document date on its baseline at the right, and a grey subtitle."""
    s = styles()
    when = format_date(doc_date, locale) if doc_date else ""
    # Both paragraphs sit on the cell bottom; lift the date so the two baselines meet.
    lift = (s.title.leading - s.title.fontSize) - (s.title_date.leading - s.title_date.fontSize)
    block: list[Flowable] = [
        plain_table(
            [[cell_text(title, s.title), cell_text(when, s.title_date)]],
            ["*", 40 * mm],
            [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("BOTTOMPADDING", (1, 0), (1, 0), lift)],
        )
    ]
    if subtitle:
        block.append(para(subtitle, s.muted))
    return block


# --- pages ----------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Holds every page back until the end, so each can say "Page X of Y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self.setFont(REGULAR, _FOOTER_SIZE)
            self.setFillColor(MUTED)
            self.drawRightString(
                self._pagesize[0] - MARGIN, _FOOTER_BASELINE, f"Page {number} of {total}"
            )
            super().showPage()
        super().save()


@dataclass(frozen=True, slots=True)
class _PageDecor:
    header: str
    client_line: str
    watermark: str = ""

    def first(self, canv: Canvas, _doc: Any) -> None:
        self._watermark(canv)
        self._footer(canv)

    def _watermark(self, canv: Canvas) -> None:
        """A large grey word across the page (such as DRAFT), under the text."""
        if not self.watermark:
            return
        width, height = canv._pagesize
        canv.saveState()
        canv.setFillColor(colors.Color(0.66, 0.12, 0.12, alpha=0.12))
        canv.setFont(BOLD, 96)
        canv.translate(width / 2, height / 2)
        canv.rotate(35)
        canv.drawCentredString(0, -34, self.watermark)
        canv.restoreState()

    def later(self, canv: Canvas, _doc: Any) -> None:
        self._watermark(canv)
        width, height = canv._pagesize
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(
            MARGIN, height - _HEADER_RULE_FROM_TOP, width - MARGIN, height - _HEADER_RULE_FROM_TOP
        )
        canv.setFillColor(MUTED)
        _draw_line(
            canv, MARGIN, height - _HEADER_BASELINE_FROM_TOP, self.header, width - 2 * MARGIN
        )
        canv.restoreState()
        self._footer(canv)

    def _footer(self, canv: Canvas) -> None:
        width = canv._pagesize[0]
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, _FOOTER_RULE, width - MARGIN, _FOOTER_RULE)
        canv.setFillColor(MUTED)
        # Room is left on the right for "Page 99 of 99".
        _draw_line(canv, MARGIN, _FOOTER_BASELINE, self.client_line, width - 2 * MARGIN - 30 * mm)
        canv.restoreState()


def _draw_line(canv: Canvas, x: float, y: float, text: str, max_width: float) -> None:
    """One line of user text straight onto the canvas, shortened with an ellipsis if too wide."""
    text_object = canv.beginText(x, y)  # one text object: extracted as one line
    for font, run in _fitted(text, max_width):
        text_object.setFont(font, _FOOTER_SIZE)
        text_object.textOut(run)
    canv.drawText(text_object)


@functools.lru_cache(maxsize=64)
def _fitted(text: str, max_width: float) -> tuple[tuple[str, str], ...]:
    """The runs of the header or footer line, worked out once for all pages. No character is
    narrower than a point, so a line longer than `max_width` characters is cut first."""
    line = text.split("\n", 1)[0][: int(max_width) + 1]
    runs = _fit(font_runs(line), _FOOTER_SIZE, max_width)
    if line != text and (not runs or runs[-1][1] != "…"):
        runs.append((REGULAR, "…"))
    return tuple(runs)


def _fit(runs: list[tuple[str, str]], size: float, max_width: float) -> list[tuple[str, str]]:
    if sum(stringWidth(run, font, size) for font, run in runs) <= max_width:
        return runs
    room = max_width - stringWidth("…", REGULAR, size)
    fitted: list[tuple[str, str]] = []
    for font, run in runs:
        kept = ""
        for ch in run:
            room -= stringWidth(ch, font, size)
            if room < 0:
                return [*fitted, (font, kept), (REGULAR, "…")]
            kept += ch
        fitted.append((font, kept))
    return fitted


# --- the build ------------------------------------------------------------------------------


def build_document(
    out: Path | BinaryIO | None,
    profile: PracticeProfile,
    title: str,
    flowables: Iterable[Flowable],
    client_line: str | None = None,
    doc_date: date | None = None,
    *,
    subtitle: str = "",
    invariant: bool = True,
    watermark: str = "",
) -> bytes:
    """Lay out a document in the Fascia look and return its bytes, also writing them to `out`.

    `client_line` (see `client_identity`) marks a clinical document: it is printed on every
    page. With `invariant` (the default) the same content always gives the same bytes, so a
    stored document can be reprinted exactly. `watermark` (such as "DRAFT") is printed large
    and pale across every page.
    """
    register_fonts()
    locale = profile.locale
    practice = profile.practice_name.strip() or profile.therapist_name
    size = page_size(locale)
    frame = Frame(
        MARGIN,
        MARGIN,
        size[0] - 2 * MARGIN,
        size[1] - 2 * MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    decor = _PageDecor(
        header=" · ".join(p for p in (practice, title) if p),
        client_line=client_line or "",
        watermark=watermark,
    )
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        pageTemplates=[
            PageTemplate("first", [frame], onPage=decor.first, autoNextPageTemplate="later"),
            PageTemplate("later", [frame], onPage=decor.later),
        ],
        title=title,
        author=practice,
        subject=title,
        creator="Fascia",
        invariant=int(invariant),
        initialFontName=REGULAR,
        lang=str(babel_locale(locale)).replace("_", "-"),
    )
    story = [*letterhead(profile), *title_block(title, subtitle, doc_date, locale), *flowables]
    doc.build(story, canvasmaker=_NumberedCanvas)
    data = buffer.getvalue()
    if isinstance(out, Path):
        out.write_bytes(data)
    elif out is not None:
        out.write(data)
    return data
