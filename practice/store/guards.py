"""The triggers that lock signed and issued records, written once for both engines.

Migrations describe a guard the SQLite way, `BEFORE UPDATE ON visit WHEN OLD.signed_at IS NOT
NULL`, and a message. On SQLite that becomes `CREATE TRIGGER ... BEGIN SELECT RAISE(ABORT, msg);
END`; on PostgreSQL a PL/pgSQL function of the same name that raises the same message (SQLSTATE
23000, integrity_constraint_violation, so both engines' refusal is an IntegrityError) and a
row trigger calling it. The condition is SQL both engines read alike once SQLite's null-safe
`IS` / `IS NOT` between values are spelled `IS NOT DISTINCT FROM` / `IS DISTINCT FROM`.
"""

from __future__ import annotations

import re
from typing import Any

_FORM = re.compile(r"^BEFORE (INSERT|UPDATE|DELETE) ON (\w+)(?: WHEN (.+))?$", re.DOTALL)


def dialect(bind: Any) -> str:
    """'sqlite' or 'postgresql': the engine a migration runs on (`op.get_bind()`)."""
    return str(bind.dialect.name)


def _postgres_condition(condition: str) -> str:
    # A subquery's table alias `old` (lower case, by convention here) would be taken for
    # PL/pgSQL's OLD row: it is renamed.
    condition = re.sub(r"\bAS old\b", "AS prior", condition)
    condition = re.sub(r"\bold\.", "prior.", condition)
    # Column against column compares as text: PostgreSQL's json type has no equality.
    column = r"((?:NEW|OLD)\.\w+)"
    condition = re.sub(
        rf"{column} IS NOT {column}", r"\1::text IS DISTINCT FROM \2::text", condition
    )
    condition = re.sub(
        rf"{column} IS {column}", r"\1::text IS NOT DISTINCT FROM \2::text", condition
    )
    condition = re.sub(r"\bIS NOT (?!NULL\b|DISTINCT\b)", "IS DISTINCT FROM ", condition)
    return re.sub(r"\bIS (?!NOT\b|NULL\b|DISTINCT\b)", "IS NOT DISTINCT FROM ", condition)


def _literal(message: str) -> str:
    return "'" + message.replace("'", "''") + "'"


def guard_statements(engine: str, name: str, when: str, message: str) -> list[str]:
    """The statements creating one guard on `engine`."""
    if engine == "sqlite":
        return [f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, {_literal(message)}); END"]
    found = _FORM.match(when.strip())
    if found is None:
        raise ValueError(f"not a guard this module can port: {when!r}")
    event, table, condition = found.groups()
    refuse = f"RAISE EXCEPTION USING MESSAGE = {_literal(message)}, ERRCODE = '23000';"
    body = f"IF {_postgres_condition(condition)} THEN {refuse} END IF;" if condition else refuse
    result = "OLD" if event == "DELETE" else "NEW"
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $guard$ "
        f"BEGIN {body} RETURN {result}; END $guard$",
        f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def create_guards(
    op: Any, guards: dict[str, tuple[str, str]], *, replace_only: bool = False
) -> None:
    """Create each guard (name -> (when, message)) on the migration's engine.

    `replace_only` guards stop SQLite's INSERT OR REPLACE from deleting a locked row without
    firing its DELETE trigger; PostgreSQL has no such statement, so they exist on SQLite only.
    """
    engine = dialect(op.get_bind())
    if replace_only and engine != "sqlite":
        return
    for name, (when, message) in guards.items():
        for statement in guard_statements(engine, name, when, message):
            op.execute(statement)


def drop_guards(op: Any, names: Any) -> None:
    engine = dialect(op.get_bind())
    for name in names:
        if engine == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            op.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")


def set_triggers_aside(op: Any) -> list[str]:
    """Drop every SQLite trigger and return their CREATE statements, to restore after batch
    table rebuilds (which drop a rebuilt table's triggers, and SQLite refuses to rename a table
    another trigger names). PostgreSQL alters tables in place and keeps its triggers: [].
    """
    import sqlalchemy as sa

    bind = op.get_bind()
    if dialect(bind) != "sqlite":
        return []
    rows = bind.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    ).all()
    for name, _sql in rows:
        op.execute(f"DROP TRIGGER {name}")
    return [sql for _name, sql in rows]
