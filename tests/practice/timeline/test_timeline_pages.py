"""Reading the timeline a page at a time, by kind, and refusing what makes no sense."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.errors import FasciaError, NotFoundError, ValidationError
from practice.store import open_database
from practice.timeline.records import Cursor, Kind, Source
from practice.timeline.service import MAX_PAGE, timeline, whole_timeline
from tests.practice.timeline.conftest import Practice

READ_ONLY = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def pages(practice: Practice, client_id: int, limit: int, kinds: object = None) -> list:
    found, before = [], None
    while True:
        page = timeline(practice.db, client_id, kinds=kinds, before=before, limit=limit)
        assert len(page.entries) <= limit
        found.extend(page.entries)
        if page.next_before is None:
            assert not page.more
            return found
        before = page.next_before


def test_a_page_holds_the_newest_entries_and_says_more_remain(practice: Practice) -> None:
    everything = whole_timeline(practice.db, practice.sample.client_id)
    page = timeline(practice.db, practice.sample.client_id, limit=5)
    assert page.entries == everything[:5]
    assert page.more and page.next_before == everything[4].cursor
    last = timeline(practice.db, practice.sample.client_id, limit=len(everything))
    assert last.entries == everything and not last.more and last.next_before is None


@READ_ONLY
@given(limit=st.integers(1, 12), which=st.sampled_from(["sample", "crowded"]))
def test_pages_join_up_to_the_whole_timeline_without_gaps_or_repeats(
    practice: Practice, limit: int, which: str
) -> None:
    client_id = practice.sample.client_id if which == "sample" else practice.crowded_id
    everything = whole_timeline(practice.db, client_id)
    assert pages(practice, client_id, limit) == list(everything)


def test_records_of_the_same_moment_each_appear_once_across_pages(practice: Practice) -> None:
    everything = whole_timeline(practice.db, practice.crowded_id)
    per_source = {s: sum(1 for e in everything if e.source is s) for s in Source}
    assert per_source[Source.VISIT] == 4 and per_source[Source.CONSENT] == 3
    assert per_source[Source.PAYMENT] == 3 and per_source[Source.INVOICE] == 3
    for limit in (1, 2, 3, 7):
        found = pages(practice, practice.crowded_id, limit)
        assert [(e.source, e.record_id) for e in found] == [
            (e.source, e.record_id) for e in everything
        ]


@READ_ONLY
@given(kinds=st.sets(st.sampled_from(list(Kind)), min_size=1), limit=st.integers(1, 9))
def test_kinds_filter_keeps_only_those_kinds_in_the_same_order(
    practice: Practice, kinds: set[Kind], limit: int
) -> None:
    client_id = practice.sample.client_id
    everything = whole_timeline(practice.db, client_id)
    chosen = pages(practice, client_id, limit, kinds=kinds)
    assert chosen == [e for e in everything if e.kind in kinds]


def test_kinds_can_be_named_by_their_words(practice: Practice) -> None:
    found = whole_timeline(practice.db, practice.sample.client_id, kinds=["visit", "chart"])
    assert {e.kind for e in found} == {Kind.VISIT, Kind.CHART}
    plans = timeline(practice.db, practice.sample.client_id, kinds="plan").entries
    assert {e.kind for e in plans} == {Kind.PLAN}


def test_a_client_with_nothing_on_record_has_an_empty_timeline(practice: Practice) -> None:
    from practice.clients import service as clients
    from practice.clients.records import ClientForm

    # Written into the shared practice, but nobody else reads this client.
    empty = clients.create_client(practice.db, ClientForm(given_name="New", family_name="Client"))
    page = timeline(practice.db, empty.id)
    assert page.entries == () and not page.more and page.next_before is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": MAX_PAGE + 1}, "limit"),
        ({"limit": True}, "limit"),
        ({"limit": 2.5}, "limit"),
        ({"kinds": ["visits"]}, "kinds"),
        ({"kinds": [None]}, "kinds"),
        ({"before": "yesterday"}, "before"),
    ],
)
def test_nonsense_arguments_are_refused_with_a_message(
    practice: Practice, arguments: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        timeline(practice.db, practice.sample.client_id, **arguments)
    assert field in raised.value.errors


@pytest.mark.parametrize("client_id", [0, -1, 10**6, 2**63, 2**70, True, "1", None])
def test_a_client_that_does_not_exist_is_not_found(practice: Practice, client_id: object) -> None:
    with pytest.raises(NotFoundError):
        timeline(practice.db, client_id)  # type: ignore[arg-type]


@READ_ONLY
@given(
    client_id=st.one_of(st.integers(), st.none(), st.text(max_size=5)),
    limit=st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans()),
    kinds=st.one_of(st.none(), st.lists(st.text(max_size=12), max_size=3)),
    moment=st.datetimes(timezones=st.just(datetime.now().astimezone().tzinfo)),
    rank=st.integers(-5, 20),
    record_id=st.integers(-(2**70), 2**70),
)
def test_any_input_gives_entries_or_the_project_s_own_error(
    practice: Practice,
    client_id: object,
    limit: object,
    kinds: object,
    moment: datetime,
    rank: int,
    record_id: int,
) -> None:
    before = Cursor(moment, rank, record_id)
    try:
        page = timeline(practice.db, client_id, kinds=kinds, limit=limit, before=before)  # type: ignore[arg-type]
    except FasciaError:
        return
    assert all(e.cursor < before for e in page.entries)


def test_readying_the_first_page_at_start_up_reads_and_changes_nothing(practice: Practice) -> None:
    from practice.timeline.service import prepare

    before = whole_timeline(practice.db, practice.sample.client_id)
    prepare()  # before the database is open: statements only
    prepare(practice.db)  # once it is: compiled on its engine, locale data loaded
    assert whole_timeline(practice.db, practice.sample.client_id) == before


def test_the_first_page_after_start_up_compiles_no_statement(tmp_path: Path) -> None:
    """What `prepare` compiles at start-up is what a first page then finds in SQLAlchemy's
    cache (compiling the sources' statements on the first click took several milliseconds)."""
    from sqlalchemy import event
    from sqlalchemy.engine.interfaces import CacheStats

    from practice.clients.records import ClientForm
    from practice.clients.service import create_client
    from practice.timeline.service import prepare

    folder = tmp_path / "practice"
    folder.mkdir()
    db = open_database(folder, actor="Maya Chen, RMT")
    try:
        client = create_client(db, ClientForm(given_name="Noor", family_name="Haddad"))
        prepare(db)
        compiled: list[str] = []

        def executed(_conn, _cursor, statement, _params, context, _many) -> None:  # type: ignore[no-untyped-def]
            if context.cache_hit is not CacheStats.CACHE_HIT:
                compiled.append(statement)

        event.listen(db.engine, "after_cursor_execute", executed)
        try:
            page = timeline(db, client.id, limit=60)
        finally:
            event.remove(db.engine, "after_cursor_execute", executed)
        assert page.entries == () and compiled == []
    finally:
        db.close()
