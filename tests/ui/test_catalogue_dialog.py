"""The trigger point catalogue browser: search, the overlay for the chosen muscle, its symptoms."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from practice.plans.trigger_points import load_catalogue
from practice.store import Database
from ui.bodymap.scene import TargetItem
from ui.main_window import MainWindow
from ui.plans.catalogue import KEY_ROLE, MuscleListModel, TriggerPointCatalogueDialog


@pytest.fixture
def dialog(qtbot: QtBot) -> TriggerPointCatalogueDialog:
    widget = TriggerPointCatalogueDialog()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def listed(dialog: TriggerPointCatalogueDialog) -> list[str]:
    return [dialog.filter.index(row, 0).data(KEY_ROLE) for row in range(dialog.filter.rowCount())]


def test_the_muscle_list_model_is_a_well_behaved_model(qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(MuscleListModel(load_catalogue()))


def test_every_muscle_of_both_sides_is_listed_and_the_first_is_shown(
    dialog: TriggerPointCatalogueDialog,
) -> None:
    assert sorted(listed(dialog)) == sorted(m.key for m in load_catalogue().muscles)
    assert dialog.count_label.text() == "60 muscles, both sides"
    first = load_catalogue().muscle(listed(dialog)[0])
    assert dialog.shown_muscle() == first
    assert dialog.title.text() == first.label


def test_choosing_a_muscle_draws_its_points_and_zones_and_lists_its_symptoms(
    qtbot: QtBot, dialog: TriggerPointCatalogueDialog
) -> None:
    muscle = load_catalogue().muscle("piriformis_L")
    row = listed(dialog).index(muscle.key)
    dialog.list.scrollTo(dialog.filter.index(row, 0))
    rect = dialog.list.visualRect(dialog.filter.index(row, 0))
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert dialog.shown_muscle() == muscle
    assert dialog.title.text() == "Left piriformis"
    items = dialog.scene.muscle_overlay_items()
    targets = [i for i in items if isinstance(i, TargetItem)]
    assert {(t.pos().x(), t.pos().y()) for t in targets} == {
        (p.x, p.y) for p in muscle.trigger_points
    }
    assert len(items) - len(targets) == len(muscle.primary) + len(muscle.spillover)
    details = dialog.details.text()
    assert all(symptom[1:] in details for symptom in muscle.symptoms)
    assert "Left buttock" in details


def test_search_matches_every_word_in_names_regions_and_symptoms(
    qtbot: QtBot, dialog: TriggerPointCatalogueDialog
) -> None:
    qtbot.keyClicks(dialog.search, "Soleus")
    assert set(listed(dialog)) == {"soleus_R", "soleus_L"}
    assert dialog.count_label.text() == "2 of 60 muscles"
    assert dialog.shown_muscle().key in {"soleus_R", "soleus_L"}

    dialog.search.clear()
    qtbot.keyClicks(dialog.search, "temple headache")
    keys = listed(dialog)
    assert "upper_trapezius_R" in keys and "temporalis_L" in keys
    assert "piriformis_R" not in keys


def test_a_search_without_match_says_so_and_clears_the_map(
    qtbot: QtBot, dialog: TriggerPointCatalogueDialog
) -> None:
    dialog.search.setText("Chloé 김민지")
    assert listed(dialog) == []
    assert dialog.no_match.isVisible()
    assert dialog.no_match.text() == "No muscle matches “Chloé 김민지”."
    assert dialog.shown_muscle() is None
    assert dialog.scene.muscle_overlay_items() == []


def test_the_dialog_opens_on_a_given_muscle_and_escape_closes_it(qtbot: QtBot) -> None:
    dialog = TriggerPointCatalogueDialog(muscle="soleus_R")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.shown_muscle().key == "soleus_R"
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_the_help_menu_opens_the_catalogue(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[TriggerPointCatalogueDialog] = []
    monkeypatch.setattr(TriggerPointCatalogueDialog, "exec", lambda self: shown.append(self) or 0)
    window = MainWindow(db.data_dir)
    qtbot.addWidget(window)
    window.show()
    window.attach(db)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if a.text() == "&Trigger point catalogue…")
    action.trigger()
    assert len(shown) == 1
    assert shown[0].parent() is window
