"""Raw SQL by anyone holding the file: every tamper is refused by a trigger or named by the
seal check (issue 12's 22 routes and the ones found since)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from practice.paths import DB_FILENAME
from practice.store import Database
from practice.store.seal.kinds import COLUMNS
from practice.store.seal.verify import verify_records

SIGNED = "(SELECT min(id) FROM visit WHERE signed_at IS NOT NULL)"
ISSUED = "(SELECT min(id) FROM invoice WHERE status = 'issued')"


def _replace(table: str, where: str, **changed: str) -> str:
    """INSERT OR REPLACE of the row `where` selects, with some columns changed."""
    columns = COLUMNS[table]
    values = ", ".join(changed.get(c, c) for c in columns)
    return (
        f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
        f"SELECT {values} FROM {table} WHERE {where}"
    )


REFUSED = {
    "a signed note's signer changed": f"UPDATE visit SET signed_by = 'X' WHERE id = {SIGNED}",
    "a signed visit deleted": f"DELETE FROM visit WHERE id = {SIGNED}",
    "a signed visit replaced with another signer and date": _replace(
        "visit", f"id = {SIGNED}", signed_by="'Mallory'", signed_at="'2020-01-01 00:00:00'"
    ),
    "a signed note's text replaced": _replace(
        "soap_note", f"visit_id = {SIGNED}", complaint="'forged'"
    ),
    "a signed note's text changed": (
        f"UPDATE soap_note SET complaint = 'forged' WHERE visit_id = {SIGNED}"
    ),
    "a treatment entry of a signed visit deleted": (
        f"DELETE FROM treatment_entry WHERE visit_id = {SIGNED}"
    ),
    "a treatment entry added to a signed visit": (
        "INSERT INTO treatment_entry (visit_id, seq, technique_code, technique_name, regions,"
        " minutes, pressure, position, notes, deep, acknowledgements) VALUES"
        f" ({SIGNED}, 9, 'x', 'x', '[]', 5, 3, 'prone', '', 0, '[]')"
    ),
    "a treatment entry of a signed visit replaced": _replace(
        "treatment_entry",
        f"visit_id = {SIGNED} AND id = (SELECT min(id) FROM treatment_entry"
        f" WHERE visit_id = {SIGNED})",
        minutes="99",
    ),
    "an amendment's text replaced": _replace(
        "amendment", "id = (SELECT min(id) FROM amendment)", text="'forged'"
    ),
    "an amendment's text changed": "UPDATE amendment SET text = 'forged'",
    "an issued invoice's total replaced with 0.01": _replace(
        "invoice", f"id = {ISSUED}", total_cents="1"
    ),
    "an issued invoice's total changed": (
        f"UPDATE invoice SET total_cents = 1 WHERE id = {ISSUED}"
    ),
    "an issued invoice's line replaced": _replace(
        "invoice_line", f"invoice_id = {ISSUED}", net_cents="1"
    ),
    "a draft issued with an existing number by UPDATE OR REPLACE": (
        "INSERT INTO invoice (kind, client_id, status, created_on, currency, notes, terms,"
        " subtotal_cents, discount_cents, tax_cents, total_cents, void_reason, created_at,"
        " created_by, updated_at) SELECT 'invoice', client_id, 'draft', created_on, currency,"
        " '', '', 0, 0, 0, 0, '', created_at, created_by, updated_at FROM invoice"
        f" WHERE id = {ISSUED};"
        " UPDATE OR REPLACE invoice SET status = 'issued', number ="
        f" (SELECT number FROM invoice WHERE id = {ISSUED}) WHERE id = last_insert_rowid()"
    ),
    "a payment's amount replaced": _replace(
        "payment", "id = (SELECT min(id) FROM payment)", amount_cents="1"
    ),
    "a payment deleted": "DELETE FROM payment WHERE id = (SELECT min(id) FROM payment)",
    "an issued document's PDF replaced": _replace(
        "issued_document", "id = (SELECT min(id) FROM issued_document)", pdf="x'00'"
    ),
    "an issued document's PDF changed": "UPDATE issued_document SET pdf = x'00'",
    "an audit entry changed": "UPDATE audit_entry SET summary = 'nothing happened'",
    "an audit entry deleted": "DELETE FROM audit_entry WHERE id = 1",
    "an audit entry replaced": _replace("audit_entry", "id = 1", summary="'nothing happened'"),
    "a consent signature replaced": _replace(
        "consent", "id = (SELECT min(id) FROM consent)", signer_name="'Someone Else'"
    ),
    "a consent signature changed": "UPDATE consent SET signer_name = 'Someone Else'",
    "a consent deleted": "DELETE FROM consent WHERE id = (SELECT min(id) FROM consent)",
    "a draft visit renumbered onto a signed one": (
        "UPDATE OR REPLACE visit SET id = "
        f"{SIGNED} WHERE id = (SELECT max(id) FROM visit WHERE signed_at IS NULL)"
    ),
    "a body chart version replaced": _replace(
        "body_chart", "id = (SELECT min(id) FROM body_chart)", note="'forged'"
    ),
    "a seal changed": "UPDATE seal SET content_sha256 = 'x'",
    "a seal deleted": "DELETE FROM seal WHERE id = 3",
    "a seal replaced": (
        "INSERT OR REPLACE INTO seal SELECT id, kind, entity_id, 'x', chain, sealed_at"
        " FROM seal WHERE id = 3"
    ),
}


def _raw(folder: Path) -> sqlite3.Connection:
    """The tamperer's connection: plain sqlite3, recursive_triggers off, autocommit."""
    return sqlite3.connect(folder / DB_FILENAME, isolation_level=None)


