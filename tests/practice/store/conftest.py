"""Fixtures of the storage tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from tests.practice.kills import cli, run


@pytest.fixture(scope="session")
def demo_practice(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A practice big enough that copying and checking it takes a while (kills land inside).

    Made once per test run: under pytest-xdist the workers share the run's temporary folder,
    and the first to need it makes it while the others wait. Tests change only copies of it.
    """
    run_folder = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):
        run_folder = run_folder.parent  # popen-gwN's parent: this run's, shared by its workers
    folder = run_folder / "crash-demo"
    with FileLock(f"{folder}.lock"):
        if not folder.exists():
            building = run_folder / "crash-demo.partial"
            shutil.rmtree(building, ignore_errors=True)
            run(cli(building, "demo", "--clients", "150"))
            building.rename(folder)
    return folder
