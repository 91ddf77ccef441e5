"""One visit note on paper: SOAP, the treatment log, amendments under the note, signature.

A note not yet signed prints with a DRAFT mark across every page and in its title, so it is
never mistaken for the signed record.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from practice.bodymap.atlas import load_atlas
from practice.clients.records import Client, PracticeProfile
from practice.documents.fonts import rich
from practice.documents.layout import (
    GRID,
    Cell,
    build_document,
    client_identity,
    data_table,
    fields,
    format_date,
    none_reported,
    para,
    plain_table,
    section,
    styles,
)
from practice.summaries.narrative import region_names
from practice.visits.records import (
    PLACES_OF_SERVICE,
    PRESSURE_LABELS,
    Amendment,
    SoapNote,
    VisitRecord,
)

TITLE = "Visit note"
IMPORTED_TITLE = "Visit note: imported, not signed in Fascia"
DRAFT_TITLE = "Visit note: DRAFT, not signed"
DRAFT_MARK = "DRAFT"
_LABEL = 38 * mm
LONG_TEXT = 600  # characters: longer values leave the label column and flow across pages


def visit_note_pdf(profile: PracticeProfile, client: Client, record: VisitRecord) -> bytes:
    visit = record.visit
    locale = profile.locale
    signed = visit.signed
    title = IMPORTED_TITLE if visit.imported else TITLE if signed else DRAFT_TITLE
    when = visit.starts_at.astimezone()
    place = PLACES_OF_SERVICE.get(visit.place_of_service, visit.place_of_service)
    subtitle = (
        f"{client_identity(client, locale)} · {when:%H:%M}, {visit.duration_minutes} min · "
        f"{place} · {visit.status.label}"
    )
    note = record.note
    story: list[Flowable] = [
        *section("Subjective"),
        *_fields(
            [
                ("Complaint", note.complaint),
                ("Pain before (NRS)", _score(note.pain_before)),
                ("Since last visit", note.changes_since_last),
                ("Sleep", note.sleep),
                ("Stress", note.stress),
                ("Medication changes", note.medication_changes),
                ("Goals today", note.goals_today),
            ]
        ),
        *section("Objective"),
        *_fields(
            [
                ("Posture", note.posture),
                ("Tone", note.tone),
                ("Texture", note.texture),
                ("Taut bands", note.taut_bands),
                ("Tenderness grade", _grade(note)),
                ("Trigger points", _trigger_points(note)),
                ("Range of motion", note.range_of_motion),
            ]
        ),
        *section("Treatment"),
        _treatments(record),
        *section("Assessment"),
        *_fields(
            [
                ("Response", note.response),
                ("Pain after (NRS)", _score(note.pain_after)),
                ("Released", note.released),
                ("Not released", note.not_released),
            ]
        ),
        *section("Plan"),
        *_fields(
            [
                ("Next focus", note.next_focus),
                ("Frequency", note.frequency),
                ("Home care", note.home_care),
                ("Referrals", note.referrals),
                (
                    "Re-evaluation",
                    format_date(note.re_evaluation_on, locale) if note.re_evaluation_on else "",
                ),
            ]
        ),
        *_amendments(record.amendments, locale),
        _signature(record, profile, locale),
    ]
    data = build_document(
        None,
        profile,
        title,
        story,
        client_line=client_identity(client, locale) + ("" if signed else f" · {DRAFT_MARK}"),
        doc_date=visit.day,
        subtitle=subtitle,
        watermark="" if signed else DRAFT_MARK,
    )
    return data


def _fields(rows: Sequence[tuple[str, str]]) -> list[Flowable]:
    """Label and value rows; a long value gets the full width so it can run across pages."""
    block: list[Flowable] = []
    short: list[tuple[str, Cell]] = []
    for label, value in rows:
        if len(value) <= LONG_TEXT:
            short.append((label, value))
            continue
        if short:
            block.append(fields(short, label_width=_LABEL, empty="–"))
            short = []
        block += [para(label, styles().label), para(value), Spacer(0, GRID / 2)]
    if short:
        block.append(fields(short, label_width=_LABEL, empty="–"))
    return block


def _score(value: int | None) -> str:
    return f"{value} / 10" if value is not None else ""


def _grade(note: SoapNote) -> str:
    grades = ("0", "I", "II", "III", "IV")
    return grades[note.tenderness_grade] if note.tenderness_grade is not None else ""


def _trigger_points(note: SoapNote) -> str:
    return "\n".join(
        " ".join(
            p
            for p in (
                tp.muscle,
                f"({tp.side})" if tp.side else "",
                tp.state.value,
                f"– {tp.note}" if tp.note else "",
            )
            if p
        )
        for tp in note.trigger_points
    )


def _treatments(record: VisitRecord) -> Flowable:
    if not record.treatments:
        return none_reported("No treatment recorded.")
    atlas = load_atlas()
    rows: list[list[Cell]] = [
        [
            t.name,
            "; ".join(region_names(atlas, t.regions)),
            PRESSURE_LABELS.get(t.pressure, str(t.pressure)),
            t.position.value.replace("_", " "),
            str(t.minutes),
            t.notes,
        ]
        for t in record.treatments
    ]
    total = record.treatment_minutes
    rows.append(
        [
            Paragraph("Total", styles().strong),
            "",
            "",
            "",
            Paragraph(str(total), styles().strong),
            "",
        ]
    )
    return data_table(
        ["Technique", "Regions", "Pressure", "Position", "Min", "Notes"],
        rows,
        [42 * mm, 42 * mm, 20 * mm, 20 * mm, 10 * mm, "*"],
    )


def _amendments(amendments: Sequence[Amendment], locale: str) -> list[Flowable]:
    if not amendments:
        return []
    block: list[Flowable] = [*section("Amendments")]
    for a in amendments:
        when = a.created_at.astimezone()
        heading = f"{format_date(when.date(), locale)} {when:%H:%M} · {a.author} · {a.reason}"
        block.append(
            KeepTogether(
                [
                    para(heading, styles().muted),
                    para(a.text),
                    Spacer(0, GRID),
                ]
            )
        )
    return block


def _signature(record: VisitRecord, profile: PracticeProfile, locale: str) -> Flowable:
    s = styles()
    visit = record.visit
    name = ", ".join(p for p in (profile.therapist_name, profile.credentials) if p.strip())
    if visit.signed_at is not None:
        words: list[Flowable] = [para(visit.signature_line(locale), s.strong)]
        words += [para(a.text, s.muted) for a in visit.signing_acknowledgements]
        if visit.imported is not None:  # no signature rule, no name under it: nobody signed
            return KeepTogether([Spacer(0, 3 * GRID), *words])
    else:
        words = [
            Paragraph(
                rich("DRAFT: this note is not signed and may still change."),
                s.strong.clone("draft_note", textColor=colors.Color(0.66, 0.12, 0.12)),
            )
        ]
        registration = profile.registration_number.strip()
        words.append(para(name + (f" · Reg. no. {registration}" if registration else ""), s.muted))
    return KeepTogether(
        [
            Spacer(0, 3 * GRID),
            plain_table([[""]], [80 * mm], [("LINEABOVE", (0, 0), (0, 0), 0.6, colors.black)]),
            *words,
        ]
    )


__all__ = ["DRAFT_MARK", "visit_note_pdf"]
