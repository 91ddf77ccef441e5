"""The shared layouts that keep a narrow window (125% on a laptop) whole: a bar that wraps,
table columns that fit, forms and columns that stack."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.columns import Columns
from ui.widgets.flow import FlowLayout
from ui.widgets.forms import FormGrid
from ui.widgets.tables import fit_columns


def _bar(qtbot: QtBot, width: int) -> tuple[QWidget, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    bar = FlowLayout(holder, spacing=6)
    buttons = [QPushButton(text) for text in ("Chart date", "Start from last chart", "Save")]
    for button in buttons:
        button.setFixedWidth(120)
        bar.addWidget(button)
    bar.add_stretch()
    printing = QPushButton("Print…")
    printing.setFixedWidth(80)
    bar.addWidget(printing)
    holder.resize(width, bar.heightForWidth(width))
    holder.show()
    qtbot.waitExposed(holder)
    return holder, [*buttons, printing]


def test_a_bar_keeps_its_last_button_at_the_right_end_while_everything_fits(qtbot: QtBot) -> None:
    holder, buttons = _bar(qtbot, 600)
    assert len({b.y() for b in buttons}) == 1  # one line
    assert buttons[-1].geometry().right() == holder.width() - 1


def test_a_narrow_bar_wraps_its_last_button_onto_a_line_of_its_own_at_the_right(
    qtbot: QtBot,
) -> None:
    holder, buttons = _bar(qtbot, 400)
    first, last = buttons[0], buttons[-1]
    assert last.y() > first.y()
    assert last.geometry().right() == holder.width() - 1
    assert all(b.geometry().right() < holder.width() for b in buttons)


def test_an_item_wider_than_the_line_is_fitted_to_it(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    flow = FlowLayout(holder)
    label = QLabel("A long name that wraps onto a second line when the line is short " * 2)
    label.setWordWrap(True)
    flow.addWidget(label)
    holder.resize(200, flow.heightForWidth(200))
    holder.show()
    qtbot.waitExposed(holder)
    assert label.width() <= 200
    assert label.height() >= label.heightForWidth(label.width())


def _table(qtbot: QtBot, width: int) -> QTableView:
    model = QStandardItemModel(3, 5)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    fit_columns(view, 4, {0: 100, 1: 100, 2: 100, 3: 100}, drop=(2, 1))
    view.resize(width, 200)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_table_columns_take_their_widths_when_the_table_is_wide_enough(qtbot: QtBot) -> None:
    view = _table(qtbot, 700)
    assert [view.columnWidth(c) for c in range(4)] == [100, 100, 100, 100]
    assert view.horizontalHeader().length() <= view.viewport().width()


def test_a_narrow_table_drops_columns_in_order_then_shrinks_the_rest(qtbot: QtBot) -> None:
    view = _table(qtbot, 460)
    assert view.isColumnHidden(2) and not view.isColumnHidden(1)
    assert view.horizontalHeader().length() <= view.viewport().width()
    view.resize(220, 200)
    qtbot.waitUntil(lambda: view.isColumnHidden(1))
    assert view.horizontalHeader().length() <= view.viewport().width()
    assert not view.isColumnHidden(0) and not view.isColumnHidden(3)


def test_a_two_column_form_goes_to_one_column_when_narrow_and_back(qtbot: QtBot) -> None:
    window = QWidget()  # a grid inside a window, as in a form: the window may be narrow
    qtbot.addWidget(window)
    grid = FormGrid(columns=2)
    QVBoxLayout(window).addWidget(grid)
    fields = [grid.add(name, name.capitalize(), QLineEdit()) for name in ("given", "family")]
    for field in fields:
        field.setMinimumWidth(220)
    window.resize(1000, 200)
    window.show()
    qtbot.waitExposed(window)
    assert (
        fields[0].mapTo(grid, fields[0].rect().topLeft()).y()
        == fields[1].mapTo(grid, fields[1].rect().topLeft()).y()
    )
    assert grid.minimumSizeHint().width() < 2 * 220  # it may be narrower than two columns
    window.resize(440, 300)
    qtbot.waitUntil(lambda: fields[1].mapTo(grid, fields[1].rect().topLeft()).y() > 0)
    assert all(f.mapTo(grid, f.rect().topRight()).x() < grid.width() for f in fields)
    window.resize(1000, 300)
    qtbot.waitUntil(lambda: fields[1].mapTo(grid, fields[1].rect().topLeft()).y() == 0)


def test_columns_stand_side_by_side_when_they_fit_and_stack_when_not(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    columns = Columns(spacing=24)
    QVBoxLayout(window).addWidget(columns)
    for text in ("Today", "Bones and joints"):
        column = QVBoxLayout()
        box = QLineEdit(text)
        box.setMinimumWidth(250)
        column.addWidget(box)
        columns.add_column(column)
    window.resize(700, 100)
    window.show()
    qtbot.waitExposed(window)
    assert columns.side_by_side()
    assert columns.minimumSizeHint().width() < 500
    window.resize(400, 200)
    qtbot.waitUntil(lambda: not columns.side_by_side())
