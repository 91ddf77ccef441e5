"""Which rows of each table an export takes: all of them, or those of one client.

A client's rows are found from the schema's foreign keys, so a new table is covered without
a line here: a table with a `client_id` column takes that client's rows; a table without one
takes the rows whose parent (through a foreign key) is one of the client's; a table neither
reaches (a service, a consent text, the physician) takes only the rows the client's rows refer
to. Settings and the library no row of the client refers to are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from practice.exchange.columns import ExportTable

ALL = "1"
NOTHING = "0"


def everything(tables: Sequence[ExportTable]) -> dict[str, str]:
    return dict.fromkeys((t.name for t in tables), ALL)


def of_client(tables: Sequence[ExportTable]) -> dict[str, str]:
    """Table -> an SQL condition on its rows, with the client's id as `:client`."""
    owned: dict[str, str] = {}
    for table in tables:  # parents come first
        condition = _owned(table, owned)
        if condition is not None:
            owned[table.name] = condition
    conditions = {}
    for table in tables:
        conditions[table.name] = owned.get(table.name) or _referenced(table, tables, owned)
    return conditions


def _owned(table: ExportTable, owned: dict[str, str]) -> str | None:
    if table.name == "client":
        return "id = :client"
    names = {c.name for c in table.columns}
    if "client_id" in names:
        return "client_id = :client"
    for column in table.columns:
        parent, _, key = column.refers_to.partition(".")
        if parent in owned and parent != table.name:
            return f"{column.name} IN (SELECT {key} FROM {parent} WHERE {owned[parent]})"
    return None


def _referenced(table: ExportTable, tables: Sequence[ExportTable], owned: dict[str, str]) -> str:
    """Rows of an unowned table that an owned row refers to (or nothing)."""
    pointers = []
    for child in tables:
        if child.name not in owned:
            continue
        for column in child.columns:
            parent, _, key = column.refers_to.partition(".")
            if parent == table.name:
                pointers.append(
                    f"{key} IN (SELECT {column.name} FROM {child.name} WHERE {owned[child.name]})"
                )
    return " OR ".join(pointers) if pointers else NOTHING
