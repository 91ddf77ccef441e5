"""The Billing area in the main window: the rail button and Ctrl+3, menus, Ctrl+S, leaving."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from practice.billing import service
from practice.billing.records import LineForm
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from ui.billing.area import BillingArea
from ui.main_window import MainWindow
from ui.ops import runner
from ui.widgets.shortcuts import ShortcutsDialog


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    return window


def _action(window: MainWindow, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def test_ctrl_3_opens_the_billing_area_with_its_invoices(qtbot: QtBot, db: Database) -> None:
    client = clients.create_client(db, ClientForm("Chloé", "Dupont"))
    draft = service.create_invoice(db, client.id, [LineForm("Massage", unit_price=Decimal("80"))])
    service.issue_invoice(db, draft.id)
    window = _window(qtbot, db)
    assert window.pages.currentWidget() is window.today
    assert window.nav.checkedButton().text() == "Today"

    button = next(b for b in window.nav.buttons() if b.shortcut() == QKeySequence("Ctrl+3"))
    button.click()

    assert isinstance(window.billing, BillingArea)
    assert window.pages.currentWidget() is window.billing
    assert window.nav.checkedButton().text() == "Billing"
    invoices = window.billing.page.invoices
    qtbot.waitUntil(lambda: invoices.model.rowCount() == 1)  # read once the list is shown
    assert invoices.model.invoice(0).client_name == "Chloé Dupont"


def test_menus_list_billing_and_its_shortcut(qtbot: QtBot, db: Database) -> None:
    window = _window(qtbot, db)
    assert _action(window, "&Billing settings…").isEnabled()
    _action(window, "Billing &reports").trigger()
    page = window.billing.page
    assert page.tabs.currentWidget() is page.reports_holder
    assert page.reports.ageing_empty.isVisibleTo(page.reports)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert ("Navigation rail", "Billing", "Ctrl+3") in dialog.rows()


def test_ctrl_s_saves_the_open_draft_and_leaving_asks_first(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    draft = service.create_invoice(db, client.id, [LineForm("Massage", unit_price=Decimal("80"))])
    window = _window(qtbot, db)
    _action(window, "&Billing").trigger()
    view = window.billing.page.invoices
    view.refresh()
    with qtbot.waitSignal(view.editor.shown):  # read on the op runner
        view.open_invoice(draft.id)
    view.editor.rows[0].quantity.setValue(2)
    assert view.editor.is_dirty()

    _action(window, "&Save").trigger()
    qtbot.waitUntil(lambda: runner().idle)  # saved on the op runner

    assert service.get_invoice(db, draft.id).total == Decimal("160.00")
    assert not view.editor.is_dirty()

    view.editor.rows[0].quantity.setValue(3)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not window.confirm_close()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.confirm_close()
    assert service.get_invoice(db, draft.id).total == Decimal("160.00")
