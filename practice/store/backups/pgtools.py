"""PostgreSQL's own programs for a server practice's backups: finding `pg_dump` and
`pg_restore`, and running them on the practice's server with the login Fascia uses.

The programs are looked for beside the server's (Debian keeps them in
`/usr/lib/postgresql/VERSION/bin`, the newest first, since a `pg_dump` older than the server
refuses it), then on the PATH. The password goes to them in the environment (`PGPASSWORD`),
never on the command line, where every account on the computer could read it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from practice.errors import BackupError
from practice.store.engines import server_url

VERSIONED = Path("/usr/lib/postgresql")
TIMEOUT_S = 10  # to connect, as the app's own engine waits


def find_tool(name: str) -> Path:
    """The `pg_dump` or `pg_restore` to run; BackupError saying how to install it when none."""
    folders: list[Path] = []
    if os.environ.get("FASCIA_PG_BIN"):
        folders.append(Path(os.environ["FASCIA_PG_BIN"]))
    if VERSIONED.is_dir():
        numbered = [p for p in VERSIONED.iterdir() if p.name.isdigit()]
        folders += [p / "bin" for p in sorted(numbered, key=lambda p: -int(p.name))]
    for folder in folders:
        if os.access(folder / name, os.X_OK):
            return folder / name
    found = shutil.which(name)
    if found:
        return Path(found)
    raise BackupError(
        f"{name} is not installed on this computer, so the server practice cannot be backed up "
        "or restored from here. Install PostgreSQL's client programs (on Debian or Ubuntu: "
        "sudo apt-get install postgresql-client) and try again."
    )


@dataclass(frozen=True, slots=True)
class Target:
    """One database on the practice's server, as the driver and the programs are given it."""

    params: dict[str, Any]  # psycopg.connect keywords, the password among them

    @classmethod
    def of(cls, url: str) -> Target:
        from sqlalchemy.engine import make_url

        parsed = make_url(server_url(url))
        params: dict[str, Any] = parsed.translate_connect_args(username="user", database="dbname")
        params.update({k: v for k, v in parsed.query.items() if isinstance(v, str)})
        return cls(params)

    @property
    def database(self) -> str:
        return str(self.params["dbname"])

    def other(self, database: str) -> Target:
        """The same server and login, another database (a scratch one)."""
        return Target({**self.params, "dbname": database})

    def connect(self, *, autocommit: bool = True) -> Any:
        import psycopg

        return psycopg.connect(
            **self.params, autocommit=autocommit, connect_timeout=TIMEOUT_S,
            application_name="Fascia backup",
        )  # fmt: skip

    def run(self, tool: str, *arguments: str) -> str:
        """Run `tool` on this database; its output. BackupError with its first error line."""
        from psycopg.conninfo import make_conninfo

        shown = {k: v for k, v in self.params.items() if k != "password"}
        environment = {**os.environ, "PGCONNECT_TIMEOUT": str(TIMEOUT_S), "PGAPPNAME": "Fascia"}
        if self.params.get("password"):
            environment["PGPASSWORD"] = str(self.params["password"])
        argv = [str(find_tool(tool)), "--no-password", f"--dbname={make_conninfo(**shown)}"]
        done = subprocess.run(
            [*argv, *arguments], env=environment, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise BackupError(f"{tool} failed: {first_error(done.stderr)}.")
        return done.stdout


def first_error(stderr: str) -> str:
    """The line of a program's output that says what went wrong."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    chosen = (errors or lines or ["no message"])[0]
    return chosen.rstrip(".")
