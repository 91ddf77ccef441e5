"""The ICD-10-CM diagnosis picker: the code list loads on a worker thread, then search as you type.

`CodeListLoader` builds `practice.plans.icd10`'s index once through a `QueryOp` and reports
back on the GUI thread; `DiagnosisPicker` shows a loading state until then, searches
by code or words, refuses a category code with the billable codes below it, and keeps the
chosen codes in claim order (pointer letters A to L).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.errors import ValidationError
from practice.plans.checks import MAX_DIAGNOSES
from practice.plans.icd10 import LOADER, Icd10Index, Icd10Loader
from ui import icons, theme
from ui.ops import QueryOp
from ui.widgets.forms import ErrorLabel, muted

LOADING_TEXT = "Loading the ICD-10-CM code list…"
SEARCH_PLACEHOLDER = "Search ICD-10-CM by code or words: M54.50, low back pain …"
RESULTS_SHOWN = 30
RESULT_ROWS = 7
POINTERS = "ABCDEFGHIJKL"


class CodeListLoader(QObject):
    """Builds the ICD-10-CM index once, off the GUI thread; `ready` fires on the GUI thread."""

    ready = Signal(object)  # Icd10Index
    failed = Signal(str)

    def __init__(self, loader: Icd10Loader = LOADER, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self._started = False

    def index(self) -> Icd10Index | None:
        return self.loader.loaded()

    def start(self) -> None:
        """Start loading unless it is loaded or under way; `ready` follows either way."""
        if self._started:
            return
        self._started = True
        QueryOp(self, self._load, self._on_loaded).run()

    def _load(self) -> Icd10Index | str:
        try:
            return self.loader.load()
        except Exception as error:  # the picker says so in place of the list
            return f"The ICD-10-CM code list could not be loaded: {error}"

    def _on_loaded(self, result: Icd10Index | str) -> None:
        if isinstance(result, str):
            self._started = False  # opening the picker again tries again
            self.failed.emit(result)
        else:
            self.ready.emit(result)


@cache
def code_list() -> CodeListLoader:
    """The application's one loader (made on first use, on the GUI thread)."""
    return CodeListLoader()


