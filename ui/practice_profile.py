"""The practice profile form (therapist, registration, letterhead), at first run and later."""

from __future__ import annotations

import babel
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients import service
from practice.clients.records import PracticeProfile
from practice.errors import ValidationError
from practice.store import Database
from ui.backup.settings import BackupSettingsSection
from ui.ops import holding, write_from, write_now
from ui.widgets import dates
from ui.widgets.forms import FormGrid, line, text_box
from ui.widgets.scrolling import ScrollingBody, fit_to_screen

# Locale and currency pairs a solo practice is likely to want; anything Babel knows is accepted.
REGIONS = [
    ("United States (USD)", "en_US", "USD"),
    ("Canada, English (CAD)", "en_CA", "CAD"),
    ("Canada, français (CAD)", "fr_CA", "CAD"),
    ("United Kingdom (GBP)", "en_GB", "GBP"),
    ("Ireland (EUR)", "en_IE", "EUR"),
    ("Australia (AUD)", "en_AU", "AUD"),
    ("New Zealand (NZD)", "en_NZ", "NZD"),
    ("Deutschland (EUR)", "de_DE", "EUR"),
    ("France (EUR)", "fr_FR", "EUR"),
]
LOGO_MAX = 600


def region_label(locale: str, currency: str) -> str:
    """A region as the Welcome names them ('Canada, English (CAD)'), for any saved locale."""
    for label, known_locale, known_currency in REGIONS:
        if (known_locale, known_currency) == (locale, currency):
            return label
    try:
        found = babel.Locale.parse(locale.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return f"{locale} ({currency})"
    country = found.territories.get(found.territory or "", "")
    language = found.get_language_name(found) or locale
    return f"{country}, {language} ({currency})" if country else f"{language} ({currency})"


SAVED = Changes.of("settings")  # the letterhead and locale every printout uses


class PracticeProfileForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._logo: bytes | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.grid = FormGrid(columns=2)
        g = self.grid
        g.add("therapist_name", "&Your name", line("As it should print on documents"))
        g.add("credentials", "&Credentials", line("RMT, LMT, CMT ...", 120))
        g.add("practice_name", "&Practice name", line("Optional"))
        g.add("registration_number", "&Registration no.", line("Licence or college number", 60))
        g.add("npi", "&NPI", line("10 digits (US only)", 20))
        g.add("tax_id", "&Tax ID", line("EIN, HST or VAT number", 40))
        g.add("phone", "P&hone", line("", 40))
        g.add("email", "&Email", line())
        g.add("address", "&Address", text_box("Street, city, postal code", 2), span=True)
        region = QComboBox()
        for label, locale, currency in REGIONS:
            region.addItem(label, (locale, currency))
        g.add("locale", "Re&gion", region)
        logo_row = QWidget()
        lr = QHBoxLayout(logo_row)
        lr.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel("No logo")
        self.logo_preview.setProperty("muted", True)
        self.logo_preview.setFixedHeight(40)
        choose = QPushButton("Choose logo…")
        choose.clicked.connect(self._on_choose_logo_clicked)
        lr.addWidget(self.logo_preview, 1)
        lr.addWidget(choose)
        g.add("logo_png", "&Logo", logo_row)
        layout.addWidget(g)
        g.fields["currency"] = region  # currency errors show next to the region choice

    def load(self, profile: PracticeProfile | None) -> None:
        if profile is None:
            return
        for name, widget in self.grid.fields.items():
            if name in ("locale", "currency", "logo_png"):
                continue
            value = getattr(profile, name)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        region: QComboBox = self.grid.fields["locale"]  # type: ignore[assignment]
        index = region.findData((profile.locale, profile.currency))
        if index < 0:
            label = region_label(profile.locale, profile.currency)
            region.addItem(label, (profile.locale, profile.currency))
            index = region.count() - 1
        region.setCurrentIndex(index)
        self._set_logo(profile.logo_png)

    def value(self) -> PracticeProfile:
        values: dict[str, object] = {}
        for name, widget in self.grid.fields.items():
            if name in ("locale", "currency", "logo_png"):
                continue
            values[name] = (
                widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            )
        locale, currency = self.grid.fields["locale"].currentData()
        return PracticeProfile(locale=locale, currency=currency, logo_png=self._logo, **values)

    def _set_logo(self, data: bytes | None) -> None:
        self._logo = data
        if data:
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            self.logo_preview.setPixmap(
                pixmap.scaledToHeight(40, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.logo_preview.setText("No logo")

    def _on_choose_logo_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a logo", "", "Images (*.png *.jpg *.jpeg *.bmp)"
        )
        if not path:
            return
        image = QImage(path)
        if image.isNull():
            self.grid.show_errors({"logo_png": "That file is not an image Fascia can read."})
            return
        if max(image.width(), image.height()) > LOGO_MAX:
            image = image.scaled(
                LOGO_MAX,
                LOGO_MAX,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        self._set_logo(bytes(data.data()))

    def save(self, db: Database) -> PracticeProfile | None:
        """Save at once: the first-run welcome goes on to the passphrase only once the profile
        is stored (no window is open yet to keep answering). The profile dialog writes on the
        op runner instead (`PracticeProfileDialog`)."""
        value = self.value()
        return write_now(
            self, lambda: service.save_profile(db, value), self.saved, self.refused, changes=SAVED
        )

    def saved(self, profile: PracticeProfile) -> None:
        self.grid.clear_errors()
        dates.use_locale(profile.locale)

    def refused(self, error: ValidationError) -> None:
        self.grid.show_errors(error.errors)


class PracticeProfileDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Practice profile")
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        body = QWidget()
        middle = QVBoxLayout(body)
        middle.setContentsMargins(0, 0, 8, 0)
        note = QLabel("These details print on the letterhead of every invoice, receipt and letter.")
        note.setProperty("muted", True)
        middle.addWidget(note)
        self.form = PracticeProfileForm()
        self.form.load(service.get_profile(db))
        middle.addWidget(self.form)
        self.backups = BackupSettingsSection(db)
        middle.addWidget(self.backups)
        middle.addStretch(1)
        layout.addWidget(ScrollingBody(body), 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setProperty("primary", True)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        fit_to_screen(self)

    def _on_save(self) -> None:
        db, value = self.db, self.form.value()

        def landed(profile: PracticeProfile) -> None:
            self.form.saved(profile)
            self.backups.save(then=self.accept)

        work = lambda: service.save_profile(db, value)  # noqa: E731
        write_from(self, self.buttons, work, landed, self.form.refused, changes=SAVED)

    def reject(self) -> None:
        """Escape waits for a save on its way: the dialog closes once it has landed."""
        if not holding(self.buttons):
            super().reject()
