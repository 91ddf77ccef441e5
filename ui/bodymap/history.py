"""The list of a client's pain charts, as wide as the tab can spare: narrow, it keeps the date."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from practice.bodymap.service import BodyChartSummary
from practice.dates import format_day
from ui import icons

COLUMNS = ("Date", "Regions", "Extent", "Max")
DATE, REGIONS, EXTENT, MAX = range(len(COLUMNS))
# Narrower than all four need, the columns go in this order (the row's tooltip has them all).
DROPPED_FIRST = (REGIONS, EXTENT)
WIDEST_DAY = "Nov 30, 2026"  # the widest medium date in most locales
ICON = 16
ID_ROLE = Qt.ItemDataRole.UserRole


class ChartHistoryList(QTreeWidget):
    """One row per chart (its current version): date, a visit mark, regions, extent, max."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(list(COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAccessibleName("Pain charts")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setIconSize(QSize(ICON, ICON))
        self._visit_icon = icons.icon("stethoscope")
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.Stretch)
        for column in (REGIONS, EXTENT, MAX):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.headerItem().setTextAlignment(column, Qt.AlignmentFlag.AlignRight)

    def fill(self, rows: list[BodyChartSummary], current_id: int | None) -> None:
        self.clear()
        for summary in rows:
            maximum = f"{summary.max_intensity}/10" if summary.max_intensity else "–"
            item = QTreeWidgetItem(
                [
                    format_day(summary.charted_on),
                    str(summary.region_count),
                    f"{summary.extent_percent:.1f}%",
                    maximum,
                ]
            )
            item.setData(DATE, ID_ROLE, summary.id)
            regions = "1 region" if summary.region_count == 1 else f"{summary.region_count} regions"
            parts = [format_day(summary.charted_on)]
            if summary.visit_id:
                item.setIcon(DATE, self._visit_icon)
                parts.append("charted at a visit")
            parts += [regions, f"extent {summary.extent_percent:.1f}%", f"max {maximum}"]
            for column in range(len(COLUMNS)):
                item.setToolTip(column, " · ".join(parts))
            for column in (REGIONS, EXTENT, MAX):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.addTopLevelItem(item)
            if summary.id == current_id:
                item.setSelected(True)
                self.setCurrentItem(item)
        self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Keep the whole date (with its visit mark) and drop the numbers that do not fit."""
        date_width = self.fontMetrics().horizontalAdvance(WIDEST_DAY) + ICON + 24
        room = self.viewport().width() - date_width
        for column in (MAX, EXTENT, REGIONS):
            self.setColumnHidden(column, False)
        for column in DROPPED_FIRST:
            numbers = sum(
                self._column_width(c) for c in (REGIONS, EXTENT, MAX) if not self.isColumnHidden(c)
            )
            if numbers <= room:
                break
            self.setColumnHidden(column, True)

    def _column_width(self, column: int) -> int:
        header = self.header()
        return max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
