"""The trigger point catalogue and the suggestion of muscles whose referral explains a body chart.

The catalogue (resources/trigger_points.json) describes each muscle on the client's right side:
where its trigger points lie on the body map atlas, the regions its pain usually refers to
(primary) and those it sometimes reaches (spillover), and the symptoms it commonly causes. The
left side is made here as the mirror image. Everything is checked against the atlas on load.

The suggestion is advice with its reasons, never a finding: the therapist decides.

Score of a muscle for a chart, from the chart's painful regions P (marks above 0) with
intensities i(r), and the muscle's zone weights w(r) = 1 (primary), 0.5 (spillover), else 0:

* coverage = sum of i(r) * w(r) over P / sum of i(r) over P: how much of the client's pain,
  weighted by intensity, the pattern accounts for.
* fit = primary regions that are painful / primary regions: how much of the pattern's main
  zone is actually marked. An unmarked primary region counts against the muscle; an unmarked
  spillover region does not, since spillover is by definition only sometimes felt.
* score = the harmonic mean of the two (2 * coverage * fit / (coverage + fit)), from 0 to 1.
  It is 1 exactly when the painful regions are the muscle's primary zone plus none outside it,
  so a muscle's own primary pattern puts it first, ahead of every muscle whose primary zone
  differs (the catalogue test checks no two patterns share a primary zone). A muscle with no
  painful primary region scores 0 and is not suggested.

The list is ordered by what each suggestion adds (see `Catalogue.suggest`): the best match
first, then whichever muscle best explains the pain still unexplained, so a chart holding two
patterns names both muscles before the near-misses of either. Remaining ties go by score,
coverage and catalogue order, so results are stable.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.bodymap import Side, View
from practice.errors import FasciaError
from practice.paths import resource

if TYPE_CHECKING:
    from practice.bodymap.atlas import Atlas
    from practice.bodymap.chart import ChartData

FORMAT_VERSION = 1
PRIMARY = 1.0
SPILLOVER = 0.5
_MIRROR = {"_R": "_L", "_L": "_R"}


class CatalogueError(FasciaError):
    """The trigger point catalogue is missing or disagrees with the body map atlas."""


@dataclass(frozen=True, slots=True)
class TriggerPoint:
    label: str  # where it lies, in words
    view: View
    x: float  # atlas units
    y: float
    region: str  # the atlas region the point lies in


@dataclass(frozen=True, slots=True)
class MusclePattern:
    """One muscle on one side: its trigger points, referral zones and common symptoms."""

    code: str  # catalogue code, the same for both sides: "upper_trapezius"
    name: str  # "Upper trapezius"
    side: Side
    trigger_points: tuple[TriggerPoint, ...]
    primary: tuple[str, ...]  # atlas codes, in catalogue order
    spillover: tuple[str, ...]
    symptoms: tuple[str, ...]

    @property
    def key(self) -> str:
        """Unique per side, in the atlas's style: 'upper_trapezius_R'."""
        return f"{self.code}_{self.side.value}"

    @property
    def label(self) -> str:
        side = {Side.RIGHT: "Right", Side.LEFT: "Left"}.get(self.side)
        return f"{side} {self.name[0].lower()}{self.name[1:]}" if side else self.name

    def weight(self, region: str) -> float:
        if region in self.primary:
            return PRIMARY
        return SPILLOVER if region in self.spillover else 0.0


@dataclass(frozen=True, slots=True)
class Suggestion:
    muscle: MusclePattern
    score: float  # 0-1, see the module docstring
    coverage: float  # share of the chart's pain (by intensity) the pattern explains
    fit: float  # share of the pattern's primary zone that is painful
    explained_regions: tuple[str, ...]  # painful regions in the pattern, primary ones first
    unexplained_regions: tuple[str, ...]  # painful regions outside the pattern
    missing_regions: tuple[str, ...]  # primary regions that are not painful
    why: str


@dataclass(frozen=True, slots=True)
class _Match:
    index: int
    coverage: float
    fit: float

    @property
    def score(self) -> float:
        return _harmonic(self.coverage, self.fit)


