"""The client's Body map tab: chart history, the editor, saving, comparing and printing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap import service
from practice.bodymap.chart import ChartData
from practice.bodymap.service import BodyChart, BodyChartSummary
from practice.changes import Changes
from practice.clients.records import Client
from practice.dates import format_day, format_moment
from practice.errors import LockedRecordError, ValidationError
from practice.store import Database
from practice.visits import service as visits
from practice.visits.charts import save_visit_chart
from practice.visits.records import Visit
from ui import icons
from ui.bodymap.compare import ChartCompareView
from ui.bodymap.editor import BodyChartEditor
from ui.bodymap.history import ChartHistoryList
from ui.documents import printing
from ui.ops import QueryOp, Refresh, runner, write_from, write_now
from ui.widgets.flow import FlowLayout
from ui.widgets.forms import DateField, ErrorLabel, muted, section_title
from ui.widgets.status import say

# The list of charts takes a quarter of the tab within these bounds; the chart the rest.
HISTORY_MIN_WIDTH = 210
HISTORY_MAX_WIDTH = 330


class BodyMapTab(QWidget):
    visit_chart_saved = Signal(int)  # visit id: a visit's chart has a new version

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.chart_id: int | None = None
        self.chart: BodyChart | None = None  # the version shown (None: a new chart)
        self.visit: Visit | None = None  # the visit the open chart belongs to, if any
        self._loading = False

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(12)
        left_panel = QWidget()
        left_panel.setMinimumWidth(HISTORY_MIN_WIDTH)
        left_panel.setMaximumWidth(HISTORY_MAX_WIDTH)
        left = QVBoxLayout(left_panel)
        left.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(section_title("Pain charts"))
        title_row.addStretch(1)
        self.new_button = QPushButton(icons.icon("plus"), "New chart")
        title_row.addWidget(self.new_button)
        left.addLayout(title_row)
        self.history = ChartHistoryList()
        self.history.itemSelectionChanged.connect(self._on_history_selection_changed)
        left.addWidget(self.history, 1)
        # Under the list, what concerns all of it: first against latest, and all on paper.
        self.compare_button = QPushButton("Compare")
        self.compare_button.setCheckable(True)
        self.compare_button.setToolTip("The first chart against the latest, side by side")
        self.history_print_button = QPushButton(icons.icon("printer"), "Print history…")
        self.history_print_button.setToolTip(
            "Every chart of this client on paper: first and latest side by side, then all"
        )
        self.history_print_button.clicked.connect(self._on_history_print_button_clicked)
        under = QHBoxLayout()
        under.addWidget(self.compare_button)
        under.addStretch(1)
        under.addWidget(self.history_print_button)
        left.addLayout(under)
        layout.addWidget(left_panel, 1)

        right = QVBoxLayout()
        right.setSpacing(6)
        # One line when it fits; narrow, Print moves to a line of its own.
        bar = FlowLayout(spacing=6)
        bar.addWidget(QLabel("Chart date"))
        self.date_field = DateField()
        self.date_field.setFixedWidth(120)
        self.date_field.set_value(date.today())
        self.date_field.textEdited.connect(self._on_date_field_edited)
        bar.addWidget(self.date_field)
        self.copy_button = QPushButton("Start from last chart")
        self.save_button = QPushButton(icons.icon("save"), "Save chart")
        self.save_button.setProperty("primary", True)
        self.print_button = QPushButton(icons.icon("printer"), "Print…")
        self.print_button.setToolTip("Preview and print this chart or comparison (Ctrl+P)")
        for button in (self.copy_button, self.save_button):
            bar.addWidget(button)
        bar.add_stretch()
        bar.addWidget(self.print_button)
        right.addLayout(bar)
        self.context = QLabel()
        self.context.setTextFormat(Qt.TextFormat.PlainText)
        self.context.setWordWrap(True)
        self.context.setProperty("role", "muted")
        self.versions = QComboBox()
        self.versions.setToolTip(
            "Every saved version of this chart; earlier ones are kept as drawn"
        )
        self.versions.setAccessibleName("Chart version")
        self.versions.activated.connect(self._on_versions_activated)
        self.versions.hide()  # until a chart with earlier versions is open
        context_row = QHBoxLayout()
        context_row.setSpacing(8)
        context_row.addWidget(self.context, 1)
        context_row.addWidget(self.versions)
        right.addLayout(context_row)
        self.error = ErrorLabel()
        right.addWidget(self.error)
        self.save_new_button = QPushButton(icons.icon("plus"), "Save as a new chart")
        self.save_new_button.setToolTip("Keep this drawing as a chart of its own, dated as set")
        self.save_new_button.clicked.connect(self._on_save_new_button_clicked)
        self.save_new_button.hide()
        right.addWidget(self.save_new_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.stack = QStackedWidget()
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        empty_text = muted("No pain chart yet.", wrap=False)
        empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_layout.addWidget(empty_text)
        self.empty_button = QPushButton(icons.icon("plus"), "New chart")
        empty_layout.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(2)
        self.editor = BodyChartEditor()
        self.editor.chart_changed.connect(self._update_buttons)
        self.compare = ChartCompareView(atlas=self.editor.atlas)
        for page in (self.empty, self.editor, self.compare):
            self.stack.addWidget(page)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 3)

        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.empty_button.clicked.connect(self._on_new_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.save_button.clicked.connect(self.save_soon)
        self._edits = 0  # strokes so far: a save landing knows whether drawing came after it
        self._opened = 0  # which drawing is open: a save landing knows if the tab moved on
        self._versions: list[BodyChartSummary] = []  # of the open chart, to browse
        self._picked: int | None = None  # the history line an opened earlier version selects
        self.editor.chart_changed.connect(self._on_editor_chart_changed)
        self.compare_button.toggled.connect(self._on_compare_button_toggled)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self._charts = Refresh(self, (), self._show_charts)  # a client's charts, once shown

    # --- API ----------------------------------------------------------------------------------

    def load(self, client: Client | None) -> None:
        """Show the client's charts, read when the tab is shown (opening a client stays quick)."""
        self._opened += 1
        self.client = client
        self._picked = None
        self.chart_id = None
        self.chart = None
        self.visit = None
        self.error.set_message("")
        self.compare_button.setChecked(False)
        self.editor.load(ChartData())
        self.date_field.set_value(date.today())
        self._charts.request()

    def _show_charts(self) -> None:
        opened = self._opened

        def show_last() -> None:
            if opened == self._opened:  # nothing else was opened while the list was read
                self._show_last()

        self._fill_history(show_last)

    def _show_last(self) -> None:
        """The client's latest chart open, or the empty state."""
        if self.history.topLevelItemCount():
            self._select(self.history.topLevelItem(self.history.topLevelItemCount() - 1))
        else:
            self.stack.setCurrentWidget(self.empty)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        self._charts.ensure()  # before anything shown can be clicked or asked for
        super().showEvent(event)

    def open_chart(self, chart_id: int) -> None:
        """Show this version of a chart (the timeline opens it) with its chart selected in the
        history; an earlier version shows as it was drawn, with its versions to browse."""
        self._charts.ensure()
        if not self._confirm_discard():
            return
        self._open_chart(chart_id, self._select_in_history)

    def _select_in_history(self, read: ChartRead) -> None:
        """The chart's line in the history (its current version's) selected."""
        current = read.versions[-1].id if read.versions else read.chart.id
        self._picked = current  # kept by a history still being read
        self._loading = True
        for row in range(self.history.topLevelItemCount()):
            item = self.history.topLevelItem(row)
            if item.data(0, Qt.ItemDataRole.UserRole) == current:
                self.history.setCurrentItem(item)
        self._loading = False

    def is_dirty(self) -> bool:
        return self.client is not None and self.editor.is_dirty()

    # The Save button writes on the op runner; `save()` writes at once, for Ctrl+S through
    # `ClientWorkspace.save()` and "Save them first?" before leaving the client, which need
    # to know whether it saved.

    def save(self) -> bool:
        """Save the drawing now as a new version of the open chart (or a new chart)."""
        runner().wait_idle()  # a save on its way lands first
        work = self._save_write()
        if work is None:
            return False
        landed = self._landed()
        saved = write_now(self, work, landed, self._refused, changes=_changes, failed=self._failed)
        return saved is not None

    def save_soon(self) -> None:
        """Save on the op runner: the Save button and Ctrl+S (the window keeps answering)."""
        work = self._save_write()
        if work is not None:
            write_from(
                self,
                self.save_button,
                work,
                self._landed(),
                self._refused,
                changes=_changes,
                failed=self._failed,
            )

    def _save_write(self) -> Callable[[], BodyChart] | None:
        """The write that saves the drawing as it is now, or None (with the reason shown)."""
        if self.client is None:
            return None
        if self.visit is not None and self.visit.signed:
            self._detach()  # the signed visit's chart stays as it was
        self.error.set_message("")
        self.save_new_button.hide()
        charted_on = self._charted_on()
        if charted_on is None:
            return None
        db, client_id, chart_id, data = self.db, self.client.id, self.chart_id, self.editor.chart()
        visit = self.visit
        if visit is not None and chart_id is None:
            return lambda: save_visit_chart(db, visit.id, data)
        return lambda: service.save_chart(db, client_id, charted_on, data, chart_id=chart_id)

    def _landed(self) -> Callable[[BodyChart], None]:
        """Show the chart as saved; strokes drawn meanwhile stay unsaved, and a tab that
        moved on to another drawing only lists the new version."""
        opened, edits = self._opened, self._edits

        def landed(chart: BodyChart) -> None:
            if opened != self._opened:
                self._fill_history()
            else:
                self._saved(chart, drawn_since=edits != self._edits)

        return landed

    def _refused(self, error: ValidationError) -> None:
        self.error.set_message("\n".join(error.errors.values()))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, LockedRecordError):
            self.save_new_button.show()  # the drawing stays open: nothing is lost

    def _charted_on(self) -> date | None:
        try:
            charted_on = self.date_field.value()
        except ValueError as error:
            self.error.set_message(str(error))
            return None
        if charted_on is None:
            self.error.set_message("Type the chart date, for example 2024-05-17.")
        return charted_on

    def _saved(self, chart: BodyChart, *, drawn_since: bool = False) -> None:
        self.chart_id = chart.id
        self.chart = chart
        if not drawn_since:
            self.editor.mark_clean()
        self._fill_history()
        self._show_context()
        when = format_day(chart.charted_on)
        say(
            self,
            f"Saved the body chart of {when}"
            + (" as a new version" if chart.supersedes_id else ""),
        )
        if chart.visit_id is not None:
            self.visit_chart_saved.emit(chart.visit_id)
        self._update_buttons()

    def _on_save_new_button_clicked(self) -> None:
        """A locked chart was edited: keep the drawing as a chart of its own."""
        if self.client is not None:
            self._detach()
            self.save_soon()

    def _detach(self) -> None:
        """The drawing becomes a chart of its own, dated today unless the date is changed."""
        self.chart_id, self.visit, self.chart = None, None, None
        self.date_field.set_value(date.today())
        self._update_buttons()

    def _on_editor_chart_changed(self) -> None:
        self._edits += 1

    def edit_visit_chart(self, client: Client, visit_id: int) -> None:
        """Chart a visit: open its chart, or start it from the client's last chart."""
        if self.client is None or self.client.id != client.id:
            self.load(client)
        self._charts.ensure()
        if not self._confirm_discard():
            return
        self._opened += 1  # a chart still being read for the history is not shown over it
        db, opened = self.db, self._opened

        def read() -> ChartRead | tuple[Visit, ChartData]:
            # get_visit is over 5 ms on a large practice (the list in ui/ops.py).
            record = visits.get_visit(db, visit_id)
            if record.chart_id is not None:
                return read_chart(db, record.chart_id, record.visit)
            rows = service.chart_history(db, client.id)
            last = service.get_chart(db, rows[-1].id).data if rows else ChartData()
            return record.visit, last

        def show(found: ChartRead | tuple[Visit, ChartData]) -> None:
            if opened != self._opened:
                return  # the therapist opened another drawing meanwhile
            if isinstance(found, ChartRead):
                self._show_chart(found)
            else:
                visit, last = found
                self._start(last, visit=visit)

        QueryOp(self, read, show).run(key="visit-chart")

    # --- history ------------------------------------------------------------------------------

    def _fill_history(self, then: Callable[[], None] | None = None) -> None:
        """The client's charts, read on the op runner, in the history; `then` after."""
        client = self.client
        db = self.db

        def fill(rows: list[BodyChartSummary]) -> None:
            if self.client is not client:
                return  # another client was opened meanwhile: its own read fills the list
            self._loading = True
            self.history.fill(rows, self.chart_id or self._picked)
            self._loading = False
            if then is not None:
                then()

        if client is None:
            fill([])
        else:
            QueryOp(self, lambda: service.chart_history(db, client.id), fill).run(key="charts")

    def _select(self, item: QTreeWidgetItem) -> None:
        self.history.setCurrentItem(item)

    def _open_chart(self, chart_id: int, then: Callable[[ChartRead], None] | None = None) -> None:
        """Show a chart once it is read, with its visit and versions, on the op runner;
        `then(read)` after. A drawing opened meanwhile wins."""
        self._opened += 1
        opened, db = self._opened, self.db

        def show(read: ChartRead) -> None:
            if opened == self._opened:
                self._show_chart(read)
                if then is not None:
                    then(read)

        QueryOp(self, lambda: read_chart(db, chart_id), show).run(key="chart")

    def _show_chart(self, read: ChartRead) -> None:
        chart = read.chart
        self.chart_id = chart.id if chart.current else None
        self.chart = chart
        self.visit = read.visit
        self.date_field.set_value(chart.charted_on)
        self.editor.load(chart.data)
        self.error.set_message("")
        self.save_new_button.hide()
        self.compare_button.setChecked(False)
        self.stack.setCurrentWidget(self.editor)
        self._show_context(read.versions)
        self._update_buttons()

    def _show_context(self, versions: list[BodyChartSummary] | None = None) -> None:
        """Which visit the open chart belongs to, whether it is locked, and its versions
        (`versions` when read already; else they are read on the op runner)."""
        chart, visit = self.chart, self.visit
        parts = []
        if visit is not None:
            parts.append(f"Charted at the visit of {format_day(visit.day)}")
            if visit.signed:
                parts.append("locked with its signed note: an edit is saved as a new chart")
        if chart is not None and not chart.current:
            parts.append("an earlier version, kept exactly as it was drawn")
        self.context.setText(" · ".join(parts))
        self.context.setVisible(bool(parts))
        if versions is None and chart is not None:
            db, chart_id = self.db, chart.id
            QueryOp(self, lambda: service.chart_versions(db, chart_id), self._fill_versions).run(
                key="chart-versions"
            )
        else:
            self._fill_versions(versions or [])

    def _fill_versions(self, history: list[BodyChartSummary]) -> None:
        """The versions of the open chart to browse (shown when there is more than one)."""
        chart = self.chart
        if chart is not None and all(version.id != chart.id for version in history):
            history = []  # read for a chart no longer open
        self._versions = history
        self.versions.blockSignals(True)
        self.versions.clear()
        for number, version in enumerate(history, start=1):
            saved = format_moment(version.saved_at) if version.saved_at else ""
            label = f"Version {number} of {len(history)}" + (f" · saved {saved}" if saved else "")
            self.versions.addItem(label, version.id)
            if chart is not None and version.id == chart.id:
                self.versions.setCurrentIndex(number - 1)
        self.versions.blockSignals(False)
        self.versions.setVisible(len(history) > 1)

    def _on_versions_activated(self, index: int) -> None:
        chart_id = self.versions.itemData(index)
        if chart_id is not None and chart_id != (self.chart.id if self.chart else None):
            if self._confirm_discard():
                self._open_chart(chart_id)
            else:
                self._fill_versions(self._versions)

    def _confirm_discard(self) -> bool:
        if not self.editor.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved chart",
            "Discard the changes to this body chart?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # --- handlers -----------------------------------------------------------------------------

    def _on_history_selection_changed(self) -> None:
        if self._loading:
            return
        item = self.history.currentItem()
        if item is None:
            return
        chart_id = item.data(0, Qt.ItemDataRole.UserRole)
        if chart_id == self.chart_id and self.stack.currentWidget() is self.editor:
            return
        if not self._confirm_discard():
            self._loading = True
            self._fill_history()
            self._loading = False
            return
        self._open_chart(chart_id)

    def _start(self, chart: ChartData, *, visit: Visit | None = None) -> None:
        if not self._confirm_discard():
            return
        self._opened += 1
        self._picked = None
        self.chart_id, self.chart, self.visit = None, None, visit
        self._loading = True
        self.history.setCurrentIndex(QModelIndex())
        self.history.clearSelection()
        self._loading = False
        self.date_field.set_value(visit.day if visit else date.today())
        self.editor.load(ChartData())
        if chart != ChartData():
            self.editor.set_chart(chart, "Start from last chart")
        self.compare_button.setChecked(False)
        self.error.set_message("")
        self.save_new_button.hide()
        self.stack.setCurrentWidget(self.editor)
        self.editor.view.setFocus()
        self._show_context()
        self._update_buttons()

    def _on_new_button_clicked(self) -> None:
        self._start(ChartData())

    def _on_copy_button_clicked(self) -> None:
        """A new chart started from the client's last one (read on the op runner)."""
        if self.client is None:
            return
        db, client_id = self.db, self.client.id

        def last() -> ChartData | None:
            rows = service.chart_history(db, client_id)
            return service.get_chart(db, rows[-1].id).data if rows else None

        def start(chart: ChartData | None) -> None:
            if chart is not None and self.client is not None and self.client.id == client_id:
                self._start(chart)

        QueryOp(self, last, start).run(key="last-chart")

    def _on_date_field_edited(self, _text: str) -> None:
        self.error.set_message("")

    def _on_compare_button_toggled(self, on: bool) -> None:
        if on and self.client is not None:
            self.compare.load(self.db, self.client.id)
            self.stack.setCurrentWidget(self.compare)
        elif (
            self.chart_id is not None or self.editor.is_dirty() or self.history.topLevelItemCount()
        ):
            self.stack.setCurrentWidget(self.editor)
        else:
            self.stack.setCurrentWidget(self.empty)
        self._update_buttons()

    def _on_print_button_clicked(self) -> None:
        if self.client is None:
            return
        if self.stack.currentWidget() is self.compare:
            before = self.compare.before_combo.currentData()
            after = self.compare.after_combo.currentData()
            if before is not None and after is not None:
                printing.preview_chart_comparison(self, self.db, self.client, before, after)
            return
        if self.chart_id is None or self.editor.is_dirty():
            self.error.set_message("Save the chart before printing it.")
            return
        printing.preview_pain_chart(self, self.db, self.client, self.chart_id)

    def print_current(self) -> None:
        """File > Print: the open chart or comparison, else the whole chart history."""
        self._charts.ensure()
        runner().wait_idle()  # the charts being read are shown first
        if self.print_button.isEnabled():
            self._on_print_button_clicked()
        elif self.history_print_button.isEnabled():
            self._on_history_print_button_clicked()

    def _on_history_print_button_clicked(self) -> None:
        if self.client is not None:
            printing.preview_chart_history(self, self.db, self.client)

    def _update_buttons(self) -> None:
        has_client = self.client is not None
        count = self.history.topLevelItemCount()
        editing = self.stack.currentWidget() is self.editor
        self.copy_button.setEnabled(has_client and count > 0)
        self.save_button.setEnabled(has_client and editing)
        self.compare_button.setEnabled(
            (has_client and count >= 2) or self.compare_button.isChecked()
        )
        comparing = self.stack.currentWidget() is self.compare
        self.print_button.setEnabled(
            has_client and ((self.chart_id is not None and editing) or comparing)
        )
        self.history_print_button.setEnabled(has_client and count > 0)
        # A chart's date is its visit's day; an earlier version is a record, not a draft.
        self.date_field.setEnabled(editing and self.visit is None and self.chart_id is None)
        locked = self.visit is not None and self.visit.signed
        historic = self.chart is not None and not self.chart.current
        self.save_button.setText("Save as a new chart" if locked or historic else "Save chart")


def _changes(chart: BodyChart) -> Changes:
    return Changes.of("chart", client_id=chart.client_id)


@dataclass(frozen=True, slots=True)
class ChartRead:
    """A chart version as the tab shows it: with its visit (when bound to one) and the
    versions of its chart."""

    chart: BodyChart
    visit: Visit | None
    versions: list[BodyChartSummary]


def read_chart(db: Database, chart_id: int, visit: Visit | None = None) -> ChartRead:
    """On the op runner: `get_visit` is over 5 ms on a large practice (ui/ops.py)."""
    chart = service.get_chart(db, chart_id)
    if chart.visit_id is None:
        visit = None
    elif visit is None:
        visit = visits.get_visit(db, chart.visit_id).visit
    return ChartRead(chart, visit, service.chart_versions(db, chart_id))
