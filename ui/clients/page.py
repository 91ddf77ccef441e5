"""Clients area: the searchable list on the left, the open client on the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.clients.directory import ClientDirectory, ListKey
from practice.clients.rows import Standing
from ui import icons
from ui.clients.list_model import BALANCE, BORN, EMAIL, NAME, PHONE, VISIT, ClientListModel
from ui.ops import QueryOp, Refresh, runner
from ui.widgets.showing import show_then_paint

if TYPE_CHECKING:
    from practice.clients.records import Client
    from practice.store import Database
    from ui.billing.money import MoneyFormat
    from ui.clients.workspace import ClientWorkspace


# Narrower than this, the body map and the visit notes borrow the client list's width: opening
# them hides the list, leaving them brings it back (unless it was hidden by hand).
AUTO_HIDE_BELOW = 1500
LIST_MIN_WIDTH = 280
LIST_SHARE = 0.33  # of the page, at first
LIST_WIDEST = 400
# How long opening a client waits for the shown tab's first rows, so the record is painted
# whole (a timeline page reads in 2-3 ms on the 30,000-client demo); longer, it paints as usual.
# Showing the workspace (the first client of a session) waits longer: it is painted whole
# then, and the session's first timeline read takes 9-20 ms.
OPEN_WAIT_MS = 12
REVEAL_WAIT_MS = 25
LAYOUT_PASSES = 4  # header or tab, their tab widget, the workspace, the window
# Opening a client this many rows below those fetched fetches the list down to them (about
# 25 ms); further down, the list stays where it is.
REVEAL_ROWS = 1000
# Writes that change a client's balance, last visit or next appointment.
STANDING_KINDS = ("client", "visit", "invoice", "payment", "appointment", "settings")


class ClientsPage(QWidget):
    status = Signal(str)

    def __init__(
        self,
        db: Database | None,
        parent: QWidget | None = None,
        *,
        directory: ClientDirectory | None = None,
    ) -> None:
        """`db` may come later (`attach_db`): the list reads through `directory` meanwhile,
        and a client picked before then opens as soon as the database is there."""
        super().__init__(parent)
        if directory is None:
            assert db is not None, "the list needs the database or a directory of it"
            directory = ClientDirectory.of(db)
        self.db = db
        self._reading_all = False  # every client's standing is being read
        self.directory = directory
        self._pending: int | None = None
        self._unrevealed = False  # a client opened, its workspace shown in the next pass
        self.model = ClientListModel(self)
        self._auto_hidden = False

        left = self.list_panel = QWidget()
        left.setMinimumWidth(LIST_MIN_WIDTH)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(16, 16, 8, 8)
        ll.setSpacing(8)
        top = QHBoxLayout()
        title = QLabel("Clients")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        self.new_button = QPushButton(icons.icon("user-plus"), "New client")
        self.new_button.setToolTip("New client (Ctrl+N)")
        self.new_button.clicked.connect(self.new_client)
        self.hide_list_button = QToolButton()
        self.hide_list_button.setIcon(icons.icon("panel-left-close"))
        self.hide_list_button.setAutoRaise(True)
        self.hide_list_button.setToolTip("Hide the client list for more room (Ctrl+\\)")
        self.hide_list_button.setAccessibleName("Hide the client list")
        self.hide_list_button.clicked.connect(lambda: self.set_list_visible(False))
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.hide_list_button)
        ll.addLayout(top)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find by name, phone or email (Ctrl+F)")
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find clients")
        self.search.textChanged.connect(self._on_search_text_changed)
        # From the box to the list without the mouse: Enter opens the match (the first, or the
        # one already picked), Down goes to it in the list, where the arrows move on.
        self.search.returnPressed.connect(self._enter_list)
        self.search.installEventFilter(self)
        ll.addWidget(self.search)
        options = QHBoxLayout()
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.toggled.connect(self.refresh)
        self.count = QLabel()
        self.count.setProperty("muted", True)
        options.addWidget(self.show_archived)
        options.addStretch(1)
        options.addWidget(self.count)
        ll.addLayout(options)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(24)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        widest_day = "Next Dec 30, 2026"  # the widest medium date in most locales
        header.resizeSection(VISIT, metrics.horizontalAdvance(widest_day) + 24)
        header.setSectionResizeMode(BALANCE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(BALANCE, 28)
        # Names keep the width: birth date, phone and email are in the name's tooltip.
        for column in (BORN, PHONE, EMAIL):
            self.table.setColumnHidden(column, True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAccessibleName("Client list")
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        ll.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setProperty("role", "empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        ll.addWidget(self.empty, 1)  # with the table hidden, it takes the table's room

        self._workspace: ClientWorkspace | None = None
        placeholder = QLabel(
            "Select a client on the left, or create a new one.\n\n"
            "New client: Ctrl+N     Find: Ctrl+F     Jump to a client: Ctrl+K"
        )
        placeholder.setProperty("role", "empty")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(placeholder)

        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self._list_sized = False  # the list's first width comes from the window's (or settings)

        # With the list hidden, a slim strip on the left brings it back.
        self.list_strip = QWidget()
        self.list_strip.setObjectName("ListStrip")
        strip = QVBoxLayout(self.list_strip)
        strip.setContentsMargins(4, 16, 0, 8)
        self.show_list_button = QToolButton()
        self.show_list_button.setIcon(icons.icon("panel-left-open"))
        self.show_list_button.setAutoRaise(True)
        self.show_list_button.setToolTip("Show the client list (Ctrl+\\)")
        self.show_list_button.setAccessibleName("Show the client list")
        self.show_list_button.clicked.connect(self._on_show_list_button_clicked)
        strip.addWidget(self.show_list_button)
        strip.addStretch(1)
        self.list_strip.hide()
        self.toggle_list_action = QAction("Show client list", self)
        self.toggle_list_action.setCheckable(True)
        self.toggle_list_action.setChecked(True)
        self.toggle_list_action.setShortcut(QKeySequence("Ctrl+\\"))
        self.toggle_list_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.toggle_list_action.triggered.connect(self.set_list_visible)
        self.addAction(self.toggle_list_action)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.list_strip)
        layout.addWidget(self.splitter, 1)
        self._restore()
        self.refresh()
        if db is not None:
            self._start_standings()

    def attach_db(self, db: Database) -> None:
        """The engine is open: a client picked meanwhile opens now."""
        self.db = db
        self._start_standings()
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.open_client(pending)

    def prepare_workspace(self, then: Callable[[], None] | None = None) -> None:
        """Build the workspace now, while nothing is asked of the window (after the warm-up),
        and its tabs one by one while it stays idle: the first client of the session then
        opens, and each tab first shows, as quickly as the next; `then` once all are built."""
        if self.db is not None:
            self.workspace.build_while_idle(then)

    @property
    def workspace(self) -> ClientWorkspace:
        """The open-client area, built when the window is first idle after the warm-up, or by
        the first client opened before that (startup stays quick)."""
        assert self.db is not None, "the workspace needs the database"
        if self._workspace is None:
            from ui.clients.workspace import ClientWorkspace

            self._workspace = ClientWorkspace(self.db)
            self._workspace.client_changed.connect(self._on_workspace_client_changed)
            self._workspace.status.connect(self.status)
            self._workspace.tabs.currentChanged.connect(self._on_workspace_tab_changed)
            self.right.addWidget(self._workspace)
        if self._unrevealed:  # asked for before its showing came: shown now
            self._reveal_workspace()
        return self._workspace

    def _start_standings(self) -> None:
        """Balances and visits come in the background, and again after any change to them;
        the list itself again when a client changed elsewhere (another window, another
        computer on a clinic's server: this page's own edits refresh it as they land)."""
        Refresh(self, STANDING_KINDS, self.load_standings, for_client=self.load_standing)
        Refresh(self, ("client",), self.refresh, skip_own=True)
        self.load_standings()

    def load_standings(self) -> None:
        db = self.db
        if db is None:
            return
        # Loaded here, not at the top: the list shows before SQLAlchemy is imported.
        from practice.clients import service
        from ui.billing.money import MoneyFormat

        self._reading_all = True
        QueryOp(
            self, lambda: (service.standings(db), MoneyFormat.of(db)), self._on_standings_loaded
        ).run(key="standings")

    def load_standing(self, client_id: int) -> None:
        """One client's standing again (a change to that client alone), not the practice's."""
        db = self.db
        if db is None:
            return
        if self._reading_all:  # a read of every client began before this change: again
            self.load_standings()
            return
        from practice.clients import service

        QueryOp(
            self,
            lambda: service.standing(db, client_id),
            lambda standing: self._on_standing_loaded(client_id, standing),
        ).run(key=f"standing-{client_id}")

    def _on_standing_loaded(self, client_id: int, standing: Standing) -> None:
        self.model.set_standing(client_id, standing)
        self._show_standing()

    def _on_standings_loaded(self, result: tuple[dict[int, Standing], MoneyFormat]) -> None:
        self._reading_all = False
        standings, money = result
        self.model.set_standings(standings, locale=money.locale, money=money.text)
        self._show_standing()

    def _show_standing(self) -> None:
        """The open client's next or last visit and balance, in the header as in the list."""
        client_id = self.open_client_id()
        if client_id is not None:
            model = self.model
            self._workspace.header.set_standing(  # type: ignore[union-attr]
                [model.visit_text(client_id), model.balance_text(client_id)]
            )

    def open_client_id(self) -> int | None:
        if self._workspace is None or self._workspace.client is None:
            return None
        return self._workspace.client.id

    # ------------------------------------------------------------------ list

    def refresh(self) -> None:
        """The list for the search typed: its first page, then more as the list scrolls."""
        text, archived = self.search.text(), self.show_archived.isChecked()
        directory = self.directory
        # The count starts first, on its own connection, while the first page is read here:
        # on a server the two queries overlap. A list that fits one page drops it.
        QueryOp(
            self, lambda: directory.count(text, include_archived=archived), self._on_counted
        ).run(key="client-count")
        self.model.show(
            lambda after, through: directory.page(
                text, include_archived=archived, after=after, through=through
            )
        )
        current = self.open_client_id()
        if current is not None:
            self._select(current, open_it=False, reveal=False)
        if self.model.complete:
            self._update_empty_state(self.model.rowCount())
            runner().claim(self, "client-count")  # the page counted them: not wanted now
            return
        self._update_empty_state(self.model.rowCount(), more=True)

    def _on_counted(self, count: int | None) -> None:
        if count is not None:  # None: the practice was locked or restored meanwhile
            self._update_empty_state(count)

    def _update_empty_state(self, count: int, *, more: bool = False) -> None:
        """The count under the search box (`more`: at least this many, counted meanwhile),
        or what an empty list means."""
        text = self.search.text().strip()
        self.count.setText(f"{count:,}{'+' if more else ''} client{'s' if count != 1 else ''}")
        if count:
            self.empty.hide()
            self.table.show()
            return
        self.table.hide()
        self.empty.show()
        if text:
            self.empty.setText(f"No client matches “{text}”.\nNew client (Ctrl+N)")
        else:
            self.empty.setText("No clients yet.\nNew client (Ctrl+N) adds your first one.")

    def _select(self, client_id: int, *, open_it: bool = True, reveal: bool = True) -> None:
        """Select the client's row; `reveal` fetches the list down to it first (unless it is
        far down). A row not fetched yet is selected when scrolling brings it in."""
        row = self.model.row_of(client_id)
        if row is None and reveal:
            text, archived = self.search.text(), self.show_archived.isChecked()
            key = self.directory.key_of(client_id, text, include_archived=archived)
            # Far down a long list, fetching every row above them would stall the window:
            # their row is then selected when scrolling brings it in.
            if key is not None and self._is_near(key, text, archived):
                self.model.fetch_through(key)
                row = self.model.row_of(client_id)
        selection = self.table.selectionModel()
        if row is None:  # not in the list as searched, or not fetched yet: no other row marked
            selection.blockSignals(True)
            selection.clear()
            selection.blockSignals(False)
            self.table.viewport().update()
            return
        self._mark(row, quietly=not open_it)
        self.table.scrollTo(self.model.index(row, 0))

    def _is_near(self, key: ListKey, text: str, archived: bool) -> bool:
        position = self.directory.position(key, text, include_archived=archived)
        return position < self.model.rowCount() + REVEAL_ROWS

    def _mark(self, row: int, *, quietly: bool) -> None:
        """Make `row` the selected, current row; `quietly` opens nothing."""
        selection = self.table.selectionModel()
        selection.blockSignals(quietly)
        selection.setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        selection.blockSignals(False)

    def _on_search_text_changed(self, _text: str) -> None:
        self.refresh()

    def _on_model_rows_inserted(self, _parent, first: int, last: int) -> None:  # type: ignore[no-untyped-def]
        """A page scrolled in holding the open client: their row is selected, as before."""
        client_id = self.open_client_id() or self._pending
        row = None if client_id is None else self.model.row_of(client_id)
        if row is not None and first <= row <= last:
            self._mark(row, quietly=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)  # type: ignore[attr-defined]
            and self.model.rowCount()
        ):
            self._enter_list()
            return True
        return super().eventFilter(watched, event)

    def _enter_list(self) -> None:
        """The list takes the keyboard on the picked row, or on the first (which opens it)."""
        if not self.model.rowCount():
            return
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._mark(row, quietly=False)
        self.table.scrollTo(self.model.index(row, 0))

    def _on_table_current_changed(self, current, _previous) -> None:  # type: ignore[no-untyped-def]
        if not current.isValid():
            return
        client_id = self.model.client_id(current.row())
        if self.open_client_id() == client_id:
            return
        self.open_client(client_id)

    # ------------------------------------------------------------------ actions

    def confirm_leave(self) -> bool:
        """Ask what to do with unsaved edits before leaving the open client. True = go on."""
        if self._workspace is None or not self._workspace.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "This client has changes that are not saved yet. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.workspace.save()
        return answer == QMessageBox.StandardButton.Discard

    def open_client(self, client_id: int) -> None:
        if self.db is None:  # still opening the database: open it the moment it is there
            self._pending = client_id
            self._select(client_id, open_it=False)
            return
        if not self.confirm_leave():
            current = self.open_client_id()
            if current is not None:
                self._select(current, open_it=False)
            return
        workspace = self.workspace
        asked = runner().mark()
        workspace.open_client(client_id)
        self._show_standing()
        self._select(client_id, open_it=False)
        if workspace.isVisible():
            # The tab on screen is reading the client's record: shown with its rows in the
            # first paint if they come within a few milliseconds, not empty first.
            runner().hurry(OPEN_WAIT_MS, since=asked)
            # Laid out now, not in the next pass: the header may take one line or two for this
            # client, and the first paint would show the old layout, then repaint it all moved.
            for _level in range(LAYOUT_PASSES):  # each pass lays out one more level up
                QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if self.right.currentWidget() is not workspace and not self._unrevealed:
            # Shown (styled and laid out) in the next pass of the event loop and painted in
            # the one after, so the window answers in between; or at once if anything asks
            # for the workspace before that (`workspace`).
            self._unrevealed = True
            QTimer.singleShot(0, self, self._reveal_workspace)

    def _reveal_workspace(self) -> None:
        if not self._unrevealed:
            return  # shown already, when asked for
        self._unrevealed = False
        workspace = self._workspace
        if workspace is not None and workspace.client is not None:
            asked = runner().mark()
            show_then_paint(self.right, workspace)  # the tab shown starts its read
            runner().hurry(REVEAL_WAIT_MS, since=asked)

    def new_client(self) -> None:
        if not self.confirm_leave():
            return
        self.table.clearSelection()
        workspace = self.workspace
        workspace.open_client(None)
        self.right.setCurrentWidget(workspace)

    def focus_search(self) -> None:
        self.set_list_visible(True)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def save(self) -> None:
        """Save the open client's tab now (before the window locks)."""
        if self._workspace is not None and self.right.currentWidget() is self._workspace:
            self._workspace.save()

    def save_soon(self) -> None:
        """Save the open client's tab on the op runner (Ctrl+S)."""
        if self._workspace is not None and self.right.currentWidget() is self._workspace:
            self._workspace.save_soon()

    def _on_workspace_client_changed(self, client: Client) -> None:
        self.refresh()
        self._select(client.id, open_it=False)

    # ------------------------------------------------------------------ settings

    def list_visible(self) -> bool:
        return not self.list_panel.isHidden()

    def set_list_visible(self, visible: bool, *, auto: bool = False) -> None:
        """Hide the list to give the open client the whole width (small screens, body map).

        `auto` marks a hide made for the body map on a narrow window: leaving the body map
        brings the list back. Any hide or show by hand ends that.
        """
        self._auto_hidden = auto and not visible
        if visible == self.list_visible() and self.toggle_list_action.isChecked() == visible:
            return
        self.list_panel.setVisible(visible)
        self.list_strip.setVisible(not visible)
        self.toggle_list_action.setChecked(visible)

    def _on_show_list_button_clicked(self) -> None:
        self.set_list_visible(True)
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_workspace_tab_changed(self, _index: int) -> None:
        workspace = self.workspace
        wide_tab = workspace.current_tab_name() in ("bodymap", "visits")
        if wide_tab and self.list_visible() and self.width() < AUTO_HIDE_BELOW:
            self.set_list_visible(False, auto=True)
        elif not wide_tab and self._auto_hidden:
            self.set_list_visible(True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._size_list()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_list()

    def _size_list(self) -> None:
        """The list's first width is a share of the page's, so a narrow window (125% on a
        laptop) leaves the open client its room; after that it is the splitter's, kept."""
        if self._list_sized or not self.isVisible():
            return
        width = self.splitter.width()
        share = max(LIST_MIN_WIDTH, min(LIST_WIDEST, int(width * LIST_SHARE)))
        self.splitter.setSizes([share, width - share])
        self._list_sized = True

    def _restore(self) -> None:
        settings = QSettings()
        state = settings.value("clients/splitter")
        if state is not None:
            self._list_sized = self.splitter.restoreState(state)
        if settings.value("clients/list_hidden", False, type=bool):
            self.set_list_visible(False)

    def save_state(self) -> None:
        settings = QSettings()
        settings.setValue("clients/splitter", self.splitter.saveState())
        settings.setValue("clients/list_hidden", not self.list_visible())
