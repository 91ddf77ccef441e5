"""The open client: a header card with name, age and alert chips, the alerts on demand, tabs."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients import service
from practice.clients.records import Client
from practice.clients.rules import AlertLevel
from practice.errors import ServerGoneError
from practice.store import Database, staff
from practice.timeline.records import Kind, TimelineEntry
from practice.timeline.service import readable_kinds
from ui import icons, theme
from ui.ops import write_from
from ui.widgets import dates
from ui.widgets.alerts import AlertBanner, AlertChip, by_level
from ui.widgets.elided import ElidedLabel
from ui.widgets.tabs import QuietTabWidget

if TYPE_CHECKING:
    from ui.billing.client_tab import ClientBillingTab
    from ui.bodymap.tab import BodyMapTab
    from ui.clients.consent_tab import ConsentTab
    from ui.clients.intake_form import IntakeForm
    from ui.clients.profile_form import ProfileForm
    from ui.documents.documents_tab import DocumentsTab
    from ui.plans.tab import PlanTab
    from ui.timeline.tab import TimelineTab
    from ui.visits.tab import ProgressTab, VisitsTab

Policy = QSizePolicy.Policy

# The client's tabs in order: attribute, title, and the class that builds it (module, name).
# A tab is built, and its module imported, when it is first shown or asked for: opening the
# first client of a session builds the Timeline only.
IDLE_BUILD_GAP_MS = 50  # between two tabs built while idle: a click in between is answered first

TABS: tuple[tuple[str, str, str, str], ...] = (
    # First: the whole record at a glance, each entry one key from its own tab. A new client
    # (nothing on record) opens on the Profile instead.
    ("timeline", "Timeline", "ui.timeline.tab", "TimelineTab"),
    ("profile", "Profile", "ui.clients.profile_form", "ProfileForm"),
    ("intake", "Intake", "ui.clients.intake_form", "IntakeForm"),
    ("bodymap", "Body map", "ui.bodymap.tab", "BodyMapTab"),
    ("consent", "Consent", "ui.clients.consent_tab", "ConsentTab"),
    ("visits", "Visits", "ui.visits.tab", "VisitsTab"),
    ("progress", "Progress", "ui.visits.tab", "ProgressTab"),
    ("plan", "Plan", "ui.plans.tab", "PlanTab"),
    ("documents", "Documents", "ui.documents.documents_tab", "DocumentsTab"),
    ("billing", "Billing", "ui.billing.client_tab", "ClientBillingTab"),
)
HIDDEN_RECORDS = "Not on this client's care team"
HIDDEN_RECORDS_TIP = (
    "Their notes, charts, intake, alerts and plans are not shown to you. A practitioner on the "
    "care team (Profile > Care team) or the owner can add you."
)
# The tabs of clinical records, which the front desk is not offered (the server refuses them).
CLINICAL_TABS = frozenset({"intake", "bodymap", "visits", "progress", "plan", "documents"})


def offered_tabs(db: Database) -> tuple[tuple[str, str, str, str], ...]:
    """The tabs the person signed in may use, in order."""
    if staff.sees_clinical(db):
        return TABS
    return tuple(tab for tab in TABS if tab[0] not in CLINICAL_TABS)


class HeaderCard(QWidget):
    """Name, alert chips and details on one line, or two when narrow: the record keeps the room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HeaderCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(Policy.Preferred, Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.name = ElidedLabel()
        self.name.setObjectName("HeaderName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(font.Weight.DemiBold)
        self.name.setFont(font)
        top.addWidget(self.name, 0)
        self.chips = QHBoxLayout()
        self.chips.setSpacing(8)
        self.no_alerts = QLabel()  # "No alerts from the intake", or why none are shown
        self.no_alerts.setProperty("muted", True)
        self.no_alerts.hide()
        self.chips.addWidget(self.no_alerts, 0, Qt.AlignmentFlag.AlignVCenter)
        # One chip per alert level, made the first time a client has alerts of that level,
        # then kept in place and hidden or filled as each client opens.
        self._level_chips: dict[AlertLevel, AlertChip] = {}
        self._chips_shown: object = None  # what the chips say: redrawn when that changes
        top.addLayout(self.chips)
        # The one place the alerts are spelled out, on demand: opens the banner below.
        self.alerts_button = QPushButton("What to do")
        self.alerts_button.setObjectName("AlertsButton")
        self.alerts_button.setCheckable(True)
        self.alerts_button.setFlat(True)
        self.alerts_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.alerts_button.setToolTip("Show the alerts in full: what to do, why, what was reported")
        self.alerts_button.hide()
        top.addWidget(self.alerts_button)
        self.details = ElidedLabel()
        self.details.setProperty("muted", True)
        top.addStretch(1)
        self.records_button = QPushButton("Records")
        self.records_button.setIcon(icons.icon("file-archive"))
        self.records_button.setToolTip("The client's records: export them for their request")
        self.records_menu = QMenu(self.records_button)
        self.export_records = self.records_menu.addAction("Export records for the client…")
        self.records_button.setMenu(self.records_menu)
        top.addWidget(self.records_button)
        self.archive_button = QPushButton()
        top.addWidget(self.archive_button)
        self._top = top
        layout.addLayout(top)
        layout.addWidget(self.details)
        self._one_line = False
        self._archive_text = ""
        self._labelled_buttons = 0  # the two buttons' width with their words
        self._details: list[str] = []
        self._standing: list[str] = []
        self._client_id: int | None = None

    def _show_chips(
        self,
        client: Client | None,
        alerts: list | None,  # type: ignore[type-arg]
        hidden: bool,
    ) -> None:
        """The alert chips, or the line saying there are none. Made again only when they
        change: from one client to the next without alerts, nothing is rebuilt."""
        shown = None if client is None else (None if alerts is None else tuple(alerts), hidden)
        if shown == self._chips_shown:
            return
        self._chips_shown = shown
        groups = by_level(alerts or []) if client is not None else {}
        for level, group in groups.items():
            if level in self._level_chips:
                self._level_chips[level].say(group)
            else:
                place = sum(other.rank < level.rank for other in self._level_chips)
                self._level_chips[level] = chip = AlertChip(group)
                self.chips.insertWidget(place, chip, 0, Qt.AlignmentFlag.AlignVCenter)
        for level, chip in self._level_chips.items():
            chip.setVisible(level in groups)  # now, not in the next pass: the open may paint first
        none = client is not None and (alerts == [] or hidden)
        self.no_alerts.setText(HIDDEN_RECORDS if hidden else "No alerts from the intake")
        self.no_alerts.setToolTip(HIDDEN_RECORDS_TIP if hidden else "")
        self.no_alerts.setVisible(none)

    def set_standing(self, parts: list[str]) -> None:
        """The next or last visit and the balance owed, after the client's details."""
        self._standing = [part for part in parts if part]
        self._show_details()

    def _show_details(self) -> None:
        parts = self._details + self._standing
        self.details.setText("  ·  ".join(parts) or "No details yet")
        self._fit_lines()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._fit_lines()

    def _fit_buttons(self) -> None:
        """Records and Archive keep their words unless the name would be cut short for them:
        then they show their icons only (the words in their tooltips)."""
        if self.records_button.isHidden():
            return
        labelled = bool(self.records_button.text())
        if labelled:
            self._labelled_buttons = (
                self.records_button.sizeHint().width() + self.archive_button.sizeHint().width()
            )
        top = self._top
        others = self.name.sizeHint().width() + self.chips.sizeHint().width()
        if self.alerts_button.isVisibleTo(self):
            others += self.alerts_button.sizeHint().width()
        margins = self.contentsMargins()
        room = self.width() - margins.left() - margins.right() - 5 * top.spacing()
        compact = others + self._labelled_buttons > room
        if compact != labelled:
            return  # as it should be
        self.records_button.setText("" if compact else "Records")
        self.archive_button.setText("" if compact else self._archive_text)

    def _fit_lines(self) -> None:
        """One line when name, chips, details and button all fit in full (a wide window gives
        the record that height); two otherwise, the details under the name."""
        self._fit_buttons()
        top = self._top
        if self._one_line:
            top.removeWidget(self.details)
        needed = top.sizeHint().width() + top.spacing() + self.details.sizeHint().width()
        margins = self.contentsMargins()
        one_line = needed <= self.width() - margins.left() - margins.right()
        self._one_line = one_line
        layout = self.layout()
        if one_line:
            layout.removeWidget(self.details)
            top.insertWidget(top.indexOf(self.alerts_button) + 1, self.details)
        elif layout.indexOf(self.details) < 0:
            layout.addWidget(self.details)
        self.details.setAlignment(Qt.AlignmentFlag.AlignVCenter)

    def show_client(
        self,
        client: Client | None,
        alerts: list | None,  # type: ignore[type-arg]
        *,
        hidden: bool = False,
    ) -> None:
        """`alerts` is None when the person signed in may not read the intake; `hidden` says
        so when they could (a practitioner off the client's care team): the records are
        there, not shown to them."""
        self._show_chips(client, alerts, hidden)
        if client is None:
            self.name.setText("New client")
            self._details, self._standing, self._client_id = [], [], None
            self.details.setText("Fill in the profile and press Create client (Ctrl+S).")
            self.archive_button.hide()
            self.records_button.hide()
            self._fit_lines()
            return
        if client.id != self._client_id:
            self._standing = []  # another client's: the page gives this one's
        self._client_id = client.id
        self.name.setText(client.display_name or client.legal_name)
        parts = []
        if client.preferred_name and client.preferred_name != client.given_name:
            parts.append(f"Legal name {client.legal_name}")
        age = client.age_on(date.today())
        if age is not None and client.date_of_birth:
            parts.append(f"{age} years (born {dates.day(client.date_of_birth)})")
        if client.pronouns:
            parts.append(client.pronouns)
        if client.phone_mobile:
            parts.append(client.phone_mobile)
        if client.archived:
            parts.append("ARCHIVED")
        self._details = parts
        self._show_details()
        self.records_button.setVisible(alerts is not None)  # exporting them reads clinical ones
        self._archive_text = "Restore client" if client.archived else "Archive client"
        self.archive_button.setText(self._archive_text if self.records_button.text() else "")
        self.archive_button.setToolTip(self._archive_text)
        colour = theme.colours().text if client.archived else theme.colours().danger
        self.archive_button.setIcon(
            icons.icon("archive-restore" if client.archived else "archive", colour)
        )
        if self.archive_button.property("danger") != (not client.archived):
            self.archive_button.setProperty("danger", not client.archived)
            self.archive_button.style().unpolish(self.archive_button)  # restyled in its colour
            self.archive_button.style().polish(self.archive_button)
        self.archive_button.show()


class ClientWorkspace(QWidget):
    client_changed = Signal(object)  # Client, after any save or archive
    status = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.setSpacing(8)
        self.header = HeaderCard()
        self.header.archive_button.clicked.connect(self._on_archive_clicked)
        self.header.export_records.triggered.connect(self._on_export_records_triggered)
        self.banner = AlertBanner()
        self.tabs = QuietTabWidget()
        self.tabs.setDocumentMode(True)
        self._built: dict[str, QWidget] = {}
        self._waiting: dict[str, QWidget] = {}  # the empty page standing in for a tab not built
        self.offered = offered_tabs(db)
        for name, title, _module, _class in self.offered:
            self._waiting[name] = QWidget()
            self.tabs.addTab(self._waiting[name], title)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        # Alerts show once, as the header's chips; their "What to do" opens the banner with
        # the details, so every tab keeps its height.
        self.banner.set_folded(True)
        self.header.alerts_button.toggled.connect(self.banner.set_opened)
        self.banner.opened_changed.connect(self.header.alerts_button.setChecked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._on_tabs_current_changed(self.tabs.currentIndex())
        for keys, step, does in (
            ("Ctrl+PgDown", 1, "Next tab of the client"),
            ("Ctrl+PgUp", -1, "Previous tab of the client"),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)  # from the list or a tab alike
            shortcut.setWhatsThis(does)  # listed in Help > Keyboard shortcuts
            shortcut.activated.connect(lambda step=step: self._step_tab(step))

    def _step_tab(self, step: int) -> None:
        """The next or previous tab that is open to this client, wrapping around."""
        count = self.tabs.count()
        index = self.tabs.currentIndex()
        for _ in range(count):
            index = (index + step) % count
            if self.tabs.isTabEnabled(index):
                self.tabs.setCurrentIndex(index)
                return

    # ------------------------------------------------------------------ the tabs, built on demand

    @property
    def timeline(self) -> TimelineTab:
        return self._tab("timeline")  # type: ignore[return-value]

    @property
    def profile(self) -> ProfileForm:
        return self._tab("profile")  # type: ignore[return-value]

    @property
    def intake(self) -> IntakeForm:
        return self._tab("intake")  # type: ignore[return-value]

    @property
    def bodymap(self) -> BodyMapTab:
        return self._tab("bodymap")  # type: ignore[return-value]

    @property
    def consent(self) -> ConsentTab:
        return self._tab("consent")  # type: ignore[return-value]

    @property
    def visits(self) -> VisitsTab:
        return self._tab("visits")  # type: ignore[return-value]

    @property
    def progress(self) -> ProgressTab:
        return self._tab("progress")  # type: ignore[return-value]

    @property
    def plan(self) -> PlanTab:
        return self._tab("plan")  # type: ignore[return-value]

    @property
    def documents(self) -> DocumentsTab:
        return self._tab("documents")  # type: ignore[return-value]

    @property
    def billing(self) -> ClientBillingTab:
        return self._tab("billing")  # type: ignore[return-value]

    def built(self, name: str) -> Any:
        """The tab called `name` if it was built, else None (nothing is built by asking)."""
        return self._built.get(name)

    def build_all_tabs(self) -> None:
        """Every tab, built now (the F1 list of keys reads them all)."""
        for name, *_rest in self.offered:
            self._tab(name)

    def build_while_idle(self, then: Callable[[], None] | None = None) -> None:
        """Build the tabs not built yet, one at a time with the window idle in between (after
        the warm-up), so the first switch to each only reads its client; `then` after the
        last. A click in between is answered before the next tab is built."""
        pending = [name for name, *_rest in self.offered if name not in self._built]

        def build_next() -> None:
            if not shiboken6.isValid(self) or self.db.replacing:
                return  # closed, or its file is being restored or encrypted: no reads now
            while pending and pending[0] in self._built:
                pending.pop(0)  # built meanwhile by a click
            if pending:
                try:
                    self._tab(pending.pop(0))
                except ServerGoneError:
                    return  # a clinic's server went away: each tab is built when opened
                QTimer.singleShot(IDLE_BUILD_GAP_MS, build_next)
            else:  # styled ahead of its first showing; the Progress tab's charts, then `then`
                self.ensurePolished()
                if self.offers("progress"):
                    self.progress.prepare_while_idle(then)
                elif then is not None:
                    then()

        QTimer.singleShot(IDLE_BUILD_GAP_MS, build_next)

    def current_tab_name(self) -> str:
        index = self.tabs.currentIndex()
        return self.offered[index][0] if index >= 0 else ""

    def offers(self, name: str) -> bool:
        """Whether the tab called `name` is offered to the person signed in."""
        return any(entry[0] == name for entry in self.offered)

    def _tab(self, name: str) -> QWidget:
        """The tab called `name`, built now if it was not: it takes its stand-in's place."""
        tab = self._built.get(name)
        if tab is not None:
            return tab
        index = [entry[0] for entry in self.offered].index(name)
        _name, title, module, cls = self.offered[index]
        tab = getattr(importlib.import_module(module), cls)(self.db)
        self._built[name] = tab
        waiting = self._waiting.pop(name)
        current, enabled = self.tabs.currentIndex(), self.tabs.isTabEnabled(index)
        self.tabs.blockSignals(True)
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, title)
            self.tabs.setTabEnabled(index, enabled)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        waiting.deleteLater()
        self._wire(name, tab)
        self._size_to_current_tab()
        tab.load(self.client)  # type: ignore[attr-defined]
        return tab

    def _wire(self, name: str, tab: Any) -> None:
        """Connect a tab just built to the workspace."""
        if name == "profile":
            tab.client_saved.connect(self._on_profile_client_saved)
        elif name == "intake":
            tab.intake_saved.connect(self._on_intake_saved)
        elif name == "consent":
            tab.consent_changed.connect(lambda: self.status.emit("Consent recorded"))
        elif name == "visits":
            tab.editor.chart_requested.connect(self._on_visit_chart_requested)
        elif name == "bodymap":
            tab.visit_chart_saved.connect(self._on_bodymap_visit_chart_saved)
        elif name == "timeline":
            tab.open_requested.connect(self.open_entry)
            tab.intake_requested.connect(lambda: self.tabs.setCurrentWidget(self.intake))

    def _on_visit_chart_requested(self, visit_id: int) -> None:
        """The visit note asks for its chart: the Body map tab, bound to that visit."""
        if self.client is None:
            return
        self.tabs.setCurrentWidget(self.bodymap)
        self.bodymap.edit_visit_chart(self.client, visit_id)

    def _on_bodymap_visit_chart_saved(self, visit_id: int) -> None:
        visits = self.built("visits")
        if visits is None:
            return
        record = visits.editor.record
        if record is not None and record.visit.id == visit_id:
            self.visits.editor.refresh_chart()

    def _on_tabs_current_changed(self, index: int) -> None:
        if 0 <= index < len(self.offered):
            self._tab(self.offered[index][0])
        self._size_to_current_tab()
        self.banner.set_folded(True)  # opened on one tab, the details close on the next
        self._update_alerts_button()

    def _size_to_current_tab(self) -> None:
        """Only the shown tab's minimum width counts: the body map's wide editor must not make
        every tab (and the client list beside it) that wide, or no window could be narrow."""
        current = self.tabs.currentWidget()
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            policy = tab.sizePolicy()
            shown = tab is current
            policy.setHorizontalPolicy(Policy.Preferred if shown else Policy.Ignored)
            tab.setSizePolicy(policy)

    def _update_alerts_button(self) -> None:
        self.header.alerts_button.setVisible(self.banner.is_folded() and self.banner.has_alerts())

    def open_client(self, client_id: int | None) -> None:
        client = service.get_client(self.db, client_id) if client_id is not None else None
        self._show(client)
        if client is None:
            self.tabs.setCurrentWidget(self.profile)
            self.profile.identity.fields["given_name"].setFocus()

    def has_unsaved_changes(self) -> bool:
        editable = ("profile", "intake", "bodymap", "visits", "plan")
        return any(
            (tab := self._built.get(name)) is not None and tab.is_dirty()  # type: ignore[attr-defined]
            for name in editable
        )

    def save(self) -> bool:
        """Save the current tab (Ctrl+S)."""
        match self.current_tab_name():
            case "intake":
                return self.intake.save() is not None
            case "bodymap":
                return self.bodymap.save()
            case "visits":
                return self.visits.save()
            case "plan":
                return self.plan.save()
        return self.profile.save() is not None

    def save_soon(self) -> None:
        """Save the current tab on the op runner, as its Save button does (Ctrl+S)."""
        match self.current_tab_name():
            case "intake":
                self.intake.save_soon()
            case "bodymap":
                self.bodymap.save_soon()
            case "visits":
                self.visits.save_soon()
            case "plan":
                self.plan.save_soon()
            case _:
                self.profile.save_soon()

    def new_visit(self) -> None:
        """A new note for the open client (Visit > New visit)."""
        if self.client is not None and self.offers("visits"):
            self.tabs.setCurrentWidget(self.visits)
            self.visits.new_visit()

    def new_plan(self) -> None:
        """A new treatment plan for the open client (Visit > New plan)."""
        if self.client is not None and self.offers("plan"):
            self.tabs.setCurrentWidget(self.plan)
            self.plan.new_plan()

    def print_current(self) -> None:
        """File > Print (Ctrl+P): the printout of the current tab, in the preview."""
        if self.client is None:
            return
        if not staff.sees_clinical(self.db):
            self.status.emit("Print the client's invoices and receipts from their Billing tab")
            return
        from ui.documents import printing

        tab = self.current_tab_name()
        if tab == "visits":
            self.visits.print_visit_note()
        elif tab == "intake":
            printing.preview_intake_summary(self, self.db, self.client)
        elif tab == "bodymap":
            self.bodymap.print_current()
        elif tab == "documents" and self.documents.selected_document() is not None:
            self.documents.open_selected()
        else:
            self.new_summary()

    def new_summary(self) -> None:
        """A new physician summary for the open client (File > Physician summary)."""
        if self.client is not None and self.offers("documents"):
            self.tabs.setCurrentWidget(self.documents)
            self.documents.new_summary()

    def open_visit(self, visit_id: int) -> None:
        if not self.offers("visits"):
            return
        self.tabs.setCurrentWidget(self.visits)
        self.visits.open_visit(visit_id)

    def open_entry(self, entry: TimelineEntry) -> None:
        """Open a timeline entry's record in the tab that holds it."""
        if entry.kind not in readable_kinds(self.db):
            return
        match entry.kind:
            case Kind.VISIT:
                self.open_visit(entry.record_id)
            case Kind.CHART:
                self.tabs.setCurrentWidget(self.bodymap)
                self.bodymap.open_chart(entry.record_id)
            case Kind.PLAN:
                self.tabs.setCurrentWidget(self.plan)
                self.plan.refresh(select=entry.record_id)
            case Kind.INVOICE:
                self.tabs.setCurrentWidget(self.billing)
                self.billing.open_invoice(entry.record_id)
            case Kind.PAYMENT:
                self.tabs.setCurrentWidget(self.billing)
            case Kind.DOCUMENT:
                self.tabs.setCurrentWidget(self.documents)
                self.documents.refresh(select=entry.record_id)
            case Kind.INTAKE:
                self.tabs.setCurrentWidget(self.intake)
                self.intake.show_intake(entry.record_id)
            case Kind.CONSENT:
                self.tabs.setCurrentWidget(self.consent)
                self.consent.show_consent(entry.record_id)
            case Kind.MEASURE:
                self.tabs.setCurrentWidget(self.progress)

    def _show(self, client: Client | None, *, shown_by: QWidget | None = None) -> None:
        """Show `client` in the header and every built tab (but `shown_by`, which has it).

        The header's alerts are read first, then the tab on screen is given the client: its
        read runs in the background while the header and the other tabs are filled here. (Read
        after, the alerts waited for the interpreter behind that read: 4.7 ms instead of 0.3.)"""
        self.client = client
        built = [tab for tab in self._built.values() if tab is not shown_by]
        current = self.tabs.currentWidget()
        first = current if current in built else None
        alerts = self._alerts()
        if first is not None:
            first.load(client)  # type: ignore[attr-defined]
        self.header.show_client(client, alerts, hidden=self._hidden(alerts))
        self.banner.set_alerts(alerts or [])
        self._update_alerts_button()
        for tab in built:  # the others read the client when they are built
            if tab is not first:
                tab.load(client)  # type: ignore[attr-defined]
        for index, (name, *_rest) in enumerate(self.offered):
            enabled = client is not None or name == "profile"
            if self.tabs.isTabEnabled(index) != enabled:  # else the tab bar is painted again
                self.tabs.setTabEnabled(index, enabled)

    def _refresh_header(self) -> None:
        if self.client is None:
            return
        self.client = service.get_client(self.db, self.client.id)
        alerts = self._alerts()
        self.header.show_client(self.client, alerts, hidden=self._hidden(alerts))
        self.banner.set_alerts(alerts or [])
        self._update_alerts_button()

    def _alerts(self) -> list | None:  # type: ignore[type-arg]
        """The open client's alerts from their intake (None when the person signed in may not
        read it: the front desk, a practitioner off the client's care team)."""
        if self.client is None:
            return []
        if not staff.sees_client(self.db, self.client.id):
            return None
        return service.alerts_for(self.db, self.client.id)

    def _hidden(self, alerts: list | None) -> bool:  # type: ignore[type-arg]
        """A practitioner off the client's care team (the front desk knows it sees none)."""
        return alerts is None and staff.sees_clinical(self.db)

    def _on_profile_client_saved(self, client: Client) -> None:
        created = self.client is None
        self.client = client
        if created:  # the form shows it already (with any typing done while it was saved)
            self._show(client, shown_by=self._built.get("profile"))
        else:
            self._refresh_header()
        self.client_changed.emit(client)
        self.status.emit(f"{'Created' if created else 'Saved'} {client.display_name}")

    def _on_intake_saved(self, _intake: object) -> None:
        self._refresh_header()
        self.status.emit("Intake recorded")

    def _on_export_records_triggered(self) -> None:
        from ui.exchange.export_dialog import ExportDialog

        if self.client is not None:
            name = self.client.legal_name
            ExportDialog(self.db, self, client_id=self.client.id, client_name=name).exec()

    def _on_archive_clicked(self) -> None:
        if self.client is None:
            return
        archive = not self.client.archived
        if archive:
            answer = QMessageBox.question(
                self,
                "Archive client",
                f"Archive {self.client.display_name}? The record is kept in full and can be "
                "restored; archived clients are hidden from the list unless you show them.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        db, client_id = self.db, self.client.id

        def done(client: Client) -> None:
            if self.client is not None and self.client.id == client.id:
                self._show(client)
                self.client_changed.emit(client)
            self.status.emit(f"{'Archived' if archive else 'Restored'} {client.display_name}")

        write_from(
            self,
            self.header.archive_button,
            lambda: service.set_archived(db, client_id, archive),
            done,
            changes=Changes.of("client", client_id=client_id),
        )
