"""Possible sources: ranked muscles for a chart, live in the body map editor, with an overlay."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from practice.bodymap import service
from practice.bodymap.atlas import load_atlas
from practice.bodymap.chart import ChartData, RegionMark
from practice.clients import service as clients
from practice.clients.records import ClientForm
from practice.plans.trigger_points import load_catalogue
from practice.store import Database
from ui.bodymap.editor import BodyChartEditor
from ui.bodymap.scene import TargetItem
from ui.bodymap.sources import EMPTY_TEXT, NO_MATCH_TEXT, PossibleSourcesPanel, SuggestionCard
from ui.bodymap.tab import BodyMapTab

TRAPEZIUS = "upper_trapezius_R"


def pattern_chart(key: str, intensity: int = 6) -> ChartData:
    """A chart whose painful regions are exactly a muscle's main referral zone."""
    muscle = load_catalogue().muscle(key)
    return ChartData(marks=tuple(RegionMark(code, intensity) for code in muscle.primary))


@pytest.fixture
def panel(qtbot: QtBot) -> PossibleSourcesPanel:
    widget = PossibleSourcesPanel()
    qtbot.addWidget(widget)
    widget.resize(320, 700)
    widget.show()
    return widget


@pytest.fixture
def editor(qtbot: QtBot) -> BodyChartEditor:
    widget = BodyChartEditor()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("key", ["upper_trapezius_R", "piriformis_L", "gluteus_minimus_R"])
def test_a_chart_drawn_from_a_muscles_referral_pattern_lists_that_muscle_first(
    panel: PossibleSourcesPanel, key: str
) -> None:
    panel.show_chart(pattern_chart(key))
    cards = panel.cards()
    assert cards and cards[0].key == key
    muscle = load_catalogue().muscle(key)
    assert cards[0].name_label.text() == f"1. {muscle.label}"
    assert cards[0].score_label.text() == "100%"
    first_region = load_catalogue().region_name(muscle.primary[0]).lower()
    assert first_region in cards[0].why_label.text()
    assert (
        cards[0]
        .why_label.text()
        .startswith(f"Explains {len(muscle.primary)} of {len(muscle.primary)} marked region")
    )
    assert muscle.symptoms[0] in cards[0].symptoms_label.text()


def test_the_panel_says_it_suggests_and_the_therapist_decides(
    panel: PossibleSourcesPanel,
) -> None:
    assert "you examine and decide" in panel.caption.text()


def test_a_chart_without_pain_shows_what_to_do_instead_of_a_list(
    panel: PossibleSourcesPanel,
) -> None:
    panel.show_chart(pattern_chart(TRAPEZIUS))
    panel.show_chart(ChartData(marks=(RegionMark("F_HEAD_FOREHEAD", 0),)))
    assert panel.cards() == []
    assert panel.empty_label.isVisible()
    assert panel.empty_label.text() == EMPTY_TEXT


def test_pain_in_no_muscles_main_zone_says_so(panel: PossibleSourcesPanel) -> None:
    catalogue = load_catalogue()
    main_zones = {r for m in catalogue.muscles for r in m.primary}
    lonely = next(r.code for r in load_atlas().regions if r.code not in main_zones)
    panel.show_chart(ChartData(marks=(RegionMark(lonely, 5),)))
    assert panel.cards() == []
    assert panel.empty_label.text() == NO_MATCH_TEXT


def test_clicking_a_card_selects_the_muscle_and_clicking_again_deselects(
    qtbot: QtBot, panel: PossibleSourcesPanel
) -> None:
    panel.show_chart(pattern_chart(TRAPEZIUS))
    card = panel.cards()[0]
    with qtbot.waitSignal(panel.muscle_selected) as selected:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert selected.args == [TRAPEZIUS]
    assert card.is_selected()
    with qtbot.waitSignal(panel.muscle_selected) as cleared:
        qtbot.keyClick(card, Qt.Key.Key_Space)
    assert cleared.args == [None]
    assert not card.is_selected()


def test_a_selection_survives_a_refresh_while_the_muscle_is_still_listed(
    qtbot: QtBot, panel: PossibleSourcesPanel
) -> None:
    panel.show_chart(pattern_chart(TRAPEZIUS))
    panel.select_muscle(TRAPEZIUS)
    with qtbot.assertNotEmitted(panel.muscle_selected):
        panel.show_chart(pattern_chart(TRAPEZIUS, intensity=8))
    assert panel.selected_muscle() == TRAPEZIUS
    assert panel.cards()[0].is_selected()
    with qtbot.waitSignal(panel.muscle_selected) as cleared:
        panel.show_chart(ChartData())
    assert cleared.args == [None]


