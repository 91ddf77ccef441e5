"""fascia-cli summary, run as a therapist would from a terminal."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from practice.cli import main
from practice.store import open_database
from practice.summaries import service
from practice.summaries.demo import SummaryClients

Read = Callable[[bytes], list[str]]


@pytest.fixture
def folder(example_folder: tuple[Path, SummaryClients], tmp_path: Path) -> Path:
    copy = tmp_path / "practice"
    shutil.copytree(example_folder[0], copy, ignore=shutil.ignore_patterns("*.lock"))
    return copy


def test_summary_writes_the_pdf(
    folder: Path,
    examples: SummaryClients,
    tmp_path: Path,
    pdf_text: Read,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "summary.pdf"
    code = main(
        ["--data-dir", str(folder), "summary", "--client", str(examples.rich), "--out", str(out)]
    )
    assert code == 0
    assert "Dr. Amara Okafor" in " ".join(pdf_text(out.read_bytes()))
    assert "Chloé Dubois" in capsys.readouterr().out
    db = open_database(folder)
    try:
        assert service.list_documents(db, examples.rich) == []
    finally:
        db.close()


def test_summary_issue_stores_the_printed_bytes(
    folder: Path, examples: SummaryClients, tmp_path: Path
) -> None:
    out = tmp_path / "issued.pdf"
    args = ["--data-dir", str(folder), "summary", "--client", str(examples.rich)]
    assert main([*args, "--plan", str(examples.rich_plan), "--out", str(out), "--issue"]) == 0
    db = open_database(folder)
    try:
        [issued] = service.list_documents(db, examples.rich)
        assert service.document_pdf(db, issued.id) == out.read_bytes()
    finally:
        db.close()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--client", "999"], "client: No client with id 999."),
        (["--client", "1", "--plan", "42"], "plan: No treatment plan with id 42."),
        (["--client", "1", "--from", "2026-05-02", "--to", "2026-05-01"], "starts after it ends"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "summary.pdf"
    assert main(["--data-dir", str(folder), "summary", *extra, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_bad_date_is_refused_by_the_parser(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(
            [
                "--data-dir",
                str(folder),
                "summary",
                "--client",
                "1",
                "--from",
                "May 1",
                "--out",
                "x.pdf",
            ]
        )
    assert "is not a date like" in capsys.readouterr().err
