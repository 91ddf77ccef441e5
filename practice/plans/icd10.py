"""ICD-10-CM codes for diagnoses: a search-as-you-type index over the full code list, validation.

The code list comes from the `simple-icd-10-cm` package (the CMS tabular list it bundles).
Only leaf codes are billable: M54.5 is a category whose billable codes are M54.50, M54.51 and
M54.59. The first start ever reads the package (a few seconds, most of it its XML) into an
SQLite file in the cache folder, with a full-text index of the words; later starts open that
file. The UI opens it once on a worker thread through `LOADER`; lookups and searches are SQL
queries of a millisecond or less, on whichever thread asks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from practice.errors import ValidationError
from practice.paths import cache_dir
from practice.text import fold, single_line

_WORD = re.compile(r"[a-z0-9]+")
_CODE_LIKE = re.compile(r"^[a-z][0-9][0-9a-z]?\.?[0-9a-z]{0,4}$")
_CHILDREN_SHOWN = 6
# What a search reads of the text typed: more than the longest description (228 characters),
# so a pasted page of text (100,000 characters) is answered as quickly as a word.
LONGEST_QUERY = 300


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

    The codes live in an SQLite file (`build_index` makes it once, in the cache folder): the
    index holds one read-only connection, not the 100,000 codes, so the whole list costs the
    window a few pages of SQLite's cache instead of about 100 MiB of Python objects. Any
    thread may use it (one at a time).

    Search results are billable codes only (the ones a plan may use), in this order: codes
    starting with the typed code, descriptions starting with the typed words, then
    descriptions containing a word starting with each typed word; within each group the
    shorter (more general) descriptions first, then code order.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._lock = threading.Lock()
        counts = self._one("SELECT count(*), count(rank) FROM code", ())
        self._count, self._billable = counts if counts is not None else (0, 0)

    def _all(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _one(self, sql: str, params: Sequence[object]) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
            return row

    def __len__(self) -> int:
        return int(self._count)

    @property
    def billable_count(self) -> int:
        return int(self._billable)

    # --- lookups -----------------------------------------------------------------------------

    def normalise(self, text: str) -> str:
        """'m5450', ' M54.50 ' -> 'M54.50'; unknown codes come back upper-cased and trimmed."""
        return self._look_up(text)[0]

    def get(self, code: str) -> Icd10Code | None:
        return self._look_up(code)[1]

    def _look_up(self, text: str) -> tuple[str, Icd10Code | None]:
        """The normalised code and the code it names (None if none), in one query: the text as
        typed first, then with its dot put back. Invisible characters (a zero-width space
        pasted with a code, a lone surrogate) are dropped first, as from every text."""
        code = single_line(text).upper()
        bare = code.replace(".", "")
        dotted = f"{bare[:3]}.{bare[3:]}" if len(bare) > 3 else bare
        rows = self._all(f"SELECT {_FIELDS} FROM code WHERE code IN (?, ?)", (code, dotted))
        found = {row[0]: row for row in rows}
        for candidate in (code, dotted):
            if candidate in found:
                return candidate, _code(found[candidate])
        return code, None

    def describe(self, code: str) -> str:
        """The description of any code (billable or not); KeyError for an unknown code."""
        found = self.get(code)
        if found is None:
            raise KeyError(f"{code!r} is not an ICD-10-CM code")
        return found.description

    def billable_codes_under(self, code: str) -> tuple[Icd10Code, ...]:
        """The billable codes below a category, in code order (each code's own codes follow
        it, as in the tabular list)."""
        rows = self._all(
            "WITH RECURSIVE below(code, path) AS ("
            " SELECT code, printf('%06d', position) FROM child WHERE parent = ?"
            " UNION ALL SELECT child.code, below.path || printf('%06d', child.position)"
            " FROM child JOIN below ON child.parent = below.code)"
            f" SELECT {_FIELDS} FROM below JOIN code USING (code)"
            " WHERE code.billable ORDER BY below.path",
            (self.normalise(code),),
        )
        return tuple(_code(row) for row in rows)

    def validate_billable(self, code: str, field: str = "code") -> str:
        """The normalised code, or ValidationError saying what to use instead."""
        normal, found = self._look_up(code)
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
        query = fold(single_line(text))[:LONGEST_QUERY]
        if not query or limit <= 0:
            return []
        found: dict[int, None] = {}  # ranks, in the order found
        if _CODE_LIKE.match(query):
            bare = _bare(query)
            self._add(
                "SELECT rank FROM code WHERE bare >= ? AND bare < ? ORDER BY bare, n LIMIT ?",
                (bare, bare + _LAST, limit),
                found,
                limit,
            )
        words = _WORD.findall(query)
        if words and len(found) < limit:
            phrase = " ".join(words)
            self._add(
                "SELECT rank FROM code WHERE folded >= ? AND folded < ? ORDER BY rank LIMIT ?",
                (phrase, phrase + _LAST, limit),
                found,
                limit,
            )
        # Codes whose own description has every word first, then those that have some of them
        # only through inclusion terms, the categories above them or everyday words (so "low
        # back" lists low back pain before injuries filed under "lower back").
        for column in ("own : ", ""):
            if words and len(found) < limit:
                distinct = dict.fromkeys(words)  # "a a a" asks for "a" once
                match = " AND ".join(f'{column}"{word}"*' for word in distinct)
                self._add(
                    "SELECT rowid FROM word WHERE word MATCH ? ORDER BY rowid LIMIT ?",
                    (match, limit),
                    found,
                    limit,
                )
        if not found:
            return []
        ranks = list(found)
        rows = self._all(
            f"SELECT rank, {_FIELDS} FROM code WHERE rank IN ({','.join('?' * len(ranks))})",
            ranks,
        )
        by_rank = {row[0]: _code(row[1:]) for row in rows}
        return [by_rank[rank] for rank in ranks]

    def prime(self) -> Icd10Index:
        """Search once for each letter and digit, so the pages the first key of any search
        reads are in memory (a first search from a cold disk took up to 10 ms). A few tens of
        ms: the loader does it on its worker thread."""
        for first in "abcdefghijklmnopqrstuvwxyz0123456789":
            self.search(first)
        return self

    def _add(self, sql: str, params: Sequence[object], found: dict[int, None], limit: int) -> None:
        """Add the matches (best first) not found yet until there are `limit` results."""
        for (rank,) in self._all(sql, params):
            if len(found) >= limit:
                return
            found.setdefault(rank)


_FIELDS = "code, description, billable, heading"
_LAST = "\uffff"  # after every character a description or code holds


def _code(row: Sequence[Any]) -> Icd10Code:
    code, description, billable, heading = row
    return Icd10Code(code, description, bool(billable), bool(heading))


def _fold(text: str) -> str:
    """`practice.text.fold`, with a shortcut for the plain ASCII most descriptions are."""
    return text.lower() if text.isascii() else fold(text)


def _bare(code: str) -> str:
    return code.replace(".", "").lower()


CACHE_FORMAT = 3  # 3: an SQLite file with a full-text index (2: lines of JSON)

_SCHEMA = """
CREATE TABLE meta (format INTEGER NOT NULL, codes INTEGER NOT NULL);
CREATE TABLE code (
    n INTEGER PRIMARY KEY,     -- the tabular list's order
    code TEXT NOT NULL UNIQUE, -- with its dot: M54.50
    description TEXT NOT NULL,
    billable INTEGER NOT NULL,
    heading INTEGER NOT NULL,
    rank INTEGER UNIQUE,       -- billable codes: fewer words first, then code order
    bare TEXT,                 -- billable codes: m5450
    folded TEXT                -- billable codes: the description as searched
);
CREATE INDEX code_bare ON code (bare, n) WHERE bare IS NOT NULL;
CREATE INDEX code_folded ON code (folded, rank) WHERE folded IS NOT NULL;
CREATE TABLE child (
    parent TEXT NOT NULL, position INTEGER NOT NULL, code TEXT NOT NULL,
    PRIMARY KEY (parent, position)
) WITHOUT ROWID;
-- The words of each billable code, its rowid its rank: `own` from its description, `extra`
-- from its inclusion terms, the categories above it and everyday words.
CREATE VIRTUAL TABLE word USING fts5(
    own, extra, content='', columnsize=0, detail=column, tokenize='ascii', prefix='1 2'
);
"""


def build_index(cache: Path | None = None) -> Icd10Index:
    """The index over its SQLite file, made first if need be (run it off the GUI thread).

    The first build reads `simple-icd-10-cm` (about 3 s) and writes the file in `cache`
    (default: the user cache folder), named after the package version and the everyday terms;
    later builds open that file (a few ms). A missing, stale or damaged file is made again
    from the package: under a temporary name, checked, then renamed. Where the folder cannot
    be written, the index is made in memory instead.
    """
    folder = cache if cache is not None else cache_dir()
    path = folder / f"icd10cm-{_package_version()}-{CACHE_FORMAT}-{_terms_key()}.sqlite"
    index = _open_cache(path)
    if index is None:
        data = _read_package()
        index = _open_cache(path) if _write_cache(path, data) else None
        if index is None:  # no cache folder: the same tables, in memory
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(connection, data)
            index = Icd10Index(connection)
    return index


def _package_version() -> str:
    try:
        return metadata.version("simple-icd-10-cm")
    except metadata.PackageNotFoundError:  # pragma: no cover - a frozen bundle without metadata
        return "unknown"


def _terms_key() -> str:
    """Names the everyday terms in the file's name, so editing them makes a new file."""
    text = json.dumps(EVERYDAY_TERMS, sort_keys=True).encode()
    return hashlib.sha256(text).hexdigest()[:8]


