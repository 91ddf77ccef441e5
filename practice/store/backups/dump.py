"""A verified backup of a server practice: `pg_dump`, restored into a scratch database and
compared with the practice as it was dumped.

1. A read transaction on the practice exports its snapshot (`pg_export_snapshot`), and
   `pg_dump --snapshot` dumps exactly that moment (custom format) to the caller's temporary
   name, then the file is fsynced. Saves go on meanwhile; they are in the next backup.
2. A scratch database is created on the same server and the dump restored into it with
   `pg_restore` (one transaction, stopping at the first error), as a restore would.
3. Every table's rows are compared: the count and a sum of each row's MD5, in the scratch
   database against the practice in the same snapshot. Then the scratch database's seal chain
   is walked (each seal's HMAC over the one before); a practice whose own chain was already
   broken must show the same breaks in both.
4. The scratch database is dropped, whatever happened.

The transaction holding the snapshot also holds an advisory lock named after the scratch
database: when a backup is killed its connection closes and the lock goes, so the next backup
knows the scratch database it left is nobody's and drops it.

Backing up needs a login that reads every row (the administrator who ran `server init`, or an
owner) and may create databases (owners are given that right when their login is added).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.errors import BackupError
from practice.progress import Progress
from practice.store.backups.catalog import CopyFacts
from practice.store.backups.pgtools import Target
from practice.store.backups.swap import discard
from practice.store.backups.verify import COUNTED_TABLES, file_sha256
from practice.store.engines import ServerConnection
from practice.store.private import create_private_file, fsync_file

if TYPE_CHECKING:
    from practice.store.database import Database

CHECKS = (
    "pg_restore into a scratch database",
    "every table's rows compared with the practice",
    "seal chain walked",
)
SCRATCH_PREFIX = "fascia_verify_"
STEPS = 5
_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
# Each row's text, hashed, its first 64 bits summed: the same rows give the same sum in any order.
_FINGERPRINT = (
    "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)"
    ' FROM public."{}" AS t'
)


def dump_verified(url: str, temp: Path, progress: Progress | None = None) -> CopyFacts:
    """Dump the practice at `url` to `temp` (a new file) and verify it (see the module doc);
    `temp` is removed if anything fails. Raises BackupError saying what, or Cancelled."""
    import psycopg

    progress = progress or Progress()
    practice = Target.of(url)
    try:
        snapshot = practice.connect()
    except psycopg.Error as error:  # down, refused ...
        raise BackupError(f"The server could not be reached to back up: {_first(error)}.") from None
    try:
        _sweep_scratch(practice)
        _check_rights(snapshot)
        create_private_file(temp)
        try:
            return _dump_and_check(practice, snapshot, temp, progress)
        except BaseException:
            discard(temp)
            raise
    finally:
        with contextlib.suppress(Exception):
            snapshot.close()  # ends the snapshot's transaction and releases its lock


def _dump_and_check(practice: Target, snapshot: Any, temp: Path, progress: Progress) -> CopyFacts:
    scratch = _scratch_name(practice)
    snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    snapshot.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(scratch),))
    exported = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
    progress.report(0, STEPS, "Dumping the practice from the server…")
    practice.run("pg_dump", "--format=custom", "--enable-row-security",
                 f"--snapshot={exported}", f"--file={temp}")  # fmt: skip
    fsync_file(temp)
    sha256 = file_sha256(temp)  # of the very bytes the check restores
    progress.report(1, STEPS, "Restoring the dump into a scratch database…")
    # The practice's side of the comparison is read meanwhile, on the snapshot's connection.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fascia-dump") as pool:
        reading = pool.submit(_fingerprints, snapshot)
        _create(practice, scratch)
        try:
            practice.other(scratch).run(
                "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", str(temp)
            )
            progress.report(2, STEPS, "Comparing the restored copy with the practice…")
            live = reading.result()
            revision = _compare(live, snapshot, practice.other(scratch), progress)
        finally:
            _drop(practice, scratch)
    return CopyFacts(
        schema=revision,
        counts={label: live[t][0] for label, t in COUNTED_TABLES.items() if t in live},
        size=temp.stat().st_size,
        sha256=sha256,
        tables=len(live),
        rows=sum(count for count, _sum in live.values()),
        checks=CHECKS,
    )


def _compare(
    live: dict[str, tuple[int, int]], snapshot: Any, scratch: Target, progress: Progress
) -> str | None:
    """The copy's schema revision, once its tables (against the practice's fingerprints
    `live`) and its seal chain were found to be the practice's (BackupError otherwise)."""
    copy_connection = scratch.connect()
    try:
        differences = _differences(live, _fingerprints(copy_connection))
        if differences:
            raise BackupError("The dump failed its check: " + "; ".join(differences[:3]) + ".")
        progress.report(3, STEPS, "Walking the copy's seal chain…")
        _check_seals(snapshot, copy_connection)
        revision = _revision(copy_connection)
    finally:
        copy_connection.close()
    progress.report(4, STEPS, "Dump checked")
    return revision


