"""The technique library's input form and read model, and its categories."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TechniqueCategory(StrEnum):
    SWEDISH = "swedish"
    DEEP = "deep"
    TRIGGER_POINT = "trigger_point"
    MYOFASCIAL = "myofascial"
    STRETCHING = "stretching"
    POSITIONAL = "positional"
    LYMPHATIC = "lymphatic"
    TOOLS = "tools"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    TechniqueCategory.SWEDISH: "Swedish strokes",
    TechniqueCategory.DEEP: "Deep tissue and friction",
    TechniqueCategory.TRIGGER_POINT: "Trigger point work",
    TechniqueCategory.MYOFASCIAL: "Myofascial",
    TechniqueCategory.STRETCHING: "Stretching and muscle energy",
    TechniqueCategory.POSITIONAL: "Positional release",
    TechniqueCategory.LYMPHATIC: "Lymphatic",
    TechniqueCategory.TOOLS: "Cups and instruments",
    TechniqueCategory.OTHER: "Other",
}


@dataclass(frozen=True, slots=True)
class TechniqueForm:
    """A technique as the therapist edits it. `code` is made from the name when left empty."""

    name: str
    category: TechniqueCategory = TechniqueCategory.OTHER
    description: str = ""
    deep: bool = False  # deep pressure, friction, percussion, cups or tools
    point_pressure: bool = False  # sustained pressure on one spot
    default_cpt: str = "97140"
    code: str = ""


@dataclass(frozen=True, slots=True)
class Technique(TechniqueForm):
    id: int = 0
    built_in: bool = False
    archived: bool = False

    @property
    def restricted(self) -> bool:
        """Work that deep-work alerts (WARN-DEEP, LOCAL, BLOCK) restrict."""
        return self.deep or self.point_pressure

    def form(self) -> TechniqueForm:
        return TechniqueForm(
            self.name,
            self.category,
            self.description,
            self.deep,
            self.point_pressure,
            self.default_cpt,
            self.code,
        )
