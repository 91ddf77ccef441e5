"""The client's care team on the Profile tab (clinic mode): who sees their clinical records.

A practitioner sees the clinical records of the clients whose care team they are on (the server
enforces it: `practice.store.grants`). Here a practitioner on the team, or the owner, adds a
colleague (Add practitioner) or takes one off (Remove); the last one stays. Shown only on a
server, to those who may read clinical records (`staff.may_share`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practice.changes import Changes
from practice.clients.records import Client
from practice.errors import ValidationError
from practice.store import Database, staff
from practice.store.practitioners import Practitioner, list_practitioners
from practice.store.staff import TeamMember
from ui import icons
from ui.ops import QueryOp, Refresh, WriteOp
from ui.widgets import dates
from ui.widgets.forms import muted, section_title
from ui.widgets.tables import RowsModel

Index = QModelIndex | QPersistentModelIndex


class CareTeamModel(RowsModel):
    COLUMNS = ("Practitioner", "On the team since")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        member: TeamMember = self.item(index.row())
        if index.column() == 0:
            return member.signature if member.active else f"{member.signature} (inactive)"
        return dates.day(member.added_at.astimezone().date())


class CareTeamPanel(QWidget):
    """The care team of the client shown: the list, Add practitioner, Remove."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.client: Client | None = None
        self.people: list[Practitioner] = []
        self.model = CareTeamModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Care team")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the names keep room
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMaximumHeight(150)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(icons.icon("user-plus"), "Add practitioner…")
        self.add_button.setToolTip("Share this client with another practitioner")
        self.add_menu = QMenu(self.add_button)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.add_button.setMenu(self.add_menu)
        self.remove_button = QPushButton(icons.icon("user-minus"), "Remove")
        self.remove_button.setToolTip("Take the selected practitioner off the care team")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.not_allowed = muted(
            "You are not on this client's care team: a practitioner on it, or the owner, "
            "adds colleagues."
        )
        self.not_allowed.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(section_title("Care team"))
        layout.addWidget(
            muted(
                "The practitioners who see this client's notes, charts, intake and plans. "
                "The front desk sees none of them."
            )
        )
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(self.not_allowed)
        layout.addLayout(buttons)
        self.refresher = Refresh(self, ("client", "settings"), self.reload, client_id=self._id)
        self._update_buttons()

    def _id(self) -> int | None:
        return self.client.id if self.client is not None else None

    def load(self, client: Client | None) -> None:
        self.client = client
        self.error.hide()
        self.model.set_rows([])
        self.reload()

    def reload(self) -> None:
        if self.client is None:
            self._update_buttons()
            return
        db, client_id = self.db, self.client.id

        def read() -> tuple[list[TeamMember], list[Practitioner]]:
            return staff.care_team(db, client_id), list_practitioners(db)

        QueryOp(self, read, self._show).run(key="care-team")

    def _show(self, read: tuple[list[TeamMember], list[Practitioner]]) -> None:
        members, self.people = read
        self.model.set_rows(members)
        self._update_buttons()

    def members(self) -> list[TeamMember]:
        return [self.model.item(row) for row in range(self.model.rowCount())]

    def _selected(self) -> TeamMember | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        team = [member.practitioner_id for member in self.members()]
        allowed = self.client is not None and staff.may_change_team(self.db, team)
        self.add_button.setEnabled(allowed)
        self.remove_button.setEnabled(
            allowed and self._selected() is not None and self.model.rowCount() > 1
        )
        self.not_allowed.setVisible(self.client is not None and not allowed)

    def candidates(self) -> list[Practitioner]:
        """The active practitioners not on the team yet."""
        on_team = {member.practitioner_id for member in self.members()}
        return [p for p in self.people if p.active and p.id not in on_team]

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        candidates = self.candidates()
        for person in candidates:
            action = self.add_menu.addAction(person.signature)
            action.triggered.connect(partial(self.add, person.id))
        if not candidates:
            self.add_menu.addAction("Every practitioner is on the team").setEnabled(False)

    def add(self, practitioner_id: int) -> None:
        self._write(staff.share_client, practitioner_id)

    def remove(self, practitioner_id: int) -> None:
        self._write(staff.unshare_client, practitioner_id)

    def _on_remove_clicked(self) -> None:
        member = self._selected()
        if member is not None:
            self.remove(member.practitioner_id)

    def _write(self, change: Any, practitioner_id: int) -> None:
        if self.client is None:
            return
        db, client_id = self.db, self.client.id
        self.error.hide()
        WriteOp(
            self,
            lambda: change(db, client_id, practitioner_id),
            lambda _done: self.reload(),
            changes=Changes.of("client", client_id=client_id),
        ).on_invalid(self._on_invalid).run()

    def _on_invalid(self, error: ValidationError) -> None:
        self.error.setText(" ".join(error.errors.values()))
        self.error.show()
