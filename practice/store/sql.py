"""SQL expressions the two engines spell differently, for the services' queries.

Services build queries with SQLAlchemy; where SQLite and PostgreSQL have no common spelling
(a month of a date, the elements of a JSON array) they use these, compiled per engine here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Boolean


class month_of(FunctionElement[str]):
    """'YYYY-MM' of a date or timestamp column."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_postgres(element: month_of, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class json_array_has(FunctionElement[bool]):
    """Whether a JSON array column holds an object whose `key` is `value`:
    json_array_has(column, 'kind', 'imported')."""

    type = Boolean()
    inherit_cache = True


def _parts(element: json_array_has, compiler: Any, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(json_array_has, "sqlite")
def _has_sqlite(element: json_array_has, compiler: Any, **kw: Any) -> str:
    column, key, value = _parts(element, compiler, **kw)
    return (
        f"EXISTS (SELECT 1 FROM json_each({column}) AS e "
        f"WHERE json_extract(e.value, '$.' || {key}) = {value})"
    )


@compiles(json_array_has, "postgresql")
def _has_postgres(element: json_array_has, compiler: Any, **kw: Any) -> str:
    column, key, value = _parts(element, compiler, **kw)
    return f"EXISTS (SELECT 1 FROM json_array_elements({column}) AS e WHERE e ->> {key} = {value})"
