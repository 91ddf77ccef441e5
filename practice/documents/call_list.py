"""The printable call list: clients to phone with a reminder, for those without email."""

from __future__ import annotations

from reportlab.lib.units import mm

from practice.clients.records import PracticeProfile
from practice.dates import format_time
from practice.documents.layout import (
    Cell,
    build_document,
    data_table,
    format_date,
    para,
    section,
    styles,
)
from practice.schedule.records import zone_info
from practice.schedule.reminders import CallList

TITLE = "Reminder calls"


def call_list_pdf(profile: PracticeProfile, calls: CallList) -> bytes:
    """One line per call: the appointment, the client, the number, and room to tick it off.

    No clinical detail: what a reminder says (when, where, the policy) and nothing more.
    """
    locale = profile.locale
    zone = zone_info(calls.time_zone)
    rows: list[list[Cell]] = []
    for call in calls.calls:
        local = call.for_starts_at.astimezone(zone).replace(tzinfo=None)
        when = f"{format_date(local.date(), locale)} {format_time(local, locale)}"
        rows.append([when, call.client_name, call.to_address, ""])
    story = [
        para(f"Policy to mention: {calls.policy}", styles().muted),
        *section(f"Calls to make ({len(rows)})"),
    ]
    if rows:
        story.append(
            data_table(
                ["Appointment", "Client", "Phone", "Called / note"],
                rows,
                [38 * mm, 50 * mm, 38 * mm, "*"],
            )
        )
    else:
        story.append(para("No calls to make: every reminder went by email.", styles().muted))
    return build_document(
        None, profile, TITLE, story, doc_date=calls.made_on, subtitle=f"{len(rows)} calls"
    )
