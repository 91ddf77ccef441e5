"""ICD-10-CM codes for diagnoses: a search-as-you-type index over the full code list, validation.

The code list comes from the `simple-icd-10-cm` package (the CMS tabular list it bundles).
Only leaf codes are billable: M54.5 is a category whose billable codes are M54.50, M54.51 and
M54.59. Building the index takes a few seconds (most of it the package reading its XML), so
the UI builds it once on a worker thread through `LOADER` and searches the result on the GUI
thread; every search after that is a few set operations. Checking codes needs the code list
alone: `icd10_index()` leaves the search tables to the first search.
"""

from __future__ import annotations

import bisect
import gzip
import json
import os
import re
import threading
import warnings
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from practice.errors import ValidationError
from practice.paths import cache_dir
from practice.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_CODE_LIKE = re.compile(r"^[a-z][0-9][0-9a-z]?\.?[0-9a-z]{0,4}$")
_CACHE_SIZE = 512
_CHILDREN_SHOWN = 6


# Everyday words a therapist types that the code list words differently (searched, not shown).
EVERYDAY_TERMS: dict[str, str] = {
    "M54.2": "neck pain",
    "M54.6": "upper back pain mid back pain",
    "M54.9": "back pain",
    "M79.10": "muscle pain",
    "M79.18": "muscle pain",
    "M62.830": "back spasm",
    "G44.209": "tension headache",
}


@dataclass(frozen=True, slots=True)
class Icd10Code:
    code: str  # with its dot: "M54.50"
    description: str
    billable: bool
    heading: bool = False  # a chapter or block of categories, such as M50-M54


