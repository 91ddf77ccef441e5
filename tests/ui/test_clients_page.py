"""The client list and profile as a therapist uses them: search, create, validate, archive."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from practice.clients import rules, service
from practice.clients.intake import CancerStatus, IntakeData
from practice.clients.records import ClientForm
from practice.store import Database
from ui.clients.list_model import ClientListModel
from ui.clients.page import ClientsPage
from ui.ops import runner
from ui.widgets.alerts import AlertBanner


@pytest.fixture
def page(qtbot: QtBot, db: Database) -> ClientsPage:
    for given, family in [("Chloé", "Lefèvre"), ("Noah", "Smith"), ("민지", "김")]:
        service.create_client(db, ClientForm(given_name=given, family_name=family))
    widget = ClientsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    return widget


def landed(qtbot: QtBot) -> None:
    """Wait until the writes a click started have landed (they run on the op runner)."""
    qtbot.waitUntil(lambda: runner().idle)


def _names(page: ClientsPage) -> list[str]:
    model = page.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_client_list_model_passes_qt_model_checks(qtmodeltester, db: Database) -> None:  # type: ignore[no-untyped-def]
    service.create_client(db, ClientForm(given_name="Ana", date_of_birth=date(1980, 2, 3)))
    model = ClientListModel()
    model.set_rows(service.search_clients(db))
    qtmodeltester.check(model)


def test_typing_in_search_filters_the_list_ignoring_accents(
    qtbot: QtBot, page: ClientsPage
) -> None:
    assert len(_names(page)) == 3
    qtbot.keyClicks(page.search, "chlo")
    assert _names(page) == ["Chloé Lefèvre"]
    page.search.clear()
    qtbot.keyClicks(page.search, "zzz")
    assert _names(page) == []
    assert page.empty.isVisible() and "No client matches" in page.empty.text()


def test_selecting_a_row_opens_the_client(qtbot: QtBot, page: ClientsPage) -> None:
    qtbot.keyClicks(page.search, "noah")
    page.table.selectRow(0)
    assert page.workspace.client is not None
    assert page.workspace.header.name.text() == "Noah Smith"


def test_enter_in_the_search_opens_the_match_and_down_goes_into_the_list(
    qtbot: QtBot, page: ClientsPage
) -> None:
    """Type a name, press Enter: the client opens, no mouse needed. Down then walks the list."""
    qtbot.keyClicks(page.search, "chlo")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.open_client_id() is not None)
    assert page.workspace.client.display_name == "Chloé Lefèvre"
    assert page.table.hasFocus()
    page.search.clear()
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.workspace.client.display_name == _names(page)[1])
    page.search.setFocus()
    qtbot.keyClicks(page.search, "zzz")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # nothing matches: nothing happens
    assert page.search.hasFocus()


def test_new_client_with_empty_name_shows_inline_error_and_saves_nothing(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    page.new_client()
    form = page.workspace.profile
    qtbot.keyClicks(form.contact.fields["email"], "not-an-email")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "first (given) name" in form.identity.errors["given_name"].message()
    assert "email address" in form.contact.errors["email"].message()
    assert form.identity.fields["given_name"].hasFocus() or not form.isActiveWindow()
    assert len(service.search_clients(db, include_archived=True)) == 3


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ((date.today() + timedelta(days=3)).isoformat(), "in the future"),
        ("2023-02-30", "not a real date"),
        ("03/07/84", "YYYY-MM-DD"),
    ],
)
def test_bad_birth_dates_are_explained_next_to_the_field(
    qtbot: QtBot, page: ClientsPage, db: Database, typed: str, message: str
) -> None:
    page.new_client()
    form = page.workspace.profile
    qtbot.keyClicks(form.identity.fields["given_name"], "Ana")
    qtbot.keyClicks(form.identity.fields["date_of_birth"], typed)
    form.save()
    assert message in form.identity.errors["date_of_birth"].message()
    assert len(service.search_clients(db, include_archived=True)) == 3


def test_creating_a_client_adds_and_selects_it(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    page.new_client()
    form = page.workspace.profile
    # QTest can only type ASCII; insert() goes through the same editing path for the rest.
    form.identity.fields["given_name"].insert("Siobhán")
    qtbot.keyClicks(form.identity.fields["family_name"], "O'Brien")
    qtbot.keyClicks(form.identity.fields["date_of_birth"], "1984-03-07")
    with qtbot.waitSignal(form.client_saved):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "Siobhán O'Brien" in _names(page)
    selected = page.table.selectionModel().selectedRows()
    assert [i.data() for i in selected] == ["Siobhán O'Brien"]
    assert service.search_clients(db, "siobhan")[0].date_of_birth == date(1984, 3, 7)
    assert page.workspace.tabs.isTabEnabled(1)


def test_a_double_click_on_create_client_creates_one_client(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    page.new_client()
    form = page.workspace.profile
    qtbot.keyClicks(form.identity.fields["given_name"], "Mira")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    assert len(service.search_clients(db, "mira")) == 1
    assert form.client is not None and form.save_button.isEnabled()


def test_typing_while_a_profile_saves_stays_unsaved_and_is_kept(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    page.new_client()
    form = page.workspace.profile
    qtbot.keyClicks(form.identity.fields["given_name"], "Mira")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.save_button.isEnabled()  # held until the save lands
    form.identity.fields["occupation"].insert("Violinist")  # typed while it is written
    landed(qtbot)
    assert form.identity.fields["occupation"].text() == "Violinist"
    assert form.is_dirty()
    [row] = service.search_clients(db, "mira")
    assert service.get_client(db, row.id).occupation == ""
    assert form.save() is not None  # Ctrl+S: the same client is updated, not a second made
    assert [c.id for c in service.search_clients(db, "mira")] == [row.id]
    assert service.get_client(db, row.id).occupation == "Violinist"
    assert not form.is_dirty()


def test_ctrl_s_during_a_button_save_waits_for_it_and_creates_one_client(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    page.new_client()
    form = page.workspace.profile
    qtbot.keyClicks(form.identity.fields["given_name"], "Mira")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert page.workspace.save()
    assert len(service.search_clients(db, "mira")) == 1


def test_editing_a_client_saves_the_change(qtbot: QtBot, page: ClientsPage, db: Database) -> None:
    page.table.selectRow(0)
    form = page.workspace.profile
    assert not form.is_dirty()
    form.contact.fields["phone_mobile"].setText("(416) 555-0142")
    assert form.is_dirty()
    form.save()
    assert service.search_clients(db, "5550142")


def test_header_shows_alert_chips_from_the_intake(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    client = service.search_clients(db, "noah")[0]
    service.save_intake(db, client.id, IntakeData(date.today(), conditions={"dvt_known": "2026"}))
    page.open_client(client.id)
    chips = [
        page.workspace.header.chips.itemAt(i).widget()
        for i in range(page.workspace.header.chips.count())
    ]
    texts = [c.text() for c in chips if c is not None]
    assert any("Do not treat" in t for t in texts)
    assert not page.workspace.banner.isVisibleTo(page)  # the details wait for "What to do"
    page.workspace.header.alerts_button.click()
    assert page.workspace.banner.isVisibleTo(page)


def test_archiving_hides_the_client_unless_archived_are_shown(
    qtbot: QtBot, page: ClientsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    qtbot.keyClicks(page.search, "noah")
    page.table.selectRow(0)
    qtbot.mouseClick(page.workspace.header.archive_button, Qt.MouseButton.LeftButton)
    landed(qtbot)
    assert _names(page) == []
    page.show_archived.setChecked(True)
    assert _names(page) == ["Noah Smith (archived)"]
    button = page.workspace.header.archive_button
    page.table.selectRow(0)
    landed(qtbot)
    # Restoring is not a danger: the button is styled again only when that changes.
    assert (button.toolTip(), button.property("danger")) == ("Restore client", False)
    chloe = service.search_clients(page.db, "chloé")[0]
    page.open_client(chloe.id)
    landed(qtbot)
    assert (button.toolTip(), button.property("danger")) == ("Archive client", True)


def test_long_alert_list_shows_the_most_serious_first_and_folds_the_rest(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    alerts = rules.evaluate(
        IntakeData(
            date.today(),
            conditions={
                "dvt_known": "",
                "seizures": "",
                "varicose_veins": "calf",
                "osteoporosis": "",
            },
        )
    )
    banner = AlertBanner()  # as the intake's preview shows it
    qtbot.addWidget(banner)
    banner.set_alerts(alerts)
    banner.show()
    rows = banner._rows
    assert len(rows) == 4
    assert [r.isVisibleTo(banner) for r in rows] == [True, True, False, False]
    assert banner.toggle.text() == "Show 2 more alerts and details"
    assert not rows[0].details.isVisibleTo(banner)
    qtbot.mouseClick(banner.toggle, Qt.MouseButton.LeftButton)
    assert all(r.isVisibleTo(banner) for r in rows)
    assert "Why:" in rows[0].details.text() and rows[0].details.isVisibleTo(banner)


def test_what_to_do_opens_every_alert_in_full(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    client = service.search_clients(db, "noah")[0]
    conditions = {"dvt_known": "", "seizures": "", "varicose_veins": "calf", "osteoporosis": ""}
    service.save_intake(db, client.id, IntakeData(date.today(), conditions=conditions))
    page.open_client(client.id)
    banner = page.workspace.banner
    page.workspace.header.alerts_button.click()
    assert len(banner._rows) == 4
    assert all(r.isVisibleTo(page) and r.details.isVisibleTo(page) for r in banner._rows)


def test_an_opened_client_is_shown_in_the_next_pass_or_at_once_when_asked_for(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    """The click reads and fills; the workspace is shown (laid out) in the next pass of the
    event loop and painted in the one after, so the window answers in between. Anything that
    asks for the workspace before that gets it shown."""
    noah, chloe = (service.search_clients(db, name)[0] for name in ("noah", "chloé"))
    page.open_client(noah.id)
    assert page.right.currentWidget() is not page._workspace  # not yet: the next pass
    assert page.open_client_id() == noah.id
    qtbot.waitUntil(lambda: page.right.currentWidget() is page._workspace)
    qtbot.waitUntil(lambda: page._workspace.updatesEnabled())  # and painted after that
    assert page._workspace.isVisible()

    fresh = ClientsPage(db)
    qtbot.addWidget(fresh)
    fresh.show()
    fresh.open_client(chloe.id)
    workspace = fresh.workspace  # asked for at once: shown at once
    assert fresh.right.currentWidget() is workspace and workspace.isVisible()
    assert workspace.client is not None and workspace.client.id == chloe.id


class _TimelinePaints(QObject):
    """Whether the Timeline's list held its rows at each of its paints."""

    def __init__(self, page: ClientsPage) -> None:
        super().__init__()
        self.page = page
        self.loaded: list[bool] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.loaded.append(self.page.workspace.timeline._loaded)
        return False


