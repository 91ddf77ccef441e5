"""Read-only tables of text cells (invoice lines, payments, reports) with right-aligned amounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
STRETCH_MIN = 96  # the column taking the rest keeps at least this much
MIN_COLUMN = 40


class TextTableModel(QAbstractTableModel):
    """Rows of ready-made strings; `numeric` columns are right-aligned; a total row is bold."""

    def __init__(
        self,
        header: Sequence[str],
        numeric: frozenset[int] = frozenset(),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.header = tuple(header)
        self.numeric = numeric
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[object] = []
        self._bold: set[int] = set()

    def set_rows(
        self,
        rows: Sequence[Sequence[str]],
        keys: Sequence[object] | None = None,
        *,
        total: Sequence[str] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._keys = list(keys) if keys is not None else [None] * len(self._rows)
        self._bold = set()
        if total is not None:
            self._bold.add(len(self._rows))
            self._rows.append(tuple(total))
            self._keys.append(None)
        self.endResetModel()

    def key(self, row: int) -> object:
        return self._keys[row]

    def cell(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.header)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.header[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if section in self.numeric else LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if index.column() in self.numeric else LEFT
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold:
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        return None


def table_view(model: QAbstractTableModel, name: str, parent: QWidget | None = None) -> QTableView:
    """A quiet, row-selecting, read-only table in Fascia's list style."""
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(LEFT)
    return view


def fit_columns(
    view: QTableView, stretch: int, widths: dict[int, int], *, drop: Sequence[int] = ()
) -> ColumnFit:
    """Given widths for some columns (amounts, dates) and one column taking the rest, kept
    within the view's width: see `ColumnFit`."""
    return ColumnFit(view, stretch, widths, drop)


class ColumnFit(QObject):
    """Fits a table's columns to its width whenever the view is resized, so a table never
    runs past its right edge (the tables have no horizontal scroll bar).

    Wide enough, the columns take their given widths and `stretch` the rest. Narrower, the
    columns in `drop` are hidden, in that order, until the others fit (what they hold is one
    click away, in the record they belong to); narrower still, the given widths shrink
    evenly and long text ends in an ellipsis.
    """

    def __init__(
        self, view: QTableView, stretch: int, widths: dict[int, int], drop: Sequence[int]
    ) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.widths = dict(widths)
        self.drop = tuple(drop)
        self.hidden = {c for c in range(view.model().columnCount()) if view.isColumnHidden(c)}
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
        room = self.view.viewport().width() - STRETCH_MIN
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
