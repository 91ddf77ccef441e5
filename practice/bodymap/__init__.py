"""Body map: the atlas of body regions, the chart drawn on it, and the numbers taken from it.

`atlas` reads the outline and its regions (shapely, svgelements), `chart` is what a therapist
draws for a visit, `metrics` measures charts. The two words every module shares live here, so
the chart model can be imported without loading the geometry libraries.
"""

from __future__ import annotations

from enum import StrEnum


class View(StrEnum):
    FRONT = "front"
    BACK = "back"


class Side(StrEnum):
    """The client's side, not the viewer's."""

    RIGHT = "R"
    LEFT = "L"
    MIDLINE = "midline"
