"""Visits on screen: a 500-visit client's history table and progress charts against bare Qt."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from tests.bench.common import Figure, median_ms, scratch_folder

HISTORY_VISITS = 500


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.store import open_database
    from practice.visits import outcomes, service
    from practice.visits.demo import generate_visits
    from practice.visits.records import PsfsItem
    from ui import theme
    from ui.visits.history_model import VisitHistoryModel
    from ui.visits.progress import ProgressView, day_stamp
    from ui.visits.tab import VisitsTab

    app = QApplication.instance() or QApplication([])
    theme.apply(app, "light")
    folder = scratch_folder("fascia-bench-visits-ui-") / "practice"
    db = open_database(folder, actor="bench")
    try:
        client = clients.create_client(db, ClientForm(given_name="Bench", family_name="Client"))
        fixed = (HISTORY_VISITS, HISTORY_VISITS)
        generate_visits(db, [client.id], seed=5, visits_per_client=fixed, max_visits=HISTORY_VISITS)
        today = datetime.now(UTC).date()
        for weeks in range(0, 40, 4):
            day = today - timedelta(weeks=weeks)
            outcomes.record_psfs(db, client.id, day, [PsfsItem("Garden", 5), PsfsItem("Walk", 6)])
            outcomes.record_sleep_quality(db, client.id, day, 6)

        tab = VisitsTab(db)
        tab.resize(1000, 700)
        tab.show()
        view = ProgressView(db)
        view.resize(1000, 700)
        view.show()

        def history() -> None:
            tab.load(client)
            app.processEvents()

        def progress() -> None:
            view.load(client.id)
            app.processEvents()

        def both() -> None:
            history()
            progress()

        def first_draw() -> None:
            fresh = ProgressView(db)
            fresh.resize(1000, 700)
            fresh.show()
            fresh.load(client.id)
            app.processEvents()
            fresh.close()
            fresh.deleteLater()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

        rows = service.visit_history(db, client.id)
        series = outcomes.progress_series(db, client.id)
        points = [(day_stamp(day), value) for s in series.values() for day, value in s]
        model = VisitHistoryModel()
        model.set_rows(rows)
        cells = [
            [model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())
        ]
        table = QTableView()
        table.resize(1000, 700)
        table.show()
        plot = pg.PlotWidget()
        plot.resize(1000, 700)
        plot.show()

        def bare_table() -> None:
            standard = QStandardItemModel(len(cells), len(VisitHistoryModel.COLUMNS))
            for r, line in enumerate(cells):
                for c, text in enumerate(line):
                    standard.setItem(r, c, QStandardItem(text))
            table.setModel(standard)
            app.processEvents()

        def bare_plot() -> None:
            plot.clear()
            plot.plot([x for x, _y in points], [y for _x, y in points], symbol="o")
            app.processEvents()

        def bare_new_plot() -> None:
            fresh = pg.PlotWidget()
            fresh.resize(1000, 700)
            fresh.show()
            fresh.plot([x for x, _y in points], [y for _x, y in points], symbol="o")
            app.processEvents()
            fresh.close()
            fresh.deleteLater()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

        def bare_both() -> None:
            bare_table()
            bare_plot()

        label = f"({HISTORY_VISITS} visits, {len(points)} chart points)"
        figures = [
            Figure(
                f"Visits tab history {label}",
                median_ms(history),
                median_ms(bare_table),
                "ms",
                "< 100 ms",
            ),
            Figure(
                f"Progress charts {label}",
                median_ms(progress),
                median_ms(bare_plot),
                "ms",
                "< 100 ms",
            ),
            Figure(
                f"Progress charts, first draw in a new view {label}",
                median_ms(first_draw, repeat=7),
                median_ms(bare_new_plot, repeat=7),
                "ms",
                "< 100 ms",
            ),
            Figure(
                "Visits history + progress charts together",
                median_ms(both),
                median_ms(bare_both),
                "ms",
                "< 100 ms",
            ),
        ]
        for widget in (tab, view, table, plot):
            widget.close()
        return figures
    finally:
        db.close()


if __name__ == "__main__":
    for figure in run_all():
        print(figure.line())
