"""The backup note in the status bar and the warning banner above the work area."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from practice.store.backups.overview import BackupWarning
from ui import icons, theme

# Styled like the clinical alerts (ui/widgets/alerts.py: #AlertRow with a level), whose banner
# is built around contraindication levels and has no place for actions; this one needs two.
LEVELS = {"failed": ("block", "octagon-alert"), "second_overdue": ("caution", "triangle-alert")}


class BackupStatusLabel(QLabel):
    """'Backed up 14:02, verified', with where and how in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Checking backups…", parent)
        self.setProperty("muted", True)
        self.setAccessibleName("Backup status")

    def show_state(self, text: str, tooltip: str = "") -> None:
        self.setText(f"  {text}  ")
        self.setToolTip(tooltip)


class BackupBanner(QWidget):
    """A warning about backups with what to do; hidden while all is well."""

    back_up_clicked = Signal()
    settings_clicked = Signal()
    visibility_changed = Signal(bool)  # whether there is a warning to show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AlertRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.warning: BackupWarning | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        self.icon = QLabel()
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        layout.addLayout(text, 1)
        self.back_up_button = QPushButton(icons.icon("archive"), "Back up now")
        self.back_up_button.clicked.connect(self.back_up_clicked)
        self.settings_button = QPushButton("Backup settings…")
        self.settings_button.clicked.connect(self.settings_clicked)
        layout.addWidget(self.back_up_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_warning(self, warning: BackupWarning | None) -> None:
        self.warning = warning
        self.visibility_changed.emit(warning is not None)
        if warning is None:
            self.hide()
            return
        level, icon = LEVELS[warning.kind]
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        colour = theme.colours().danger if level == "block" else theme.colours().warning
        self.icon.setPixmap(icons.pixmap(icon, 20, colour))
        self.title.setText(warning.title)
        self.detail.setText(warning.detail)
        self.settings_button.setVisible(warning.kind == "second_overdue")
        self.setAccessibleName(f"Backup warning: {warning.title}")
        self.show()
