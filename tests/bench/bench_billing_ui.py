"""Billing on screen: opening the Billing area on 10,000 invoices against a bare Qt table."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time

from tests.bench.common import Figure, median_ms, scratch_folder

DEMO_CLIENTS = 900  # about 11 invoices a client in the demo: a little over 10,000 invoices


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from practice.billing import service
    from practice.demo import generate
    from practice.store import open_database
    from ui import theme
    from ui.billing.list_model import InvoiceListModel
    from ui.billing.money import MoneyFormat
    from ui.billing.page import BillingPage

    app = QApplication.instance() or QApplication([])
    theme.apply(app, "light")
    folder = scratch_folder("fascia-bench-billing-ui-") / "practice"
    db = open_database(folder, actor="bench")
    try:
        generate(db, clients_count=DEMO_CLIENTS, seed=11)
        rows = service.list_invoices(db)
        count = len(rows)
        model = InvoiceListModel(MoneyFormat.of(db))
        model.set_rows(rows)
        cells = [
            [model.index(r, c).data() for c in range(model.columnCount())] for r in range(count)
        ]

        def open_area() -> tuple[float, float]:
            """(ms to the first rows on screen, ms until every invoice is in the list)."""
            started = time.perf_counter()
            page = BillingPage(db)
            page.resize(1180, 680)
            page.show()
            while not page.invoices.model.rowCount():  # the newest rows, read in the background
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
            app.processEvents()  # and painted
            first = (time.perf_counter() - started) * 1000
            while not page.invoices.is_complete():
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            app.processEvents()
            full = (time.perf_counter() - started) * 1000
            assert page.invoices.model.rowCount() == count
            page.close()
            page.deleteLater()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            return first, full

        def bare_table() -> None:
            standard = QStandardItemModel(count, len(InvoiceListModel.COLUMNS))
            for r, line in enumerate(cells):
                for c, text in enumerate(line):
                    standard.setItem(r, c, QStandardItem(text))
            table = QTableView()
            table.resize(1180, 680)
            table.setModel(standard)
            table.show()
            app.processEvents()
            table.close()
            table.deleteLater()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

        open_area()  # warm-up
        runs = [open_area() for _ in range(5)]
        page = BillingPage(db)
        page.resize(1180, 680)
        page.show()
        while not page.invoices.is_complete():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        view = page.invoices

        def keystroke() -> None:
            view.search.setText("" if view.search.text() else "ann")
            app.processEvents()

        standard = QStandardItemModel(count, len(InvoiceListModel.COLUMNS))
        for r, line in enumerate(cells):
            for c, text in enumerate(line):
                standard.setItem(r, c, QStandardItem(text))
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(standard)
        proxy.setFilterKeyColumn(InvoiceListModel.CLIENT)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        bare_view = QTableView()
        bare_view.resize(1180, 680)
        bare_view.setModel(proxy)
        bare_view.show()

        def bare_keystroke() -> None:
            proxy.setFilterFixedString("" if proxy.filterRegularExpression().pattern() else "ann")
            app.processEvents()

        def list_service() -> None:
            service.list_invoices(db)

        def raw_query() -> None:
            with sqlite3.connect(db.path) as raw:
                raw.execute(
                    "SELECT i.id, i.number, i.status, i.issued_on, i.due_on, i.total_cents, "
                    "(SELECT COALESCE(SUM(a.amount_cents), 0) FROM payment_allocation a "
                    "WHERE a.invoice_id = i.id), c.family_name "
                    "FROM invoice i JOIN client c ON c.id = i.client_id "
                    "ORDER BY i.issued_on DESC, i.id DESC"
                ).fetchall()

        label = f"({count:,} invoices)"
        bare_ms = median_ms(bare_table, repeat=5, warmup=1)
        return [
            Figure(
                f"Billing area opened, first rows shown {label}",
                statistics.median(r[0] for r in runs),
                bare_ms,
                "ms",
                "< 1x bare QTableView",
            ),
            Figure(
                f"Billing area, every invoice listed {label}",
                statistics.median(r[1] for r in runs),
                bare_ms,
                "ms",
                "< 2x bare QTableView",
            ),
            Figure(
                f"invoice list service {label}",
                median_ms(list_service, repeat=7),
                median_ms(raw_query, repeat=7),
                "ms",
                "< 3x raw sqlite3",
            ),
            Figure(
                f"search keystroke to filtered list {label}",
                median_ms(keystroke, repeat=11),
                median_ms(bare_keystroke, repeat=11),
                "ms",
                "< 2x QSortFilterProxyModel",
            ),
        ]
    finally:
        db.close()


if __name__ == "__main__":
    for figure in run_all():
        print(figure.line())
