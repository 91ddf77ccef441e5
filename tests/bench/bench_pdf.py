"""Pain chart PDFs: the vector body map and the whole page against a bare ReportLab page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from practice.bodymap.atlas import load_atlas
from practice.bodymap.chart import (
    ChartData,
    PointSymbol,
    Quality,
    ReferralArrow,
    RegionMark,
    Stroke,
    StrokeKind,
    SymbolKind,
)
from practice.bodymap.metrics import summarize
from practice.bodymap.service import BodyChart
from practice.clients.records import Client, PracticeProfile
from practice.documents.bodymap_drawing import BodyMapFlowable
from practice.documents.pain_chart import pain_chart_pdf
from tests.bench.common import Figure, median_ms, scratch_folder

TARGET = "< 3x bare canvas"


def run_all() -> list[Figure]:
    atlas = load_atlas()
    chart = sciatica_chart()
    profile = PracticeProfile("Jordan Rivera", "Riverside Medical Massage", locale="en_US")
    client = Client(id=1, given_name="Chloé", family_name="Dubois", date_of_birth=date(1985, 3, 12))
    rings = [r.polygon for r in atlas.regions]
    rings += [ring for view in atlas.views for ring in atlas.outline(view)]

    def bare_page() -> bytes:
        """The floor: as many filled and stroked paths straight onto one page, nothing else."""
        buffer = BytesIO()
        canv = Canvas(buffer, pagesize=LETTER, invariant=1)
        canv.translate(40, 760)
        canv.scale(0.5, -0.5)
        for ring in rings:
            path = canv.beginPath()
            path.moveTo(*ring[0])
            for x, y in ring[1:]:
                path.lineTo(x, y)
            path.close()
            canv.drawPath(path, stroke=1, fill=1)
        canv.showPage()
        canv.save()
        return buffer.getvalue()

    def map_page() -> bytes:
        buffer = BytesIO()
        canv = Canvas(buffer, pagesize=LETTER, invariant=1)
        BodyMapFlowable(atlas, chart.data, 500).drawOn(canv, 40, 200)
        canv.showPage()
        canv.save()
        return buffer.getvalue()

    pain_chart_pdf(profile, client, chart)  # fonts registered and atlas read, as in the app
    floor = median_ms(bare_page, repeat=21)
    figures = [
        Figure(
            f"body map alone on a page ({len(rings)} paths + marks)",
            median_ms(map_page, repeat=21),
            floor,
            "ms",
            TARGET,
        ),
        Figure(
            "pain chart PDF (letterhead, map, key, tables)",
            median_ms(lambda: pain_chart_pdf(profile, client, chart), repeat=11),
            floor,
            "ms",
            TARGET,
        ),
    ]
    return figures + first_pdf_figures()


FIRST_PDF = """
import sys, time
from io import BytesIO
from pathlib import Path
from sqlalchemy import text
from practice.store import open_database
from practice.warmup import warm_up
db = open_database(Path(sys.argv[1]), actor="bench")
if sys.argv[2] == "warm":
    warm_up(db)  # as the app does in the background once the window is up
    import gc  # and then, as the app does once the warm-up is done (ui.collector): what lives
    gc.collect()  # on is collected once and set aside, so that no full collection of the
    gc.freeze()  # warmed heap (90 ms) falls on the first document
from practice import printouts
with db.read() as s:
    visit = s.execute(text("SELECT id FROM visit WHERE signed_at IS NOT NULL LIMIT 1")).scalar()
started = time.perf_counter()
printouts.visit_note_pdf(db, visit)
first = (time.perf_counter() - started) * 1000
from reportlab.pdfgen.canvas import Canvas
started = time.perf_counter()
canvas = Canvas(BytesIO())
canvas.drawString(72, 720, "Fascia")
canvas.showPage()
canvas.save()
print(first, (time.perf_counter() - started) * 1000)
db.close()
"""


def first_pdf_figures() -> list[Figure]:
    """The first document of a session, in a fresh process, with and without the warm-up."""
    import shutil
    import statistics
    import subprocess
    import sys

    from tests.bench.common import ROOT

    folder = scratch_folder("fascia-bench-first-pdf-")
    cli = [sys.executable, "-m", "practice.cli", "--data-dir", str(folder)]
    subprocess.run([*cli, "demo", "--clients", "3"], cwd=ROOT, check=True, capture_output=True)
    figures = []
    for mode, name in (("warm", "after the warm-up"), ("cold", "without the warm-up")):
        runs = []
        for _ in range(5):
            done = subprocess.run(
                [sys.executable, "-c", FIRST_PDF, str(folder), mode],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(tuple(float(x) for x in done.stdout.split()))
        first = statistics.median(r[0] for r in runs)
        bare = statistics.median(r[1] for r in runs)
        figures.append(
            Figure(f"first PDF of a session (visit note), {name}", first, bare, "ms", "< 60 ms")
        )
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def sciatica_chart() -> BodyChart:
    """A realistic chart: six regions, two trigger points, a referral arrow and a stroke."""
    data = ChartData(
        marks=(
            RegionMark("B_LOW_BACK_L", 5, frozenset({Quality.ACHE})),
            RegionMark("B_BUTTOCK_L", 7, frozenset({Quality.SHARP, Quality.BURNING})),
            RegionMark("B_THIGH_L", 5, frozenset({Quality.TINGLING})),
            RegionMark("B_POPLITEAL_L", 3),
            RegionMark("B_CALF_L", 4, frozenset({Quality.NUMBNESS})),
            RegionMark("B_FOOT_L", 2, frozenset({Quality.NUMBNESS})),
        ),
        symbols=(
            PointSymbol(SymbolKind.TRIGGER_POINT_ACTIVE, "back", 705, 515, muscle="Piriformis"),
            PointSymbol(SymbolKind.TRIGGER_POINT_LATENT, "back", 715, 425, muscle="QL"),
        ),
        arrows=(ReferralArrow("back", 705, 515, 702, 620),),
        strokes=(Stroke("back", ((705, 540), (702, 620), (700, 730)), StrokeKind.RADIATING),),
    )
    return BodyChart(
        id=1,
        client_id=1,
        visit_id=None,
        charted_on=date(2025, 3, 5),
        source="chart",
        note="Sitting more than 20 minutes brings the leg pain on.",
        data=data,
        metrics=summarize(data, load_atlas()),
        updated_at=datetime(2025, 3, 5, tzinfo=UTC),
    )


if __name__ == "__main__":  # python -m tests.bench.bench_pdf; make bench runs every bench
    for figure in run_all():
        print(figure.line())
