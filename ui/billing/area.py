"""The Billing area as the main window holds it: built on first use, so startup stays quick."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from practice.store import Database

if TYPE_CHECKING:
    from ui.billing.page import BillingPage


class BillingArea(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._page: BillingPage | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def page(self) -> BillingPage:
        if self._page is None:
            from ui.billing.page import BillingPage

            self._page = BillingPage(self.db)
            self._layout.addWidget(self._page)
            if self.isVisible():
                self._page.show()  # now, not on the next turn of the event loop
        return self._page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _ = self.page

    def save(self) -> bool:
        return self._page is None or self._page.save()

    def save_soon(self) -> None:
        if self._page is not None:
            self._page.save_soon()

    def confirm_leave(self) -> bool:
        return self._page is None or self._page.confirm_leave()

    def open_settings(self) -> None:
        self.page.open_settings()

    def print_current(self) -> bool:
        """Preview the open invoice (File > Print); False when no invoice is open."""
        if self._page is None:
            return False
        return self._page.print_current()
