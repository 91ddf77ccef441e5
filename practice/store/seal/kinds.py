"""What is sealed: each kind of final record, the rows its content is made of, and its columns.

The columns are listed, not read from the schema, so that a migration adding a column to one of
these tables does not make every sealed record look changed. `tests/practice/store/seal/
test_kinds.py` fails when a table gains a column nobody has decided about: add it here (then
existing seals no longer match, so a migration that adds one re-seals) or to UNSEALED.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Part:
    """Rows of `table` (alias t) belonging to one record, whose id is `owner` (an SQL term)."""

    table: str
    owner: str
    join: str = ""


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    parts: tuple[Part, ...]
    locked_when: str = ""  # SQL over the first part's table: when a row is final
    # (event, WHEN clause) pairs on the first table that make a row due for a seal
    becomes_final: tuple[tuple[str, str], ...] = (("INSERT", ""),)

    @property
    def table(self) -> str:
        return self.parts[0].table

    def final_ids(self) -> str:
        """SQL selecting the ids of this kind's final records."""
        where = f" WHERE {self.locked_when}" if self.locked_when else ""
        return f"SELECT id FROM {self.table}{where}"


def _own(table: str) -> Part:
    return Part(table, "t.id")


def _single(name: str, **extra: object) -> Kind:
    return Kind(name, (_own(name),), **extra)  # type: ignore[arg-type]


_ON_SIGNING = (("INSERT", "NEW.signed_at IS NOT NULL"), ("UPDATE", "NEW.signed_at IS NOT NULL"))
_ON_ISSUE = (("INSERT", "NEW.status != 'draft'"), ("UPDATE", "NEW.status != 'draft'"))

KINDS: tuple[Kind, ...] = (
    Kind(
        "visit",
        (
            _own("visit"),
            Part("soap_note", "t.visit_id"),
            Part("treatment_entry", "t.visit_id"),
            Part("measure_value", "t.visit_id"),
            Part("headache_entry", "t.visit_id"),
        ),
        locked_when="signed_at IS NOT NULL",
        becomes_final=_ON_SIGNING,
    ),
    _single("amendment"),
    _single("body_chart"),
    _single("consent", becomes_final=(("INSERT", ""), ("UPDATE", ""))),
    Kind(
        "invoice",
        (
            _own("invoice"),
            Part("invoice_line", "t.invoice_id"),
            Part("invoice_line_tax", "l.invoice_id", "JOIN invoice_line l ON l.id = t.line_id"),
        ),
        locked_when="status != 'draft'",
        becomes_final=_ON_ISSUE,
    ),
    _single("payment"),
    _single("payment_allocation"),
    _single("refund"),
    _single("receipt"),
    _single("issued_document"),
    _single("audit_entry"),
)

BY_NAME = {kind.name: kind for kind in KINDS}

COLUMNS: dict[str, tuple[str, ...]] = {
    "visit": [
        "id",
        "client_id",
        "starts_at",
        "duration_minutes",
        "place_of_service",
        "status",
        "created_at",
        "created_by",
        "updated_at",
        "signed_at",
        "signed_by",
        "signed_by_id",
        "signing_acknowledgements",
    ],
    "soap_note": [
        "visit_id",
        "complaint",
        "pain_before",
        "changes_since_last",
        "sleep",
        "stress",
        "medication_changes",
        "goals_today",
        "posture",
        "tone",
        "texture",
        "taut_bands",
        "tenderness_grade",
        "trigger_points",
        "range_of_motion",
        "response",
        "pain_after",
        "released",
        "not_released",
        "next_focus",
        "frequency",
        "home_care",
        "referrals",
        "re_evaluation_on",
        "saved_at",
    ],
    "treatment_entry": [
        "id",
        "visit_id",
        "seq",
        "technique_code",
        "technique_name",
        "regions",
        "minutes",
        "pressure",
        "position",
        "notes",
        "deep",
        "acknowledgements",
    ],
    "measure_value": [
        "id",
        "client_id",
        "measure",
        "custom_measure_id",
        "item",
        "value",
        "measured_on",
        "visit_id",
        "created_at",
        "created_by",
    ],
    "headache_entry": [
        "id",
        "client_id",
        "occurred_on",
        "duration_hours",
        "intensity",
        "medication_taken",
        "medication",
        "notes",
        "created_at",
        "visit_id",
    ],
    "body_chart": [
        "id",
        "client_id",
        "visit_id",
        "charted_on",
        "source",
        "note",
        "data",
        "extent_percent",
        "region_count",
        "wpi",
        "max_intensity",
        "created_at",
        "updated_at",
        "supersedes_id",
    ],
    "amendment": ["id", "visit_id", "created_at", "author", "reason", "text", "author_id"],
    "consent": [
        "id",
        "client_id",
        "form_id",
        "signed_at",
        "signer_name",
        "guardian_name",
        "guardian_relation",
        "sensitive_areas",
        "withdrawn_at",
        "withdrawn_reason",
        "recorded_by",
    ],
    "invoice": [
        "id",
        "kind",
        "client_id",
        "number",
        "status",
        "created_on",
        "issued_on",
        "issued_at",
        "due_on",
        "currency",
        "notes",
        "terms",
        "subtotal_cents",
        "discount_cents",
        "tax_cents",
        "total_cents",
        "credits_invoice_id",
        "void_reason",
        "voided_at",
        "created_at",
        "created_by",
        "updated_at",
    ],
    "invoice_line": [
        "id",
        "invoice_id",
        "position",
        "description",
        "service_id",
        "quantity",
        "unit_price_cents",
        "discount_cents",
        "net_cents",
        "tax_cents",
        "visit_id",
        "service_date",
        "package_id",
    ],
    "invoice_line_tax": (
        ["id", "line_id", "tax_rate_id", "name", "rate_milli", "registration", "amount_cents"]
    ),
    "payment": [
        "id",
        "client_id",
        "method",
        "amount_cents",
        "received_on",
        "reference",
        "note",
        "package_id",
        "created_at",
        "created_by",
    ],
    "payment_allocation": ["id", "payment_id", "invoice_id", "amount_cents", "created_at"],
    "refund": [
        "id",
        "payment_id",
        "client_id",
        "amount_cents",
        "method",
        "refunded_on",
        "reason",
        "created_at",
        "created_by",
    ],
    "receipt": ["id", "invoice_id", "number", "issued_at", "issued_by"],
    "issued_document": [
        "id",
        "client_id",
        "plan_id",
        "kind",
        "title",
        "issued_at",
        "issued_by",
        "physician_name",
        "period_start",
        "period_end",
        "content",
        "pdf",
        "sha256",
        "size",
    ],
    "audit_entry": [
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "client_id",
        "summary",
        "changes",
        "practitioner_id",
    ],
}

# Columns deliberately left out of a seal: the editor's autosave of a draft (a signed note's
# autosave is never read), and the edit counter two people's saves are checked against (it
# stops moving once the record is final; it says nothing a reader of the record relies on).
UNSEALED: dict[str, tuple[str, ...]] = {
    "soap_note": ("autosave", "autosaved_at", "version"),
    "invoice": ("version",),
}
