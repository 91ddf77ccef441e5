"""Visit notes: a 500-visit client's history and progress, and saving a note durably."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tests.bench.common import Figure, median_ms, scratch_folder

HISTORY_VISITS = 500

# The rows visit_history and progress_series read, as plain SQL: the floor to compare with.
RAW_QUERIES = (
    "SELECT v.id, v.starts_at, v.duration_minutes, v.place_of_service, v.status, v.signed_at,"
    " n.pain_before, n.pain_after FROM visit v LEFT JOIN soap_note n ON n.visit_id = v.id"
    " WHERE v.client_id = :c ORDER BY v.starts_at DESC, v.id DESC",
    "SELECT t.visit_id, t.technique_name, t.minutes FROM treatment_entry t"
    " JOIN visit v ON v.id = t.visit_id WHERE v.client_id = :c ORDER BY t.visit_id, t.seq",
    "SELECT a.visit_id, count(*) FROM amendment a JOIN visit v ON v.id = a.visit_id"
    " WHERE v.client_id = :c GROUP BY a.visit_id",
    "SELECT v.starts_at, n.pain_before, n.pain_after FROM visit v"
    " JOIN soap_note n ON n.visit_id = v.id WHERE v.client_id = :c AND v.status = 'completed'"
    " ORDER BY v.starts_at, v.id",
    "SELECT measure, custom_measure_id, measured_on, value FROM measure_value"
    " WHERE client_id = :c ORDER BY measured_on, id",
    "SELECT occurred_on, intensity FROM headache_entry WHERE client_id = :c",
    "SELECT id, charted_on, source, extent_percent, region_count, wpi, max_intensity"
    " FROM body_chart WHERE client_id = :c ORDER BY charted_on, id",
)


def run_all() -> list[Figure]:
    from practice.clients import service as clients
    from practice.clients.records import ClientForm
    from practice.store import open_database
    from practice.visits import outcomes, service
    from practice.visits.demo import generate_visits
    from practice.visits.records import PsfsItem, SoapNote, TreatmentInput, VisitDraft, VisitForm

    folder = scratch_folder("fascia-bench-visits-") / "practice"
    db = open_database(folder, actor="bench")
    try:
        client_id = clients.create_client(
            db, ClientForm(given_name="Bench", family_name="Client")
        ).id
        fixed = (HISTORY_VISITS, HISTORY_VISITS)
        generate_visits(db, [client_id], seed=5, visits_per_client=fixed, max_visits=HISTORY_VISITS)
        today = datetime.now(UTC).date()
        for weeks in range(0, 40, 4):
            day = today - timedelta(weeks=weeks)
            outcomes.record_psfs(db, client_id, day, [PsfsItem("Garden", 5), PsfsItem("Walk", 6)])
            outcomes.record_sleep_quality(db, client_id, day, 6)

        def history_and_progress() -> None:
            service.visit_history(db, client_id)
            outcomes.progress_series(db, client_id)

        raw = sqlite3.connect(db.path)

        def raw_rows() -> None:
            for query in RAW_QUERIES:
                raw.execute(query, {"c": client_id}).fetchall()

        figures = [
            Figure(
                f"history + progress series ({HISTORY_VISITS} visits)",
                median_ms(history_and_progress, repeat=21),
                median_ms(raw_rows, repeat=21),
                "ms",
                "< 100 ms",
            )
        ]

        starts_at = datetime.now(UTC) - timedelta(hours=3)
        note = SoapNote(
            complaint="Low back ache after gardening, worse sitting " * 4,
            pain_before=6,
            pain_after=3,
            tenderness_grade=2,
            posture="Right shoulder elevated",
            response="Tissue softened; ROM improved",
            home_care="Knee-to-chest stretch twice daily; heat 15 minutes",
        )
        log = (
            TreatmentInput("myofascial_release", 20, ("B_LOW_BACK_R", "B_LOW_BACK_L"), 3),
            TreatmentInput("effleurage", 15, ("B_UPPER_BACK_R",), 2),
            TreatmentInput("muscle_energy", 10, ("B_BUTTOCK_R",), 2),
        )
        draft = VisitDraft(VisitForm(starts_at), note, log)
        visit_id = service.create_visit(db, client_id, draft).visit.id
        edits = iter(range(10_000))

        def save() -> None:
            edited = replace(note, response=f"Tissue softened; edit {next(edits)}")
            service.save_draft(db, visit_id, replace(draft, note=edited))

        def autosave() -> None:
            edited = replace(note, response=f"Typing {next(edits)}")
            service.autosave_draft(db, visit_id, replace(draft, note=edited))

        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, body TEXT)")
        raw.commit()
        body = str(draft.to_json())

        def raw_insert_commit() -> None:
            raw.execute("INSERT INTO bench_floor (body) VALUES (?)", (body,))
            raw.commit()

        floor = median_ms(raw_insert_commit, repeat=31)
        figures.append(
            Figure(
                "note save, durable commit (median)",
                median_ms(save, repeat=31),
                floor,
                "ms",
                "< 20 ms",
            )
        )
        figures.append(
            Figure(
                "note autosave, durable commit (median)",
                median_ms(autosave, repeat=31),
                floor,
                "ms",
                "< 20 ms",
            )
        )
        raw.close()
    finally:
        db.close()
    for figure in figures:
        print(figure.line())
    return figures


if __name__ == "__main__":
    run_all()