class Catalogue:
    """All muscle patterns of both sides, with the lookups the suggestion needs precomputed."""

    def __init__(self, muscles: Iterable[MusclePattern], region_names: Mapping[str, str]) -> None:
        self.muscles: tuple[MusclePattern, ...] = tuple(muscles)
        self._by_key = {m.key: m for m in self.muscles}
        if len(self._by_key) != len(self.muscles):
            raise CatalogueError("Muscle codes must be unique per side.")
        self._names = dict(region_names)
        # region -> [(muscle index, weight)]: a chart touches only the muscles of its regions.
        index: dict[str, list[tuple[int, float]]] = {}
        for i, muscle in enumerate(self.muscles):
            for region in muscle.primary:
                index.setdefault(region, []).append((i, PRIMARY))
            for region in muscle.spillover:
                index.setdefault(region, []).append((i, SPILLOVER))
        self._by_region = {region: tuple(hits) for region, hits in index.items()}
        self._primary_count = [len(m.primary) for m in self.muscles]
        self._zones = [
            tuple((r, PRIMARY) for r in m.primary) + tuple((r, SPILLOVER) for r in m.spillover)
            for m in self.muscles
        ]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def muscle(self, key: str) -> MusclePattern:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"{key!r} is not a muscle of the trigger point catalogue") from None

    def region_name(self, code: str) -> str:
        return self._names.get(code, code)

    def suggest(self, chart: ChartData, limit: int = 5) -> list[Suggestion]:
        """The muscles whose referral best explains the chart's painful regions, best first.

        The first suggestion is the best match on its own. Each next one is the muscle that
        best explains the pain the earlier suggestions leave unexplained, so a chart with two
        patterns lists both muscles before the near-misses of either. Once everything is
        explained, muscles whose whole main zone is painful come before partial matches.
        """
        painful = {m.region: m.intensity for m in chart.marks if m.intensity > 0}
        total = sum(painful.values())
        if not total or limit <= 0:
            return []
        explained: dict[int, float] = {}
        hits: dict[int, int] = {}
        for region, intensity in painful.items():
            for i, weight in self._by_region.get(region, ()):
                explained[i] = explained.get(i, 0.0) + intensity * weight
                if weight == PRIMARY:
                    hits[i] = hits.get(i, 0) + 1
        matches = {
            i: _Match(i, explained[i] / total, count / self._primary_count[i])
            for i, count in hits.items()
        }
        residual: dict[str, float] = dict(painful)
        suggestions: list[Suggestion] = []
        while matches and len(suggestions) < limit:
            left = sum(residual.values())
            match = max(matches.values(), key=lambda m: self._gain(m, residual, left))
            del matches[match.index]
            adds = tuple(r for r, _ in self._zones[match.index] if residual.get(r, 0) > 0)
            suggestions.append(self._suggestion(match, painful, adds if suggestions else None))
            for region, weight in self._zones[match.index]:
                if region in residual:
                    residual[region] = min(residual[region], painful[region] * (1 - weight))
        return suggestions

    def _gain(self, match: _Match, residual: Mapping[str, float], left: float) -> tuple[float, ...]:
        """Sort key: the match against the pain still unexplained (`left` in all); once all is
        explained, the patterns whose whole main zone is painful; then the match on its own."""
        fresh = 0.0
        if left > 0:
            fresh = sum(residual.get(r, 0.0) * w for r, w in self._zones[match.index]) / left
        gain = _harmonic(fresh, match.fit)
        return (gain, match.fit, match.score, match.coverage, -match.index)

    def _suggestion(
        self, match: _Match, painful: Mapping[str, int], adds: tuple[str, ...] | None
    ) -> Suggestion:
        muscle = self.muscles[match.index]
        main = tuple(r for r in muscle.primary if r in painful)
        spill = tuple(r for r in muscle.spillover if r in painful)
        outside = tuple(r for r in painful if muscle.weight(r) == 0.0)
        missing = tuple(r for r in muscle.primary if r not in painful)
        parts = [
            f"{muscle.label} can explain {len(main) + len(spill)} of the {len(painful)} "
            f"painful region{'s' if len(painful) != 1 else ''}: {self._names_of(main)} "
            f"{'is' if len(main) == 1 else 'are'} in its main referral zone"
            + (f", {self._names_of(spill)} in its spillover zone." if spill else ".")
        ]
        if missing:
            parts.append(f"Its main zone also covers {self._names_of(missing)}, not marked.")
        else:
            parts.append("Every region of its main zone is marked.")
        if outside:
            parts.append(f"It does not explain {self._names_of(outside)}.")
        if adds:
            parts.append(f"Of the suggestions above, none fully explains {self._names_of(adds)}.")
        elif adds is not None:
            parts.append("It explains nothing the suggestions above leave out.")
        if muscle.symptoms:
            parts.append(f"Commonly: {'; '.join(muscle.symptoms[:2])}.")
        return Suggestion(
            muscle=muscle,
            score=match.score,
            coverage=match.coverage,
            fit=match.fit,
            explained_regions=main + spill,
            unexplained_regions=outside,
            missing_regions=missing,
            why=" ".join(parts),
        )

    def _names_of(self, codes: Sequence[str]) -> str:
        names = [self.region_name(c).lower() for c in codes]
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"


