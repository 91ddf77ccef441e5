"""Property tests of what billing reads back: superbills and reports for any period and client."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from practice.billing import reports, superbill
from tests.practice.billing.conftest import Shop, make_visit
from tests.practice.fuzz import KNOWN, days, fuzz, known, long_reprs, mostly, outcome, row_ids

pytestmark = long_reprs


@fuzz
@given(which=mostly(st.just(KNOWN), row_ids), since=days, until=days, as_of=days)
def test_superbills_and_reports_answer_for_any_period_or_refuse_it(
    shared_shop: Shop,
    tmp_path_factory: object,
    which: object,
    since: date,
    until: date,
    as_of: date,
) -> None:
    db = shared_shop.db
    if not reports.ageing(db).rows:
        make_visit(db, shared_shop.client_id, ("effleurage", 30))
    client_id = known(which, shared_shop.client_id)
    # Reads: they echo the period asked for, whatever it is; nothing is stored.
    outcome(db, lambda: superbill.superbill(db, client_id, since, until), stored=False)
    for report in (
        outcome(db, lambda: reports.ageing(db, as_of), stored=False),
        outcome(db, lambda: reports.revenue(db, since, until), stored=False),
        outcome(db, lambda: reports.tax_collected(db, since, until), stored=False),
    ):
        if report is not None:
            folder: Path = tmp_path_factory.mktemp("csv")  # type: ignore[attr-defined]
            written = folder / "report.csv"
            written.write_bytes(reports.csv_bytes(reports.tables(report)))
            assert "\x00" not in written.read_text(encoding="utf-8-sig")