def test_painting_refreshes_the_open_panel_and_selecting_draws_the_overlay(
    qtbot: QtBot, editor: BodyChartEditor
) -> None:
    assert editor.sources.isHidden()
    qtbot.keyClick(editor.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert editor.sources_visible() and not editor.sources.isHidden()
    assert not editor.sources.empty_label.isHidden()

    muscle = load_catalogue().muscle(TRAPEZIUS)
    editor.set_intensity(6)
    for code in muscle.primary:
        point = editor.view.mapFromScene(QPointF(*editor.atlas.region(code).label_point))
        qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: bool(editor.sources.cards()))
    assert editor.sources.cards()[0].key == TRAPEZIUS

    chart_before = editor.chart()
    steps_before = editor.undo_stack.count()
    qtbot.mouseClick(editor.sources.cards()[0], Qt.MouseButton.LeftButton)

    items = editor.scene.muscle_overlay_items()
    targets = [item for item in items if isinstance(item, TargetItem)]
    zones = [item for item in items if not isinstance(item, TargetItem)]
    assert len(targets) == len(muscle.trigger_points)
    assert {(t.pos().x(), t.pos().y()) for t in targets} == {
        (p.x, p.y) for p in muscle.trigger_points
    }
    assert len(zones) == len(muscle.primary) + len(muscle.spillover)
    assert all(item.scene() is editor.scene for item in items)
    assert editor.referral_legend.isVisibleTo(editor)
    assert muscle.label in editor.referral_legend.title.text()
    # Display only: the chart, its undo history and its dirty state are untouched.
    assert editor.chart() == chart_before
    assert editor.undo_stack.count() == steps_before

    qtbot.mouseClick(editor.sources.cards()[0], Qt.MouseButton.LeftButton)
    assert editor.scene.muscle_overlay_items() == []
    assert all(item.scene() is None for item in items)
    assert not editor.referral_legend.isVisibleTo(editor)


def test_hiding_the_panel_clears_the_overlay(qtbot: QtBot, editor: BodyChartEditor) -> None:
    editor.load(pattern_chart(TRAPEZIUS))
    editor.set_sources_visible(True)
    editor.sources.select_muscle(TRAPEZIUS)
    assert editor.scene.muscle_overlay_items()
    qtbot.mouseClick(editor.sources_button, Qt.MouseButton.LeftButton)
    assert editor.sources.isHidden()
    assert editor.scene.muscle_overlay_items() == []


def test_the_panel_stays_open_for_the_next_editor(qtbot: QtBot, editor: BodyChartEditor) -> None:
    editor.set_sources_visible(True)
    again = BodyChartEditor()
    qtbot.addWidget(again)
    assert again.sources_visible()


def test_undo_refreshes_the_suggestions(qtbot: QtBot, editor: BodyChartEditor) -> None:
    editor.set_sources_visible(True)
    editor.set_chart(pattern_chart(TRAPEZIUS), "Paint")
    editor.refresh_sources()
    assert editor.sources.cards()
    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: not editor.sources.cards())


def test_a_chart_saved_with_an_overlay_shown_stores_only_the_chart(
    qtbot: QtBot, db: Database
) -> None:
    client = clients.create_client(
        db, ClientForm("Chloé", "O'Brien", date_of_birth=date(1979, 5, 6))
    )
    tab = BodyMapTab(db)
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    tab.show()
    tab.load(client)
    qtbot.mouseClick(tab.empty_button, Qt.MouseButton.LeftButton)
    chart = pattern_chart(TRAPEZIUS)
    tab.editor.set_chart(chart, "Paint")
    tab.editor.set_sources_visible(True)
    tab.editor.sources.select_muscle(TRAPEZIUS)
    assert tab.editor.scene.muscle_overlay_items()

    assert tab.save()

    stored = service.get_chart(db, tab.chart_id)
    assert stored.data == chart
    assert stored.data.symbols == ()


def shown(panel: PossibleSourcesPanel) -> list[tuple[object, ...]]:
    """What each listed card shows the eye and a screen reader."""
    return [
        (
            card.name_label.text(),
            card.score_label.text(),
            card.bar.value,
            card.why_label.text(),
            card.missing_label.text(),
            card.symptoms_label.text() if card.symptoms_label.isVisibleTo(card) else None,
            card.toolTip(),
            card.accessibleName(),
            card.accessibleDescription(),
            card.is_selected(),
        )
        for card in panel.cards()
    ]


