"""What every list screen shares: a table model over frozen read models, columns that fit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STRETCH_MIN = 96  # the column taking the rest keeps at least this much
MIN_COLUMN = 40


class RowsModel(QAbstractTableModel):
    """Rows handed over by `set_rows` (read models from a service); `data()` reads only them.

    Subclasses name their `COLUMNS`, may add `HEADER_TIPS` (one tooltip per column) and
    `RIGHT_ALIGNED` (numbers and money), and implement `data`. Rows are found again by `KEY`
    (an attribute, `id` unless said otherwise), e.g. to keep the selection after a refresh.
    """

    COLUMNS: tuple[str, ...] = ()
    HEADER_TIPS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    KEY = "id"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, key: object) -> int | None:
        return next((i for i, r in enumerate(self._rows) if getattr(r, self.KEY) == key), None)

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return RIGHT if column in self.RIGHT_ALIGNED else LEFT

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and self.HEADER_TIPS:
            return self.HEADER_TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(section)
        return None


def fit_columns(
    view: QTableView,
    stretch: int,
    widths: dict[int, int],
    *,
    drop: Sequence[int] = (),
    stretch_min: int = STRETCH_MIN,
) -> ColumnFit:
    """Given widths for some columns (amounts, dates) and one column taking the rest, kept
    within the view's width: see `ColumnFit`."""
    return ColumnFit(view, stretch, widths, drop, stretch_min)


class ColumnFit(QObject):
    """Fits a table's columns to its width whenever the view is resized, so a table never
    runs past its right edge (the tables have no horizontal scroll bar).

    Wide enough, the columns take their given widths and `stretch` the rest. Narrower, the
    columns in `drop` are hidden, in that order, until the others fit (what they hold is one
    click away, in the record they belong to); narrower still, the given widths shrink
    evenly and long text ends in an ellipsis.
    """

    def __init__(
        self,
        view: QTableView,
        stretch: int,
        widths: dict[int, int],
        drop: Sequence[int],
        stretch_min: int = STRETCH_MIN,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.widths = dict(widths)
        self.drop = tuple(drop)
        self.stretch_min = stretch_min
        columns = view.model().columnCount(QModelIndex())
        self.hidden = {c for c in range(columns) if view.isColumnHidden(c)}
        header = view.horizontalHeader()
        header.setMinimumSectionSize(MIN_COLUMN)
        header.setStretchLastSection(False)
        for column in widths:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        room = self.view.viewport().width() - self.stretch_min
        dropped: list[int] = []
        for column in self.drop:
            if self._needed(dropped) <= room:
                break
            dropped.append(column)
        for column in self.widths:
            self.view.setColumnHidden(column, column in self.hidden or column in dropped)
        needed = self._needed(dropped)
        scale = min(1.0, room / needed) if needed > 0 and room > 0 else 1.0
        header = self.view.horizontalHeader()
        for column, width in self.widths.items():
            if not self.view.isColumnHidden(column):
                header.resizeSection(column, max(MIN_COLUMN, int(width * scale)))

    def _needed(self, dropped: list[int]) -> int:
        return sum(
            width
            for column, width in self.widths.items()
            if column not in dropped and column not in self.hidden
        )


def row_table(model: QAbstractItemModel, name: str) -> QTableView:
    """A read-only list of rows: one row selected at a time, no grid, no row numbers, one line
    a row, headings aligned with the text under them."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return table
