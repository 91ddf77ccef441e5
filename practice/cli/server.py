"""fascia-cli server init URL and migrate-to-server FOLDER URL: a clinic's practice on a
PostgreSQL server (clinic mode)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from practice.cli import clinic_users


def add_commands(commands: Any) -> None:
    server = commands.add_parser("server", help="a clinic's practice on a PostgreSQL server")
    actions = server.add_subparsers(dest="server_command", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init", help="create the practice's tables on an empty server database and its owner"
    )
    init.add_argument("url", metavar="URL", help="postgresql://user:password@host/database")
    init.add_argument("--name", required=True, help="the owner's name, as they sign notes")
    init.add_argument("--credentials", default="", help="the owner's credentials (RMT, LMT ...)")
    init.add_argument("--registration", default="", help="the owner's registration number")
    clinic_users.add_actions(actions)
    move = commands.add_parser(
        "migrate-to-server", help="copy a solo practice folder into an empty server database"
    )
    move.add_argument(
        "folder",
        type=Path,
        metavar="FOLDER",
        help="the practice folder to copy (an encrypted one asks for its passphrase)",
    )
    move.add_argument("url", metavar="URL", help="postgresql://user:password@host/database")


def run_server(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.store.practitioners import PractitionerForm, validate
    from practice.store.server import init_server, local_folder

    if args.server_command == "add-user":
        return clinic_users.run_add_user(data_dir, args)
    owner = validate(PractitionerForm(args.name, args.credentials, args.registration, ""))
    db = init_server(args.url, local_folder(data_dir, args.url), owner)
    try:
        signer = db.signer.signature if db.signer else owner.name
    finally:
        db.close()
    print(f"Practice created on the server; its owner is {signer}.")
    return 0


def run_move(_data_dir: Path, args: argparse.Namespace) -> int:
    """Copy FOLDER into the server; an encrypted FOLDER is unlocked first, its passphrase read
    as every command reads one (a wrong one stops here, before the server is touched)."""
    import practice.tables  # noqa: F401  (every table is copied)
    from practice.cli.protect import unlock
    from practice.store.keyfile import needs_unlock
    from practice.store.moving import move_to_server

    if needs_unlock(args.folder):
        unlock(args.folder, args)
    moved = move_to_server(args.folder, args.url)
    print(moved.summary())
    return 0


COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "server": run_server,
    "migrate-to-server": run_move,
}
