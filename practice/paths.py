"""Where Fascia keeps its data and where its bundled resources live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Fascia"
DATA_DIR_ENV = "FASCIA_DATA_DIR"
DB_FILENAME = "fascia.db"


def expand_home(path: str | os.PathLike[str]) -> Path:
    """`~` and `~user` expanded. A `~name` with no such user (or no home) stays as typed, so it
    reads as a relative path that is not there, never as an error of Python's."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def default_data_dir() -> Path:
    """The per-user data folder (platformdirs), unless FASCIA_DATA_DIR overrides it."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return expand_home(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


CACHE_DIR_ENV = "FASCIA_CACHE_DIR"


def cache_dir() -> Path:
    """Where Fascia keeps data it can rebuild (the ICD-10-CM index); FASCIA_CACHE_DIR overrides.

    Never clinical data: deleting the folder only costs the time to rebuild.
    """
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    """`--data-dir` wins, then FASCIA_DATA_DIR, then the platform default."""
    if cli_value:
        return expand_home(cli_value).resolve()
    return default_data_dir().resolve()


def resources_dir() -> Path:
    """The resources/ folder: beside the packages in a checkout, inside a wheel or bundle."""
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    here = Path(__file__).resolve().parent
    candidates += [here.parent / "resources", here / "_resources"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Fascia's resources folder is missing; reinstall the application.")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
