"""The Timeline tab: a client's whole record newest first, filtered by kind or words, each entry
opening its record in the tab that holds it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from practice.changes import Changes
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.store import Database, open_database
from practice.timeline import service
from practice.timeline.records import Kind, Source, TimelineEntry
from practice.visits import service as visits
from practice.visits.records import SoapNote, VisitDraft, VisitForm
from tests.practice.timeline.sample import Sample, build_sample, days_ago
from ui.clients.workspace import ClientWorkspace
from ui.ops import runner
from ui.timeline import tab as tab_module
from ui.timeline.model import ENTRY_ROLE, TimelineModel
from ui.timeline.tab import TimelineTab


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Sample]:
    """The sample practice is written once; each test opens its own copy."""
    folder = tmp_path_factory.mktemp("timeline-ui") / "practice"
    folder.mkdir()
    db = open_database(folder, actor="Maya Chen, RMT")
    try:
        return folder, build_sample(db)
    finally:
        db.close()


@pytest.fixture
def sample(template: tuple[Path, Sample]) -> Sample:
    return template[1]


@pytest.fixture
def sample_db(template: tuple[Path, Sample], tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "copy"
    shutil.copytree(template[0], copy, ignore=shutil.ignore_patterns("*.lock"))
    db = open_database(copy, actor="Maya Chen, RMT")
    yield db
    db.close()


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: Database, sample: Sample) -> ClientWorkspace:
    widget = ClientWorkspace(sample_db)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    widget.open_client(sample.client_id)
    settle(qtbot)
    return widget


def settle(qtbot: QtBot) -> None:
    qtbot.wait(1)  # let a reload asked for in this turn of the event loop start
    qtbot.waitUntil(lambda: runner().idle)


def rows(tab: TimelineTab) -> list[TimelineEntry]:
    return [tab.model.index(r, 0).data(ENTRY_ROLE) for r in range(tab.model.rowCount())]


def keys(entries: Sequence[TimelineEntry]) -> list[tuple[Source, int]]:
    return [(e.source, e.record_id) for e in entries]


def select(tab: TimelineTab, source: Source, record_id: int) -> None:
    row = next(
        r for r, e in enumerate(rows(tab)) if e.source is source and e.record_id == record_id
    )
    index = tab.model.index(row, TimelineModel.TITLE)
    tab.table.setCurrentIndex(index)
    tab.table.scrollTo(index)


def test_the_timeline_model_passes_qt_s_model_checks(  # type: ignore[no-untyped-def]
    qtmodeltester, sample_db: Database, sample: Sample
) -> None:
    model = TimelineModel()
    every = service.whole_timeline(sample_db, sample.client_id)
    model.set_page(every, True, "en_CA")
    qtmodeltester.check(model)
    model.set_filter("visit SIGNED")
    qtmodeltester.check(model)
    shown = [model.entry(row) for row in range(model.rowCount())]
    assert shown and len(shown) < len(every) and model.loaded_count() == len(every)
    assert shown == [e for e in every if e.kind is Kind.VISIT and "signed" in e.title.lower()]
    model.set_filter("")
    assert [model.entry(row) for row in range(model.rowCount())] == list(every)


def test_the_filter_follows_entries_read_later_and_details_read_again(
    sample_db: Database, sample: Sample
) -> None:
    every = service.whole_timeline(sample_db, sample.client_id)
    plan = next(e for e in every if e.kind is Kind.PLAN)
    model = TimelineModel()
    others = [e for e in every if e != plan]
    model.set_page(others[:3], True, "en_CA")
    model.set_filter("zebra")
    assert model.rowCount() == 0 and model.loaded_count() == 3
    model.append_rows(others[3:], True)
    assert model.rowCount() == 0 and model.loaded_count() == len(others)
    model.append_rows([plan], False)
    assert model.rowCount() == 0 and model.last_loaded() == plan
    # The plan read again with its course figures, which hold the word: now it is shown.
    model.replace_entries([replace(plan, detail="7 of 12 visits · zebra")])
    assert [model.entry(row).record_id for row in range(model.rowCount())] == [plan.record_id]
    model.set_filter("")
    assert model.rowCount() == len(every) and model.last_loaded().detail.endswith("zebra")


@pytest.mark.parametrize(
    "text",
    [
        "x" * 100_000,
        "שרה سلمى 김 🌻",
        "  \t\n ",
        "VISIT\x00signed",
        "ǅ ß ẞ İ",  # case folding that changes lengths
    ],
)
def test_the_filter_takes_any_text_and_shows_only_matching_rows_in_order(
    text: str, sample_db: Database, sample: Sample
) -> None:
    every = service.whole_timeline(sample_db, sample.client_id)
    model = TimelineModel()
    model.set_page(every, False, "en_CA")
    model.set_filter(text)
    shown = [model.entry(row) for row in range(model.rowCount())]
    words = text.casefold().split()
    assert shown == [
        e
        for e in every
        if all(w in f"{e.kind.label} {e.title} {e.detail}".casefold() for w in words)
    ]
    assert model.loaded_count() == len(every)
    if not words:  # blanks filter nothing
        assert not model.filtering and shown == list(every)


def test_a_client_opens_on_the_timeline_with_every_record_newest_first(
    workspace: ClientWorkspace, sample_db: Database, sample: Sample
) -> None:
    tab = workspace.timeline
    assert workspace.tabs.currentWidget() is tab and workspace.tabs.tabText(0) == "Timeline"
    assert keys(rows(tab)) == keys(service.whole_timeline(sample_db, sample.client_id))
    first = tab.model.index(0, TimelineModel.KIND)
    assert first.data() == "Plan" and first.data(Qt.ItemDataRole.DecorationRole) is not None
    assert tab.model.index(0, TimelineModel.TITLE).data() == "Re-evaluation due"
    assert "Re-evaluation due" in tab.model.index(0, TimelineModel.TITLE).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert tab.pages.currentWidget() is tab.table
    assert tab.footer.text().startswith("All ")


def test_plan_rows_fill_in_the_plan_course_figures(
    qtbot: QtBot, workspace: ClientWorkspace, sample: Sample
) -> None:
    tab = workspace.timeline

    def active_plan() -> TimelineEntry:
        return next(
            e for e in rows(tab) if e.source is Source.PLAN and e.record_id == sample.active_plan_id
        )

    qtbot.waitUntil(lambda: active_plan().detail.startswith("2 of 12 visits"))


def test_switching_a_kind_off_hides_its_rows_and_the_choice_is_remembered(
    qtbot: QtBot, workspace: ClientWorkspace, sample_db: Database
) -> None:
    tab = workspace.timeline
    visits_button = tab.kinds.buttons[Kind.VISIT]
    assert visits_button.isChecked()
    qtbot.mouseClick(visits_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert not visits_button.isChecked() and "hidden" in visits_button.toolTip()
    assert rows(tab) and all(e.kind is not Kind.VISIT for e in rows(tab))
    assert tab.all_kinds_button.isVisible() and "8 kinds shown" in tab.footer.text()
    assert QSettings().value("timeline/hidden_kinds") == ["visit"]
    again = TimelineTab(sample_db)
    qtbot.addWidget(again)
    assert not again.kinds.buttons[Kind.VISIT].isChecked()
    qtbot.mouseClick(tab.all_kinds_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert any(e.kind is Kind.VISIT for e in rows(tab)) and tab.all_kinds_button.isHidden()


def test_only_kinds_the_client_lacks_say_so_and_offer_every_kind(
    qtbot: QtBot, workspace: ClientWorkspace
) -> None:
    tab = workspace.timeline
    tab.kinds.set_kinds([])
    settle(qtbot)
    assert tab.pages.currentWidget() is tab.no_kinds
    qtbot.mouseClick(tab.no_kinds.button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert tab.pages.currentWidget() is tab.table and tab.kinds.all_shown


def test_typing_filters_the_rows_and_escape_clears_the_filter(
    qtbot: QtBot, workspace: ClientWorkspace, sample: Sample
) -> None:
    tab = workspace.timeline
    every = len(rows(tab))
    select(tab, Source.INVOICE, sample.void_invoice_id)
    qtbot.keyClicks(tab.search, "invoice")
    invoices = rows(tab)
    assert len(invoices) > 1 and rows(tab)[0].record_id != sample.void_invoice_id
    assert tab.selected_entry().record_id == sample.void_invoice_id  # kept while it matches
    qtbot.keyClicks(tab.search, " VOID")
    assert keys(rows(tab)) == [(Source.INVOICE, sample.void_invoice_id)]
    assert tab.footer.text().startswith("1 of ")
    qtbot.keyClicks(tab.search, "zzz")
    assert tab.pages.currentWidget() is tab.no_match
    qtbot.keyClick(tab.search, Qt.Key.Key_Escape)
    assert tab.search.text() == "" and len(rows(tab)) == every


def test_the_filter_shortcut_focuses_the_filter_and_down_returns_to_the_list(
    qtbot: QtBot, workspace: ClientWorkspace
) -> None:
    tab = workspace.timeline
    workspace.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    qtbot.keyClick(
        tab.table,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(tab.search.hasFocus)
    qtbot.keyClick(tab.search, Qt.Key.Key_Down)
    qtbot.waitUntil(tab.table.hasFocus)
    assert tab.table.currentIndex().row() == 0


def test_enter_opens_a_visit_in_the_visits_tab(
    qtbot: QtBot, workspace: ClientWorkspace, sample: Sample
) -> None:
    tab = workspace.timeline
    select(tab, Source.VISIT, sample.signed_visit_id)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert workspace.tabs.currentWidget() is workspace.visits
    qtbot.waitUntil(lambda: runner().idle)  # the note is read on the op runner
    assert workspace.visits.pages.currentWidget() is workspace.visits.editor
    record = workspace.visits.editor.record
    assert record is not None and record.visit.id == sample.signed_visit_id


def test_a_double_click_opens_the_chart_version_it_lists(
    qtbot: QtBot, workspace: ClientWorkspace, sample: Sample
) -> None:
    tab = workspace.timeline
    select(tab, Source.CHART, sample.first_chart_id)  # the earlier drawing, since replaced
    rect = tab.table.visualRect(tab.table.currentIndex())
    # A double-click is a click and then a second press: QTest sends only the second part.
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    bodymap = workspace.bodymap
    assert workspace.tabs.currentWidget() is bodymap
    qtbot.waitUntil(lambda: runner().idle)  # the chart is read on the op runner
    assert bodymap.stack.currentWidget() is bodymap.editor
    # The drawing as it was, not its later edit; the history selects the chart it belongs to.
    assert bodymap.chart is not None and bodymap.chart.id == sample.first_chart_id
    assert not bodymap.chart.current and bodymap.versions.currentText().startswith("Version 1 of 2")
    selected = bodymap.history.currentItem()
    assert selected is not None
    assert selected.data(0, Qt.ItemDataRole.UserRole) == sample.edited_chart_id


@pytest.mark.parametrize(
    ("source", "record", "tab_name"),
    [
        (Source.PLAN, "plan_id", "plan"),
        (Source.REEVALUATION, "active_plan_id", "plan"),
        (Source.DOCUMENT, "document_id", "documents"),
        (Source.INTAKE, "intake_id", "intake"),
        (Source.CONSENT_WITHDRAWN, "withdrawn_consent_id", "consent"),
        (Source.PAYMENT, "payment_id", "billing"),
        (Source.INVOICE, "void_invoice_id", "billing"),
    ],
)
def test_enter_opens_each_record_in_the_tab_that_holds_it(
    qtbot: QtBot,
    workspace: ClientWorkspace,
    sample: Sample,
    source: Source,
    record: str,
    tab_name: str,
) -> None:
    tab = workspace.timeline
    record_id = getattr(sample, record)
    select(tab, source, record_id)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    target = getattr(workspace, tab_name)
    assert workspace.tabs.currentWidget() is target
    qtbot.waitUntil(lambda: runner().idle)  # the tab reads its records on the op runner
    if tab_name == "plan":
        assert target.current_plan().id == record_id
    elif tab_name == "documents":
        assert target.selected_document().id == record_id
    elif tab_name == "intake":
        assert target.history.currentIndex() == 0  # the only intake: the latest
    elif tab_name == "consent":
        assert target._selected().id == record_id
    elif source is Source.INVOICE:
        assert target.dialog is not None
        qtbot.waitUntil(target.dialog.isVisible)  # opens once its invoice is read
        assert target.dialog.editor.invoice.id == record_id
        target.dialog.reject()


def test_a_measure_opens_the_progress_charts(qtbot: QtBot, workspace: ClientWorkspace) -> None:
    tab = workspace.timeline
    row = next(r for r, e in enumerate(rows(tab)) if e.kind is Kind.MEASURE)
    tab.table.setCurrentIndex(tab.model.index(row, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Enter)
    assert workspace.tabs.currentWidget() is workspace.progress


def test_older_entries_load_as_the_list_reaches_its_end(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, sample_db: Database, sample: Sample
) -> None:
    monkeypatch.setattr(service, "PAGE", 4)
    monkeypatch.setattr(tab_module, "FIRST_PAGE", 4)
    tab = TimelineTab(sample_db)
    qtbot.addWidget(tab)
    tab.resize(1000, 400)
    tab.show()
    tab.load(clients.get_client(sample_db, sample.client_id))
    every = service.whole_timeline(sample_db, sample.client_id)
    # The view asks for more until it is full, then as it is scrolled to the end.
    counts = []
    for _ in range(len(every)):
        settle(qtbot)
        counts.append(tab.model.rowCount())
        tab.table.scrollToBottom()
        if not tab.model.more:
            break
    settle(qtbot)
    assert counts[0] >= 4 and len(set(counts)) > 2  # a page at a time
    assert keys(rows(tab)) == keys(every) and not tab.model.more
    assert tab.footer.text().startswith(f"All {len(every)} entries.")


def test_a_client_with_nothing_on_record_is_told_what_belongs_there(
    qtbot: QtBot, sample_db: Database
) -> None:
    workspace = ClientWorkspace(sample_db)
    qtbot.addWidget(workspace)
    workspace.show()
    client = clients.create_client(sample_db, ClientForm(given_name="Noor", family_name="Haddad"))
    workspace.open_client(client.id)
    settle(qtbot)
    tab = workspace.timeline
    assert tab.pages.currentWidget() is tab.empty
    assert "visits, charts, measures" in tab.empty.hint.text()
    qtbot.mouseClick(tab.empty.button, Qt.MouseButton.LeftButton)
    assert workspace.tabs.currentWidget() is workspace.intake


def test_a_new_client_starts_on_the_profile_with_the_timeline_closed(
    qtbot: QtBot, sample_db: Database
) -> None:
    workspace = ClientWorkspace(sample_db)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.open_client(None)
    assert workspace.tabs.currentWidget() is workspace.profile
    assert not workspace.tabs.isTabEnabled(workspace.tabs.indexOf(workspace.timeline))
    assert workspace.tabs.isTabEnabled(workspace.tabs.indexOf(workspace.profile))


def test_a_change_to_the_client_shows_at_once_and_keeps_the_selection(
    qtbot: QtBot, workspace: ClientWorkspace, sample_db: Database, sample: Sample
) -> None:
    tab = workspace.timeline
    select(tab, Source.INVOICE, sample.paid_invoice_id)
    before = len(rows(tab))
    draft = VisitDraft(VisitForm(days_ago(0, 8)), SoapNote(pain_before=5), ())
    visits.create_visit(sample_db, sample.client_id, draft)
    runner().announce(Changes.of("visit", client_id=sample.client_id))
    settle(qtbot)
    assert len(rows(tab)) == before + 1
    kept = tab.selected_entry()
    assert kept is not None and (kept.source, kept.record_id) == (
        Source.INVOICE,
        sample.paid_invoice_id,
    )
    another = clients.create_client(sample_db, ClientForm(given_name="Other", family_name="One"))
    draft = VisitDraft(VisitForm(days_ago(0, 9)), SoapNote(), ())
    visits.create_visit(sample_db, another.id, draft)
    runner().announce(Changes.of("visit", client_id=another.id))
    settle(qtbot)
    assert len(rows(tab)) == before + 1


def test_coming_back_to_the_timeline_shows_what_other_tabs_recorded(
    qtbot: QtBot, workspace: ClientWorkspace, sample_db: Database, sample: Sample
) -> None:
    tab = workspace.timeline
    workspace.tabs.setCurrentWidget(workspace.visits)
    draft = VisitDraft(VisitForm(days_ago(0, 8)), SoapNote(pain_before=5), ())
    visit_id = visits.create_visit(sample_db, sample.client_id, draft).visit.id
    workspace.tabs.setCurrentWidget(tab)
    settle(qtbot)
    assert any(e.source is Source.VISIT and e.record_id == visit_id for e in rows(tab))
