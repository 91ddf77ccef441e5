"""`make bench-readme`: README.md's performance table is rewritten from one bench run's figures,
between its markers, and nothing else in the README changes."""

from __future__ import annotations

import pytest

from tests.bench.common import Figure
from tests.bench.readme import END, README, START, MarkersMissing, rewrite, table

FIGURES = [
    Figure("search service, three letters, 30,000 clients", 5.7, 4.1, "ms", "< 3x"),
    Figure("demo practice build, 30,000 clients", 58.2, 0, "s", "< 60 s"),
    Figure("a | in a name", 1234.5, 617.25, "ms", "a | target"),
]


def test_the_table_has_a_row_per_figure_with_its_floor_ratio_and_target() -> None:
    text = table(FIGURES, (1_000, 10_000, 30_000), ["scale"])
    rows = [line for line in text.splitlines() if line.startswith("| ") and "figure" not in line]
    assert rows[0] == (
        "| search service, three letters, 30,000 clients | 5.70 ms | 4.10 ms | 1.39x | < 3x |"
    )
    assert rows[1] == "| demo practice build, 30,000 clients | 58.20 s |  |  | < 60 s |"
    assert rows[2].count("|") == 6  # a bar in a name or target cannot split the row
    assert "1,000, 10,000, 30,000 clients" in text and "scale" in text


def test_only_the_part_between_the_markers_is_replaced() -> None:
    before = f"# Fascia\n\nintro\n{START}\nold table\n{END}\n\nafter\n"
    after = rewrite(before, "new table")
    assert after == f"# Fascia\n\nintro\n{START}\nnew table\n{END}\n\nafter\n"
    assert rewrite(after, "new table") == after


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(MarkersMissing):
        rewrite("# Fascia\n\nno table here\n", "new table")


def test_the_projects_readme_has_the_markers() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert text.index(START) < text.index(END)
