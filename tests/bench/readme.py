"""The README's performance table, rewritten from one bench run (`make bench-readme`).

The table is whatever lies between the two marker lines in README.md; everything else in the
file is left as it is. Each row is one figure of the run: its measurement, its same-run floor
and the ratio, and its target, under a line naming when, on what and at which sizes it ran.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.common import ROOT, Figure

README = ROOT / "README.md"
START = "<!-- bench-table:start (make bench-readme rewrites this part) -->"
END = "<!-- bench-table:end -->"


class MarkersMissing(ValueError):
    pass


def table(figures: Sequence[Figure], sizes: Sequence[int], benches: Sequence[str]) -> str:
    """The Markdown table of these figures, under a line saying how they were measured."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    which = ", ".join(benches) if benches else "every benchmark"
    lines = [
        f"Generated from one run of {which} on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the end; practice sizes "
        f"{', '.join(f'{n:,}' for n in sizes)} clients.",
        "",
        "| figure | measured | floor (same run) | ratio | target |",
        "|---|---|---|---|---|",
    ]
    for figure in figures:
        name = figure.name.strip().replace("|", "/")
        floor = f"{_number(figure.floor)} {figure.unit}" if figure.floor else ""
        ratio = f"{figure.ratio:.2f}x" if figure.floor else ""
        lines.append(
            f"| {name} | {_number(figure.value)} {figure.unit} | {floor} | {ratio} "
            f"| {figure.target.replace('|', '/')} |"
        )
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def rewrite(text: str, new_table: str) -> str:
    """`text` with the part between the markers replaced by `new_table`."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise MarkersMissing(f"README.md needs the lines {START!r} and {END!r}")
    return f"{text[: start + len(START)]}\n{new_table}\n{text[end:]}"


def write(figures: Sequence[Figure], sizes: Sequence[int], benches: Sequence[str]) -> Path:
    """Rewrite README.md's table from this run (a temporary file, then a rename)."""
    text = rewrite(README.read_text(encoding="utf-8"), table(figures, sizes, benches))
    partial = README.with_name(".README.md.partial")
    with partial.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(README)
    return README
