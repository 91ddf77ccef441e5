"""The words of a summary: change verdicts, thresholds, and the prefilled narrative fields.

Plain functions over the draft's data, shared by the PDF and the screen preview. The prefilled
assessment, recommendations and adverse events are a starting point the therapist edits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from practice.bodymap.atlas import Atlas
from practice.plans.records import Plan, PlanStatus
from practice.summaries.records import MeasureLine, SummaryDraft
from practice.visits import measures
from practice.visits.measures import Measure

MINUS = "\u2013"  # en dash: the embedded font has no U+2212 minus sign
NO_VISITS = "No visits in this period yet: nothing to assess."
ONE_VISIT = "Only one visit so far: no change to report."
NO_REACTIONS = "No adverse events or reactions were recorded in the visit notes for this period."

# Words in a note that suggest a reaction to treatment (soreness, bruising, a flare-up ...).
_REACTION = re.compile(
    r"\b(sore|soreness|bruis\w*|reaction|flare[sd]?|flared|dizz\w*|nause\w*|faint\w*|"
    r"swell\w*|swollen|rash|numb\w*|tingl\w*|worse|aggravat\w*|headache after)\b",
    re.IGNORECASE,
)
_MAX_REACTIONS = 6

_SHORT_SOURCE = {
    measures.FARRAR_2001: "Farrar 2001",
    measures.STRATFORD_1995: "Stratford 1995",
    measures.SLEEP_NRS: "NRS guide, Farrar 2001",
    measures.HEADACHE_RESPONDER: "trial responder rate, a guide",
    measures.THERAPIST_MCID: "set by the therapist",
}


@dataclass(frozen=True, slots=True)
class NoteText:
    """A piece of a visit note written after treatment, with its visit's date."""

    day: date
    text: str


# ---------------------------------------------------------------- numbers in words


def number(value: float, unit: str = "") -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def signed(value: float, unit: str = "") -> str:
    """'+2', '–1.5', '0': the sign printable in the document font."""
    text = number(abs(value), unit)
    if abs(value) < 0.05:
        return number(0, unit)
    return f"+{text}" if value > 0 else f"{MINUS}{text}"


def threshold_text(measure: Measure) -> str:
    """The change that counts, with its source: '2 points or 30% (Farrar 2001)'."""
    parts = []
    if measure.mcid_points is not None:
        parts.append(f"{number(measure.mcid_points)} pts")
    if measure.mcid_percent is not None:
        parts.append(f"{number(measure.mcid_percent)}%")
    if not parts:
        return ""
    source = _SHORT_SOURCE.get(measure.source, "")
    return " or ".join(parts) + (f" ({source})" if source else "")


def change_text(line: MeasureLine) -> str:
    """'–3 points (–43%)', or '' when there is only one score."""
    if line.single:
        return ""
    if line.unit == "%":
        return f"{signed(line.delta)} points"
    unit = line.unit or "points"
    if abs(abs(line.delta) - 1) < 0.05:
        unit = unit.removesuffix("s")
    points = f"{signed(line.delta)} {unit}"
    if line.percent is None:
        return points
    return f"{points} ({signed(round(line.percent))}%)"


def verdict_text(line: MeasureLine) -> str:
    """Whether the change matters clinically, in words a physician reads at a glance."""
    if line.single:
        return "One score only: no change yet"
    if line.direction == measures.Direction.UNCHANGED:
        return "No change"
    better = line.direction == measures.Direction.IMPROVED
    if line.meaningful is None:
        return "Improved (no published threshold)" if better else "Worse (no published threshold)"
    if line.meaningful:
        return "Clinically meaningful improvement" if better else "Clinically meaningful worsening"
    return "Improved, below the MCID" if better else "Worse, below the MCID"


def verdict_short(line: MeasureLine) -> str:
    """The verdict for a table column: 'Yes, better', 'No, below the MCID' ..."""
    if line.single:
        return "One score only"
    if line.direction == measures.Direction.UNCHANGED:
        return "No change"
    better = line.direction == measures.Direction.IMPROVED
    if line.meaningful is None:
        return "Not judged" + (", better" if better else ", worse")
    if line.meaningful:
        return "Yes, better" if better else "Yes, worse"
    return "No, " + ("better" if better else "worse") + " by less"


def visit_days(days: Sequence[date]) -> str:
    """Visit dates grouped by month: 'Jul 10, 17, 24 2026; Aug 14, 21 2026'."""
    months: dict[tuple[int, int], list[date]] = {}
    for day in days:
        months.setdefault((day.year, day.month), []).append(day)
    return "; ".join(
        f"{group[0]:%b} {', '.join(str(d.day) for d in group)} {year}"
        for (year, _month), group in months.items()
    )


