"""README's "Setting up the server on one clinic machine", step by step on a throwaway cluster:
TLS on, hostssl with scram-sha-256, the administrator and the practice, a login, a password
in ~/.pgpass; encrypted connections are let in and plain ones refused."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from practice.cli import main
from practice.errors import FasciaError
from practice.store.server import open_server

# The pg_hba.conf lines of README (the clinic's subnet here is the loopback address), after
# the line the test's own superuser uses on the socket (Debian has "local all postgres peer").
PG_HBA = """\
local     all  all                    trust
hostssl   all  all  127.0.0.1/32      scram-sha-256
hostnossl all  all  0.0.0.0/0         reject
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def clinic_server(tmp_path: Path) -> Iterator[tuple[Any, int]]:
    """A cluster set up as README says, and its TCP port."""
    from tests.pgcluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    pytest.importorskip("psycopg")
    port = _free_port()
    cluster = Cluster(bindir, {"fsync": "off", "port": str(port)}).start()
    try:
        crt, key = cluster.data / "server.crt", cluster.data / "server.key"
        subprocess.run(  # README's command, for the loopback address
            ["openssl", "req", "-new", "-x509", "-days", "3650", "-nodes", "-subj",
             "/CN=127.0.0.1", "-out", str(crt), "-keyout", str(key)],
            check=True, capture_output=True,
        )  # fmt: skip
        (cluster.data / "pg_hba.conf").write_text(PG_HBA)
        owner = cluster.data.stat()
        for path in (crt, key, cluster.data / "pg_hba.conf"):
            os.chown(path, owner.st_uid, owner.st_gid)
        key.chmod(0o600)
        cluster.execute(
            "ALTER SYSTEM SET listen_addresses = '127.0.0.1'",
            "ALTER SYSTEM SET ssl = on",
            f"ALTER SYSTEM SET ssl_cert_file = '{crt}'",
            f"ALTER SYSTEM SET ssl_key_file = '{key}'",
        )
        cluster.pause()
        cluster.resume()
        cluster.execute(
            "CREATE ROLE clinic_admin LOGIN CREATEROLE CREATEDB PASSWORD 'admin-secret'",
            "CREATE DATABASE clinic OWNER clinic_admin",
        )
        yield cluster, port
    finally:
        cluster.stop()


def test_the_readme_setup_lets_in_encrypted_logins_and_refuses_plain_ones(
    clinic_server: tuple[Any, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cluster, port = clinic_server
    data_dir = tmp_path / "computer"
    admin = f"postgresql://clinic_admin:admin-secret@127.0.0.1:{port}/clinic?sslmode=require"
    assert main(["--data-dir", str(data_dir), "server", "init", admin, "--name", "Maya Chen",
                 "--credentials", "RMT"]) == 0  # fmt: skip
    monkeypatch.setenv("FASCIA_USER_PASSWORD", "maya-secret")
    assert main(["--data-dir", str(data_dir), "--server", admin, "server", "add-user", "maya",
                 "--role", "owner", "--practitioner", "1"]) == 0  # fmt: skip
    pgpass = tmp_path / "pgpass"  # ~/.pgpass on each clinic computer
    pgpass.write_text(f"127.0.0.1:{port}:*:maya:maya-secret\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))

    maya = f"postgresql://maya@127.0.0.1:{port}/clinic?sslmode=require"
    db = open_server(maya, tmp_path / "maya")
    try:
        with db.read() as session:
            encrypted = db.raw_connection(session).execute(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            )
            assert encrypted.fetchone()[0] is True
        assert db.actor.startswith("Maya Chen")
    finally:
        db.close()
    # Checking the certificate too, with the server's own copied to the computer:
    crt = cluster.data / "server.crt"
    checked = open_server(f"{maya.replace('require', 'verify-full')}&sslrootcert={crt}", tmp_path)
    checked.close()
    plain = f"postgresql://maya@127.0.0.1:{port}/clinic?sslmode=disable"
    with pytest.raises(FasciaError, match=r"only encrypted connections.*sslmode=require"):
        open_server(plain, tmp_path / "plain")
    wrong = f"postgresql://maya:guess@127.0.0.1:{port}/clinic?sslmode=require"
    monkeypatch.delenv("PGPASSFILE")
    with pytest.raises(FasciaError, match="refused the login"):
        open_server(wrong, tmp_path / "wrong")

    monkeypatch.setenv("PGPASSFILE", str(pgpass))  # pg_dump reads the same file
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "--server", maya, "backup"]) == 0
    said = capsys.readouterr().out
    assert "verified: 0 clients" in said
    dump = said.split("Backup written to ", 1)[1].split(", verified")[0]

    # The administrator (not a superuser) restores it into a new database over TLS too.
    cluster.execute("CREATE DATABASE clinic_restored OWNER clinic_admin")
    restored = admin.replace("/clinic?", "/clinic_restored?")
    assert main(["--data-dir", str(data_dir), "--server", restored, "restore", dump]) == 0
    assert "Records intact" in capsys.readouterr().out
    again = open_server(restored.replace("clinic_admin:admin-secret", "maya"), tmp_path / "back")
    try:
        assert again.actor.startswith("Maya Chen")  # her login may connect to the new one
    finally:
        again.close()
