"""A signed note as read-only text: the note as signed, its treatment log, then its amendments."""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtWidgets import QSizePolicy, QTextBrowser, QWidget

from practice.visits.records import (
    PLACES_OF_SERVICE,
    PRESSURE_LABELS,
    SoapNote,
    TreatmentEntry,
    VisitRecord,
)
from ui import theme
from ui.visits.entries import POSITION_LABELS, SIDE_LABELS, STATE_LABELS
from ui.visits.history_model import local_time
from ui.visits.regions import describe

LABEL_WIDTH = 160  # px: the values of every section line up
TENDERNESS = {
    0: "0 · none",
    1: "I · tender, no grimace",
    2: "II · grimace or flinch",
    3: "III · withdrawal (jump sign)",
    4: "IV · withdrawal to a non-noxious stimulus",
}
# The note's fields under their SOAP heading, in the order the editor and this view show them.
SUBJECTIVE = (
    ("complaint", "Complaint"),
    ("pain_before", "Pain before"),
    ("changes_since_last", "Since last visit"),
    ("sleep", "Sleep"),
    ("stress", "Stress"),
    ("medication_changes", "Medication changes"),
    ("goals_today", "Goals today"),
)
OBJECTIVE = (
    ("posture", "Posture and gait"),
    ("tone", "Tone"),
    ("texture", "Texture and temperature"),
    ("taut_bands", "Taut bands"),
    ("tenderness_grade", "Tenderness"),
    ("range_of_motion", "Range of motion"),
)
ASSESSMENT = (
    ("response", "Response"),
    ("pain_after", "Pain after"),
    ("released", "Released"),
    ("not_released", "Not released"),
)
PLAN = (
    ("next_focus", "Next focus"),
    ("frequency", "Frequency"),
    ("home_care", "Home care"),
    ("referrals", "Referrals"),
    ("re_evaluation_on", "Re-evaluate on"),
)


def place_label(code: str) -> str:
    return f"{PLACES_OF_SERVICE.get(code, 'Unknown')} ({code})"


def _value(note: SoapNote, name: str) -> str:
    value = getattr(note, name)
    if value is None or value == "":
        return ""
    if name in ("pain_before", "pain_after"):
        return f"{value} / 10 (NRS)"
    if name == "tenderness_grade":
        return TENDERNESS.get(value, str(value))
    return str(value)


def _fields(note: SoapNote, fields: tuple[tuple[str, str], ...]) -> str:
    rows = [
        f"<tr><td class='k' width='{LABEL_WIDTH}'>{escape(label)}</td>"
        f"<td>{_text(_value(note, name))}</td></tr>"
        for name, label in fields
        if _value(note, name)
    ]
    return f"<table>{''.join(rows)}</table>" if rows else "<p class='m'>Nothing recorded.</p>"


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def _trigger_points(note: SoapNote) -> str:
    if not note.trigger_points:
        return ""
    items = "".join(
        f"<li>{escape(p.muscle)}, {SIDE_LABELS.get(p.side, p.side).lower()}, "
        f"{STATE_LABELS[p.state].lower()}{escape(f': {p.note}' if p.note else '')}</li>"
        for p in note.trigger_points
    )
    return f"<p class='k'>Trigger points</p><ul>{items}</ul>"


def _treatments(record: VisitRecord) -> str:
    if not record.treatments:
        return "<p class='m'>No treatment logged.</p>"
    rows = "".join(_treatment_row(entry) for entry in record.treatments)
    total = (
        f"<p class='m'>{record.treatment_minutes} of {record.visit.duration_minutes} minutes.</p>"
    )
    head = (
        "<tr><th>Technique</th><th>Regions</th><th class='n'>Min</th><th>Pressure</th>"
        "<th>Position</th></tr>"
    )
    return f"<table class='log' width='100%'>{head}{rows}</table>{total}"


def _treatment_row(entry: TreatmentEntry) -> str:
    extra = []
    if entry.notes:
        extra.append(escape(entry.notes))
    extra += [
        f"⚠ Acknowledged {escape(a.title)} ({escape(a.level)}), {escape(a.by)}, {local_time(a.at)}"
        for a in entry.acknowledgements
    ]
    notes = f"<br><span class='m'>{'<br>'.join(extra)}</span>" if extra else ""
    return (
        f"<tr><td>{escape(entry.name)}{notes}</td><td>{escape(describe(entry.regions))}</td>"
        f"<td class='n'>{entry.minutes}</td>"
        f"<td>{entry.pressure} · {PRESSURE_LABELS.get(entry.pressure, '')}</td>"
        f"<td>{POSITION_LABELS[entry.position]}</td></tr>"
    )


def _amendments(record: VisitRecord) -> str:
    if not record.amendments:
        return "<p class='m'>No amendments.</p>"
    return "".join(
        f"<div class='amendment'><p><b>{local_time(a.created_at)}</b> · {escape(a.author)}<br>"
        f"<span class='k'>Reason:</span> {_text(a.reason)}</p><p>{_text(a.text)}</p></div>"
        for a in record.amendments
    )


def _section(title: str, body: str) -> str:
    return f"<h3>{escape(title)}</h3>{body}"


def note_html(record: VisitRecord) -> str:
    c = theme.colours()
    visit = record.visit
    acknowledged = "".join(f"<br>{escape(a.text)}." for a in visit.signing_acknowledgements)
    kept = "imported" if visit.imported else "signed"
    signed = (
        f"{escape(visit.signature_line())}. "
        f"The note below is as {kept}; corrections are the amendments at the end." + acknowledged
        if visit.signed_at
        else "Draft: not signed yet."
    )
    style = (
        f"<style>body {{ color: {c.text}; }} h3 {{ margin: 18px 0 6px 0; font-weight: 600; }}"
        f" td, th {{ padding: 3px 12px 3px 0; vertical-align: top; }}"
        f" th {{ color: {c.muted}; text-align: left; font-weight: 600; }}"
        f" .k {{ color: {c.muted}; }} .m {{ color: {c.muted}; }} .n {{ text-align: right; }}"
        f" .amendment {{ margin-bottom: 12px; }}</style>"
    )
    return "".join(
        (
            style,
            f"<p class='m'>{local_time(visit.starts_at)} · {visit.duration_minutes} minutes · "
            f"{escape(place_label(visit.place_of_service))} · {visit.status.label}<br>{signed}</p>",
            _section("Subjective", _fields(record.note, SUBJECTIVE)),
            _section("Objective", _fields(record.note, OBJECTIVE) + _trigger_points(record.note)),
            _section("Treatment", _treatments(record)),
            _section("Assessment", _fields(record.note, ASSESSMENT)),
            _section("Plan", _fields(record.note, PLAN)),
            _section(f"Amendments ({len(record.amendments)})", _amendments(record)),
        )
    )


class NoteView(QTextBrowser):
    """The read-only note, as tall as its text (the page around it scrolls, the note with the
    visit's chart and measures below it); selectable text, links off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("Final note")
        self.document().setDocumentMargin(16)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)

    def _fit_height(self, size: QSizeF) -> None:
        self.setFixedHeight(math.ceil(size.height()) + 2 * self.frameWidth())

    def show_record(self, record: VisitRecord) -> None:
        self.setHtml(note_html(record))