@pytest.mark.parametrize("route", list(REFUSED))
def test_raw_sql_tampering_is_refused_and_the_records_stay_intact(
    sealed_db: Database, practice_copy: Path, route: str
) -> None:
    conn = _raw(practice_copy)
    try:
        with pytest.raises(sqlite3.DatabaseError, match=r"cannot|final|never"):
            conn.executescript(f"BEGIN; {REFUSED[route]}; COMMIT;")
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert verify_records(sealed_db).ok


# Route -> (tables whose triggers are dropped and re-created around it, SQL, what check says).
DETECTED = {
    "a signed note edited": (
        ("soap_note",),
        f"UPDATE soap_note SET complaint = 'forged' WHERE visit_id = {SIGNED}",
        "signed visit note .* was changed",
    ),
    "a signed visit's signer changed": (
        ("visit",),
        f"UPDATE visit SET signed_by = 'Mallory' WHERE id = {SIGNED}",
        "signed visit note .* was changed",
    ),
    "a signed visit unsigned": (
        ("visit",),
        f"UPDATE visit SET signed_at = NULL WHERE id = {SIGNED}",
        "signed visit note .* was removed or reopened",
    ),
    "a treatment entry of a signed visit removed": (
        ("treatment_entry",),
        f"DELETE FROM treatment_entry WHERE visit_id = {SIGNED}",
        "signed visit note .* was changed",
    ),
    "a forged signed visit inserted": (
        (),
        "INSERT INTO visit (client_id, starts_at, duration_minutes, place_of_service, status,"
        " created_at, created_by, updated_at, signed_at, signed_by, signing_acknowledgements)"
        " SELECT client_id, starts_at, 60, place_of_service, status, created_at, created_by,"
        f" updated_at, signed_at, signed_by, '[]' FROM visit WHERE id = {SIGNED}",
        "signed visit note .* was written outside Fascia",
    ),
    "an amendment's text changed": (
        ("amendment",),
        "UPDATE amendment SET text = 'forged'",
        "amendment .* was changed",
    ),
    "an issued invoice's total set to 0.01": (
        ("invoice",),
        f"UPDATE invoice SET total_cents = 1 WHERE id = {ISSUED}",
        "issued invoice .* was changed",
    ),
    "an issued invoice deleted with its lines": (
        ("invoice", "invoice_line", "invoice_line_tax", "payment_allocation", "receipt"),
        "PRAGMA foreign_keys = OFF; "
        f"DELETE FROM invoice_line_tax WHERE line_id IN (SELECT id FROM invoice_line"
        f" WHERE invoice_id = {ISSUED}); DELETE FROM invoice_line WHERE invoice_id = {ISSUED};"
        f" DELETE FROM invoice WHERE id = {ISSUED}",
        "issued invoice .* was removed",
    ),
    "a payment's amount changed": (
        ("payment",),
        "UPDATE payment SET amount_cents = 1 WHERE id = (SELECT min(id) FROM payment)",
        "payment .* was changed",
    ),
    "a forged payment inserted": (
        (),
        "INSERT INTO payment (client_id, method, amount_cents, received_on, reference, note,"
        " created_at, created_by) SELECT client_id, method, 100000, received_on, '', '',"
        " created_at, created_by FROM payment LIMIT 1",
        "payment .* was written outside Fascia",
    ),
    "an issued document's PDF swapped with its hash": (
        ("issued_document",),
        "UPDATE issued_document SET pdf = x'255044462d', sha256 ="
        " '0000000000000000000000000000000000000000000000000000000000000000', size = 5",
        "issued document .* was changed",
    ),
    "an audit entry rewritten": (
        ("audit_entry",),
        "UPDATE audit_entry SET summary = 'nothing happened' WHERE id = 2",
        "audit entry 2 was changed",
    ),
    "an audit entry deleted": (
        ("audit_entry",),
        "DELETE FROM audit_entry WHERE id = 2",
        "audit entry 2 was removed",
    ),
    "a forged audit entry inserted": (
        (),
        "INSERT INTO audit_entry (at, actor, action, entity, summary, changes)"
        " VALUES ('2020-01-01 00:00:00', 'jordan', 'create', 'client', 'forged', '{}')",
        "audit entry .* was written outside Fascia",
    ),
    "a consent signature's name changed": (
        ("consent",),
        "UPDATE consent SET signer_name = 'Someone Else'",
        "consent signature .* was changed",
    ),
    "a note forged and its seal's hash rewritten to match": (
        ("soap_note", "seal"),
        f"UPDATE soap_note SET complaint = 'forged' WHERE visit_id = {SIGNED};"
        " UPDATE seal SET content_sha256 = 'f' WHERE kind = 'visit'",
        "seal .* was altered",
    ),
    "a seal removed from the middle of the chain": (
        ("seal",),
        "DELETE FROM seal WHERE id = 5",
        "seal 5 was removed",
    ),
}


def _tamper(folder: Path, tables: tuple[str, ...], sql: str) -> None:
    """Drop the tables' triggers, run `sql`, and put the triggers back as they were."""
    conn = _raw(folder)
    try:
        marks = ", ".join("?" for _ in tables)
        triggers = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
            tables,
        ).fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        conn.executescript(sql)
        for _name, statement in triggers:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize("route", list(DETECTED))
def test_tampering_with_the_triggers_dropped_is_named_by_the_check(
    sealed_db: Database, practice_copy: Path, route: str
) -> None:
    tables, sql, found = DETECTED[route]
    assert verify_records(sealed_db).ok
    _tamper(practice_copy, tables, sql)
    result = verify_records(sealed_db)
    assert not result.ok
    assert any(re.search(found, problem) for problem in result.problems), result.problems
    assert "\n" not in result.summary()
