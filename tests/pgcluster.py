"""A throwaway PostgreSQL cluster for the tests: `initdb` and `pg_ctl` in a temporary folder.

The server listens on a unix socket in its own folder only (no TCP port to collide with another
run), with durability off (a test cluster is thrown away). PostgreSQL refuses to run as root, so
under root (CI) the cluster belongs to an unprivileged account (`postgres` when Debian's package
made it, else `nobody`) and its programs run through `runuser`; a developer runs them directly.

`find_bindir()` is None when PostgreSQL is not installed: the tests that need it skip.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "fascia_test"
# Logins made members of this role sign in with their password (SCRAM); every other login is
# trusted, so most tests connect by name alone. The sign-in screen's tests need a real refusal.
PASSWORD_CHECKED = "fascia_password_checked"
_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
}


def find_bindir() -> Path | None:
    """Where `initdb` and `pg_ctl` are: $FASCIA_PG_BIN, the PATH, or Debian's versioned folders."""
    candidates: list[Path] = []
    if os.environ.get("FASCIA_PG_BIN"):
        candidates.append(Path(os.environ["FASCIA_PG_BIN"]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    versions = Path("/usr/lib/postgresql")
    if versions.is_dir():
        numbered = [p for p in versions.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(numbered, key=lambda p: -int(p.name))]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _unprivileged_account() -> str | None:
    """None when this process may run PostgreSQL itself; else the account to run it as."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root with neither a postgres nor a nobody account")


class Cluster:
    """One running cluster; `url(name)` is a SQLAlchemy URL to a database in it.

    `kept`: a folder of the caller's that outlives the run (a benchmark's cached practice): the
    cluster made there the first time starts again on its data, and stopping it leaves it.
    """

    def __init__(
        self, bindir: Path, settings: dict[str, str] | None = None, kept: Path | None = None
    ) -> None:
        """`settings` replace the command line's (a cluster set up as README says, by
        ALTER SYSTEM and pg_hba.conf, gets only those the command line must fix)."""
        self.bindir = bindir
        self.settings = _SETTINGS if settings is None else settings
        self.account = _unprivileged_account()
        self.kept = kept is not None
        if kept is not None:
            kept.mkdir(parents=True, exist_ok=True)
        self.folder = kept if kept is not None else Path(tempfile.mkdtemp(prefix="fascia-pg-"))
        self.data = self.folder / "data"
        if self.account is not None:
            entry = pwd.getpwnam(self.account)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o755)  # the socket must be reachable by this process

    def _run(self, *command: str) -> None:
        argv = [str(self.bindir / command[0]), *command[1:]]
        if self.account is not None:
            argv = ["runuser", "-u", self.account, "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> Cluster:
        fresh = not (self.kept and self.data.exists())
        if fresh:
            self._initdb()
        self.resume()
        atexit.register(self.stop)  # a run that never reaches its teardown still stops it
        if fresh:
            self.execute(f"CREATE ROLE {PASSWORD_CHECKED} NOLOGIN")
        return self

    def _initdb(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        (self.data / "pg_hba.conf").write_text(
            f"local all {SUPERUSER} trust\n"
            f"local all +{PASSWORD_CHECKED} scram-sha-256\n"
            "local all all trust\n"
        )

    def resume(self) -> None:
        """Start the server (again, after `pause`)."""
        options = " ".join(f"-c {name}={value}" for name, value in self.settings.items())
        options += f" -c unix_socket_directories={self.folder}"
        log = str(self.folder / "log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def pause(self) -> None:
        """Stop the server (its databases stay): every connection is cut at once. A fast
        shutdown, not an immediate one: with durability off, a crash would lose the last
        commits, which a real server (synchronous_commit on) keeps."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.folder}"

    def execute(self, *statements: str) -> None:
        """Statements outside a transaction (CREATE DATABASE ...), on the maintenance database."""
        import psycopg

        port = self.settings.get("port", "5432")  # also the socket's name
        with psycopg.connect(
            host=str(self.folder), port=port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            for statement in statements:
                connection.execute(statement)

    def stop(self) -> None:
        if self.kept:  # a clean stop: everything written, the next start needs no recovery
            if (self.data / "postmaster.pid").exists():
                self.pause()
            return
        if not self.data.exists():
            return  # stopped already (the fixture's teardown, then the exit hook)
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            for _ in range(3):
                shutil.rmtree(self.folder, ignore_errors=True)
                if not self.folder.exists():
                    break
                time.sleep(0.2)
