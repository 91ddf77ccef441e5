"""fascia-cli on an encrypted practice: the passphrase from the environment, a file or the
recovery code; a wrong or missing one is one line on stderr."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from practice.store.keyfile import Argon2Cost
from tests.practice.store.encryption.conftest import PASSPHRASE
from tests.practice.warm_cli import shared


def _cli(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """fascia-cli in a process of its own (forked from the warm parent: tests/practice/warm_cli.py),
    with this environment less any passphrase variables but those given, stdin closed."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FASCIA_PASSPHRASE", "FASCIA_NEW", "FASCIA_RECOVERY"))
    }
    environment.update(env)
    return shared().completed(["--data-dir", str(folder), *args], env=environment)


def test_the_cli_protects_opens_and_refuses_in_one_line(
    plain_practice: Path, tmp_path: Path
) -> None:
    assert Argon2Cost().memory_kib == 64 * 1024  # the CLI below uses the real cost
    made = _cli(plain_practice, "protect", FASCIA_NEW_PASSPHRASE=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    code = made.stdout.split("Recovery code")[1].split(": ")[1].split()[0]
    assert _cli(plain_practice, "check", FASCIA_PASSPHRASE=PASSPHRASE).returncode == 0
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    by_file = _cli(plain_practice, "--passphrase-file", str(secret), "backups")
    assert by_file.returncode == 0 and "verified" not in by_file.stderr
    wrong = _cli(plain_practice, "check", FASCIA_PASSPHRASE="not the passphrase")
    assert wrong.returncode == 1
    assert wrong.stderr == "fascia-cli: That passphrase does not unlock this practice.\n"
    missing = _cli(plain_practice, "check")
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1
    assert "FASCIA_PASSPHRASE" in missing.stderr
    renewed = _cli(
        plain_practice,
        "passphrase",
        FASCIA_RECOVERY_CODE=code,
        FASCIA_NEW_PASSPHRASE="new one 2026",
    )
    assert renewed.returncode == 0, renewed.stderr
    assert _cli(plain_practice, "check", FASCIA_PASSPHRASE="new one 2026").returncode == 0


def test_protect_saves_the_recovery_sheet_when_asked(plain_practice: Path, tmp_path: Path) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    nowhere = _cli(
        plain_practice,
        "protect",
        "--recovery-sheet",
        str(tmp_path / "no such folder" / "sheet.pdf"),
        FASCIA_NEW_PASSPHRASE=PASSPHRASE,
    )
    assert nowhere.returncode == 2 and len(nowhere.stderr.splitlines()) == 1
    assert "no folder" in nowhere.stderr
    assert "encrypted" not in nowhere.stdout  # refused before anything changed
    sheet = tmp_path / "recovery.pdf"
    made = _cli(
        plain_practice, "protect", "--recovery-sheet", str(sheet), FASCIA_NEW_PASSPHRASE=PASSPHRASE
    )
    assert made.returncode == 0, made.stderr
    code = made.stdout.split("Recovery code")[1].split(": ")[1].split()[0]
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(sheet.read_bytes())).pages)
    assert "-".join(code.split("-")[:4]) in text
