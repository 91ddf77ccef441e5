"""How each table of the practice is written to CSV: its columns, read from the models.

The export never keeps a list of its own: every table registered in `practice.tables` and
every column of it is exported, in the models' order, and the archive's README is written from
the same description (`ExportTable`), so neither can drift from the schema. A column's kind
(text, whole number, amount, date ...) decides how its value is written; `descriptions.py`
says what it means.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    Integer,
    LargeBinary,
    Table,
    Time,
)

from practice import tables as _registered  # noqa: F401  (every feature's tables)
from practice.billing.money import from_cents, rate_from_milli
from practice.billing.reports import safe_cell
from practice.exchange.descriptions import describe_column, describe_table
from practice.store.base import Base, UTCDateTime


class Kind(StrEnum):
    """What a cell holds, as the README explains it."""

    TEXT = "text"
    INTEGER = "whole number"
    AMOUNT = "amount"
    PERCENT = "percent"
    DECIMAL = "number"
    BOOLEAN = "true/false"
    DATE = "date"
    MOMENT = "moment"
    TIME = "time of day"
    JSON = "JSON"
    FILE = "file"


KIND_HELP = {
    Kind.TEXT: "Text as entered (but see the leading ' above).",
    Kind.INTEGER: "A whole number such as 42.",
    Kind.AMOUNT: "Money as a decimal string with two decimals (12.50), in the currency named "
    "by the row's `currency` column or else the practice's (practice_profile.csv).",
    Kind.PERCENT: "A percentage as a decimal string (9.975 means 9.975 %).",
    Kind.DECIMAL: "A decimal number such as 6.5.",
    Kind.BOOLEAN: "true or false.",
    Kind.DATE: "A calendar day, ISO 8601: 2025-03-05.",
    Kind.MOMENT: "A moment in UTC, ISO 8601 with its offset: 2025-03-05T14:30:00+00:00.",
    Kind.TIME: "A wall-clock time of day, ISO 8601: 09:30:00.",
    Kind.JSON: "A JSON value (an object or a list), as stored.",
    Kind.FILE: "The path of a file inside this archive that holds the value.",
}

# Columns whose value goes to a file of its own (the cell names it): table.column -> folder, ext.
FILE_COLUMNS = {
    "issued_document.pdf": ("documents", "pdf"),
    "body_chart.data": ("charts", "json"),
    "practice_profile.logo_png": ("files", "png"),
}


@dataclass(frozen=True, slots=True)
class ExportColumn:
    name: str  # in the model
    header: str  # in the CSV: amounts lose their _cents suffix, rates their _milli
    kind: Kind
    optional: bool
    refers_to: str  # "client.id", or ""
    description: str
    allowed: tuple[str, ...] = ()  # the values a check constraint admits


@dataclass(frozen=True, slots=True)
class ExportTable:
    name: str
    description: str
    columns: tuple[ExportColumn, ...]
    table: Table

    @property
    def file_name(self) -> str:
        return f"tables/{self.name}.csv"

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def file_path(self, column: ExportColumn, row_id: Any) -> str:
        folder, ext = FILE_COLUMNS[f"{self.name}.{column.name}"]
        return f"{folder}/{self.name}-{row_id}-{column.name}.{ext}"


@cache
def export_tables() -> tuple[ExportTable, ...]:
    """Every table of the practice, parents before the tables that refer to them."""
    return tuple(_export_table(table) for table in Base.metadata.sorted_tables)


def export_table(name: str) -> ExportTable:
    return next(t for t in export_tables() if t.name == name)


def _export_table(table: Table) -> ExportTable:
    columns = tuple(_export_column(table, column) for column in table.columns)
    return ExportTable(table.name, describe_table(table.name), columns, table)


def _export_column(table: Table, column: Column[Any]) -> ExportColumn:
    kind = _kind(table.name, column)
    header = column.name
    if kind is Kind.AMOUNT:
        header = column.name.removesuffix("_cents")
    elif kind is Kind.PERCENT:
        header = column.name.removesuffix("_milli") + "_percent"
    foreign = next(iter(column.foreign_keys), None)
    refers_to = foreign.target_fullname if foreign is not None else ""
    return ExportColumn(
        name=column.name,
        header=header,
        kind=kind,
        optional=bool(column.nullable) and not column.primary_key,
        refers_to=refers_to,
        description=describe_column(table.name, column.name),
        allowed=_allowed(table, column.name),
    )


_IN_LIST = re.compile(r"^\s*(\w+)\s+IN\s*\(([^)]*)\)\s*$", re.IGNORECASE)


def _allowed(table: Table, column: str) -> tuple[str, ...]:
    """The values a `column IN ('a', 'b')` check constraint admits (the database's own list)."""
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            found = _IN_LIST.match(str(constraint.sqltext))
            if found and found.group(1) == column:
                return tuple(re.findall(r"'([^']*)'", found.group(2)))
    return ()


def _kind(table: str, column: Column[Any]) -> Kind:
    if f"{table}.{column.name}" in FILE_COLUMNS:
        return Kind.FILE
    kind = column.type
    for sql_type, mapped in _BY_TYPE:
        if isinstance(kind, sql_type):
            if mapped is Kind.INTEGER and column.name.endswith("_cents"):
                return Kind.AMOUNT
            if mapped is Kind.INTEGER and column.name.endswith("_milli"):
                return Kind.PERCENT
            return mapped
    return Kind.TEXT


# Order matters: UTCDateTime before Date (a DateTime is no Date, but be explicit), Boolean
# before Integer.
_BY_TYPE: tuple[tuple[type, Kind], ...] = (
    (UTCDateTime, Kind.MOMENT),
    (Boolean, Kind.BOOLEAN),
    (Date, Kind.DATE),
    (Time, Kind.TIME),
    (JSON, Kind.JSON),
    (LargeBinary, Kind.FILE),
    (Float, Kind.DECIMAL),
    (Integer, Kind.INTEGER),
)


# ---------------------------------------------------------------- writing a stored value


def _moment(stored: Any) -> str:
    # SQLAlchemy stores naive UTC as "YYYY-MM-DD HH:MM:SS.ffffff".
    text = str(stored)
    day, _, clock = text.partition(" ")
    clock = clock.removesuffix(".000000")
    return f"{day}T{clock}+00:00" if clock else text


def _json(stored: Any) -> str:
    return safe_cell(stored if isinstance(stored, str) else json.dumps(stored, ensure_ascii=False))


def _decimal(stored: Any) -> str:
    return repr(float(stored)) if isinstance(stored, float) else str(stored)


WRITERS: dict[Kind, Callable[[Any], str]] = {
    Kind.TEXT: lambda v: safe_cell(str(v)),
    Kind.INTEGER: str,
    Kind.AMOUNT: lambda v: str(from_cents(int(v))),
    Kind.PERCENT: lambda v: _percent(int(v)),
    Kind.DECIMAL: _decimal,
    Kind.BOOLEAN: lambda v: "true" if v else "false",
    Kind.DATE: str,
    Kind.MOMENT: _moment,
    Kind.TIME: str,
    Kind.JSON: _json,
}


def _percent(milli: int) -> str:
    value = rate_from_milli(milli)
    return format(value, "f") if value != value.to_integral_value() else str(int(value))
