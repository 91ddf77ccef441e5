"""ICD-10-CM codes: only billable codes pass, with helpful refusals; search is by code or words."""

from __future__ import annotations

import threading

import pytest

from practice.errors import ValidationError
from practice.plans.icd10 import LOADER, Icd10Index

# DOMAIN.md section 7: codes a massage practice uses, checked against the bundled code list.
PRACTICE_CODES = (
    "M54.50", "M54.59", "M54.40", "M54.41", "M54.42", "M48.061", "M47.816", "M62.830",
    "M79.10", "M79.11", "M79.12", "M79.18", "G44.209", "M54.2", "M54.6", "M79.7", "G44.219",
    "G44.229", "G43.909", "M48.02", "S13.4XXA",
)  # fmt: skip


def test_m54_5_is_refused_in_favour_of_its_billable_codes(icd10: Icd10Index) -> None:
    with pytest.raises(ValidationError) as error:
        icd10.validate_billable("M54.5")
    message = str(error.value)
    assert "M54.5 (Low back pain) is a category, not a billable code" in message
    assert "M54.50 (Low back pain, unspecified)" in message
    assert "M54.59 (Other low back pain)" in message
    assert error.value.field == "code"


def test_an_unknown_code_is_refused(icd10: Icd10Index) -> None:
    with pytest.raises(ValidationError, match=r"Q99\.99 is not an ICD-10-CM code"):
        icd10.validate_billable("Q99.99")
    with pytest.raises(ValidationError, match="Enter an ICD-10-CM code"):
        icd10.validate_billable("  ")


def test_a_block_heading_is_refused(icd10: Icd10Index) -> None:
    with pytest.raises(ValidationError, match=r"M50-M54 .* is a chapter or block heading"):
        icd10.validate_billable("M50-M54")


def test_a_broad_category_points_to_the_search_instead_of_listing_dozens(
    icd10: Icd10Index,
) -> None:
    with pytest.raises(ValidationError, match=r"M54 \(Dorsalgia\) .* 33 billable codes"):
        icd10.validate_billable("M54")


def test_tension_type_headache_is_accepted_with_its_description(icd10: Icd10Index) -> None:
    assert icd10.validate_billable("G44.209") == "G44.209"
    assert icd10.describe("G44.209") == "Tension-type headache, unspecified, not intractable"


@pytest.mark.parametrize("code", PRACTICE_CODES)
def test_the_codes_a_massage_practice_uses_are_billable(icd10: Icd10Index, code: str) -> None:
    assert icd10.validate_billable(code) == code


def test_codes_are_accepted_in_lower_case_and_without_the_dot(icd10: Icd10Index) -> None:
    assert icd10.validate_billable(" m5450 ") == "M54.50"
    assert icd10.validate_billable("s134xxa") == "S13.4XXA"


def test_a_code_pasted_with_invisible_characters_is_read_as_the_code(icd10: Icd10Index) -> None:
    """A code copied from a referral's PDF brings a zero-width space or a soft hyphen; broken
    text from a clipboard, a lone surrogate (which SQLite cannot even be asked about)."""
    assert icd10.validate_billable("\u200bm54.50\u00ad") == "M54.50"
    assert icd10.validate_billable("M54\ud800.50") == "M54.50"
    assert [c.code for c in icd10.search("m54.5\u200b0")] == ["M54.50"]
    with pytest.raises(ValidationError, match="Enter an ICD-10-CM code"):
        icd10.validate_billable("\ud800")
    assert icd10.search("\ud800\udfff") == []


def test_a_full_code_list_is_loaded(icd10: Icd10Index) -> None:
    assert len(icd10) > 90_000
    assert 70_000 < icd10.billable_count < len(icd10)


def test_typing_a_code_prefix_lists_the_billable_codes_under_it(icd10: Icd10Index) -> None:
    assert [c.code for c in icd10.search("M54.5")] == ["M54.50", "M54.51", "M54.59"]
    assert [c.code for c in icd10.search("m545")] == ["M54.50", "M54.51", "M54.59"]


def test_typing_words_finds_descriptions_ignoring_case_order_and_accents(
    icd10: Icd10Index,
) -> None:
    assert icd10.search("low back pain")[0].code == "M54.50"
    assert icd10.search("LOW BACK PAIN")[0].code == "M54.50"
    assert "M54.50" in [c.code for c in icd10.search("pain back low")]
    assert icd10.search("sjögren")[0].description.startswith("Sjögren")
    assert icd10.search("sjogren")[0].description.startswith("Sjögren")


def test_word_prefixes_match_while_typing(icd10: Icd10Index) -> None:
    assert "M79.7" in [c.code for c in icd10.search("fibromy")]
    assert "G44.209" in [c.code for c in icd10.search("tens head")]


