"""The series a client's treatment plan calls for, offered in the new-appointment dialog."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from practice.errors import ValidationError
from practice.plans import service as plans
from practice.schedule import series
from practice.schedule.series import SeriesProposal
from practice.store.database import Database
from ui import icons
from ui.ops import QueryOp
from ui.widgets.forms import muted


def plan_proposal(db: Database, client_id: int, start: datetime) -> SeriesProposal | None:
    """What the client's active plan proposes from `start` (None: no plan, or nothing left)."""
    plan = plans.active_plan(db, client_id)
    if plan is None:
        return None
    try:
        return series.propose_for_plan(
            db, plan.id, at=start.time(), weekday=start.weekday(), from_day=start.date()
        )
    except ValidationError:
        return None  # the plan's visits are all booked, or it has ended


class PlanSeriesHint(QWidget):
    """'The plan calls for weekly on Tuesday and Friday …' and a button to book that series."""

    toggled = Signal(bool)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.proposal: SeriesProposal | None = None
        self.text = muted("")
        self.button = QPushButton(icons.icon("repeat"), "Book the plan's series")
        self.button.setCheckable(True)
        self.button.toggled.connect(self.toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    def look_up(self, client_id: int | None, start: datetime) -> None:
        if client_id is None:
            self._show(None)
            return
        db = self.db
        QueryOp(self, lambda: plan_proposal(db, client_id, start), self._show).run(key="plan")

    def _show(self, proposal: SeriesProposal | None) -> None:
        self.proposal = proposal
        if proposal is None:
            self.button.setChecked(False)
        else:
            self.text.setText(
                f"The treatment plan calls for {proposal.description[:1].lower()}"
                f"{proposal.description[1:]}."
            )
        self.setVisible(proposal is not None)

    def in_use(self) -> SeriesProposal | None:
        return self.proposal if self.button.isChecked() else None
