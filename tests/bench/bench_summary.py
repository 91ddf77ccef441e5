"""Physician summary: gather and render a 50-visit course against a bare ReportLab document."""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from practice import printouts
from practice.store import open_database
from practice.summaries import demo, service
from tests.bench.common import Figure, median_ms

TARGET = "< 500 ms (draft + render)"
VISITS = 50


def run_all() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder), actor="bench")
        try:
            made = demo.build(db, visits_count=VISITS)
            draft = service.summary_draft(db, made.rich)
            assert len(draft.visits) == VISITS and len(draft.trends) == 3
            assert draft.first_chart is not None and draft.latest_chart is not None
            printouts.render_summary(draft)  # fonts registered and atlas read, as in the app
            floor = median_ms(_bare_document, repeat=21)
            both = median_ms(
                lambda: printouts.render_summary(service.summary_draft(db, made.rich)), repeat=11
            )
            draft_only = median_ms(lambda: service.summary_draft(db, made.rich), repeat=11)
            render = median_ms(lambda: printouts.render_summary(draft), repeat=11)
        finally:
            db.close()
    label = f"summary of {VISITS} visits, 2 body maps, 3 charts"
    return [
        Figure(f"{label}: draft + render", both, floor, "ms", TARGET),
        Figure(f"{label}: draft alone", draft_only, floor, "ms", "-"),
        Figure(f"{label}: render alone", render, floor, "ms", "-"),
    ]


def _bare_document() -> bytes:
    """The floor: a one-paragraph ReportLab document, built the same way (platypus)."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER, invariant=1)
    doc.build([Paragraph("Treatment summary", getSampleStyleSheet()["Normal"])])
    return buffer.getvalue()


if __name__ == "__main__":  # python -m tests.bench.bench_summary; make bench runs every bench
    for figure in run_all():
        print(figure.line())
