"""Status chips for plans and goals: a word and a glyph on a tinted pill, never colour alone."""

from __future__ import annotations

from practice.plans.records import GoalStatus, PlanStatus
from ui.widgets.chips import Chip, chip_colours

__all__ = ["GOAL_STATUS", "PLAN_STATUS", "Chip", "chip_colours", "goal_status_chip"]

# kind, glyph: the word carries the meaning, the glyph and colour help the eye.
PLAN_STATUS = {
    PlanStatus.ACTIVE: ("info", "●"),
    PlanStatus.ON_HOLD: ("warning", "‖"),
    PlanStatus.COMPLETED: ("success", "✓"),
    PlanStatus.DISCHARGED: ("muted", "■"),
}
GOAL_STATUS = {
    GoalStatus.NOT_MET: ("muted", "○"),
    GoalStatus.PARTIAL: ("warning", "◑"),
    GoalStatus.MET: ("success", "✓"),
}


def goal_status_chip(status: GoalStatus) -> Chip:
    kind, glyph = GOAL_STATUS[status]
    return Chip(f"{glyph} {status.label}", kind)
