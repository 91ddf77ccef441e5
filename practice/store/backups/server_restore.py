"""Restoring a server practice's backup (a `pg_dump` file) into an empty database.

Only into an empty database: a restore never mixes with, or replaces, a practice that is in
use (the clinic's administrator makes a new database, restores into it, and points Fascia at
it). The file is checked first (its SHA-256 against the sidecar written when it was verified,
and that `pg_restore` can read it), restored in one transaction by the login that runs it
(which then owns the tables, as the one who ran `server init` did), then checked: its schema
and its counts (a restore that fails is emptied again), and its seal chain walked (what it
finds is reported).

Logins are the server's, not the practice's: the group roles are made when missing, each
person whose login exists on this server may connect again, and those without one are named.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from practice.errors import BackupError
from practice.paths import expand_home
from practice.progress import Progress
from practice.store.backups import catalog
from practice.store.backups.pgtools import Target, find_tool, first_error
from practice.store.backups.verify import COUNTED_TABLES, file_sha256
from practice.store.engines import ServerConnection

STEPS = 4


@dataclass(frozen=True, slots=True)
class ServerRestored:
    source: Path
    database: str
    counts: dict[str, int]
    seals: str  # what walking the restored seal chain found, in one line
    missing_logins: list[str] = field(default_factory=list)  # people without a login here


def restore_to_server(url: str, source: Path, progress: Progress | None = None) -> ServerRestored:
    """Restore the dump at `source` into the empty database at `url` (see the module doc).

    Raises BackupError (nothing changed) with one plain sentence, ServerError when the server
    cannot be reached.
    """
    from practice.store import server

    progress = progress or Progress()
    source = expand_home(source)
    progress.report(0, STEPS, "Checking the backup…")
    listed = _checked_file(source)
    target = Target.of(url)
    try:
        connection = target.connect()
    except Exception as error:  # the driver's OperationalError
        raise server.explain(error, url) from None
    try:
        _refuse_unless_empty(connection, target)
        _prepare_groups(connection)
        progress.report(1, STEPS, "Restoring the backup into the database…")
        target.run("pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
                   str(source))  # fmt: skip
        progress.report(2, STEPS, "Checking the restored practice…")
        try:
            counts, seals = _check_restored(connection, listed)
        except BaseException:
            _empty(connection)
            raise
        progress.report(3, STEPS, "Letting the clinic's logins in…")
        missing = _let_logins_in(connection)
    finally:
        connection.close()
    progress.report(4, STEPS, "Restored")
    return ServerRestored(source, target.database, counts, seals, missing)


def _checked_file(source: Path) -> catalog.BackupInfo | None:
    if not source.is_file():
        raise BackupError(f"{source} cannot be restored: there is no such file.")
    listed = catalog.describe(source)
    if listed is not None and listed.sha256 and file_sha256(source) != listed.sha256:
        raise BackupError(
            f"{source} cannot be restored: it has changed since it was verified (damaged?)."
        )
    if listed is not None and listed.schema is not None:
        from practice.store import schema

        if listed.schema not in schema.known_revisions():
            raise BackupError(
                f"{source} cannot be restored: it was made by a newer Fascia "
                f"(schema {listed.schema})."
            )
    import subprocess

    done = subprocess.run(
        [str(find_tool("pg_restore")), "--list", str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0 or "alembic_version" not in done.stdout:
        why = first_error(done.stderr) if done.returncode else "it holds no Fascia practice"
        raise BackupError(f"{source} cannot be restored: it is not a server backup ({why}).")
    return listed


def _refuse_unless_empty(connection: Any, target: Target) -> None:
    tables = connection.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    ).fetchone()[0]
    if tables:
        raise BackupError(
            f"The database {target.database} is not empty ({tables} tables): a backup is "
            "restored only into a new, empty database (create one with createdb, then restore "
            "into it and open that). Nothing was changed."
        )


def _prepare_groups(connection: Any) -> None:
    """The three group roles the backup's grants name (they belong to the server, not to
    the dump), and the database closed to everyone else."""
    from practice.store import grants

    for statement in grants.groups_sql():
        connection.execute(statement)


def _check_restored(
    connection: Any, listed: catalog.BackupInfo | None
) -> tuple[dict[str, int], str]:
    from practice.store import schema
    from practice.store.seal.chain import PLAIN_KEY
    from practice.store.seal.verify import verify

    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] not in schema.known_revisions():
        raise BackupError("The restored practice's schema is not one this Fascia knows.")
    counts = {
        label: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for label, table in COUNTED_TABLES.items()
    }
    if listed is not None and listed.counts and listed.counts != counts:
        raise BackupError(
            f"The restored practice holds {counts}, not what the backup held ({listed.counts})."
        )
    # Reported, not refused: a verified file is exactly what the practice held, and a
    # practice tampered with before its backup is still better back than lost.
    return counts, verify(ServerConnection(connection), PLAIN_KEY).summary()


def _empty(connection: Any) -> None:
    with contextlib.suppress(Exception):
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def _let_logins_in(connection: Any) -> list[str]:
    """GRANT CONNECT to each clinic login that exists on this server; the others' names."""
    from psycopg import sql

    database = connection.execute("SELECT current_database()").fetchone()[0]
    missing = []
    logins = connection.execute(
        "SELECT u.login, r.rolname IS NOT NULL FROM clinic_user u "
        "LEFT JOIN pg_roles r ON r.rolname = u.login ORDER BY u.login"
    ).fetchall()
    for login, exists in logins:
        if not exists:
            missing.append(login)
            continue
        connection.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(login)
            )
        )
    return missing
