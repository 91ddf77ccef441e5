"""Long text on paper: a visit note's build time per character at 20k, 80k and 160k characters.

The floor is the time per character at 20,000 characters, measured in the same run: a ratio
near 1x at 80k and 160k means the build time grows linearly with the text (a ReportLab
Paragraph re-breaks all its remaining text at every page, which grows quadratically).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO

from pypdf import PdfReader

from tests.bench.common import Figure, median_ms

LENGTHS = (20_000, 80_000, 160_000)
_WORDS = "Tender left upper trapezius, taut band with a local twitch response; eased. "
_MIXED = "Chloé Ελένη Дмитрий 김민지 שרה כהן and محمد علي 🌻 said the neck eased. "


def run_all() -> list[Figure]:
    figures: list[Figure] = []
    for label, words, field in (
        ("SOAP complaint", _WORDS, "complaint"),
        ("treatment-log note", _WORDS, "treatment"),
        ("SOAP complaint, mixed scripts", _MIXED, "complaint"),
    ):
        builds = {length: _visit_note(words, length, field) for length in LENGTHS}
        timings = {length: median_ms(build, repeat=3, warmup=1) for length, build in builds.items()}
        floor = timings[LENGTHS[0]] / LENGTHS[0] * 10_000
        for length in LENGTHS:
            pages = len(PdfReader(BytesIO(builds[length]())).pages)
            figures.append(
                Figure(
                    f"visit note, {label}: {length // 1000}k chars, {pages} pages",
                    timings[length] / length * 10_000,
                    floor,
                    "ms",
                    "per 10k chars, ~1x of 20k (linear)",
                )
            )
    return figures


def _visit_note(words: str, length: int, field: str) -> Callable[[], bytes]:
    from practice.clients.records import Client, PracticeProfile
    from practice.documents.visit_note import visit_note_pdf
    from practice.visits.records import (
        Position,
        SoapNote,
        TreatmentEntry,
        Visit,
        VisitRecord,
        VisitStatus,
    )

    text = (words * (length // len(words) + 1))[:length]
    profile = PracticeProfile("Jane O'Brien", "Riverside Medical Massage", locale="en_US")
    client = Client(
        id=7, given_name="Chloé", family_name="O'Brien", date_of_birth=date(1985, 3, 12)
    )
    at = datetime(2026, 3, 2, 15, tzinfo=UTC)
    visit = Visit(1, 7, at, 60, "11", VisitStatus.COMPLETED, at, "jane", at, at, "Jane O'Brien")
    notes = text if field == "treatment" else "Slow strokes."
    treatment = TreatmentEntry(
        1, "effleurage", "Effleurage", (), 30, 3, Position.PRONE, notes, False, ()
    )
    note = SoapNote(complaint=text) if field == "complaint" else SoapNote(complaint="Neck pain")
    record = VisitRecord(visit, note, (treatment,), (), at)
    return lambda: visit_note_pdf(profile, client, record)


if __name__ == "__main__":  # python -m tests.bench.bench_pdf_length
    for figure in run_all():
        print(figure.line())