class Icd10Index:
    """Every ICD-10-CM code with its description, searchable by code prefix and by words.

    Search results are billable codes only (the ones a plan may use), in this order: codes
    starting with the typed code, descriptions starting with the typed words, then
    descriptions containing a word starting with each typed word; within each group the
    shorter (more general) descriptions first, then code order.
    """

    def __init__(
        self,
        codes: Iterable[Icd10Code],
        children: Mapping[str, tuple[str, ...]],
        terms: Mapping[str, str] | None = None,
    ) -> None:
        """`terms` adds searchable words per code (inclusion terms, everyday words).

        Looking codes up needs only the code list; the search tables (three quarters of the
        build) are made by `ready_search`, or by the first search, so that checking a plan's
        codes (the command line, a demo, an import) never pays for them."""
        self._codes: tuple[Icd10Code, ...] = tuple(codes)
        self._by_code = {c.code: c for c in self._codes}
        self._children = dict(children)
        self._terms = dict(terms or {})
        self._search_lock = threading.Lock()
        self._searchable = False
        self._prefix_cache: dict[tuple[str, bool], frozenset[int]] = {}

    def ready_search(self) -> Icd10Index:
        """Make the search tables now (once, whatever the thread), so no search waits for them."""
        if not self._searchable:
            with self._search_lock:
                if not self._searchable:
                    self._make_search_tables()
                    self._searchable = True
        return self

    @property
    def search_ready(self) -> bool:
        return self._searchable

    def _make_search_tables(self) -> None:
        terms = self._terms
        billable = [i for i, c in enumerate(self._codes) if c.billable]
        folded = {i: _fold(self._codes[i].description) for i in billable}
        word_count: dict[int, int] = {}
        postings: dict[str, list[int]] = {}  # words of the description and of its terms
        own: dict[str, list[int]] = {}  # words of the description alone
        for i in billable:
            described = _WORD.findall(folded[i])
            word_count[i] = len(described)
            extra = _WORD.findall(_fold(terms.get(self._codes[i].code, "")))
            for word in {*described, *extra}:
                postings.setdefault(word, []).append(i)
            for word in set(described):
                own.setdefault(word, []).append(i)
        # A static rank for billable codes: fewer words first, then code order.
        order = sorted(billable, key=lambda i: (word_count[i], i))
        self._rank = {i: r for r, i in enumerate(order)}
        self._ranked = tuple(order)
        self._by_bare_code = sorted((_bare(self._codes[i].code), i) for i in billable)
        self._by_description = sorted((folded[i], i) for i in billable)
        self._vocabulary = sorted(postings)
        self._postings = [postings[w] for w in self._vocabulary]
        self._own_vocabulary = sorted(own)
        self._own_postings = [own[w] for w in self._own_vocabulary]

    def __len__(self) -> int:
        return len(self._codes)

    @property
    def billable_count(self) -> int:
        return sum(c.billable for c in self._codes)

    # --- lookups -----------------------------------------------------------------------------

    def normalise(self, text: str) -> str:
        """'m5450', ' M54.50 ' -> 'M54.50'; unknown codes come back upper-cased and trimmed."""
        code = text.strip().upper()
        if code in self._by_code:
            return code
        bare = code.replace(".", "")
        dotted = f"{bare[:3]}.{bare[3:]}" if len(bare) > 3 else bare
        return dotted if dotted in self._by_code else code

    def get(self, code: str) -> Icd10Code | None:
        return self._by_code.get(self.normalise(code))

    def describe(self, code: str) -> str:
        """The description of any code (billable or not); KeyError for an unknown code."""
        found = self.get(code)
        if found is None:
            raise KeyError(f"{code!r} is not an ICD-10-CM code")
        return found.description

    def billable_codes_under(self, code: str) -> tuple[Icd10Code, ...]:
        """The billable codes below a category, in code order."""
        found: list[Icd10Code] = []
        stack = list(reversed(self._children.get(self.normalise(code), ())))
        while stack:
            child = self._by_code[stack.pop()]
            if child.billable:
                found.append(child)
            stack.extend(reversed(self._children.get(child.code, ())))
        return tuple(found)

    def validate_billable(self, code: str, field: str = "code") -> str:
        """The normalised code, or ValidationError saying what to use instead."""
        normal = self.normalise(code)
        found = self._by_code.get(normal)
        if not normal:
            raise ValidationError("Enter an ICD-10-CM code.", field)
        if found is None:
            raise ValidationError(
                f"{normal} is not an ICD-10-CM code; search by code or by words to find the "
                "right one.",
                field,
            )
        if found.billable:
            return found.code
        what = f"{found.code} ({found.description})"
        under = self.billable_codes_under(found.code)
        if found.heading or not under:
            raise ValidationError(
                f"{what} is a chapter or block heading, not a billable code; search within it "
                "for the specific code.",
                field,
            )
        if len(under) > _CHILDREN_SHOWN:
            raise ValidationError(
                f"{what} is a category, not a billable code; it has {len(under)} billable codes "
                f"below it: search for {found.code} to pick one.",
                field,
            )
        shown = [f"{c.code} ({c.description})" for c in under]
        choice = f"{', '.join(shown[:-1])} or {shown[-1]}" if len(shown) > 1 else shown[0]
        raise ValidationError(
            f"{what} is a category, not a billable code; use {choice}.",
            field,
        )

    # --- search ------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> list[Icd10Code]:
        """Billable codes matching what is typed so far: a code prefix or words of a description."""
        query = fold(text).strip()
        if not query or limit <= 0:
            return []
        self.ready_search()
        found: dict[int, None] = {}
        if _CODE_LIKE.match(query):
            self._add_code_prefix(_bare(query), found, limit)
        words = _WORD.findall(query)
        if words and len(found) < limit:
            self._add_description_prefix(" ".join(words), found, limit)
        if words and len(found) < limit:
            self._add_words(words, found, limit)
        return [self._codes[i] for i in list(found)[:limit]]

    def _add_code_prefix(self, bare: str, found: dict[int, None], limit: int) -> None:
        start = bisect.bisect_left(_Keys(self._by_bare_code), bare)
        for key, i in self._by_bare_code[start : start + limit]:
            if not key.startswith(bare):
                break
            found.setdefault(i)

    def _add_description_prefix(self, phrase: str, found: dict[int, None], limit: int) -> None:
        keys = _Keys(self._by_description)
        start = bisect.bisect_left(keys, phrase)
        end = bisect.bisect_left(keys, phrase + "\uffff", lo=start)
        self._add_ranked({i for _, i in self._by_description[start:end]}, found, limit)

    def _add_words(self, words: Sequence[str], found: dict[int, None], limit: int) -> None:
        """Codes whose own description has every word first, then those that have some of
        them only through inclusion terms, the categories above them or everyday words (so
        "low back" lists low back pain before injuries filed under "lower back")."""
        for own in (True, False):
            if len(found) >= limit:
                return
            sets = sorted((self._with_word_prefix(w, own=own) for w in words), key=len)
            self._add_ranked(sets[0].intersection(*sets[1:]), found, limit)

    def _add_ranked(self, matches: AbstractSet[int], found: dict[int, None], limit: int) -> None:
        """Add the best-ranked matches not found yet until there are `limit` results."""
        if not matches:
            return
        if len(matches) * 20 > len(self._ranked):
            ordered: Iterable[int] = (i for i in self._ranked if i in matches)  # meets them early
        else:
            ordered = sorted(matches, key=self._rank.__getitem__)
        for i in ordered:
            if len(found) >= limit:
                return
            found.setdefault(i)

    def _with_word_prefix(self, prefix: str, *, own: bool = False) -> frozenset[int]:
        cached = self._prefix_cache.get((prefix, own))
        if cached is not None:
            return cached
        vocabulary = self._own_vocabulary if own else self._vocabulary
        postings = self._own_postings if own else self._postings
        start = bisect.bisect_left(vocabulary, prefix)
        end = bisect.bisect_left(vocabulary, prefix + "\uffff", lo=start)
        result = frozenset().union(*postings[start:end])
        if len(self._prefix_cache) >= _CACHE_SIZE:
            self._prefix_cache.clear()
        self._prefix_cache[(prefix, own)] = result
        return result


