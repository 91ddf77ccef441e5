"""The PDF preview on screen: from opening to the first page drawn, against a bare window."""

from __future__ import annotations

import io
import os
import time
from dataclasses import replace
from datetime import date

from tests.bench.common import Figure, median_ms, scratch_folder

TARGET = "< 1000 ms"
TODAY = date(2025, 6, 2)


def run_all() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pypdf import PdfReader
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from practice import printouts
    from practice.store import open_database
    from practice.summaries import demo
    from practice.summaries.service import summary_draft
    from ui import theme
    from ui.documents.preview import preview_document

    app = QApplication.instance() or QApplication([])
    theme.apply(app, "light")
    folder = scratch_folder("fascia-bench-preview-") / "practice"
    db = open_database(folder, actor="bench")
    try:
        people = demo.build(db, TODAY)
        draft = summary_draft(db, people.rich, today=TODAY)
        draft = replace(draft, assessment="Steady improvement in pain and function.")
        pdf = printouts.render_summary(draft)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)

        def flush() -> None:
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()

        def bare_window() -> None:
            widget = QWidget()
            widget.resize(1000, 800)
            widget.show()
            app.processEvents()
            widget.close()
            widget.deleteLater()
            flush()

        def open_preview(build) -> None:  # type: ignore[no-untyped-def]
            shown: list[bool] = []
            dialog = preview_document(
                None,
                "Treatment summary",
                build,
                suggested_name="bench.pdf",
                on_shown=lambda _d: shown.append(True),
            )
            deadline = time.perf_counter() + 30
            while not shown:
                if dialog.failure is not None or time.perf_counter() > deadline:
                    raise RuntimeError(f"preview did not show: {dialog.failure}")
                QCoreApplication.processEvents()
                time.sleep(0.001)
            dialog.close()
            flush()

        floor = median_ms(bare_window, repeat=15)
        ready = median_ms(lambda: open_preview(lambda: pdf), repeat=9)
        rendered = median_ms(
            lambda: open_preview(lambda: printouts.render_summary(draft)), repeat=5
        )
        audited = median_ms(
            lambda: open_preview(lambda: printouts.physician_summary_pdf(db, draft)), repeat=5
        )
    finally:
        db.close()
    return [
        Figure(
            f"preview: {pages}-page summary, bytes at hand, to 1st page", ready, floor, "ms", TARGET
        ),
        Figure(
            f"preview: {pages}-page summary rendered, to 1st page", rendered, floor, "ms", TARGET
        ),
        Figure(
            f"preview: {pages}-page summary as an audited printout, to 1st page",
            audited,
            floor,
            "ms",
            TARGET,
        ),
    ]


if __name__ == "__main__":
    for figure in run_all():
        print(figure.line())
