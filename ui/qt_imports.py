"""PySide6's import hook, made to stop keeping the source of every module imported after Qt.

PySide6 replaces `__import__` to learn, for each newly imported module, whether it uses
PySide6 (for its optional `__feature__` switches, which Fascia does not use). Through 6.11 it
asks `inspect.getsource(module)` and looks for "PySide6" in the text, which leaves the whole
source of every module (SQLAlchemy's, Babel's, ReportLab's, Fascia's) in `linecache` for the
life of the process: about 21 MiB and 100 ms of a start-up. Here the same question is asked
of the file's bytes, which are read and let go. Modules without a `.py` file (built in,
compiled, frozen in a bundle) still get PySide6's own answer.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  # loads the import hook this module lightens

_MARK = "_fascia_reads_bytes"


def lighten_feature_check() -> None:
    """Swap PySide6's per-import source check for one that reads the file's bytes once.

    A no-op if this version of PySide6 has no such check (its internals moved on), or when it
    is already swapped."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original) or getattr(original, _MARK, False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:  # a bundled module whose source is not on disk
            return bool(original(module))

    setattr(uses_pyside, _MARK, True)
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