# ---------------------------------------------------------------- regions


def region_names(atlas: Atlas, codes: Sequence[str]) -> tuple[str, ...]:
    """Atlas region names in the given order, a left and right pair read as one ('both sides')."""
    names = [atlas.region(c).name if c in atlas else c for c in codes]
    sides: dict[str, set[str]] = {}
    for name in names:
        side, rest = _side(name)
        if side:
            sides.setdefault(rest, set()).add(side)
    result: list[str] = []
    for name in names:
        side, rest = _side(name)
        merged = f"{rest[:1].upper()}{rest[1:]}, both sides"
        if side and len(sides[rest]) == 2:
            if merged not in result:
                result.append(merged)
        else:
            result.append(name)
    return tuple(result)


def _side(name: str) -> tuple[str, str]:
    for side in ("Right ", "Left "):
        if name.startswith(side):
            return side.strip(), name[len(side) :]
    return "", name


# ---------------------------------------------------------------- the prefilled narrative


def prefilled(draft: SummaryDraft, notes: Sequence[NoteText], plan: Plan | None) -> SummaryDraft:
    return replace(
        draft,
        assessment=assessment(draft),
        recommendations=recommendations(draft, plan),
        adverse_events=adverse_events(draft, notes),
    )


def assessment(draft: SummaryDraft) -> str:
    """A few sentences on what changed, from the numbers."""
    done = draft.completed_visits
    if not done:
        return NO_VISITS
    if len(done) == 1:
        return ONE_VISIT
    sentences = []
    for line in draft.measures:
        if line.single:
            continue
        verdict = verdict_text(line)
        verdict = verdict[:1].lower() + verdict[1:]
        unit = "" if line.unit in ("", "days") else line.unit
        sentences.append(
            f"{line.name} went from {number(line.baseline, unit)} to "
            f"{number(line.latest, unit)}, {change_text(line)}: {verdict}."
        )
    first, latest = draft.first_chart, draft.latest_chart
    if first is not None and latest is not None:
        sentences.append(
            f"Pain on the body chart covered {number(first.extent_percent)}% of the body in "
            f"{first.region_count} regions at the start and {number(latest.extent_percent)}% "
            f"in {latest.region_count} regions now."
        )
    if draft.goals:
        met = sum(1 for g in draft.goals if g.status == "Met")
        partial = sum(1 for g in draft.goals if g.status == "Partially met")
        sentences.append(f"Goals: {met} of {len(draft.goals)} met, {partial} partially met.")
    if not sentences:
        sentences.append("No outcome measures were scored twice in this period.")
    return " ".join(sentences)


def recommendations(draft: SummaryDraft, plan: Plan | None) -> str:
    if plan is not None and plan.status.closed:
        word = "completed" if plan.status is PlanStatus.COMPLETED else "discharged"
        return (
            f"Treatment plan {word}. Continue the home care program; re-refer if symptoms return."
        )
    if plan is None:
        return ""
    done, planned = len(draft.completed_visits), plan.planned_visits
    parts = [
        f"Continue treatment as planned ({plan.frequency_text}); {done} of {planned} "
        f"planned visits done, the plan runs to {plan.end_date.isoformat()}."
    ]
    if plan.reevaluation_date is not None:
        parts.append(f"Re-evaluation planned for {plan.reevaluation_date.isoformat()}.")
    return " ".join(parts)


def adverse_events(draft: SummaryDraft, notes: Sequence[NoteText]) -> str:
    """Pain worse right after a visit, and note sentences that mention a reaction, dated."""
    found: list[str] = []
    for visit in draft.completed_visits:
        if (
            visit.pain_before is not None
            and visit.pain_after is not None
            and visit.pain_after > visit.pain_before
        ):
            found.append(
                f"{visit.day.isoformat()}: pain higher after treatment "
                f"({visit.pain_before} to {visit.pain_after})."
            )
    for note in notes:
        for sentence in re.split(r"(?<=[.;!?])\s+|\n+", note.text):
            if _REACTION.search(sentence):
                found.append(f"{note.day.isoformat()}: {sentence.strip()}")
    if not found:
        return NO_REACTIONS if draft.completed_visits else ""
    more = len(found) - _MAX_REACTIONS
    kept = found[:_MAX_REACTIONS] + (
        [f"... and {more} more in the visit notes."] if more > 0 else []
    )
    return "\n".join(kept)
