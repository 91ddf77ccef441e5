"""Verifying the seals of a whole practice: the chain links are standard HMAC-SHA256, and a
walk reports its progress and stops when cancelled."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice.progress import Cancelled, Progress
from practice.store import Database
from practice.store.seal.chain import Linker
from practice.store.seal.verify import _Steps, verify_records


@given(
    key=st.binary(min_size=0, max_size=200),
    previous=st.text(max_size=80),
    seal_id=st.integers(min_value=1, max_value=2**63 - 1),
    kind=st.text(max_size=20),
    entity_id=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    content=st.text(max_size=80),
)
def test_a_chain_link_is_the_rfc_2104_hmac_of_the_seal(
    key: bytes, previous: str, seal_id: int, kind: str, entity_id: int, content: str
) -> None:
    message = f"{previous}|{seal_id}|{kind}|{entity_id}|{content}".encode("utf-8", "surrogatepass")
    expected = hmac.new(key, message, hashlib.sha256).hexdigest()
    try:
        actual = Linker(key)(previous, seal_id, kind, entity_id, content)
    except UnicodeEncodeError:  # a lone surrogate: not something a seal is ever made of
        return
    assert actual == expected


def test_verifying_reports_progress_up_to_its_total(
    sealed_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Steps, "EVERY", 50)
    reports: list[tuple[int, int, str]] = []
    result = verify_records(sealed_db, Progress(lambda *report: reports.append(report)))
    assert result.ok
    done = [report[0] for report in reports]
    assert done == sorted(done), "progress never goes back"
    assert reports[-1][0] == reports[-1][1] == 2 * result.seals
    texts = {report[2] for report in reports}
    assert {"Checking the seal chain", "Checking signed visit notes", "Checking audit entries"} <= (
        texts
    )
    assert len(reports) > 2 * result.seals // 50


def test_a_cancelled_verification_stops_with_cancelled(
    sealed_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Steps, "EVERY", 50)
    seen: list[int] = []

    def report(done: int, total: int, _text: str) -> None:
        seen.append(done)
        if done > total // 2:
            progress.cancel()

    progress = Progress(report)
    with pytest.raises(Cancelled):
        verify_records(sealed_db, progress)
    assert seen[-1] < 2 * verify_records(sealed_db).seals


def test_the_chain_names_the_seal_table_as_the_model_does() -> None:
    from practice.store.seal import chain
    from practice.store.seal.models import Seal

    assert Seal.__tablename__ == chain.TABLE