class _Keys(Sequence[str]):
    """The first items of a sorted list of pairs, for bisect without a copy."""

    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self._pairs = pairs

    def __len__(self) -> int:
        return len(self._pairs)

    def __getitem__(self, i: Any) -> Any:
        return self._pairs[i][0]


def _fold(text: str) -> str:
    """`practice.text.fold`, with a shortcut for the plain ASCII most descriptions are."""
    return text.lower() if text.isascii() else fold(text)


def _bare(code: str) -> str:
    return code.replace(".", "").lower()


CACHE_FORMAT = 2  # 2: lines of entries (1: one JSON document)


def build_index(cache: Path | None = None) -> Icd10Index:
    """Read the full code list (a few seconds: run it off the GUI thread).

    The first build reads `simple-icd-10-cm` (about 3 s) and writes what it found to a cache
    file in `cache` (default: the user cache folder) named after the package version; later
    builds read that file instead (well under a second). A missing, stale or damaged cache is
    rebuilt from the package.
    """
    folder = cache if cache is not None else cache_dir()
    path = folder / f"icd10cm-{_package_version()}-{CACHE_FORMAT}.json.gz"
    data = _read_cache(path)
    if data is None:
        data = _read_package()
        _write_cache(path, data)
    codes = [
        Icd10Code(code, description, billable, heading)
        for code, description, billable, heading in data["codes"]
    ]
    children = {code: tuple(kids) for code, kids in data["children"].items()}
    words = {
        code: f"{EVERYDAY_TERMS.get(code, '')} {inherited}".strip()
        for code, inherited in data["words"].items()
    }
    return Icd10Index(codes, children, words)


