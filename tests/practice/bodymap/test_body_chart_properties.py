"""Property tests of body charts: any marks, points, strokes, labels, dates and ids."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.bodymap import View, service
from practice.bodymap.chart import (
    ChartData,
    PointSymbol,
    Quality,
    ReferralArrow,
    RegionMark,
    Stroke,
    StrokeKind,
    SymbolKind,
    TextLabel,
)
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database
from tests.practice.fuzz import (
    KNOWN,
    days,
    floats,
    forms,
    fuzz,
    huge_ints,
    known,
    long_reprs,
    mostly,
    name_text,
    outcome,
    recent_days,
    row_ids,
    text,
    whole,
)

pytestmark = long_reprs
BACK_X, BACK_Y = 780, 470  # a spot on the low back of the back view
near = st.integers(-20, 20).map(float)
far = st.one_of(floats, huge_ints, st.integers(-(10**6), 10**6))


def parts(offset: st.SearchStrategy[float], junk: bool) -> dict[str, st.SearchStrategy[tuple]]:
    """Lists of each kind of chart item, drawn near the low back (or anywhere, with junk)."""
    words = text if junk else name_text
    symbol = st.builds(
        lambda kind, dx, dy, grade, muscle, note: PointSymbol(
            kind, View.BACK, BACK_X + dx, BACK_Y + dy, grade, muscle, note
        ),
        st.sampled_from(list(SymbolKind)),
        offset,
        offset,
        whole(0, 4) if junk else st.none() | st.integers(0, 4),
        words,
        text,
    )
    arrow = st.builds(
        lambda dx, dy, note: ReferralArrow(
            View.BACK, BACK_X, BACK_Y, BACK_X + dx, BACK_Y + dy, note
        ),
        offset,
        offset,
        text,
    )
    stroke = st.builds(
        lambda points, kind: Stroke(
            View.BACK, tuple((BACK_X + x, BACK_Y + y) for x, y in points), kind
        ),
        st.lists(st.tuples(offset, offset), min_size=0 if junk else 2, max_size=4),
        st.sampled_from(list(StrokeKind)),
    )
    label = st.builds(
        lambda dx, words: TextLabel(View.BACK, BACK_X + dx, BACK_Y, words), offset, words
    )
    mark = forms(
        RegionMark,
        valid={
            "region": st.sampled_from(["B_LOW_BACK_R", "B_LOW_BACK_L", "B_BUTTOCK_R"]),
            "intensity": st.integers(0, 10),
            "qualities": st.frozensets(st.sampled_from(list(Quality))),
        },
        junk={"region": text, "intensity": whole(0, 10)} if junk else {},
    )
    least = 1 if junk else 0
    return {
        "marks": st.lists(mark, min_size=least, max_size=3, unique_by=_region).map(tuple),
        "symbols": st.lists(symbol, min_size=least, max_size=2).map(tuple),
        "arrows": st.lists(arrow, min_size=least, max_size=2).map(tuple),
        "strokes": st.lists(stroke, min_size=least, max_size=2).map(tuple),
        "labels": st.lists(label, min_size=least, max_size=2).map(tuple),
    }


def _region(mark: RegionMark) -> str:
    return mark.region


charts = forms(ChartData, valid=parts(near, junk=False), junk=parts(far, junk=True))


@pytest.fixture(scope="module")
def client_id(shared_db: Database) -> int:
    return clients.create_client(shared_db, ClientForm("Ana", "Peña")).id


@fuzz
@given(
    which=mostly(st.just(KNOWN), row_ids),
    charted_on=mostly(recent_days, days),
    data=charts,
    source=mostly(st.sampled_from(service.SOURCES), text),
    note=text,
    visit=mostly(st.none(), row_ids),
    chart=mostly(st.none(), row_ids),
)
def test_a_chart_is_refused_or_saved_on_the_body_with_finite_numbers(
    shared_db: Database,
    client_id: int,
    which: object,
    charted_on: date,
    data: ChartData,
    source: str,
    note: str,
    visit: object,
    chart: object,
) -> None:
    target = known(which, client_id)
    history = service.chart_history(shared_db, client_id)
    chart_id = None if chart is None else known(chart, history[0].id if history else 1)
    visit_id = None if visit is None else known(visit, 1)
    saved = outcome(
        shared_db,
        lambda: service.save_chart(
            shared_db,
            target,
            charted_on,
            data,
            chart_id=chart_id,
            source=source,
            note=note,
            visit_id=visit_id,
        ),
    )
    if saved is not None:
        saved.data.validate()
        assert saved.data == saved.data.cleaned()
        points = [(s.x, s.y) for s in saved.data.symbols]
        points += [p for stroke in saved.data.strokes for p in stroke.points]
        assert all(math.isfinite(x) and math.isfinite(y) for x, y in points)
        assert service.get_chart(shared_db, saved.id).data == saved.data
    outcome(shared_db, lambda: service.chart_history(shared_db, target))
    outcome(shared_db, lambda: service.get_chart(shared_db, which))  # type: ignore[arg-type]
