"""First run on an empty folder: set up the practice profile, or explore a separate demo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from practice.store import Database
from ui import icons, theme
from ui.lock.passphrase import ProtectChoice
from ui.practice_profile import PracticeProfileForm
from ui.widgets.scrolling import ScrollingBody, fit_to_screen


class WelcomeDialog(QDialog):
    """Accepted with `choice` "practice" (profile saved) or "demo" (open the demo folder)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.choice = ""
        self.passphrase: str | None = None  # the practice is encrypted with it once set up
        self.setWindowTitle("Welcome to Fascia")
        self.setMinimumWidth(820)
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 24)
        layout.setSpacing(8)
        mark = QLabel()
        mark.setPixmap(icons.pixmap("hand", 36, theme.colours().accent))
        title = QLabel("Welcome to Fascia")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        head = QHBoxLayout()
        head.addWidget(mark)
        head.addWidget(title, 1)
        layout.addLayout(head)
        body = QWidget()
        middle = QVBoxLayout(body)
        middle.setContentsMargins(0, 0, 8, 0)
        middle.setSpacing(8)
        intro = QLabel(
            "Fascia keeps your clients, intakes, pain charts and treatment notes on this "
            "computer, in one file that you own. Start by telling it who you are: these "
            "details print on your documents. You can change them later in "
            "Edit > Practice profile."
        )
        intro.setWordWrap(True)
        intro.setProperty("muted", True)
        middle.addWidget(intro)
        middle.addSpacing(16)
        self.form = PracticeProfileForm()
        middle.addWidget(self.form)
        middle.addSpacing(8)
        self.protect = ProtectChoice()
        middle.addWidget(self.protect)
        middle.addStretch(1)
        layout.addWidget(ScrollingBody(body), 1)
        layout.addSpacing(8)
        buttons = QHBoxLayout()
        demo = QPushButton("Explore a demo practice")
        demo.setToolTip(
            "Opens a separate practice full of made-up clients; your real records "
            "stay empty and untouched."
        )
        demo.clicked.connect(self._on_demo_clicked)
        start = QPushButton("Start my practice")
        start.setProperty("primary", True)
        start.setDefault(True)
        start.clicked.connect(self._on_start_clicked)
        buttons.addWidget(demo)
        buttons.addStretch(1)
        buttons.addWidget(start)
        layout.addLayout(buttons)
        note = QLabel(f"Practice folder: {db.data_dir}")
        note.setProperty("muted", True)
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(note)
        fit_to_screen(self)

    def _on_start_clicked(self) -> None:
        if self.form.save(self.db) is None:
            return
        valid, self.passphrase = self.protect.choice()
        if valid:
            self.choice = "practice"
            self.accept()

    def _on_demo_clicked(self) -> None:
        self.choice = "demo"
        self.accept()
