"""Form building blocks: labelled fields with inline error messages, and date fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import icons, theme


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setWeight(font.Weight.DemiBold)
    label.setFont(font)
    return label


def muted(text: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setProperty("muted", True)
    label.setWordWrap(wrap)
    return label


class WrappedLabel(QLabel):
    """A word-wrapped label that is always as tall as its text at its width.

    Qt lays a window out by minimum sizes that ignore height-for-width: a wrapped label under
    a field gets one line's height and its second line is cut off, or drawn under the next
    field. Asking for the wrapped height as the minimum makes the dialog grow to fit it.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = self.width() if self.width() > 0 else self.sizeHint().width()
        needed = self.heightForWidth(width)
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class ErrorLabel(QWidget):
    """A danger-coloured icon and message shown under a field; hidden when there is no error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(4)
        self._icon = QLabel()
        self._text = WrappedLabel()
        self._text.setObjectName("ErrorText")
        self._text.setProperty("role", "error")
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.hide()

    def set_message(self, message: str) -> None:
        if message:
            self._icon.setPixmap(icons.pixmap("circle-alert", 14, theme.colours().danger))
            self._text.setText(message)
            self.show()
            _make_room(self)
        else:
            self._text.clear()
            self.hide()

    def message(self) -> str:
        return self._text.text() if self.isVisible() or self._text.text() else ""


def _make_room(widget: QWidget) -> None:
    """Grow a dialog that is too short for what its layout now needs (a message just shown):
    a dialog given a minimum height of its own no longer grows by itself."""
    window = widget.window()
    layout = window.layout()
    if not isinstance(window, QDialog) or layout is None or not window.isVisible():
        return
    layout.activate()
    needed = layout.totalMinimumSize().height()
    if layout.hasHeightForWidth():
        needed = max(needed, layout.totalHeightForWidth(window.width()))
    if needed > window.height():
        window.resize(window.width(), needed)


CAPTION_MIN_WIDTH = 120


class FormGrid(QWidget):
    """A label/field grid where each field can show an error beneath it.

    With `columns=2` the fields sit in two columns while the grid is wide enough for them,
    and in one column when it is not (a narrow window, 125% scaling): the form grows taller
    instead of running off to the right.
    """

    def __init__(self, parent: QWidget | None = None, *, columns: int = 1) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(4)
        self._columns = columns
        self._shown_columns = columns
        self._rows: list[tuple[QLabel, QWidget, bool]] = []
        self._wide_min = 0  # the width the grid needs in all its columns
        self.partners: tuple[FormGrid, ...] = (self,)  # grids that switch together
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self._caption_width = CAPTION_MIN_WIDTH  # the first caption column's
        self._set_columns(columns)

    def add(self, name: str, label: str, widget: QWidget, *, span: bool = False) -> QWidget:
        caption = QLabel(label)
        caption.setBuddy(widget)
        caption.setProperty("muted", True)
        caption.setContentsMargins(0, 6, 0, 0)
        widget.setAccessibleName(label.replace("&", ""))
        error = ErrorLabel()
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 8)
        inner.setSpacing(0)
        inner.addWidget(widget)
        inner.addWidget(error)
        self._rows.append((caption, box, span))
        self._put(len(self._rows) - 1, self._shown_columns)
        self.fields[name] = widget
        self.errors[name] = error
        return widget

    def minimumSizeHint(self) -> QSize:
        """As narrow as one column: wider, the fields go in two."""
        hint = super().minimumSizeHint()
        if self._columns == 1 or not self._rows:
            return hint
        captions = max(
            self._grid.columnMinimumWidth(0),
            *(caption.minimumSizeHint().width() for caption, _, _ in self._rows),
        )
        fields = max(box.minimumSizeHint().width() for _, box, _ in self._rows)
        one_column = captions + self._grid.horizontalSpacing() + fields
        return QSize(min(hint.width(), one_column), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._columns == 1:
            return
        if self._shown_columns == self._columns:
            self._wide_min = self._grid.minimumSize().width()
        needed = max(grid._wide_min for grid in self.partners)
        columns = self._columns if self.width() >= needed else 1
        if columns != self._shown_columns:
            self._place(columns)

    def set_caption_width(self, width: int) -> None:
        self._caption_width = width
        self._grid.setColumnMinimumWidth(0, width)

    def _place(self, columns: int) -> None:
        """Lay the rows out again, left to right in `columns` columns of caption and field."""
        for caption, box, _ in self._rows:
            self._grid.removeWidget(caption)
            self._grid.removeWidget(box)
        self._set_columns(columns)
        for index in range(len(self._rows)):
            self._put(index, columns)

    def _set_columns(self, columns: int) -> None:
        for c in range(max(columns, self._columns)):
            shown = c < columns
            self._grid.setColumnStretch(c * 2 + 1, 1 if shown else 0)
            width = self._caption_width if c == 0 else CAPTION_MIN_WIDTH
            self._grid.setColumnMinimumWidth(c * 2, width if shown else 0)
        self._shown_columns = columns

    def _put(self, index: int, columns: int) -> None:
        caption, box, span = self._rows[index]
        slot = 0  # the cell the row starts in, counting across then down
        for earlier, (_, _, spans) in enumerate(self._rows[: index + 1]):
            if spans and slot % columns:
                slot += columns - slot % columns  # a spanning row starts a new line
            if earlier < index:
                slot += columns if spans else 1
        row, col = divmod(slot, columns)
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        self._grid.addWidget(caption, row, col * 2, align)
        top = Qt.AlignmentFlag.AlignTop  # beside a field showing an error, stay level with it
        if span:
            self._grid.addWidget(box, row, 1, 1, columns * 2 - 1, top)
        else:
            self._grid.addWidget(box, row, col * 2 + 1, top)

    def show_errors(self, errors: dict[str, str]) -> bool:
        """Show each message next to its field and focus the first. Returns True if any shown."""
        first: QWidget | None = None
        for name, label in self.errors.items():
            message = errors.get(name, "")
            if message or label.message():
                label.set_message(message)
            widget = self.fields[name]
            if bool(widget.property("invalid")) != bool(message):  # restyled only on a change
                widget.setProperty("invalid", bool(message))
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            if message and first is None:
                first = widget
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return first is not None

    def clear_errors(self) -> None:
        self.show_errors({})


def align_captions(grids: tuple[FormGrid, ...]) -> None:
    """Give several FormGrids one caption width, so their fields line up section after section
    (and one number of columns: they go to one column together)."""
    captions = [
        label for grid in grids for label in grid.findChildren(QLabel) if label.buddy() is not None
    ]
    width = max(label.sizeHint().width() for label in captions)
    for grid in grids:
        grid.set_caption_width(width)
        grid.partners = grids


def line(placeholder: str = "", max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    edit.setClearButtonEnabled(False)
    return edit


def text_box(placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    metrics = edit.fontMetrics()
    edit.setFixedHeight(metrics.lineSpacing() * lines + 2 * edit.document().documentMargin() + 16)
    return edit


class DateField(QLineEdit):
    """A date typed as YYYY-MM-DD (empty allowed). `value()` raises ValueError with a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setMaxLength(10)

    def value(self) -> date | None:
        text = self.text().strip()
        if not text:
            return None
        parts = text.replace("/", "-").replace(".", "-").split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError("Type the date as YYYY-MM-DD, for example 1984-03-07.")
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise ValueError(f"{text} is not a real date.") from None

    def set_value(self, value: date | None) -> None:
        self.setText(value.isoformat() if value else "")


def focus_topmost(widgets: Iterable[QWidget], body: QWidget, scroll: QScrollArea) -> None:
    """The cursor in the highest of `widgets` (the first wrong field, say), scrolled into view;
    `body` is the scrolled widget they are in."""
    first = min(widgets, key=lambda w: w.mapTo(body, w.rect().topLeft()).y(), default=None)
    if first is not None:
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        scroll.ensureWidgetVisible(first, 16, 48)
