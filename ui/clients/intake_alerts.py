"""The Intake tab's alert preview: what the intake being read or typed would set, shown only
when that differs from the alerts on file (the header's chips show those)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.clients import rules
from ui.widgets.alerts import AlertBanner, AlertChip
from ui.widgets.flow import FlowLayout
from ui.widgets.forms import muted, section_title

DETAILS_MAX_HEIGHT = 240


class IntakeAlertPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        heading = QHBoxLayout()
        heading.setSpacing(16)
        title = section_title("Alerts from this intake")
        title.setContentsMargins(0, 0, 0, 0)
        self.chips = QWidget()
        self.chips.setAccessibleName("Alerts from this intake")
        self._chip_layout = FlowLayout(self.chips)
        self.details_button = QToolButton()
        self.details_button.setText("Show details")
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self._on_details_button_toggled)
        heading.addWidget(title, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.chips, 1)
        heading.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)
        self.banner = AlertBanner()
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._scroll.setMaximumHeight(DETAILS_MAX_HEIGHT)
        self._scroll.setWidget(self.banner)
        self._scroll.hide()
        layout.addWidget(self._scroll)

    def show_alerts(self, alerts: list[rules.Alert], on_file: list[rules.Alert]) -> None:
        """The form's `alerts`; hidden when they are the ones `on_file` (each shows once)."""
        self.setHidden(_rules_of(alerts) == _rules_of(on_file))
        self.banner.set_alerts(alerts)
        while (item := self._chip_layout.takeAt(0)) is not None:
            chip = item.widget()
            chip.hide()
            chip.deleteLater()
        for alert in alerts:
            self._chip_layout.addWidget(AlertChip([alert], with_title=True))
        if alerts == [rules.NO_INTAKE]:
            self._chip_layout.addWidget(
                muted("Nothing is on file until this intake is saved.", wrap=False)
            )
        elif not alerts:
            self._chip_layout.addWidget(
                muted("None: nothing in this intake limits treatment.", wrap=False)
            )
        self.details_button.setVisible(bool(alerts))
        self._scroll.setVisible(bool(alerts) and self.details_button.isChecked())

    def _on_details_button_toggled(self, shown: bool) -> None:
        self.details_button.setText("Hide details" if shown else "Show details")
        self._scroll.setVisible(shown and not self.banner.isHidden())


def _rules_of(alerts: list[rules.Alert]) -> frozenset[str]:
    return frozenset(alert.rule for alert in alerts)