def _package_version() -> str:
    try:
        return metadata.version("simple-icd-10-cm")
    except metadata.PackageNotFoundError:  # pragma: no cover - a frozen bundle without metadata
        return "unknown"


def _read_cache(path: Path) -> dict[str, Any] | None:
    """The cache: lines of a few thousand entries each (`_write_cache`), so no single parse
    holds the interpreter long while the screens answer on the GUI thread."""
    data: dict[str, Any] = {"codes": [], "children": {}, "words": {}}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            for line in file:
                part = json.loads(line)
                if not isinstance(part, list) or len(part) != 2 or part[0] not in data:
                    return None
                name, entries = part
                if name == "codes":
                    data["codes"].extend(entries)
                else:
                    data[name].update(entries)
    except (OSError, ValueError, EOFError, TypeError, AttributeError):
        return None
    return data if data["codes"] else None


CACHE_CHUNK = 4000  # entries per line of the cache file


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    """Best effort: a folder that cannot be written only means the next start rebuilds."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with gzip.open(partial, "wt", encoding="utf-8", compresslevel=6) as file:
            for name in ("codes", "children", "words"):
                entries = data[name] if name == "codes" else list(data[name].items())
                for start in range(0, len(entries), CACHE_CHUNK):
                    chunk = entries[start : start + CACHE_CHUNK]
                    part = chunk if name == "codes" else dict(chunk)
                    file.write(json.dumps([name, part], ensure_ascii=False, separators=(",", ":")))
                    file.write("\n")
        os.replace(partial, path)
    except OSError:
        return


def _read_package() -> dict[str, Any]:
    """Codes, children and inherited search words straight from `simple-icd-10-cm` (the
    everyday terms are added when the index is built, so editing them needs no new cache)."""
    with warnings.catch_warnings():
        # The package reads its data with a deprecated importlib.resources call.
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as cm

        codes = []
        children: dict[str, tuple[str, ...]] = {}
        terms: dict[str, str] = {}
        for code in dict.fromkeys(cm.get_all_codes()):
            kids = tuple(cm.get_children(code))
            if kids:
                children[code] = kids
            is_code = cm.is_category_or_subcategory(code)
            codes.append((code, cm.get_description(code), not kids and is_code, not is_code))
            included = cm.get_inclusion_term(code)
            if included:
                terms[code] = " ".join(included)
    # A code's search words include those of the categories above it ("Myalgia" includes
    # myofascial pain syndrome, so M79.12 is found by it) and the everyday terms.
    inherited: dict[str, str] = {}

    def words_of(code: str, above: str) -> None:
        inherited[code] = f"{above} {terms.get(code, '')}".strip()
        for kid in children.get(code, ()):
            words_of(kid, inherited[code])

    roots = set(children) - {kid for kids in children.values() for kid in kids}
    for root in roots:
        words_of(root, "")
    words = {
        code: inherited.get(code, "")
        for code, _description, billable, _heading in codes
        if billable
    }
    return {"codes": codes, "children": children, "words": words}


class Icd10Loader:
    """Builds the index once, on whichever thread asks first; later calls return the same one.

    The UI calls `load()` on a worker thread at start-up (or when the diagnosis picker first
    opens) and `loaded()` on the GUI thread to see whether it is ready without waiting.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: Icd10Index | None = None

    def loaded(self) -> Icd10Index | None:
        """The index once it is ready to search (`load` made it), else None."""
        index = self._index
        return index if index is not None and index.search_ready else None

    def load(self) -> Icd10Index:
        """The index, ready to search."""
        return self.codes().ready_search()

    def codes(self) -> Icd10Index:
        """The index for looking codes up; its search tables are made when first searched."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = build_index()
        return self._index


LOADER = Icd10Loader()


def icd10_index() -> Icd10Index:
    """The shared index for checking and describing codes, built on first use (blocking the
    caller while it reads the code list; searching it first makes its search tables)."""
    return LOADER.codes()