class DiagnosisPicker(QWidget):
    """Search box, results and the ordered list of chosen codes with move and remove buttons."""

    changed = Signal()
    results_shown = Signal()  # a list of matches appeared under the search box

    def __init__(self, loader: CodeListLoader | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader or code_list()
        self.index: Icd10Index | None = None
        self._chosen: list[tuple[str, str]] = []  # (code, description) in pointer order
        self._browsed = False  # an arrow key moved through the results since the last typing

        self.search = QLineEdit()
        self.search.setAccessibleName("Search ICD-10-CM diagnoses")
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.search.installEventFilter(self)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFixedHeight(4)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(LOADING_TEXT)
        self.results = QListWidget()
        self.results.setAccessibleName("Matching billable codes")
        self.results.setUniformItemSizes(True)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.results.hide()
        self.error = ErrorLabel()
        self.chosen = QListWidget()
        self.chosen.setAccessibleName("Diagnoses in claim order")
        self.chosen.setUniformItemSizes(True)
        self.chosen.currentRowChanged.connect(self._update_buttons)
        self.empty = muted("No diagnoses yet. Search above and press Enter to add one.")
        self.up = self._tool("chevron-up", "Move the diagnosis up", lambda: self._move(-1))
        self.down = self._tool("chevron-down", "Move the diagnosis down", lambda: self._move(1))
        self.remove = self._tool("x", "Remove the diagnosis", self._remove_current)

        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        for button in (self.up, self.down, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        chosen_row = QHBoxLayout()
        chosen_row.setSpacing(8)
        chosen_row.addWidget(self.chosen, 1)
        chosen_row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.busy)
        layout.addWidget(self.results)
        layout.addWidget(self.error)
        layout.addWidget(self.empty)
        layout.addLayout(chosen_row)
        self.setFocusProxy(self.search)

        self.loader.ready.connect(self._on_loader_ready)
        self.loader.failed.connect(self._on_loader_failed)
        index = self.loader.index()
        if index is not None:
            self._on_loader_ready(index)
        else:
            self._set_loading(True)
        self._refresh_chosen()

    # ------------------------------------------------------------------ public

    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self._chosen)

    def set_diagnoses(self, diagnoses: Sequence[tuple[str, str]]) -> None:
        """Show saved diagnoses (code, description) without needing the code list."""
        self._chosen = list(diagnoses)
        self.error.set_message("")
        self._refresh_chosen()

    def is_loading(self) -> bool:
        return self.index is None

    def add(self, code: str) -> bool:
        """Add a code (typed or picked). A category or unknown code is refused with a message."""
        if self.index is None:
            return False
        try:
            normal = self.index.validate_billable(code)
        except ValidationError as error:
            self.error.set_message(" ".join(error.errors.values()))
            self.search.setFocus()
            return False
        if normal in self.codes():
            self.error.set_message(f"{normal} is already on the list.")
            return False
        if len(self._chosen) >= MAX_DIAGNOSES:
            self.error.set_message(f"A claim holds at most {MAX_DIAGNOSES} diagnosis codes.")
            return False
        self._chosen.append((normal, self.index.describe(normal)))
        self.error.set_message("")
        self.search.clear()
        self._refresh_chosen()
        self.chosen.setCurrentRow(len(self._chosen) - 1)
        self.changed.emit()
        return True

    def show_error(self, message: str) -> None:
        self.error.set_message(message)

    # ------------------------------------------------------------------ helpers

    def _tool(self, icon: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setIcon(icons.icon(icon, theme.colours().muted))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def _set_loading(self, loading: bool) -> None:
        self.search.setEnabled(not loading)
        self.search.setPlaceholderText(LOADING_TEXT if loading else SEARCH_PLACEHOLDER)
        self.busy.setVisible(loading)

    def _refresh_chosen(self) -> None:
        self.chosen.clear()
        for position, (code, description) in enumerate(self._chosen):
            item = QListWidgetItem(f"{POINTERS[position]}   {code}   {description}")
            item.setToolTip(f"Diagnosis pointer {POINTERS[position]}: {code} {description}")
            self.chosen.addItem(item)
        rows = max(1, len(self._chosen))
        self.chosen.setFixedHeight(self.chosen.sizeHintForRow(0) * rows + 8 if self._chosen else 0)
        self.chosen.setVisible(bool(self._chosen))
        self.empty.setVisible(not self._chosen)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.chosen.currentRow()
        has = 0 <= row < len(self._chosen)
        for button in (self.up, self.down, self.remove):
            button.setVisible(bool(self._chosen))
        self.up.setEnabled(has and row > 0)
        self.down.setEnabled(has and row < len(self._chosen) - 1)
        self.remove.setEnabled(has)

    def _move(self, step: int) -> None:
        row = self.chosen.currentRow()
        other = row + step
        if not (0 <= row < len(self._chosen) and 0 <= other < len(self._chosen)):
            return
        self._chosen[row], self._chosen[other] = self._chosen[other], self._chosen[row]
        self._refresh_chosen()
        self.chosen.setCurrentRow(other)
        self.changed.emit()

    def _remove_current(self) -> None:
        row = self.chosen.currentRow()
        if 0 <= row < len(self._chosen):
            del self._chosen[row]
            self._refresh_chosen()
            self.chosen.setCurrentRow(min(row, len(self._chosen) - 1))
            self.changed.emit()

    # ------------------------------------------------------------------ handlers

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.index is None:
            self.loader.start()  # the first time the picker is seen, unless started earlier

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
            and self.results.isVisible()
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            self._browsed = True
            return True
        return super().eventFilter(watched, event)

    def _on_loader_ready(self, index: Icd10Index) -> None:
        self.index = index
        self._set_loading(False)
        if self.search.text().strip():
            self._on_search_text_changed(self.search.text())

    def _on_loader_failed(self, message: str) -> None:
        self.busy.hide()
        self.search.setPlaceholderText("The ICD-10-CM code list is unavailable")
        self.error.set_message(message)

    def _on_search_text_changed(self, text: str) -> None:
        if self.index is None:
            return
        self.error.set_message("")
        self._browsed = False
        self.results.clear()
        for found in self.index.search(text, RESULTS_SHOWN) if text.strip() else []:
            item = QListWidgetItem(f"{found.code}   {found.description}")
            item.setData(Qt.ItemDataRole.UserRole, found.code)
            item.setToolTip(f"{found.code} {found.description}")
            self.results.addItem(item)
        shown = self.results.count()
        if shown:
            self.results.setCurrentRow(0)
            rows = min(shown, RESULT_ROWS)
            frame = 2 * self.results.frameWidth()
            self.results.setFixedHeight(self.results.sizeHintForRow(0) * rows + frame)
        self.results.setVisible(bool(shown))
        if shown:
            self.results_shown.emit()

    def _on_search_return_pressed(self) -> None:
        """A typed code is taken as typed (a category is refused); otherwise the highlighted hit."""
        text = self.search.text().strip()
        if self.index is None or not text:
            return
        typed = self.index.get(text)
        current = self.results.currentItem()
        if typed is not None and (current is None or not self._browsed):
            self.add(typed.code)
        elif current is not None:
            self.add(current.data(Qt.ItemDataRole.UserRole))
        else:
            self.error.set_message(f"No billable ICD-10-CM code matches '{text}'.")

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        self.add(item.data(Qt.ItemDataRole.UserRole))
