"""Plan figures: muscle suggestion per chart, ICD-10 first load and search per keystroke."""

from __future__ import annotations

import itertools
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from practice.bodymap.chart import ChartData, RegionMark
from practice.plans.trigger_points import MusclePattern
from tests.bench.common import Figure, best_child

SUGGEST_TARGET_MS = 5.0
KEYSTROKE_TARGET_MS = 16.0
TYPED = ("low back pain", "tension headache", "cervicalgia", "myalgia of head", "sciatica")

# What the app's loader does on its worker thread (`LOADER.load`): open the code list's file (made
# from the package on the first start ever: LOAD_ICD10_COLD).
LOAD_ICD10 = "from practice.plans.icd10 import Icd10Loader; Icd10Loader().load()"
# Cold: an empty cache folder each run, so the package's code list is read and the cache written.
LOAD_ICD10_COLD = (
    "import tempfile; from pathlib import Path; from practice.plans.icd10 import build_index; "
    "build_index(cache=Path(tempfile.mkdtemp(prefix='fascia-bench-icd-'))).prime()"
)
LOAD_NOTHING = "import practice.text"


def run_all() -> list[Figure]:
    return [*_suggestion_figures(), *_icd10_figures()]


def _suggestion_figures() -> list[Figure]:
    from practice.plans.trigger_points import load_catalogue

    catalogue = load_catalogue()
    charts = _charts(catalogue.muscles)

    def suggest_all() -> None:
        for chart in charts:
            catalogue.suggest(chart)

    def lookup_all() -> None:
        # Floor: read each chart's marks into a dict and look every mark up once.
        for chart in charts:
            painful = {m.region: m.intensity for m in chart.marks}
            sum(painful[m.region] for m in chart.marks)

    per_chart = _per_call_ms(suggest_all, len(charts))
    floor = _per_call_ms(lookup_all, len(charts))
    wide = charts[-20:]
    widest = _per_call_ms(lambda: [catalogue.suggest(c) for c in wide], len(wide))
    print(
        f"muscle suggestion: {per_chart:.3f} ms per chart (median over {len(charts)} charts), "
        f"{widest:.3f} ms on charts of 20+ regions; target {SUGGEST_TARGET_MS:g} ms"
    )
    return [
        Figure(
            "muscle suggestion per body chart",
            per_chart,
            floor,
            "ms",
            f"< {SUGGEST_TARGET_MS:g} ms absolute",
        )
    ]


def _charts(muscles: Sequence[MusclePattern]) -> list[ChartData]:
    """Each muscle's own pattern, pairs of patterns, and some widespread charts (20+ regions)."""
    own = [ChartData(marks=tuple(RegionMark(r, 6) for r in m.primary)) for m in muscles]
    pairs = [
        ChartData(marks=tuple(RegionMark(r, 5) for r in dict.fromkeys(a.primary + b.primary)))
        for a, b in itertools.islice(itertools.combinations(muscles, 2), 0, None, 9)
    ]
    wide = []
    for i in range(0, len(muscles) - 12, 3):
        regions = dict.fromkeys(z for m in muscles[i : i + 12] for z in m.primary)
        wide.append(
            ChartData(marks=tuple(RegionMark(r, 1 + (i + k) % 10) for k, r in enumerate(regions)))
        )
    return own + pairs + wide


def _icd10_figures() -> list[Figure]:
    from practice.plans.icd10 import Icd10Loader

    cold_ms, _ = best_child(LOAD_ICD10_COLD, repeat=3)
    for made in Path(tempfile.gettempdir()).glob("fascia-bench-icd-*"):  # 41 MB each
        shutil.rmtree(made, ignore_errors=True)
    load_ms, _ = best_child(LOAD_ICD10, repeat=3)  # the first run leaves the cache warm
    bare_ms, _ = best_child(LOAD_NOTHING, repeat=3)
    index = Icd10Loader().load()  # as the picker searches it: once the loader is done
    keystrokes: list[float] = []
    floors: list[float] = []
    for text in TYPED:  # each prefix typed once, so no search is answered from the cache
        for n in range(1, len(text) + 1):
            started = time.perf_counter()
            index.search(text[:n])
            keystrokes.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            index.get(text[:n])  # floor: an exact-code lookup of what was typed
            floors.append((time.perf_counter() - started) * 1000)
    median, worst = statistics.median(keystrokes), max(keystrokes)
    floor = statistics.median(floors)
    print(
        f"ICD-10 search: {median:.3f} ms median, {worst:.3f} ms max per keystroke over "
        f"{len(keystrokes)} keystrokes; first load {load_ms:.0f} ms (process, worker thread)"
    )
    return [
        Figure(
            "ICD-10 first load ever, no cache (process start to index built)",
            cold_ms,
            bare_ms,
            "ms",
            "off the GUI thread (worker)",
        ),
        Figure(
            "ICD-10 load from the cache (process start to index built)",
            load_ms,
            bare_ms,
            "ms",
            "off the GUI thread (worker)",
        ),
        Figure(
            "ICD-10 search per keystroke, median",
            median,
            floor,
            "ms",
            f"< {KEYSTROKE_TARGET_MS:g} ms absolute",
        ),
        Figure(
            "ICD-10 search per keystroke, max",
            worst,
            floor,
            "ms",
            f"< {KEYSTROKE_TARGET_MS:g} ms absolute",
        ),
    ]


def _per_call_ms(fn: Callable[[], object], calls: int, repeat: int = 15) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000 / calls)
    return statistics.median(samples)


if __name__ == "__main__":
    for figure in run_all():
        print(figure.line())