def test_the_next_client_opens_with_their_timeline_rows_in_its_first_paint(
    qtbot: QtBot, page: ClientsPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a client waits a moment for their Timeline's rows, so the first paint shows
    the record whole: never the list empty first, nor the previous client's rows under the
    new name. With a record on screen, the rows are in when the click returns. (The wait is
    made long here: a test's first read of the timeline, without the app's warm-up, and on
    a busy machine, may take longer than the app waits; `test_ops` covers the deadline.)"""
    monkeypatch.setattr("ui.clients.page.OPEN_WAIT_MS", 10_000)
    monkeypatch.setattr("ui.clients.page.REVEAL_WAIT_MS", 10_000)
    noah = service.search_clients(db, "noah")[0]
    chloe = service.search_clients(db, "chloé")[0]
    service.save_intake(db, noah.id, IntakeData(date.today() - timedelta(days=3)))
    service.save_intake(db, chloe.id, IntakeData(date.today()))
    service.save_intake(db, chloe.id, IntakeData(date.today(), conditions={"dvt_known": "2026"}))
    paints = _TimelinePaints(page)
    page.workspace.timeline.table.viewport().installEventFilter(paints)
    page.open_client(noah.id)  # the first: the workspace is shown in the next pass
    qtbot.waitUntil(lambda: page.workspace.isVisible() and runner().idle)
    qtbot.waitUntil(lambda: bool(paints.loaded))
    assert paints.loaded[0], "the Timeline was painted empty before its rows"
    timeline = page.workspace.timeline
    assert timeline.isVisible() and timeline.model.rowCount() == 1

    qtbot.wait(50)  # (the paints and layouts of that first open, done)
    paints.loaded.clear()
    page.open_client(chloe.id)  # no pass of the event loop after this
    assert timeline._loaded and timeline.model.rowCount() == 2
    qtbot.wait(50)
    # Laid out before it was painted: painted once, not again a pass later with the layout
    # the new header and rows asked for.
    assert paints.loaded == [True]
    assert {timeline.model.entry(row).day for row in range(2)} == {date.today()}
    header = page.workspace.header
    chips = [chip for chip in header._level_chips.values() if chip.isVisibleTo(header)]
    assert any("Do not treat" in chip.text() for chip in chips)


def test_each_client_shows_their_own_alerts_however_they_are_opened_in_turn(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    """The header keeps its chips while the next client's are the same (nothing rebuilt), and
    the banner makes its rows only when opened: neither may show the previous client's."""
    noah = service.search_clients(db, "noah")[0]
    chloe = service.search_clients(db, "chloé")[0]
    minji = service.search_clients(db, "민지")[0]
    service.save_intake(db, noah.id, IntakeData(date.today(), conditions={"dvt_known": "2026"}))
    service.save_intake(db, chloe.id, IntakeData(date.today()))
    header = page.workspace.header
    banner = page.workspace.banner

    def said() -> list[str]:
        return [label.text() for label in header.findChildren(QLabel) if label.isVisibleTo(header)]

    def banner_says() -> str:
        return " ".join(
            label.text() for label in banner.findChildren(QLabel) if label.isVisibleTo(banner)
        )

    def open_it(client_id: int) -> None:
        page.open_client(client_id)
        qtbot.waitUntil(lambda: runner().idle)

    for _ in range(2):
        open_it(noah.id)
        assert any("Do not treat" in text for text in said())
        assert "No alerts from the intake" not in said()
        open_it(chloe.id)
        assert "No alerts from the intake" in said()
        assert not any("Do not treat" in text for text in said())
        assert not header.alerts_button.isVisibleTo(header) and not banner.has_alerts()
    open_it(noah.id)
    header.alerts_button.click()
    assert "Do not treat" in banner_says() and "What to do" in banner_says()
    header.alerts_button.click()
    open_it(minji.id)  # no intake on file: a caution, and the banner says that, not noah's
    assert any("Caution" in text for text in said())
    header.alerts_button.click()
    assert "Do not treat" not in banner_says() and "intake" in banner_says().lower()
    open_it(noah.id)  # back while the banner is open: noah's again
    assert "Do not treat" in banner_says()


def test_header_chips_stay_most_serious_first_whichever_level_appears_first(
    qtbot: QtBot, page: ClientsPage, db: Database
) -> None:
    """A chip per level is made when a client first has that level, then kept and refilled:
    one made later still takes its place by severity, and shows this client's count."""
    noah = service.search_clients(db, "noah")[0]
    chloe = service.search_clients(db, "chloé")[0]
    minji = service.search_clients(db, "민지")[0]  # no intake: a caution
    bleeding = {"bleeding_disorder": "von Willebrand"}
    service.save_intake(db, chloe.id, IntakeData(date.today(), conditions=bleeding))
    both = {**bleeding, "dvt_known": "2026"}
    active = CancerStatus.ACTIVE  # a second reason for light pressure only
    service.save_intake(
        db, noah.id, IntakeData(date.today(), conditions=both, cancer_status=active)
    )
    header = page.workspace.header

    def chips_in_order() -> list[str]:
        widgets = (header.chips.itemAt(i).widget() for i in range(header.chips.count()))
        return [w.text() for w in widgets if w is not None and w.isVisibleTo(header)]

    for client, expected in [
        (minji, ["⚠ Caution"]),
        (chloe, ["⚠ No deep work"]),
        (noah, ["⊘ Do not treat", "⚠ No deep work ×2"]),
        (minji, ["⚠ Caution"]),
        (chloe, ["⚠ No deep work"]),
    ]:
        page.open_client(client.id)
        qtbot.waitUntil(lambda: runner().idle)
        assert chips_in_order() == expected, client.given_name
