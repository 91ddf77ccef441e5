"""The timeline's kind toggles: one checkable button per kind, its state shown by fill and
border (and said by its tooltip and accessible state), remembered between sessions.

The toggles carry words only, so all nine fit one line beside the client list at 1280 px; the
icons stay in the table, beside each kind's word.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from practice.timeline.records import Kind
from ui import theme
from ui.widgets.flow import FlowLayout

SETTINGS_KEY = "timeline/hidden_kinds"
PLURALS = {
    Kind.INTAKE: "Intakes",
    Kind.CONSENT: "Consents",
    Kind.VISIT: "Visits",
    Kind.CHART: "Body charts",
    Kind.MEASURE: "Measures",
    Kind.PLAN: "Plans",
    Kind.DOCUMENT: "Documents",
    Kind.INVOICE: "Invoices",
    Kind.PAYMENT: "Payments",
}


def toggle_style() -> str:
    """On: filled and outlined in the accent. Off: no fill, a dashed outline, muted text."""
    c = theme.colours()
    return (
        f"QToolButton {{ background: transparent; color: {c.muted}; "
        f"border: 1px dashed {c.muted}; border-radius: 13px; padding: 3px 8px; "
        "min-height: 20px; }"
        f"QToolButton:hover {{ border-color: {c.muted}; }}"
        f"QToolButton:checked {{ background: {c.selection}; color: {c.text}; "
        f"border: 1px solid {c.accent}; font-weight: 600; }}"
        f"QToolButton:focus {{ border: 2px solid {c.accent}; }}"
    )


class KindFilters(QWidget):
    """Which kinds the timeline shows. `changed` carries the kinds after every toggle."""

    changed = Signal(object)  # frozenset[Kind]

    def __init__(
        self, offered: Iterable[Kind] = tuple(Kind), parent: QWidget | None = None
    ) -> None:
        """`offered`: the kinds the person signed in may read (each gets a toggle)."""
        super().__init__(parent)
        self.setObjectName("TimelineKinds")
        self.setStyleSheet(toggle_style())
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # the toggles wrap onto a second line when narrow
        self.setSizePolicy(policy)
        layout = FlowLayout(self)
        layout.setSpacing(6)
        self.buttons: dict[Kind, QToolButton] = {}
        hidden = self._remembered_hidden()
        for kind in (kind for kind in Kind if kind in frozenset(offered)):
            button = QToolButton()
            button.setText(PLURALS[kind])
            button.setCheckable(True)
            button.setChecked(kind not in hidden)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName(f"Show {PLURALS[kind].lower()}")
            button.toggled.connect(self._on_button_toggled)
            self.buttons[kind] = button
            layout.addWidget(button)
            self._describe(button)

    def kinds(self) -> frozenset[Kind]:
        return frozenset(k for k, b in self.buttons.items() if b.isChecked())

    def set_kinds(self, kinds: Iterable[Kind]) -> None:
        wanted = frozenset(kinds)
        for kind, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(kind in wanted)
            button.blockSignals(False)
            self._describe(button)
        self._changed()

    def show_all(self) -> None:
        self.set_kinds(self.buttons)

    @property
    def all_shown(self) -> bool:
        return len(self.kinds()) == len(self.buttons)

    def _on_button_toggled(self, _on: bool) -> None:
        button = self.sender()
        if isinstance(button, QToolButton):
            self._describe(button)
        self._changed()

    def _changed(self) -> None:
        kinds = self.kinds()
        hidden = self._remembered_hidden() - frozenset(self.buttons)  # others' kinds stay as set
        hidden |= frozenset(k for k in self.buttons if k not in kinds)
        QSettings().setValue(SETTINGS_KEY, sorted(k.value for k in hidden))
        self.changed.emit(kinds)

    @staticmethod
    def _describe(button: QToolButton) -> None:
        state = "shown" if button.isChecked() else "hidden"
        button.setToolTip(f"{button.text()} are {state}; click or press Space to switch")

    @staticmethod
    def _remembered_hidden() -> frozenset[Kind]:
        stored = QSettings().value(SETTINGS_KEY, [])
        values = [stored] if isinstance(stored, str) else list(stored or [])
        known = {k.value for k in Kind}
        return frozenset(Kind(v) for v in values if v in known)
