"""The US superbill: what a client sends an insurer to be paid back for treatment.

The sections follow the CMS-1500 claim form, and each names its box so the client or the
insurer's clerk can copy it across: 17 referring provider, 21 diagnoses, 24A date of service,
24B place of service, 24D CPT code and modifier, 24E diagnosis pointer, 24F charges,
24G units, 25 tax id, 33 billing provider.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from practice.billing.records import Superbill, SuperbillLine, UnitRule
from practice.clients.records import Client, PracticeProfile
from practice.documents.billing_layout import (
    Column,
    Money,
    Total,
    beside_totals,
    cells,
    figure,
    figures_table,
    signature_line,
    text,
)
from practice.documents.fonts import rich
from practice.documents.layout import (
    GRID,
    Cell,
    build_document,
    client_identity,
    fields,
    heading,
    muted,
    none_reported,
    para,
    side_by_side,
    styles,
)
from practice.documents.lines import TextBlock
from practice.visits.records import PLACES_OF_SERVICE

TITLE = "Superbill"
NO_DIAGNOSES = "No diagnosis on the treatment plan for this period."
UNIT_RULE_NOTES = {
    UnitRule.CMS: (
        "Units: CMS 8-minute rule. The day's timed minutes are added up (8-22 minutes = 1 unit, "
        "23-37 = 2, 38-52 = 3 ...) and the units go to the codes with the most minutes."
    ),
    UnitRule.PER_CODE: (
        "Units: per code. Each code's own minutes make its units (8-22 minutes = 1 unit, "
        "23-37 = 2 ...); a code with fewer than 8 minutes is not billed."
    ),
}

_LABEL = 38 * mm


def superbill_pdf(
    profile: PracticeProfile, client: Client, superbill: Superbill, today: date | None = None
) -> bytes:
    """The superbill for one client's visits in a period, dated `today`."""
    if client.id != superbill.client_id:
        raise ValueError("A superbill is for the client whose visits it lists.")
    today = today or date.today()
    fmt = Money(superbill.currency, profile.locale)
    period = f"Services from {fmt.day(superbill.since)} to {fmt.day(superbill.until)}"
    story: list[Flowable] = [
        Spacer(0, GRID),
        side_by_side(_patient(client, superbill, fmt), _provider(profile)),
        heading("Diagnoses · ICD-10-CM (box 21)"),
        _diagnoses(superbill),
        heading("Services (box 24)"),
        _services(superbill, fmt),
        beside_totals(
            [*_notes(superbill), signature_line(_signer(profile), space_before=GRID)],
            [
                Total("Total charges", fmt(superbill.total_charge), weight=1),
                *(
                    [Total("Sales tax on these charges", fmt(superbill.total_tax))]
                    if superbill.total_tax
                    else []
                ),
                Total("Amount paid", fmt(superbill.total_paid)),
                Total("Balance due", fmt(superbill.balance), weight=2),
            ],
        ),
    ]
    return build_document(
        None,
        profile,
        TITLE,
        story,
        client_line=client_identity(client, profile.locale),
        doc_date=today,
        subtitle=f"{period} · for insurance reimbursement",
    )


def _patient(client: Client, superbill: Superbill, fmt: Money) -> list[Flowable]:
    s = styles()
    rows: list[tuple[str, Cell]] = [
        ("Name", para(client.legal_name, s.strong)),
        ("Date of birth", fmt.day(client.date_of_birth)),
        ("Address", client.address),
        ("Referred by (box 17)", superbill.referring_physician or "No referring provider"),
    ]
    if superbill.referring_physician_npi.strip():
        rows.append(("Referrer NPI (17b)", superbill.referring_physician_npi))
    return [_block_title("Patient"), fields(rows, label_width=_LABEL)]


def _provider(profile: PracticeProfile) -> list[Flowable]:
    s = styles()
    name = ", ".join(p for p in (profile.therapist_name, profile.credentials) if p.strip())
    rows: list[tuple[str, Cell]] = [
        ("Name (box 33)", para(name, s.strong)),
        ("NPI (box 33a)", profile.npi),
        ("Tax ID, TIN (box 25)", profile.tax_id),
        ("Address", profile.address),
    ]
    if profile.registration_number.strip():
        rows.insert(3, ("Licence no.", profile.registration_number))
    return [_block_title("Provider"), fields(rows, label_width=_LABEL)]


def _block_title(title: str) -> Paragraph:
    return TextBlock(title, styles().heading)


def _diagnoses(superbill: Superbill) -> Flowable:
    if not superbill.diagnoses:
        return none_reported(NO_DIAGNOSES)
    rows: list[list[Cell]] = [
        [Paragraph(f"<b>{d.letter}</b>", cells().text), text(d.code), text(d.description)]
        for d in superbill.diagnoses
    ]
    return figures_table(
        [Column("Pointer", 16 * mm), Column("ICD-10-CM", 24 * mm), Column("Description", "*")],
        rows,
    )


def _services(superbill: Superbill, fmt: Money) -> Flowable:
    rows = [_service_row(line, fmt) for line in superbill.lines]
    if not rows:
        return none_reported("No completed visits in this period.")
    return figures_table(
        [
            Column("Date\n24A", 22 * mm),
            Column("POS\n24B", 12 * mm),
            Column("CPT\n24D", 14 * mm),
            Column("Modifier\n24D", 16 * mm),
            Column("Service", "*"),
            Column("Pointer\n24E", 16 * mm),
            Column("Units\n24G", 13 * mm, numeric=True),
            Column("Charge\n24F", 24 * mm, numeric=True),
        ],
        rows,
    )


def _service_row(line: SuperbillLine, fmt: Money) -> list[Cell]:
    service = rich(line.description)
    if line.minutes:
        service += muted(f"{' · ' if service else ''}{line.minutes} min")
    return [
        text(fmt.day(line.service_date)),
        text(line.place_of_service),
        text(line.cpt),
        text(line.modifier),
        Paragraph(service, cells().text),
        text(line.pointer_letters),
        figure(str(line.units)),
        figure(fmt(line.charge)),
    ]


def _notes(superbill: Superbill) -> list[Flowable]:
    small = styles().small
    places = sorted({line.place_of_service for line in superbill.lines})
    where = ", ".join(f"{p} = {PLACES_OF_SERVICE.get(p, 'other')}" for p in places)
    notes = [
        f"{UNIT_RULE_NOTES[superbill.unit_rule]} POS {where}."
        if where
        else UNIT_RULE_NOTES[superbill.unit_rule]
    ]
    notes += dict.fromkeys(superbill.warnings)
    return [TextBlock(note, small) for note in notes]


def _signer(profile: PracticeProfile) -> str:
    name = ", ".join(p for p in (profile.therapist_name, profile.credentials) if p.strip())
    return f"Signature of {name}"