def _fingerprints(connection: Any) -> dict[str, tuple[int, int]]:
    """(rows, sum of the rows' hashes) of every table of the practice."""
    tables = [row[0] for row in connection.execute(_TABLES)]
    return {
        table: tuple(connection.execute(_FINGERPRINT.format(table.replace('"', '""'))).fetchone())
        for table in tables
    }


def _differences(live: dict[str, tuple[int, int]], copied: dict[str, tuple[int, int]]) -> list[str]:
    found = [f"table {t} is missing from the copy" for t in live if t not in copied]
    found += [f"table {t} is not in the practice" for t in copied if t not in live]
    for table in sorted(set(live) & set(copied)):
        (rows, hashed), (copied_rows, copied_hashed) = live[table], copied[table]
        if rows != copied_rows:
            found.append(f"table {table}: {rows} rows in the practice, {copied_rows} in the copy")
        elif hashed != copied_hashed:
            found.append(f"table {table}: the rows differ from the practice's")
    return found


def _check_seals(snapshot: Any, copy_connection: Any) -> None:
    """The copy's seal chain holds (each seal's HMAC over the one before); where it does not,
    the practice's own, in the dumped snapshot, must say the same, or the copy is not
    faithful. (Each record against its seal is the fingerprints' work here: the records are
    the practice's, row for row; `fascia-cli check` compares them with their seals.)"""
    from practice.store.seal.chain import PLAIN_KEY
    from practice.store.seal.verify import chain_problems

    found = chain_problems(ServerConnection(copy_connection), PLAIN_KEY)
    if found and chain_problems(ServerConnection(snapshot), PLAIN_KEY) != found:
        raise BackupError(
            f"The dump failed its check: its seals are not the practice's ({found[0]})."
        )


def _revision(connection: Any) -> str | None:
    found = connection.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL")
    if not found.fetchone()[0]:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _check_rights(connection: Any) -> None:
    problem = rights_problem(connection)
    if problem:
        raise BackupError(f"{problem} Nothing was written.")


def rights_problem(connection: Any) -> str | None:
    """Why this connection's login cannot back the practice up (None: it can). Only a login
    that reads every row makes a backup (anyone else's would be partial)."""
    found = connection.execute(
        "SELECT r.rolsuper OR d.datdba = r.oid OR pg_has_role(r.oid, 'fascia_owner', 'MEMBER'), "
        "r.rolsuper OR r.rolcreatedb, r.rolname FROM pg_roles r, pg_database d "
        "WHERE r.rolname = session_user AND d.datname = current_database()"
    ).fetchone()
    if found is None or not found[0]:
        return (
            "Only the practice's owner (or the server's administrator) can back it up: other "
            "logins do not see every record."
        )
    if not found[1]:
        return (
            f"The login {found[2]} may not create the scratch database a backup is checked "
            f"in: the administrator can allow it with ALTER ROLE {found[2]} CREATEDB."
        )
    return None


def backup_refusal(db: Database) -> str | None:
    """Why the signed-in login of the open server practice `db` cannot back it up, or None."""
    with db.read() as session:
        return rights_problem(session.connection().connection.driver_connection)


def _scratch_name(practice: Target) -> str:
    return f"{_scratch_prefix(practice)}{secrets.token_hex(6)}"


def _scratch_prefix(practice: Target) -> str:
    """The scratch databases of this practice's backups (another practice's are not ours)."""
    return SCRATCH_PREFIX + hashlib.sha256(practice.database.encode()).hexdigest()[:8] + "_"


def _lock_key(scratch: str) -> int:
    return int.from_bytes(hashlib.sha256(scratch.encode()).digest()[:8], "big", signed=True)


def _sweep_scratch(practice: Target) -> None:
    """Drop the scratch databases killed backups left (those whose lock nobody holds)."""
    connection = practice.connect()
    try:
        prefix = _scratch_prefix(practice)
        names = [
            row[0]
            for row in connection.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)
            )
        ]
        for name in names:
            key = _lock_key(name)
            if connection.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:
                try:
                    _drop_on(connection, name)
                finally:
                    connection.execute("SELECT pg_advisory_unlock(%s)", (key,))
    finally:
        connection.close()


def _create(practice: Target, scratch: str) -> None:
    connection = practice.connect()
    try:
        connection.execute(f'CREATE DATABASE "{scratch}" TEMPLATE template0')
    finally:
        connection.close()


def _drop(practice: Target, scratch: str) -> None:
    with contextlib.suppress(Exception):  # a scratch database left behind is swept next time
        connection = practice.connect()
        try:
            _drop_on(connection, scratch)
        finally:
            connection.close()


def _drop_on(connection: Any, scratch: str) -> None:
    import psycopg

    with contextlib.suppress(psycopg.Error):  # another login's: theirs to sweep
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _first(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