def _open_cache(path: Path) -> Icd10Index | None:
    """The index over an existing file, or None if it is missing or not one this code wrote."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
    except sqlite3.Error:
        return None
    try:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        row = connection.execute("SELECT format, codes FROM meta").fetchone()
        counted = connection.execute("SELECT count(*) FROM code").fetchone()[0]
        connection.execute("SELECT rowid FROM word WHERE word MATCH 'pain' LIMIT 1").fetchall()
        whole = path.stat().st_size == pages * page_size  # as long as its header says
        if row != (CACHE_FORMAT, counted) or not counted or not whole:
            raise sqlite3.DatabaseError("not a whole code list")
    except (OSError, sqlite3.Error):
        connection.close()
        return None
    return Icd10Index(connection)


def _write_cache(path: Path, data: dict[str, Any]) -> bool:
    """Write the file under a temporary name, check it, rename it into place. False if the
    folder cannot be written (the caller builds in memory)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        connection = sqlite3.connect(partial)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            _fill(connection, data)
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("the new code list failed its check")
        finally:
            connection.close()
        os.replace(partial, path)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
    for stale in path.parent.glob("icd10cm-*"):  # older versions and formats, and what a
        with contextlib.suppress(OSError):  # build killed part way left a day ago or more
            if stale != path and (
                not stale.name.endswith(".partial") or time.time() - stale.stat().st_mtime > 86400
            ):
                stale.unlink()
    return True