def test_everyday_and_inclusion_terms_find_codes_worded_otherwise(icd10: Icd10Index) -> None:
    assert icd10.search("neck pain")[0].code == "M54.2"  # Cervicalgia
    assert "M54.50" in [c.code for c in icd10.search("lumbago")]
    assert "M79.12" in [c.code for c in icd10.search("myofascial pain")]


def test_search_lists_only_billable_codes_up_to_the_limit(icd10: Icd10Index) -> None:
    results = icd10.search("pain", limit=50)
    assert len(results) == 50
    assert all(c.billable for c in results)
    assert len(icd10.search("p", limit=7)) == 7
    assert icd10.search("   ") == []
    assert icd10.search("zzzzqq") == []


def test_the_loader_builds_one_index_whatever_the_thread(icd10: Icd10Index) -> None:
    found: list[Icd10Index] = []
    threads = [threading.Thread(target=lambda: found.append(LOADER.load())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [icd10] * 3
    assert LOADER.loaded() is icd10


def test_the_index_is_cached_and_a_damaged_cache_is_rebuilt(
    tmp_path, icd10: Icd10Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from practice.paths import cache_dir
    from practice.plans import icd10 as module
    from practice.plans.icd10 import build_index

    # The session's first build (the `icd10` fixture) read the package and wrote the file.
    [written] = list(cache_dir().glob("icd10cm-*.sqlite"))
    cached = tmp_path / written.name
    shutil.copyfile(written, cached)
    reads: list[int] = []
    package = _package_data(written)  # what the package holds, without parsing it again
    monkeypatch.setattr(module, "_read_package", lambda: reads.append(1) or package)
    again = build_index(cache=tmp_path)  # opened from the file this time
    assert reads == []
    assert len(again) == len(icd10)
    for query in ("low back", "M54.5", "tension headache", "myofascial", "neck pain"):
        expected = [c.code for c in icd10.search(query)]
        assert [c.code for c in again.search(query)] == expected
    # A damaged file is made again from the package, under a temporary name, then renamed.
    cached.write_bytes(b"not a database at all" * 100)
    rebuilt = build_index(cache=tmp_path)
    assert reads == [1]
    assert rebuilt.validate_billable("m5450") == "M54.50"
    assert len(rebuilt) == len(icd10)
    assert cached.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in tmp_path.iterdir()] == [cached.name]  # no partial file left
    # So is a file cut short: by two thirds, or by its last page alone.
    cached.write_bytes(cached.read_bytes()[: cached.stat().st_size // 3])
    assert len(build_index(cache=tmp_path)) == len(icd10)
    assert reads == [1, 1]
    cached.write_bytes(cached.read_bytes()[:-4096])
    assert len(build_index(cache=tmp_path)) == len(icd10)
    assert reads == [1, 1, 1]


def test_a_cache_folder_that_cannot_be_written_still_gives_a_whole_index(
    tmp_path, icd10: Icd10Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    from practice.paths import cache_dir
    from practice.plans import icd10 as module
    from practice.plans.icd10 import build_index

    [written] = list(cache_dir().glob("icd10cm-*.sqlite"))
    monkeypatch.setattr(module, "_read_package", lambda: _package_data(written))
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    index = build_index(cache=blocked)  # made in memory instead
    assert len(index) == len(icd10)
    assert index.validate_billable("m5450") == "M54.50"
    assert index.search("M54.5")[0].code == "M54.50"


def test_a_new_file_clears_older_code_lists_but_not_a_build_under_way(
    tmp_path, icd10: Icd10Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import time

    from practice.paths import cache_dir
    from practice.plans import icd10 as module
    from practice.plans.icd10 import build_index

    [written] = list(cache_dir().glob("icd10cm-*.sqlite"))
    monkeypatch.setattr(module, "_read_package", lambda: _package_data(written))
    older = tmp_path / "icd10cm-2025.1-2.json.gz"  # the format before this one
    under_way = tmp_path / "icd10cm-x.sqlite.123.partial"  # another Fascia building now
    left = tmp_path / "icd10cm-x.sqlite.456.partial"  # a build killed two days ago
    for path in (older, under_way, left):
        path.write_bytes(b"...")
    two_days_ago = time.time() - 2 * 86400
    os.utime(left, (two_days_ago, two_days_ago))
    build_index(cache=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([under_way.name, written.name])


def _package_data(path) -> dict:  # type: ignore[no-untyped-def]
    """The codes and children a build read from the package, taken back from its file (the
    inherited words are left out: they only widen searches)."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        codes = [
            (code, description, bool(billable), bool(heading))
            for code, description, billable, heading in connection.execute(
                "SELECT code, description, billable, heading FROM code ORDER BY n"
            )
        ]
        children: dict[str, list[str]] = {}
        for parent, kid in connection.execute(
            "SELECT parent, code FROM child ORDER BY parent, position"
        ):
            children.setdefault(parent, []).append(kid)
    connection.close()
    return {"codes": codes, "children": children, "words": {}}


def test_codes_that_describe_the_words_themselves_come_before_inherited_matches(
    icd10: Icd10Index,
) -> None:
    results = icd10.search("low back", limit=30)
    described = [
        c for c in results if "low" in c.description.lower() and "back" in c.description.lower()
    ]
    assert results[: len(described)] == described  # own-description matches first
    assert [c.code for c in results[:3]] == ["M54.50", "M54.51", "M54.59"]
    assert "S30.852S" not in [c.code for c in results[:10]]  # only "lower back" by category


def test_the_code_list_stays_in_its_file_not_in_the_windows_memory(icd10: Icd10Index) -> None:
    """The 100,000 codes as Python objects took about 100 MiB of the window's memory; the
    index now holds a connection to its file, and a search builds only what it returns."""
    import tracemalloc

    from practice.plans.icd10 import build_index

    tracemalloc.start()
    try:
        index = build_index()  # from the session's file, as the window's loader opens it
        assert index.validate_billable("m5450") == "M54.50"
        for query in ("low back pain", "p", "a", "M5", "tension headache", "pain"):
            assert index.search(query, limit=50)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(index) == len(icd10) > 90_000
    assert peak < 4 * 2**20, f"{peak / 2**20:.1f} MiB of Python objects for the code list"


@pytest.mark.parametrize(
    "typed",
    [
        "a " * 50_000,  # a pasted page: 100,000 characters
        "low back " + "x" * 100_000,
        "כאב גב",  # Hebrew
        "ألم الظهر",  # Arabic
        "요통",  # Korean
        "😀 neck pain 🙂",
        'low" OR back* NEAR(',  # full-text syntax is searched as words, never run
        "low\x00back",
        "NaN",
        "1E+30",
    ],
)
def test_any_text_typed_or_pasted_searches_without_an_error(icd10: Icd10Index, typed: str) -> None:
    from practice.plans.icd10 import LONGEST_QUERY

    results = icd10.search(typed)
    assert all(code.billable for code in results)
    assert results == icd10.search(typed[:LONGEST_QUERY])
    if "neck pain" in typed:
        assert "M54.2" in [code.code for code in results]


def test_the_longest_description_is_found_by_typing_it_whole(icd10: Icd10Index) -> None:
    from practice.plans.icd10 import LONGEST_QUERY

    [(code, description)] = icd10._all(
        "SELECT code, description FROM code WHERE rank IS NOT NULL"
        " ORDER BY length(description) DESC, n LIMIT 1",
        (),
    )
    assert len(description) <= LONGEST_QUERY
    assert icd10.search(description)[0].code == code


_BUILD_IN_CHILD = """
import sys
from pathlib import Path
from practice.plans import icd10
from tests.practice.plans.test_icd10 import _package_data
icd10._read_package = lambda: _package_data(Path(sys.argv[1]))
print("started", flush=True)
icd10.build_index(cache=Path(sys.argv[2]))
"""


@pytest.mark.skipif(__import__("os").name != "posix", reason="SIGKILL")
def test_a_build_killed_at_any_moment_leaves_no_file_or_a_whole_one(
    tmp_path, icd10: Icd10Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random
    import signal
    import subprocess
    import sys
    import time

    from practice.paths import cache_dir
    from practice.plans import icd10 as module
    from practice.plans.icd10 import build_index

    [written] = list(cache_dir().glob("icd10cm-*.sqlite"))
    monkeypatch.setattr(module, "_read_package", lambda: _package_data(written))
    moments = random.Random(17)
    for run in range(4):
        folder = tmp_path / f"run{run}"
        child = subprocess.Popen(
            [sys.executable, "-c", _BUILD_IN_CHILD, str(written), str(folder)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline() == "started\n"
        time.sleep(moments.uniform(0.0, 1.5))  # reading, filling, checking or renaming
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        finals = [p for p in folder.glob("icd10cm-*") if not p.name.endswith(".partial")]
        if finals:  # a renamed file is a whole one: it opens as it is, with no new build
            assert module._open_cache(finals[0]) is not None
        index = build_index(cache=folder)
        assert len(index) == len(icd10)
        assert [c.code for c in index.search("M54.5")] == [c.code for c in icd10.search("M54.5")]
