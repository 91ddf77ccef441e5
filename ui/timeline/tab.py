"""The client's Timeline tab: every record of the client, newest first, a page at a time.

Rows come from `practice.timeline` through the op runner: the first page shows at once, older
pages load as the list scrolls to its end, and plan figures (the plan course) follow the rows
they belong to. Enter or a double-click asks the workspace to open the record in its own tab.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.changes import KINDS as CHANGE_KINDS
from practice.clients.records import Client
from practice.store import Database
from practice.timeline import service
from practice.timeline.records import Cursor, Kind, TimelineEntry, TimelinePage
from ui import icons, theme
from ui.ops import QueryOp, Refresh
from ui.timeline.filters import KindFilters
from ui.timeline.model import ENTRY_ROLE, TimelineModel, entry_key
from ui.widgets.empty import EmptyState
from ui.widgets.forms import muted, section_title

FILTER_KEYS = "Ctrl+Shift+F"
COURSES_AFTER_MS = 40
FIRST_PAGE = 60  # rows read before the first paint: more than a 1440x900 screen shows
OPENS = "Enter or a double-click opens one."
# Every change to a client's records shows here (settings and backups do not).
WATCHED = CHANGE_KINDS - {"settings", "backup", "appointment"}
EntryKey = tuple[str, int]


class TimelineTab(QWidget):
    """Everything on record for the open client. `open_requested` carries the entry to open."""

    open_requested = Signal(object)  # TimelineEntry
    intake_requested = Signal()  # the empty timeline's way on

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self._generation = 0  # bumped by a new client or new kinds: older results are moot
        self._reload_pending = False
        self._loaded = False  # the current generation has shown a first page
        self._with_courses: dict[EntryKey, tuple[TimelineEntry, TimelineEntry]] = {}
        self.model = TimelineModel(self)
        self.model.more_wanted.connect(self._on_model_more_wanted)

        self.kinds = KindFilters(service.readable_kinds(db))
        self.kinds.changed.connect(self._on_kinds_changed)
        self.search = self._build_search()
        self.table = self._build_table()
        self.pages = self._build_pages()
        self.footer = muted("", wrap=False)
        self.all_kinds_button = self._build_all_kinds_button()

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(section_title("Everything on record, newest first"), 1)
        top.addWidget(self.search)
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addWidget(self.footer)
        bottom.addWidget(self.all_kinds_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.kinds)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        self._refresh = Refresh(self, WATCHED, self.reload, client_id=self._client_id)
        self.load(None)

    def _build_search(self) -> QLineEdit:
        search = QLineEdit()
        search.setPlaceholderText(f"Filter by words ({FILTER_KEYS})")
        search.setAccessibleName("Filter the timeline")
        search.setClearButtonEnabled(True)
        search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        search.setMinimumWidth(260)
        search.setMaximumWidth(320)
        search.textChanged.connect(self._on_search_text_changed)
        search.installEventFilter(self)
        focus = QShortcut(QKeySequence(FILTER_KEYS), self)
        focus.setContext(Qt.ShortcutContext.WindowShortcut)
        focus.setWhatsThis("Filter the timeline by words")  # listed in Help > Keyboard shortcuts
        focus.activated.connect(self.focus_filter)
        return search

    def _build_pages(self) -> QStackedWidget:
        """The rows, or what an empty list means: nothing yet, no kind shown, no match."""
        self.empty = EmptyState(
            "history",
            "Nothing on record yet.",
            "Intakes, visits, charts, measures, plans, documents and billing appear here.",
            "Record the intake",
            self.intake_requested.emit,
            button_icon="heart-pulse",
        )
        self.no_kinds = EmptyState(
            "eye",
            "Nothing of the kinds shown.",
            "This client has no records of the kinds switched on above.",
            "Show all kinds",
            self.kinds.show_all,
            button_icon="eye",
        )
        self.no_match = EmptyState(
            "search",
            "No entry matches those words.",
            "The filter looks through the kind, the title and the details of every entry.",
            "Clear the filter",
            self.search.clear,
            button_icon="x",
        )
        pages = QStackedWidget()
        for page in (self.table, self.empty, self.no_kinds, self.no_match):
            pages.addWidget(page)
        return pages

    def _build_all_kinds_button(self) -> QPushButton:
        button = QPushButton("Show all kinds")
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet(
            f"QPushButton {{ border: none; background: transparent; padding: 2px 6px; "
            f"min-height: 0; color: {theme.colours().accent}; font-weight: 600; }}"
            "QPushButton:hover { text-decoration: underline; }"
        )
        button.setToolTip("Switch every kind of record on again")
        button.clicked.connect(self.kinds.show_all)
        return button

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName("Client timeline")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(30)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        # Widths from the font, not from the rows: a long record measures no faster.
        metrics = table.fontMetrics()
        header.resizeSection(TimelineModel.DATE, metrics.horizontalAdvance("Sep 30, 2026") + 32)
        header.resizeSection(TimelineModel.KIND, metrics.horizontalAdvance("Body chart") + 56)
        for column in (TimelineModel.DATE, TimelineModel.KIND):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        table.viewport().installEventFilter(self)
        table.activated.connect(self._on_table_activated)
        return table

    # ------------------------------------------------------------------ public

    def load(self, client: Client | None) -> None:
        """Show a client's timeline (read when the tab is shown, so switching stays quick)."""
        self.client = client
        self._start_generation()
        if self.isVisible():  # read at once: the rows are wanted now, not in the next pass
            self._read_first_page()

    def reload(self) -> None:
        """Read the timeline again, keeping what is shown until the new rows are there.

        Requests in one turn of the event loop (a change announced as the tab is shown) make
        one read.
        """
        if not self._reload_pending:
            self._reload_pending = True
            QTimer.singleShot(0, self._read_first_page)

    def focus_filter(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_entry(self) -> TimelineEntry | None:
        index = self.table.currentIndex()
        return index.data(ENTRY_ROLE) if index.isValid() else None

    # ------------------------------------------------------------------ reading

    def _client_id(self) -> int | None:
        return self.client.id if self.client else None

    def _start_generation(self) -> None:
        self._generation += 1
        self._loaded = False
        self._with_courses.clear()
        self.model.set_page([], False, self.model.locale)
        self._show_page()

    def _read_first_page(self) -> None:
        self._reload_pending = False
        if self.client is None:
            return
        client_id, kinds, generation = self.client.id, self.kinds.kinds(), self._generation
        # A screen and a half first (more pages follow as the list scrolls); a refresh reads
        # as far as the list had been scrolled, so the place is kept.
        limit = max(FIRST_PAGE, self.model.loaded_count())
        QueryOp(
            self,
            lambda: service.timeline(self.db, client_id, kinds=kinds, limit=limit),
            lambda page: self._on_first_page(page, generation),
        ).run(key="timeline")

    def _on_first_page(self, page: TimelinePage, generation: int) -> None:
        if generation != self._generation:
            return
        kept = self.selected_entry()
        entries = [self._known_course(e) for e in page.entries]
        self.model.set_page(entries, page.more, page.locale)
        self._loaded = True
        self._reselect(entry_key(kept) if kept else None)
        self._show_page()
        self._read_courses(page.entries, generation)
        if self.model.filtering:
            self._read_rest()

    def _on_model_more_wanted(self) -> None:
        if self.client is None or not self.model.loaded_count():
            self.model.loading_more = False
            return
        client_id, kinds, generation = self.client.id, self.kinds.kinds(), self._generation
        before = self.model.last_loaded().cursor
        QueryOp(
            self,
            lambda: service.timeline(
                self.db, client_id, kinds=kinds, before=before, limit=service.PAGE
            ),
            lambda page: self._on_more(page.entries, page.more, generation, before),
        ).on_failed(lambda _error: setattr(self.model, "loading_more", False)).run(key="more")

    def _read_rest(self) -> None:
        """The filter searches the whole record: read every older entry at once."""
        if self.client is None or not self.model.more or not self.model.loaded_count():
            return
        self.model.loading_more = True
        client_id, kinds, generation = self.client.id, self.kinds.kinds(), self._generation
        before = self.model.last_loaded().cursor
        QueryOp(
            self,
            lambda: service.whole_timeline(self.db, client_id, kinds=kinds, before=before),
            lambda entries: self._on_more(entries, False, generation, before),
        ).on_failed(lambda _error: setattr(self.model, "loading_more", False)).run(key="more")

    def _on_more(
        self, entries: Sequence[TimelineEntry], more: bool, generation: int, after: Cursor
    ) -> None:
        loaded = self.model.loaded_count()
        if generation != self._generation or not loaded or self.model.last_loaded().cursor != after:
            self.model.loading_more = False  # the list was read again meanwhile
            return
        self.model.append_rows([self._known_course(e) for e in entries], more)
        self._show_page()
        self._read_courses(entries, generation)

    def _read_courses(self, entries: Sequence[TimelineEntry], generation: int) -> None:
        """Plan figures come from the plan course, a heavier read: it starts once the rows are
        painted, since a worker busy in Python slows the GUI thread's painting (the GIL)."""
        plans = [e for e in entries if e.source in service.PLAN_SOURCES]
        if plans:
            QTimer.singleShot(COURSES_AFTER_MS, lambda: self._start_courses(plans, generation))

    def _start_courses(self, plans: Sequence[TimelineEntry], generation: int) -> None:
        if generation != self._generation:
            return
        QueryOp(
            self,
            lambda: service.with_courses(self.db, plans),
            lambda fresh: self._on_courses(plans, fresh, generation),
        ).run()

    def _on_courses(
        self, plain: Sequence[TimelineEntry], fresh: Sequence[TimelineEntry], generation: int
    ) -> None:
        if generation != self._generation:
            return
        for base, full in zip(plain, fresh, strict=True):
            self._with_courses[entry_key(base)] = (base, full)
        self.model.replace_entries(fresh)

    def _known_course(self, entry: TimelineEntry) -> TimelineEntry:
        """Until its figures are read again, a plan row shows the ones it had (no flicker)."""
        known = self._with_courses.get(entry_key(entry))
        return known[1] if known is not None and known[0] == entry else entry

    # ------------------------------------------------------------------ showing

    def _reselect(self, key: EntryKey | None) -> None:
        row = self.model.row_of_key(key) if key is not None else None
        if row is None and not self.table.currentIndex().isValid() and self.model.rowCount():
            row = 0
        if row is None:
            return
        index = self.model.index(row, 0)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _show_page(self) -> None:
        loaded = self.model.loaded_count()
        shown = self.model.rowCount()
        if not self._loaded or shown:
            page = self.table
        elif loaded:
            page = self.no_match
        else:
            page = self.empty if self.kinds.all_shown else self.no_kinds
        self.pages.setCurrentWidget(page)
        self.footer.setText(self._footer_text(loaded, shown))
        self.all_kinds_button.setVisible(page is self.table and not self.kinds.all_shown)
        self.empty.button.setEnabled(self.client is not None)

    def _footer_text(self, loaded: int, shown: int) -> str:
        if not self._loaded or not loaded:
            return ""
        entries = f"{loaded:,} entr{'ies' if loaded != 1 else 'y'}"
        if self.model.filtering:
            reading = ", reading the older ones…" if self.model.more else ""
            return f"{shown:,} of {entries} match{reading}"
        offered = len(self.kinds.buttons)
        hidden = offered - len(self.kinds.kinds())
        kinds = f" of the {offered - hidden} kinds shown" if hidden else ""
        if self.model.more:
            return f"The latest {entries}{kinds}; older ones load as you scroll. {OPENS}"
        return f"All {entries}{kinds}. {OPENS}"

    def _fit_title_column(self) -> None:
        """The title takes about 45% of what the date and kind leave, the details the rest."""
        header = self.table.horizontalHeader()
        rest = (
            self.table.viewport().width()
            - header.sectionSize(TimelineModel.DATE)
            - header.sectionSize(TimelineModel.KIND)
        )
        header.resizeSection(TimelineModel.TITLE, max(200, min(420, int(rest * 0.45))))

    # ------------------------------------------------------------------ handlers

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.client is not None and not self._loaded and not self._reload_pending:
            self._read_first_page()  # now: the click that shows it may wait for the rows
        else:  # always current when looked at: not every screen announces its changes yet
            self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_title_column()
        if watched is self.search and isinstance(event, QKeyEvent):
            key = event.key() if event.type() == QEvent.Type.KeyPress else None
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                self._reselect(None)
                return True
        return super().eventFilter(watched, event)

    def _on_kinds_changed(self, _kinds: frozenset[Kind]) -> None:
        if self.client is None:
            return
        self._start_generation()
        self.reload()

    def _on_search_text_changed(self, text: str) -> None:
        kept = self.selected_entry()
        self.model.set_filter(text)
        if self.model.filtering and self.model.more and not self.model.loading_more:
            self._read_rest()
        self._reselect(entry_key(kept) if kept else None)  # kept when it still matches
        if self.table.currentIndex().isValid():
            self.table.scrollTo(self.table.currentIndex())
        self._show_page()

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(ENTRY_ROLE))
