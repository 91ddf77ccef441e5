"""What the visit note shows of the client's plan: its summary line and the planned lines."""

from __future__ import annotations

from datetime import date

from practice.bodymap.atlas import load_atlas
from practice.plans.records import Plan, PlannedTechnique
from practice.plans.trigger_points import load_catalogue
from ui.widgets import dates


def plan_summary(plan: Plan, number: int, day: date) -> str:
    """'Plan: 1 visit a week for 6 weeks · visit 4 of 6 · re-evaluate 2026-12-01'."""
    parts = [f"Plan: {plan.frequency_text}"]
    if day < plan.start_date:
        parts.append(f"starts {dates.day(plan.start_date)}")
    elif day > plan.end_date:
        parts.append(f"ended {dates.day(plan.end_date)}")
    else:
        parts.append(f"visit {number} of {plan.planned_visits}")
    if plan.reevaluation_date is not None:
        parts.append(f"re-evaluate {dates.day(plan.reevaluation_date)}")
    return " · ".join(parts)


def planned_regions(line: PlannedTechnique) -> tuple[str, ...]:
    """The line's regions; for a line planned on a muscle alone, where its trigger points lie."""
    if line.regions or not line.muscle or line.muscle not in load_catalogue():
        return line.regions
    muscle = load_catalogue().muscle(line.muscle)
    return tuple(dict.fromkeys(p.region for p in muscle.trigger_points))


def planned_notes(line: PlannedTechnique) -> str:
    muscle = ""
    if line.muscle and line.muscle in load_catalogue():
        muscle = load_catalogue().muscle(line.muscle).label
    return "; ".join(part for part in (muscle, line.notes) if part)


def planned_text(line: PlannedTechnique) -> str:
    """A menu entry: 'Trigger point therapy · Right upper trapezius · 10 min · pressure 4'."""
    where = planned_notes(line).split("; ")[0] if line.muscle else ""
    if not where and line.regions:
        names = [load_atlas().region(r).name for r in line.regions if r in load_atlas()]
        where = ", ".join(names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "")
    parts = [line.name, where, f"{line.minutes} min", f"pressure {line.pressure}"]
    return "  ·  ".join(p for p in parts if p)
