"""The core's tests. FASCIA_BLOCK_QT=1 makes PySide6 unimportable: practice/ must not need it."""

from __future__ import annotations

import importlib.abc
import os
import sys

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph", "ui")


class _BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname.split(".")[0] in BLOCKED:
            raise ImportError(f"{fullname} is blocked: practice/ must not need Qt")
        return None


if os.environ.get("FASCIA_BLOCK_QT"):
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockQt())
