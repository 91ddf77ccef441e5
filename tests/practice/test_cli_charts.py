"""fascia-cli chart pdf and chart compare, and the body charts the demo writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from practice.bodymap import service as charts
from practice.bodymap.atlas import load_atlas
from practice.bodymap.demo import BASELINES
from practice.cli import main
from practice.clients import service as clients
from practice.demo import COMPLAINTS
from practice.documents.layout import format_date
from practice.store import Database, open_database
from practice.visits import service as visits
from practice.visits.records import VisitStatus

DEMO_CLIENTS = 40


@dataclass(frozen=True)
class Demo:
    """What the tests need to know about the demo practice, read while nothing else has it open
    (a practice folder takes one program at a time)."""

    folder: Path
    locale: str
    names: dict[int, str]
    histories: dict[int, list[charts.BodyChartSummary]]  # clients with charts only

    def charted(self, min_charts: int = 1) -> tuple[int, list[charts.BodyChartSummary]]:
        return next((c, h) for c, h in self.histories.items() if len(h) >= min_charts)

    def chart_args(self, action: str, client_id: int) -> list[str]:
        return ["--data-dir", str(self.folder), "chart", action, "--client", str(client_id)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    folder = tmp_path_factory.mktemp("demo") / "practice"
    assert main(["--data-dir", str(folder), "demo", "--clients", str(DEMO_CLIENTS)]) == 0
    db = open_database(folder)
    try:
        names = {r.id: clients.get_client(db, r.id).legal_name for r in _clients(db)}
        profile = clients.get_profile(db)
        assert profile is not None
        return Demo(folder, profile.locale, names, _charted_clients(db))
    finally:
        db.close()


@pytest.fixture
def demo_db(demo: Demo) -> Iterator[Database]:
    db = open_database(demo.folder)
    yield db
    db.close()


def _clients(db: Database) -> list:  # type: ignore[type-arg]
    return clients.search_clients(db, include_archived=True)


def _charted_clients(db: Database) -> dict[int, list[charts.BodyChartSummary]]:
    found = {}
    for row in _clients(db):
        history = charts.chart_history(db, row.id)
        if history:
            found[row.id] = history
    return found


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(BytesIO(path.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


# --- demo charts ----------------------------------------------------------------------------


def test_every_demo_complaint_has_a_body_chart_baseline() -> None:
    assert {complaint for complaint, _, _ in COMPLAINTS} == set(BASELINES)


def test_every_completed_demo_visit_has_its_chart_and_pain_scores_bound_to_it(
    demo_db: Database,
) -> None:
    charted = _charted_clients(demo_db)
    assert 0.6 * DEMO_CLIENTS <= len(charted) <= DEMO_CLIENTS
    for client_id, history in charted.items():
        completed = [
            v for v in visits.visit_history(demo_db, client_id) if v.status is VisitStatus.COMPLETED
        ]
        assert sorted(h.visit_id or 0 for h in history) == sorted(v.id for v in completed)
        assert all(v.pain_before is not None and v.pain_after is not None for v in completed)
    atlas = load_atlas()
    for history in charted.values():
        for summary in history:
            chart = charts.get_chart(demo_db, summary.id)
            chart.data.validate(atlas)
            assert chart.metrics.max_intensity == summary.max_intensity  # stored metrics agree
            assert chart.metrics.region_count == summary.region_count


def test_demo_pain_eases_over_the_course_on_average(demo_db: Database) -> None:
    charted = _charted_clients(demo_db)
    first = [h[0].max_intensity for h in charted.values()]
    last = [h[-1].max_intensity for h in charted.values()]
    assert sum(last) / len(last) < sum(first) / len(first) - 1
    extent_first = sum(h[0].extent_percent for h in charted.values())
    assert sum(h[-1].extent_percent for h in charted.values()) < extent_first


def test_demo_charts_are_reproducible_with_a_seed(tmp_path: Path) -> None:
    histories = []
    for folder in ("a", "b"):
        main(["--data-dir", str(tmp_path / folder), "demo", "--clients", "8", "--seed", "4"])
        db = open_database(tmp_path / folder)
        histories.append(
            {
                cid: [charts.get_chart(db, h.id).data for h in hs]
                for cid, hs in _charted_clients(db).items()
            }
        )
        db.close()
    assert histories[0] == histories[1]


# --- chart pdf ------------------------------------------------------------------------------


def test_chart_pdf_writes_the_latest_chart_of_a_client(
    demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client_id, history = demo.charted()
    out = tmp_path / "chart.pdf"
    assert main([*demo.chart_args("pdf", client_id), "--out", str(out)]) == 0
    pages, text = _pdf_text(out)
    assert pages == 1
    assert "Pain chart" in text and demo.names[client_id] in text
    assert format_date(history[-1].charted_on, demo.locale) in text
    assert str(out) in capsys.readouterr().out


def test_chart_pdf_picks_the_chart_of_a_date_or_an_id(demo: Demo, tmp_path: Path) -> None:
    client_id, history = demo.charted()
    args = demo.chart_args("pdf", client_id)
    first = history[0]
    by_date, by_id = tmp_path / "date.pdf", tmp_path / "id.pdf"
    assert main([*args, "--date", first.charted_on.isoformat(), "--out", str(by_date)]) == 0
    assert main([*args, "--chart", str(first.id), "--out", str(by_id)]) == 0
    assert by_date.read_bytes() == by_id.read_bytes()
    assert format_date(first.charted_on, demo.locale) in _pdf_text(by_date)[1]


def test_chart_compare_defaults_to_the_first_and_latest_chart(demo: Demo, tmp_path: Path) -> None:
    client_id, history = demo.charted()
    out = tmp_path / "compare.pdf"
    assert main([*demo.chart_args("compare", client_id), "--out", str(out)]) == 0
    pages, text = _pdf_text(out)
    assert pages == 1
    assert "Pain chart comparison" in text and demo.names[client_id] in text
    assert f"Before {format_date(history[0].charted_on, demo.locale)}" in text
    assert f"After {format_date(history[-1].charted_on, demo.locale)}" in text


def test_chart_compare_takes_a_period(demo: Demo, tmp_path: Path) -> None:
    client_id, history = demo.charted(min_charts=4)
    out = tmp_path / "period.pdf"
    start, end = history[1].charted_on, history[-2].charted_on
    period = ["--from", start.isoformat(), "--to", end.isoformat()]
    assert main([*demo.chart_args("compare", client_id), *period, "--out", str(out)]) == 0
    text = _pdf_text(out)[1]
    assert f"Before {format_date(start, demo.locale)}" in text
    assert f"After {format_date(end, demo.locale)}" in text


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["pdf", "compare"])
def test_an_unknown_client_is_refused_and_nothing_is_written(
    action: str, demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.pdf"
    assert main([*demo.chart_args(action, 99999), "--out", str(out)]) == 2
    assert "No client with id 99999" in capsys.readouterr().err
    assert not out.exists()


def test_a_chart_of_another_client_is_refused(
    demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (one, _), (_, other_history) = list(demo.histories.items())[:2]
    out = tmp_path / "other.pdf"
    args = [*demo.chart_args("pdf", one), "--chart", str(other_history[0].id)]
    assert main([*args, "--out", str(out)]) == 2
    assert "belongs to another client" in capsys.readouterr().err
    assert not out.exists()


def test_a_date_without_a_chart_is_refused_with_the_dates_there_are(
    demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client_id, history = demo.charted()
    out = tmp_path / "none.pdf"
    args = [*demo.chart_args("pdf", client_id), "--date", "1999-01-01"]
    assert main([*args, "--out", str(out)]) == 2
    assert history[0].charted_on.isoformat() in capsys.readouterr().err
    assert not out.exists()


def test_a_malformed_date_is_refused_by_the_parser(
    demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(SystemExit) as exit_:
        main([*demo.chart_args("pdf", 1), "--date", "5/3/2025", "--out", str(out)])
    assert exit_.value.code == 2
    assert "not a date like 2025-03-05" in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_practice_is_refused_without_creating_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, out = tmp_path / "nowhere", tmp_path / "none.pdf"
    args = ["--data-dir", str(folder), "chart", "pdf", "--client", "1", "--out", str(out)]
    assert main(args) == 2
    assert "No practice database" in capsys.readouterr().err
    assert not folder.exists() and not out.exists()


def test_a_client_without_charts_is_refused(
    demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uncharted = next(cid for cid in demo.names if cid not in demo.histories)
    out = tmp_path / "none.pdf"
    assert main([*demo.chart_args("compare", uncharted), "--out", str(out)]) == 2
    assert "has no body charts yet" in capsys.readouterr().err
    assert not out.exists()
