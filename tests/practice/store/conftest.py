"""Fixtures of the storage tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.practice.kills import cli, run


@pytest.fixture(scope="module")
def demo_practice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice big enough that copying and checking it takes a while (kills land inside)."""
    folder = tmp_path_factory.mktemp("crash") / "demo"
    run(cli(folder, "demo", "--clients", "150"))
    return folder
