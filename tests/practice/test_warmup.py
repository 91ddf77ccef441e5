"""The background warm-up loads the core without Qt, so it is safe off the GUI thread."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from practice.store import Database
from practice.warmup import CORE_MODULES


def printed_by(code: str) -> list[str]:
    """The lines `code` prints, run in a fresh interpreter (nothing loaded yet)."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.split("\n")


def test_warm_up_loads_the_core_and_the_pdf_fonts_and_never_qt() -> None:
    code = (
        "import sys\n"
        "from practice.warmup import warm_up\n"
        "warm_up()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')))\n"
        f"print(all(name in sys.modules for name in {CORE_MODULES!r}))\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from practice.documents.fonts import REGULAR\n"
        "print(REGULAR in pdfmetrics.getRegisteredFontNames())\n"
        "print('practice.documents.visit_note' in sys.modules)\n"
    )
    assert printed_by(code)[:4] == ["[]", "True", "True", "True"]


def test_warm_up_on_an_open_practice_changes_nothing_in_it(db: Database) -> None:
    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.warmup import warm_up

    client = clients.create_client(db, ClientForm("Ana", "Peña"))
    before = _every_row(db)
    warm_up(db)
    assert _every_row(db) == before
    assert [row[0] for row in before["client"]] == [client.id]


def _every_row(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.read() as session:
        names = session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")
        ).scalars()
        return {n: list(session.execute(text(f'SELECT * FROM "{n}"')).all()) for n in list(names)}


def test_what_the_schedule_needs_at_open_leaves_the_body_atlas_to_the_warm_up() -> None:
    """The schedule is imported on the GUI thread as a practice opens; it reads plans and
    visits, whose checks use the body atlas (shapely, numpy: about 0.1 s and 20 MiB). The atlas
    loads when a plan or a note is first checked, or in the background warm-up, not there."""
    code = (
        "import sys\n"
        "import practice.schedule.care, practice.plans.service, practice.visits.service\n"
        "heavy = ('shapely', 'numpy', 'practice.bodymap.atlas')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "from practice.visits.validation import treatment_errors\n"
        "treatment_errors([], [])\n"
        "print('shapely' in sys.modules)\n"
    )
    assert printed_by(code)[:2] == ["[]", "True"]