def test_a_changed_chart_shows_in_the_cards_exactly_as_in_a_new_panel(
    qtbot: QtBot, panel: PossibleSourcesPanel
) -> None:
    panel.show_chart(pattern_chart(TRAPEZIUS))
    before = shown(panel)
    chart = pattern_chart("gluteus_minimus_R")
    panel.show_chart(chart)
    fresh = PossibleSourcesPanel()
    qtbot.addWidget(fresh)
    fresh.show_chart(chart)

    assert shown(panel) == shown(fresh)
    assert shown(panel) != before
    muscle = load_catalogue().muscle("gluteus_minimus_R")
    first = panel.cards()[0]
    assert first.key == "gluteus_minimus_R"
    assert first.name_label.text() == f"1. {muscle.label}"
    assert first.accessibleName() == f"{muscle.label}, 100 percent match"
    assert [card.key for card in panel.cards()] == [s.muscle.key for s in panel.suggestions()]


def test_an_unchanged_chart_leaves_the_same_cards_and_texts(panel: PossibleSourcesPanel) -> None:
    panel.show_chart(pattern_chart(TRAPEZIUS))
    cards, labels, texts = panel.cards(), [c.why_label for c in panel.cards()], shown(panel)
    panel.show_chart(pattern_chart(TRAPEZIUS))
    panel.show_chart(pattern_chart(TRAPEZIUS, intensity=8))  # the same ranking and percentages
    assert panel.cards() == cards
    assert all(a is b for a, b in zip(panel.cards(), cards, strict=True))
    assert [c.why_label for c in panel.cards()] == labels
    assert shown(panel) == texts


def test_a_shorter_list_hides_the_spare_cards_and_a_longer_one_brings_them_back(
    panel: PossibleSourcesPanel,
) -> None:
    def visible_cards() -> int:
        return sum(card.isVisible() for card in panel.findChildren(SuggestionCard))

    panel.show_chart(pattern_chart(TRAPEZIUS))
    assert len(panel.cards()) == visible_cards() == 5
    panel.show_chart(ChartData(marks=(RegionMark("F_HEAD_FOREHEAD", 5),)))
    assert len(panel.cards()) == visible_cards() == 2
    assert [card.name_label.text()[:3] for card in panel.cards()] == ["1. ", "2. "]
    panel.show_chart(ChartData())
    assert visible_cards() == 0 and panel.empty_label.isVisible()
    panel.show_chart(pattern_chart("piriformis_L"))
    assert len(panel.cards()) == visible_cards() == 5
    assert panel.cards()[0].key == "piriformis_L"


def test_focus_and_selection_follow_a_muscle_to_its_new_rank(
    qtbot: QtBot, panel: PossibleSourcesPanel
) -> None:
    panel.show_chart(pattern_chart(TRAPEZIUS))
    second = panel.cards()[1]
    assert second.key == "temporalis_R"
    panel.activateWindow()
    qtbot.waitActive(panel)
    qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
    assert second.hasFocus() and panel.selected_muscle() == "temporalis_R"

    with qtbot.assertNotEmitted(panel.muscle_selected):
        panel.show_chart(pattern_chart("temporalis_R"))  # temporalis first, trapezius third

    first = panel.cards()[0]
    assert first.key == "temporalis_R"
    assert first.hasFocus() and first.is_selected()
    assert [card.is_selected() for card in panel.cards()] == [True, False, False, False, False]
    temporalis = load_catalogue().muscle("temporalis_R").label
    assert first.accessibleName() == f"{temporalis}, 100 percent match"

    fifth = panel.cards()[4]
    assert fifth.key == "scm_clavicular_R"
    fifth.setFocus()
    panel.show_chart(ChartData(marks=(RegionMark("F_HEAD_FOREHEAD", 5),)))
    assert [card.key for card in panel.cards()] == ["scm_clavicular_R", "scm_clavicular_L"]
    assert panel.cards()[0].hasFocus()  # the focused muscle, now first

    panel.cards()[1].setFocus()
    panel.show_chart(ChartData(marks=(RegionMark("F_HAND_R", 5),)))
    # Its muscle is no longer listed: focus stays in the list, on its last card.
    assert len(panel.cards()) == 1 and "scm" not in panel.cards()[0].key
    assert panel.cards()[0].hasFocus()


def test_cards_updated_through_several_charts_look_like_a_new_panels(
    qtbot: QtBot, panel: PossibleSourcesPanel
) -> None:
    charts = [
        pattern_chart(TRAPEZIUS),
        ChartData(marks=(RegionMark("F_HAND_R", 5),)),  # one card: four spare
        pattern_chart("temporalis_R"),
        pattern_chart("gluteus_minimus_R"),
    ]
    for chart in charts:
        panel.show_chart(chart)
        qtbot.wait(1)  # lets each update lay out, as between paints
    fresh = PossibleSourcesPanel()
    qtbot.addWidget(fresh)
    fresh.resize(panel.size())
    fresh.show()
    fresh.show_chart(charts[-1])
    qtbot.wait(1)
    assert panel.grab().toImage() == fresh.grab().toImage()
