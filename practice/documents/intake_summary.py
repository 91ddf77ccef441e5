"""The intake and health history printout: who the client is, what they reported, what it means."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from practice.clients.intake import (
    CONDITION_BY_CODE,
    CONDITIONS,
    CancerStatus,
    ConditionGroup,
    ConditionInfo,
    IntakeData,
    MedicationFlag,
    Surgery,
)
from practice.clients.records import Client, Intake, Physician, PracticeProfile
from practice.clients.rules import Alert, AlertLevel, evaluate
from practice.documents.fonts import rich
from practice.documents.layout import (
    GRID,
    NONE_REPORTED,
    RULE,
    Cell,
    build_document,
    client_identity,
    data_table,
    fields,
    format_date,
    heading,
    muted,
    none_reported,
    para,
    plain_table,
    section,
    side_by_side,
    styles,
)
from practice.documents.lines import TextBlock

TITLE = "Intake and health history"
_LABEL = 32 * mm  # label column of the half-width blocks, so their values line up

LEVEL_MEANING = {
    AlertLevel.BLOCK: "No treatment today",
    AlertLevel.LOCAL: "Avoid an area",
    AlertLevel.WARN_DEEP: "No deep work",
    AlertLevel.CAUTION: "Take care",
    AlertLevel.NOTE: "Keep in mind",
}

# Colour is a second cue only: the level word and the border weight say the same in grey.
_LEVEL_COLOUR = {
    AlertLevel.BLOCK: colors.Color(0.70, 0.09, 0.09),
    AlertLevel.LOCAL: colors.Color(0.78, 0.36, 0.0),
    AlertLevel.WARN_DEEP: colors.Color(0.78, 0.36, 0.0),
    AlertLevel.CAUTION: colors.Color(0.45, 0.45, 0.45),
    AlertLevel.NOTE: colors.Color(0.45, 0.45, 0.45),
}

_CANCER = {
    CancerStatus.HISTORY: "Past cancer, treatment finished",
    CancerStatus.ACTIVE: "Cancer in active treatment",
    CancerStatus.BONE_METASTASIS: "Cancer with bone metastasis",
}


def intake_summary_pdf(
    profile: PracticeProfile,
    client: Client,
    intake: Intake | IntakeData,
    physician: Physician | None = None,
    today: date | None = None,
) -> bytes:
    """The printable intake: identity, contacts, alerts, health history and preferences."""
    today = today or date.today()
    data = intake.data if isinstance(intake, Intake) else intake
    locale = profile.locale
    recorded = f"Intake recorded {format_date(data.recorded_on, locale)}"
    if isinstance(intake, Intake) and intake.created_by.strip():
        recorded += f" by {intake.created_by.strip()}"
    story: list[Flowable] = [
        *section("Client"),
        _client_fields(client, today, locale),
        _contacts(client, physician),
        *section("Contraindication alerts"),
        *alert_flowables(evaluate(data, today)),
        *section("Conditions"),
        _conditions(data),
        *section("Medications and supplements"),
        _medications(data),
        *section("Surgeries and hospital stays"),
        _surgeries(data, locale),
        *section("Allergies and other health information"),
        _other_health(data),
        *section("Treatment preferences"),
        _preferences(data),
        *section("Notes"),
        para(data.other_notes, empty=NONE_REPORTED),
    ]
    return build_document(
        None,
        profile,
        TITLE,
        story,
        client_line=client_identity(client, locale),
        doc_date=today,
        subtitle=recorded,
    )


def alert_flowables(alerts: Sequence[Alert]) -> list[Flowable]:
    """A bordered box per alert level, the most serious first; the level word leads each box."""
    if not alerts:
        return [none_reported("No alerts from the contraindication rules")]
    boxes: list[Flowable] = []
    for level in AlertLevel:
        found = [alert for alert in alerts if alert.level is level]
        if found:
            boxes += [_level_box(level, found), Spacer(0, GRID)]
    return boxes[:-1]


def _level_box(level: AlertLevel, alerts: list[Alert]) -> Table:
    s = styles()
    colour = _LEVEL_COLOUR[level]
    # The level word is repeated on every row so an alert carried to a new page keeps it.
    rows: list[list[Cell]] = []
    for index, alert in enumerate(alerts):
        word: list[Flowable] = [Paragraph(f"<b>{rich(level.value)}</b>", s.body)]
        if index == 0:
            word.append(TextBlock(LEVEL_MEANING[level], s.small))
        rows.append([word, _alert_text(alert)])
    return plain_table(
        rows,
        [30 * mm, "*"],
        [
            ("BOX", (0, 0), (-1, -1), 1.5 if level is AlertLevel.BLOCK else 0.75, colour),
            ("LINEAFTER", (0, 0), (0, -1), 0.5, colour),
            ("LINEBELOW", (1, 0), (1, -2), 0.25, RULE),
            ("BACKGROUND", (0, 0), (0, -1), _tint(colour)),
            ("LEFTPADDING", (0, 0), (-1, -1), GRID),
            ("RIGHTPADDING", (0, 0), (-1, -1), GRID),
            ("TOPPADDING", (0, 0), (-1, -1), GRID / 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), GRID * 0.75),
        ],
    )


def _tint(colour: colors.Color) -> colors.Color:
    """A wash of the level colour, light enough to vanish on a black-and-white printer."""
    return colors.Color(*(c + (1 - c) * 0.92 for c in (colour.red, colour.green, colour.blue)))


_INLINE_DETAIL = 400  # characters of detail that share the title's line; longer runs below it


def _alert_text(alert: Alert) -> list[Flowable]:
    """Title and detail, what to do, and why. A long detail (allergies typed at length, say)
    gets lines of its own, which split across pages in time linear in its length, where
    one rich paragraph would be broken again for every page it runs over."""
    s = styles()
    headline = f"<b>{rich(alert.title)}</b>"
    detail = alert.detail.strip()
    below: list[Flowable] = []
    if detail and len(detail) <= _INLINE_DETAIL:
        headline += f" · {rich(alert.detail)}"
    elif detail:
        below.append(TextBlock(alert.detail, s.body))
    return [
        Paragraph(headline, s.body),
        *below,
        Paragraph(f"{muted('What to do:')} {rich(alert.action)}", s.body),
        TextBlock(alert.why, s.small),
    ]


def _client_fields(client: Client, today: date, locale: str) -> Table:
    born = ""
    if client.date_of_birth is not None:
        born = f"{format_date(client.date_of_birth, locale)} (age {client.age_on(today)})"
    left: list[tuple[str, Cell]] = [("Name", client.legal_name)]
    if client.preferred_name.strip() and client.preferred_name != client.given_name:
        left.append(("Preferred name", client.preferred_name))
    left += [("Date of birth", born), ("Sex", client.sex)]
    if client.pronouns.strip():
        left.append(("Pronouns", client.pronouns))
    left += [("Occupation", client.occupation), ("Referred by", client.referral_source)]
    right: list[tuple[str, Cell]] = [("Mobile phone", client.phone_mobile)]
    if client.phone_other.strip():
        right.append(("Other phone", client.phone_other))
    right += [("Email", client.email), ("Address", client.address)]
    if client.found_us.strip():
        right.append(("Found us through", client.found_us))
    return side_by_side(fields(left, label_width=_LABEL), fields(right, label_width=_LABEL))


def _contacts(client: Client, physician: Physician | None) -> Table:
    emergency = [
        ("Name", client.emergency_contact_name),
        ("Relationship", client.emergency_contact_relation),
        ("Phone", client.emergency_contact_phone),
    ]
    doctor: list[tuple[str, Cell]] = []
    if physician is not None:
        doctor = [("Name", physician.name)]
        doctor += [
            (label, value)
            for label, value in (
                ("Clinic", physician.clinic),
                ("Specialty", physician.specialty),
                ("Phone", physician.phone),
                ("Fax", physician.fax),
                ("Email", physician.email),
                ("Address", physician.address),
            )
            if value.strip()
        ]
    has_emergency = any(value.strip() for _, value in emergency)
    return side_by_side(
        [
            heading("Emergency contact"),
            fields(emergency, label_width=_LABEL) if has_emergency else none_reported(),
        ],
        [heading("Physician"), fields(doctor, label_width=_LABEL) if doctor else none_reported()],
        space_before=2 * GRID,  # a heading's own space is lost at the top of a table cell
    )


def _conditions(data: IntakeData) -> Flowable:
    if not data.conditions:
        return none_reported()
    order = {info.code: index for index, info in enumerate(CONDITIONS)}
    groups = list(ConditionGroup)
    ticked = [
        (CONDITION_BY_CODE.get(code) or _unknown_condition(code), detail)
        for code, detail in data.conditions.items()
    ]
    ticked.sort(key=lambda item: (groups.index(item[0].group), order.get(item[0].code, 999)))
    rows: list[list[Cell]] = []
    previous: ConditionGroup | None = None
    for info, detail in ticked:
        group = info.group.value if info.group is not previous else ""
        rows.append([TextBlock(group, styles().muted), info.label, detail])
        previous = info.group
    return data_table(["Area", "Condition", "Details"], rows, [40 * mm, "42%", "*"])


def _unknown_condition(code: str) -> ConditionInfo:
    """A condition code this version does not know, from a newer or older intake form."""
    return ConditionInfo(code, code.replace("_", " ").capitalize(), ConditionGroup.OTHER)


def _medications(data: IntakeData) -> Flowable:
    if not data.medications:
        return none_reported()
    s = styles()
    rows: list[list[Cell]] = []
    for med in data.medications:
        flags = ", ".join(flag.value for flag in MedicationFlag if flag in med.flags)
        rows.append([med.name, TextBlock(flags, s.strong), med.note])
    return data_table(["Name", "Flags", "Note"], rows, ["35%", "25%", "*"])


def _surgeries(data: IntakeData, locale: str) -> Flowable:
    if not data.surgeries:
        return none_reported()
    rows: list[list[Cell]] = []
    for surgery in sorted(data.surgeries, key=_newest_first):
        when = format_date(surgery.on, locale) if surgery.on else "Date not given"
        what = rich(surgery.description or "Not described")
        if surgery.spine:
            what += " " + muted("· spine")
        rows.append([when, Paragraph(what, styles().body)])
    return data_table(["Date", "Surgery or hospital stay"], rows, [36 * mm, "*"])


def _newest_first(surgery: Surgery) -> tuple[int, int]:
    return (surgery.on is None, -(surgery.on.toordinal() if surgery.on else 0))


def _other_health(data: IntakeData) -> Flowable:
    s = styles()
    oils: Cell = None
    if data.oil_or_scent_allergy:
        oils = Paragraph("Allergic: use unscented, allergen-free lubricant", s.strong)
    pregnancy: Cell = none_reported("Not reported")
    if data.pregnant:
        text = "Pregnant"
        if data.pregnancy_weeks is not None:
            text += f", {data.pregnancy_weeks} weeks (trimester {data.trimester})"
        high_risk = "; <b>high risk</b>" if data.high_risk_pregnancy else ""
        pregnancy = Paragraph(rich(text) + high_risk, s.body)
    cancer: Cell = None
    if data.cancer_status is not CancerStatus.NONE:
        markup = f"<b>{rich(_CANCER[data.cancer_status])}</b>"
        details = data.cancer_details.strip()
        if details and len(details) <= _INLINE_DETAIL:
            cancer = Paragraph(f"{markup} · {rich(details)}", s.body)
        elif details:  # long: lines of its own, which split across pages in linear time
            cancer = [Paragraph(markup, s.body), TextBlock(details, s.body)]
        else:
            cancer = Paragraph(markup, s.body)
    return fields(
        [
            ("Allergies", data.allergies),
            ("Oils and scents", oils),
            ("Pregnancy", pregnancy),
            ("Implants", data.implants),
            ("Cancer", cancer),
        ],
        empty=NONE_REPORTED,
    )


def _preferences(data: IntakeData) -> Flowable:
    return fields(
        [
            ("Goals", data.goals),
            ("Focus areas", data.focus_areas),
            ("Areas to avoid", data.areas_to_avoid),
            ("Pressure", data.pressure_preference.value.capitalize()),
            ("Positions not tolerated", data.positions_not_tolerated),
        ],
        empty=NONE_REPORTED,
    )