def _harmonic(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


def suggest_muscles(
    chart: ChartData, limit: int = 5, catalogue: Catalogue | None = None
) -> list[Suggestion]:
    """Rank the muscles whose referral zones best explain the chart's painful regions."""
    return (catalogue or load_catalogue()).suggest(chart, limit)


# --- reading the file -----------------------------------------------------------------------------


@functools.cache
def load_catalogue() -> Catalogue:
    """The bundled catalogue, read and checked against the atlas once per process."""
    from practice.bodymap.atlas import load_atlas

    return read_catalogue(resource("trigger_points.json"), load_atlas())


def read_catalogue(path: Path, atlas: Atlas) -> Catalogue:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"The trigger point catalogue cannot be read: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise CatalogueError(f"{path.name} is not a format {FORMAT_VERSION} catalogue.")
    problems: list[str] = []
    right: list[MusclePattern] = []
    for i, entry in enumerate(data.get("muscles") or ()):
        try:
            muscle = _muscle(entry)
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"muscle #{i + 1} is incomplete ({exc})")
            continue
        problems += _check(muscle, atlas)
        right.append(muscle)
    muscles = []
    for muscle in right:
        mirrored = _mirror(muscle, atlas)
        problems += _check(mirrored, atlas)
        muscles += [muscle, mirrored]
    if problems:
        raise CatalogueError("The trigger point catalogue is inconsistent: " + "; ".join(problems))
    return Catalogue(muscles, {r.code: r.name for r in atlas.regions})


def _muscle(entry: Mapping[str, Any]) -> MusclePattern:
    return MusclePattern(
        code=str(entry["code"]),
        name=str(entry["name"]),
        side=Side.RIGHT,
        trigger_points=tuple(
            TriggerPoint(
                label=str(p["label"]),
                view=View(p["view"]),
                x=float(p["x"]),
                y=float(p["y"]),
                region=str(p["region"]),
            )
            for p in entry["trigger_points"]
        ),
        primary=tuple(str(r) for r in entry["primary"]),
        spillover=tuple(str(r) for r in entry.get("spillover", ())),
        symptoms=tuple(str(s) for s in entry.get("symptoms", ())),
    )


def _check(muscle: MusclePattern, atlas: Atlas) -> list[str]:
    who = muscle.key
    problems = []
    if not muscle.trigger_points:
        problems.append(f"{who} has no trigger points")
    if not muscle.primary:
        problems.append(f"{who} has no primary referral zone")
    zones = muscle.primary + muscle.spillover
    if len(set(zones)) != len(zones):
        problems.append(f"{who} lists a region twice in its referral zones")
    problems += [f"{who} refers to unknown region {code}" for code in zones if code not in atlas]
    for point in muscle.trigger_points:
        if point.region not in atlas:
            problems.append(f"{who} has a trigger point in unknown region {point.region}")
            continue
        found = atlas.region_at(point.view, point.x, point.y)
        if found is None or found.code != point.region:
            where = found.code if found else "off the body"
            problems.append(
                f"{who} trigger point '{point.label}' at ({point.x:g}, {point.y:g}) lies in "
                f"{where}, not {point.region}"
            )
    return problems


def _mirror(muscle: MusclePattern, atlas: Atlas) -> MusclePattern:
    def centre(view: View) -> float:
        min_x, _, max_x, _ = atlas.view_bounds(view)
        return (min_x + max_x) / 2

    return MusclePattern(
        code=muscle.code,
        name=muscle.name,
        side=Side.LEFT,
        trigger_points=tuple(
            TriggerPoint(p.label, p.view, 2 * centre(p.view) - p.x, p.y, _other_side(p.region))
            for p in muscle.trigger_points
        ),
        primary=tuple(_other_side(r) for r in muscle.primary),
        spillover=tuple(_other_side(r) for r in muscle.spillover),
        symptoms=muscle.symptoms,
    )


def _other_side(code: str) -> str:
    """B_NECK_R -> B_NECK_L and back; midline codes (B_SACRUM) stay as they are."""
    suffix = code[-2:]
    return code[:-2] + _MIRROR[suffix] if suffix in _MIRROR else code
