"""The body chart editor: painting, dragging, undo and redo, erasing and refusing off-body marks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from practice.bodymap.chart import MAX_LABEL_LENGTH, ChartData, Quality, RegionMark, SymbolKind
from practice.bodymap.style import UNMARKED, intensity_colour
from ui.bodymap.editor import BodyChartEditor, Tool

FOREHEAD = "F_HEAD_FOREHEAD"


@pytest.fixture
def editor(qtbot: QtBot) -> BodyChartEditor:
    widget = BodyChartEditor()
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def at(editor: BodyChartEditor, x: float, y: float) -> QPoint:
    return editor.view.mapFromScene(QPointF(x, y))


def centre(editor: BodyChartEditor, code: str) -> QPoint:
    return at(editor, *editor.atlas.region(code).label_point)


def click(qtbot: QtBot, editor: BodyChartEditor, point: QPoint) -> None:
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def drag(qtbot: QtBot, editor: BodyChartEditor, points: list[QPoint]) -> None:
    viewport = editor.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(viewport, point)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=points[-1])


def neighbours_on_the_same_line(editor: BodyChartEditor) -> tuple[str, str]:
    """Two regions whose label points are close: a short drag crosses from one to the other."""
    forehead = editor.atlas.region(FOREHEAD)
    other = min(
        (r for r in editor.atlas.neighbours(FOREHEAD)),
        key=lambda r: abs(r.label_point[1] - forehead.label_point[1]),
    )
    return FOREHEAD, other.code


def test_clicking_a_region_paints_it_with_the_chosen_intensity_and_qualities(
    qtbot: QtBot, editor: BodyChartEditor
) -> None:
    qtbot.keyClick(editor.view, Qt.Key.Key_7)
    editor.quality_boxes[Quality.SHARP].setChecked(True)
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert editor.chart().marks == (RegionMark(FOREHEAD, 7, frozenset({Quality.SHARP})),)
    assert editor.is_dirty()
    assert "1 region" in editor.metrics_label.text()
    assert editor.scene.region_items[FOREHEAD].brush().color().name() == intensity_colour(7)


def test_key_zero_selects_intensity_ten(qtbot: QtBot, editor: BodyChartEditor) -> None:
    qtbot.keyClick(editor.view, Qt.Key.Key_0)
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert editor.chart().intensity(FOREHEAD) == 10


def test_a_drag_across_two_regions_paints_both_and_one_undo_removes_both(
    qtbot: QtBot, editor: BodyChartEditor
) -> None:
    first, second = neighbours_on_the_same_line(editor)
    a, b = centre(editor, first), centre(editor, second)
    steps = [a + (b - a) * (k / 10) for k in range(11)]
    drag(qtbot, editor, steps)
    assert {m.region for m in editor.chart().marks} >= {first, second}
    assert editor.undo_stack.count() == 1
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.chart().marks == ()
    assert not editor.is_dirty()
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, modifiers)
    assert {m.region for m in editor.chart().marks} >= {first, second}


def test_erase_clears_a_painted_region(qtbot: QtBot, editor: BodyChartEditor) -> None:
    editor.load(ChartData(marks=(RegionMark(FOREHEAD, 4),)))
    qtbot.keyClick(editor.view, Qt.Key.Key_E)
    assert editor.current_tool() is Tool.ERASE
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert editor.chart().marks == ()
    assert editor.scene.region_items[FOREHEAD].brush().color().name() == UNMARKED


def test_a_symbol_on_the_body_is_placed_and_one_outside_is_refused(
    qtbot: QtBot, editor: BodyChartEditor
) -> None:
    editor.set_tool(Tool.SYMBOL)
    editor.symbol_kind.setCurrentIndex(editor.symbol_kind.findData(SymbolKind.TENDER_POINT.value))
    click(qtbot, editor, at(editor, 5, 500))
    assert editor.chart().symbols == ()
    assert "on the body outline" in editor.status_label.text()
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert [s.kind for s in editor.chart().symbols] == [SymbolKind.TENDER_POINT]
    editor.chart().validate(editor.atlas)


def test_hovering_a_region_names_it(qtbot: QtBot, editor: BodyChartEditor) -> None:
    qtbot.mouseMove(editor.view.viewport(), centre(editor, FOREHEAD))
    assert editor.status_label.text().startswith("Forehead")


def test_loading_a_chart_leaves_it_clean_with_nothing_to_undo(editor: BodyChartEditor) -> None:
    chart = ChartData(marks=(RegionMark(FOREHEAD, 3),))
    editor.load(chart)
    assert editor.chart() == chart
    assert not editor.is_dirty()
    assert editor.undo_stack.count() == 0


def answer_label(monkeypatch: pytest.MonkeyPatch, text: str, ok: bool = True) -> None:
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *args, **kwargs: (text, ok)))


def test_a_tender_point_records_its_grade_and_muscle(qtbot: QtBot, editor: BodyChartEditor) -> None:
    editor.set_tool(Tool.SYMBOL)
    assert editor.tender_grade.isHidden()
    editor.symbol_kind.setCurrentIndex(editor.symbol_kind.findData(SymbolKind.TENDER_POINT.value))
    assert not editor.tender_grade.isHidden()
    assert editor.tender_grade.currentText() == "Grade II"
    editor.tender_grade.setCurrentIndex(editor.tender_grade.findText("Grade III"))
    editor.muscle_edit.setText("  Upper trapezius ")
    click(qtbot, editor, centre(editor, FOREHEAD))
    (symbol,) = editor.chart().symbols
    assert (symbol.kind, symbol.grade, symbol.muscle) == (
        SymbolKind.TENDER_POINT,
        3,
        "Upper trapezius",
    )
    editor.chart().validate(editor.atlas)


def test_a_spasm_has_no_grade_or_muscle(qtbot: QtBot, editor: BodyChartEditor) -> None:
    editor.set_tool(Tool.SYMBOL)
    editor.symbol_kind.setCurrentIndex(editor.symbol_kind.findData(SymbolKind.SPASM.value))
    assert editor.tender_grade.isHidden() and editor.muscle_edit.isHidden()
    editor.muscle_edit.setText("Masseter")
    click(qtbot, editor, centre(editor, FOREHEAD))
    (symbol,) = editor.chart().symbols
    assert (symbol.grade, symbol.muscle) == (None, "")


def test_a_text_label_is_added_and_one_undo_removes_it(
    qtbot: QtBot, editor: BodyChartEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_label(monkeypatch, "  worse at night ")
    qtbot.keyClick(editor.view, Qt.Key.Key_T)
    assert editor.current_tool() is Tool.TEXT
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert [label.text for label in editor.chart().labels] == ["worse at night"]
    assert editor.undo_stack.count() == 1
    editor.chart().validate(editor.atlas)
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.chart().labels == ()
    assert not editor.is_dirty()


def test_an_over_long_empty_or_off_body_label_is_refused(
    qtbot: QtBot, editor: BodyChartEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor.set_tool(Tool.TEXT)
    answer_label(monkeypatch, "x" * (MAX_LABEL_LENGTH + 1))
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert editor.chart().labels == ()
    assert f"at most {MAX_LABEL_LENGTH} characters" in editor.status_label.text()
    answer_label(monkeypatch, "   ")
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert editor.chart().labels == ()
    assert "cannot be empty" in editor.status_label.text()
    answer_label(monkeypatch, "fine")
    click(qtbot, editor, at(editor, 5, 500))
    assert editor.chart().labels == ()
    assert "on the body outline" in editor.status_label.text()
    answer_label(monkeypatch, "fine", ok=False)
    click(qtbot, editor, centre(editor, FOREHEAD))
    assert editor.chart().labels == ()
    assert editor.undo_stack.count() == 0