def _fill(connection: sqlite3.Connection, data: dict[str, Any]) -> None:
    """The tables of `_SCHEMA` from the package's codes, children and inherited words."""
    codes = data["codes"]
    words = {
        code: f"{EVERYDAY_TERMS.get(code, '')} {inherited}".strip()
        for code, inherited in data["words"].items()
    }
    billable = [n for n, (_code, _desc, is_billable, _head) in enumerate(codes) if is_billable]
    folded = {n: _fold(codes[n][1]) for n in billable}
    own = {n: _WORD.findall(folded[n]) for n in billable}
    order = sorted(billable, key=lambda n: (len(own[n]), n))  # the static rank
    rank = {n: r for r, n in enumerate(order)}
    connection.executescript(_SCHEMA)
    with connection:
        connection.executemany(
            "INSERT INTO code VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    n,
                    code,
                    description,
                    int(is_billable),
                    int(heading),
                    rank.get(n),
                    _bare(code) if is_billable else None,
                    folded.get(n),
                )
                for n, (code, description, is_billable, heading) in enumerate(codes)
            ),
        )
        connection.executemany(
            "INSERT INTO child VALUES (?, ?, ?)",
            (
                (parent, position, kid)
                for parent, kids in data["children"].items()
                for position, kid in enumerate(kids)
            ),
        )
        connection.executemany(
            "INSERT INTO word (rowid, own, extra) VALUES (?, ?, ?)",
            (
                (
                    rank[n],
                    " ".join(own[n]),
                    " ".join(_WORD.findall(_fold(words.get(codes[n][0], "")))),
                )
                for n in order
            ),
        )
        connection.execute("INSERT INTO word (word) VALUES ('optimize')")
        connection.execute("INSERT INTO meta VALUES (?, ?)", (CACHE_FORMAT, len(codes)))


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
    """Opens the index once, on whichever thread asks first; later calls return the same one.

    The UI calls `load()` on a worker thread at start-up (the first start ever makes the file,
    a few seconds) and `loaded()` on the GUI thread to see whether it is ready without waiting.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: Icd10Index | None = None

    def loaded(self) -> Icd10Index | None:
        """The index once `load` has opened it, else None."""
        return self._index

    def load(self) -> Icd10Index:
        """The index, ready to search."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = build_index().prime()
        return self._index


LOADER = Icd10Loader()


def icd10_index() -> Icd10Index:
    """The shared index for checking, describing and searching codes, opened on first use
    (the first use ever blocks the caller while it makes the file from the package)."""
    return LOADER.load()
