"""The visit history table: one row per visit, newest first, read from cached VisitSummary rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from practice.visits.records import PLACES_OF_SERVICE, VisitStatus, VisitSummary
from ui import icons, theme
from ui.widgets import dates
from ui.widgets.tables import RowsModel

Index = QModelIndex | QPersistentModelIndex


def local_time(moment: datetime) -> str:
    return dates.moment(moment)


def note_state(visit: VisitSummary) -> str:
    """Signed, Draft, imported, Cancelled or No-show, in words (the icon repeats it)."""
    if visit.imported:
        return (
            "Imported"
            if visit.status is VisitStatus.COMPLETED
            else f"{visit.status.label}, imported"
        )
    if visit.status is not VisitStatus.COMPLETED:
        return f"{visit.status.label}, signed" if visit.signed else visit.status.label
    if visit.signed:
        return "Signed, amended" if visit.amendments else "Signed"
    return "Draft"


class VisitHistoryModel(RowsModel):
    """A client's visits; data() only reads the rows handed to set_rows()."""

    COLUMNS = ("Date", "Note", "Before", "After", "Min", "Techniques")
    HEADER_TIPS = (
        "When the visit started",
        "Signed, draft, imported, cancelled or no-show",
        "Pain before treatment (NRS 0-10)",
        "Pain after treatment (NRS 0-10)",
        "Treatment minutes logged",
        "Techniques used, in note order",
    )
    DATE, NOTE, PAIN_BEFORE, PAIN_AFTER, MINUTES, TECHNIQUES = range(len(COLUMNS))
    NUMBERS = RIGHT_ALIGNED = frozenset({PAIN_BEFORE, PAIN_AFTER, MINUTES})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        c = theme.colours()
        self._icons = {
            "signed": icons.icon("file-signature", c.success),
            "draft": icons.icon("pencil", c.warning),
            "off": icons.icon("ban", c.muted),
            "imported": icons.icon("import", c.muted),
        }
        self._muted = QColor(c.muted)

    def visit(self, row: int) -> VisitSummary:
        return self.item(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        visit = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(visit, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(visit)
        if role == Qt.ItemDataRole.DecorationRole and column == self.NOTE:
            return self._icons[self._kind(visit)]
        if role == Qt.ItemDataRole.ForegroundRole and visit.status is not VisitStatus.COMPLETED:
            return self._muted
        return None

    @staticmethod
    def _kind(visit: VisitSummary) -> str:
        if visit.status is not VisitStatus.COMPLETED:
            return "off"
        if visit.imported:
            return "imported"
        return "signed" if visit.signed else "draft"

    def _text(self, visit: VisitSummary, column: int) -> str:
        if column == self.DATE:
            return local_time(visit.starts_at)
        if column == self.NOTE:
            return note_state(visit)
        if column == self.PAIN_BEFORE:
            return "" if visit.pain_before is None else str(visit.pain_before)
        if column == self.PAIN_AFTER:
            return "" if visit.pain_after is None else str(visit.pain_after)
        if column == self.MINUTES:
            return str(visit.treatment_minutes) if visit.treatment_minutes else ""
        return ", ".join(visit.techniques)

    @staticmethod
    def _tooltip(visit: VisitSummary) -> str:
        place = PLACES_OF_SERVICE.get(visit.place_of_service, visit.place_of_service)
        lines = [
            f"{local_time(visit.starts_at)}, {visit.duration_minutes} min, {place}",
            note_state(visit),
        ]
        if visit.techniques:
            lines.append(", ".join(visit.techniques))
        if visit.amendments:
            lines.append(f"{visit.amendments} amendment{'s' if visit.amendments != 1 else ''}")
        return "\n".join(lines)
