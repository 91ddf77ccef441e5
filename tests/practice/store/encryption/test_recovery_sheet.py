"""The recovery code sheet: the code on one page with the practice's name, and the code never
in the audit log or any file but the one chosen."""

from __future__ import annotations

import os
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from practice import printouts
from practice.clients import service as clients
from practice.clients.records import PracticeProfile
from practice.dates import format_day
from practice.errors import ValidationError
from practice.store import open_database
from practice.store.audit import AuditEntry
from practice.store.encryption import protect_practice
from tests.practice.store.encryption.conftest import PASSPHRASE


def _text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def _protected(folder: Path) -> str:
    db = open_database(folder, actor="jordan")
    try:
        clients.save_profile(db, PracticeProfile("Jordan Lee", "Hands & Healing 손"))
    finally:
        db.close()
    return protect_practice(folder, PASSPHRASE)


def _files_holding(root: Path, secret: bytes) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and secret in path.read_bytes():
            found.append(path)
    return found


def test_the_sheet_shows_the_code_the_practice_and_how_to_keep_it(
    plain_practice: Path, tmp_path: Path
) -> None:
    code = _protected(plain_practice)
    db = open_database(plain_practice, actor="jordan")
    try:
        made = printouts.recovery_sheet_pdf(db, code, today=date(2026, 12, 6))
    finally:
        db.close()
    text = _text(made.data)
    groups = code.split("-")
    assert "-".join(groups[:4]) in text and "-".join(groups[4:]) in text
    assert "Hands & Healing 손" in text
    assert format_day(date(2026, 12, 6)) in text
    assert "Keeping it safe" in text and "recovery code" in text
    assert made.file_name == "Recovery code 2026-12-06.pdf"


def test_the_code_is_in_the_chosen_file_and_nowhere_else(
    plain_practice: Path, tmp_path: Path
) -> None:
    code = _protected(plain_practice)
    out_folder = tmp_path / "chosen"
    out_folder.mkdir()
    out = out_folder / "sheet.pdf"
    db = open_database(plain_practice, actor="jordan")
    try:
        printouts.recovery_sheet_pdf(db, code)  # shown in the preview
        printouts.recovery_sheet_pdf(db, code, to_file=out)  # saved
        with db.read() as session:
            entries = session.query(AuditEntry).filter(AuditEntry.entity == "practice").all()
            logged = [f"{e.summary} {e.changes}" for e in entries]
    finally:
        db.close()
    compact = code.replace("-", "")
    assert code.split("-")[0] in _text(out.read_bytes())
    assert [e.split(" ")[0] for e in logged] == ["Recovery", "Recovery"]
    assert not any(code in entry or compact in entry or "sha256" in entry for entry in logged)
    assert str(out) in logged[1]
    practice_files = [p for p in tmp_path.rglob("*") if p.is_file() and p != out]
    assert practice_files
    for secret in (code.encode(), compact.encode(), code.split("-")[0].encode()):
        assert _files_holding(tmp_path, secret) in ([out], [])
    assert os.listdir(out_folder) == ["sheet.pdf"]


def test_a_code_that_does_not_open_the_practice_is_refused_and_nothing_is_recorded(
    plain_practice: Path,
) -> None:
    _protected(plain_practice)
    db = open_database(plain_practice, actor="jordan")
    try:
        with db.read() as session:
            before = session.query(AuditEntry).count()
        with pytest.raises(ValidationError, match="does not open this practice"):
            printouts.recovery_sheet_pdf(db, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
        with db.read() as session:
            assert session.query(AuditEntry).count() == before
    finally:
        db.close()


def test_a_plain_practice_has_no_sheet_to_print(plain_practice: Path) -> None:
    db = open_database(plain_practice, actor="jordan")
    try:
        with pytest.raises(ValidationError, match="not encrypted"):
            printouts.recovery_sheet_pdf(db, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    finally:
        db.close()
