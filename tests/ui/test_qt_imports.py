"""PySide6's import hook no longer keeps the source of every module imported after Qt."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

import ui  # noqa: F401  # the hook is lightened as the user interface is imported


def _import(name: str) -> None:
    __import__(name)  # through builtins.__import__, where PySide6's hook sits


@pytest.fixture
def probes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    plain = tmp_path / "fascia_probe_plain.py"
    plain.write_text("VALUE = 1\n" + "# a long module\n" * 5000, encoding="utf-8")
    qt = tmp_path / "fascia_probe_qt.py"
    qt.write_text("from PySide6.QtCore import QObject\n\nBASE = QObject\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield plain, qt
    for name in ("fascia_probe_plain", "fascia_probe_qt"):
        sys.modules.pop(name, None)


def test_a_module_imported_after_qt_leaves_no_source_in_memory(probes) -> None:  # type: ignore[no-untyped-def]
    plain, qt = probes
    _import("fascia_probe_plain")
    _import("fascia_probe_qt")
    assert str(plain) not in linecache.cache
    assert str(qt) not in linecache.cache


def test_pyside6_still_learns_which_modules_use_it(probes) -> None:  # type: ignore[no-untyped-def]
    feature = sys.modules["shibokensupport.feature"]
    _import("fascia_probe_plain")
    _import("fascia_probe_qt")
    assert feature.pyside_feature_dict["fascia_probe_plain"] == -1  # "ignore this module"
    assert feature.pyside_feature_dict["fascia_probe_qt"] == 0  # uses PySide6, no feature
