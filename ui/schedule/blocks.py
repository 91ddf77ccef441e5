"""How an appointment block looks, wherever one is drawn (week grid, month, Today, dialogs):
the state's icon and colours, wall-clock text in the practice's locale, and the block fonts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPixmap

from practice.dates import format_time
from practice.schedule.records import AppointmentState
from ui import icons, theme

MAX_KEPT_LINES = 4000  # laid-out block lines kept between paints (a few weeks' worth)

# The state as an icon and a word on every block (UI.md: never colour alone).
STATE_ICONS = {
    AppointmentState.BOOKED: "calendar",
    AppointmentState.CONFIRMED: "calendar-check",
    AppointmentState.ARRIVED: "user-check",
    AppointmentState.COMPLETED: "file-pen",
    AppointmentState.NOTE_SIGNED: "file-signature",
    AppointmentState.BILLED: "receipt",
    AppointmentState.CANCELLED: "calendar-x",
    AppointmentState.NO_SHOW: "user-x",
}


@dataclass(frozen=True, slots=True)
class BlockType:
    fonts: tuple[QFont, QFont, QFont]  # the body, a name, a cancelled appointment's name
    metrics_of: tuple[QFontMetrics, QFontMetrics, QFontMetrics]
    metrics: QFontMetrics
    line: int

    @classmethod
    def of(cls, base: QFont) -> BlockType:
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        struck = QFont(bold)
        struck.setStrikeOut(True)
        fonts = (QFont(base), bold, struck)
        metrics = tuple(QFontMetrics(f) for f in fonts)
        return cls(fonts, metrics, metrics[0], metrics[0].height())  # type: ignore[arg-type]


@contextmanager
def smooth(painter: QPainter) -> Iterator[None]:
    """Draw with antialiasing (a curve), then go back to crisp, fast fills."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    try:
        yield
    finally:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)


@cache
def clock(hour: int, minute: int, locale: str) -> str:
    """A wall-clock time in the locale's words, once per time (Babel is slow per call)."""
    return format_time(datetime(2000, 1, 1, hour, minute), locale)


@cache
def state_pixmap(name: str, colour: str) -> QPixmap:
    """A state's icon in a colour, rendered once (an SVG render per block per paint is slow)."""
    return icons.pixmap(name, 14, colour)


def state_colours(state: AppointmentState) -> tuple[str, str]:
    """(edge and text, fill) of a block in the current scheme."""
    c = theme.colours()
    if state.pending:
        return c.accent, c.selection
    if state is AppointmentState.ARRIVED:
        return c.info, c.info_bg
    if state is AppointmentState.NO_SHOW:
        return c.warning, c.warning_bg
    if state is AppointmentState.CANCELLED:
        return c.muted, c.surface_alt
    return c.success, c.surface_alt
