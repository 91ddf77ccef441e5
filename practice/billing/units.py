"""Billable 15-minute units for the timed codes of one day of service (DOMAIN.md section 7).

CMS (Medicare Claims Processing Manual, Pub. 100-04, chapter 5, section 20.2): add up the
day's timed minutes, turn the total into units with the 8-minute rule, then give each code its
full 15-minute units and hand the units left over to the codes with the most minutes left,
so the codes with the most minutes get units first. Some payers instead apply the 8-minute
midpoint to each code on its own (`UnitRule.PER_CODE`).
"""

from __future__ import annotations

from collections.abc import Mapping

from practice.billing.records import UnitRule
from practice.visits.measures import timed_units


def allot_units(
    minutes_by_code: Mapping[str, int], rule: UnitRule = UnitRule.CMS
) -> dict[str, int]:
    """Units per code, in the order given; codes that earn no unit get 0."""
    if any(m < 0 for m in minutes_by_code.values()):
        raise ValueError("minutes cannot be negative")
    if rule is UnitRule.PER_CODE:
        return {code: timed_units(minutes) for code, minutes in minutes_by_code.items()}
    order = list(minutes_by_code)
    total = timed_units(sum(minutes_by_code.values()))
    units = {code: minutes // 15 for code, minutes in minutes_by_code.items()}
    left = total - sum(units.values())
    # Leftover units go by the minutes each code has left over, then by its total minutes,
    # then in the order given (CMS: "either code" when they tie).
    ranked = sorted(
        order,
        key=lambda c: (-(minutes_by_code[c] % 15), -minutes_by_code[c], order.index(c)),
    )
    for code in ranked[:left]:  # left >= 0: full quarters never exceed the rounded total
        units[code] += 1
    return units
