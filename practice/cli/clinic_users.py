"""fascia-cli --server URL server add-user LOGIN --role ROLE: a clinic's logins (clinic mode).

The login is a PostgreSQL role of the server's own (`practice.store.staff`), so the command runs
with the administrator's address (the one `server init` used). Its password comes from
--password-file FILE, else FASCIA_USER_PASSWORD, else a prompt on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from practice.errors import ValidationError

PASSWORD_ENV = "FASCIA_USER_PASSWORD"


def add_actions(actions: Any) -> None:
    """The `server add-user` action (under `fascia-cli server`)."""
    add = actions.add_parser(
        "add-user", help="add a login to a clinic's server: owner, practitioner or front desk"
    )
    add.add_argument("login", metavar="LOGIN", help="the login name (lower-case, digits, _)")
    add.add_argument(
        "--role", required=True, help="owner, practitioner or front_desk (what the server allows)"
    )
    add.add_argument(
        "--name", default="", help="their name as they sign notes (a new practitioner record)"
    )
    add.add_argument("--credentials", default="", help="their credentials (RMT, LMT ...)")
    add.add_argument("--registration", default="", help="their registration number")
    add.add_argument(
        "--practitioner", type=int, metavar="ID", help="sign as this existing practitioner record"
    )
    add.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=f"read the password from FILE's first line (default: {PASSWORD_ENV} or a prompt)",
    )


def _password(args: argparse.Namespace) -> str:
    if args.password_file is not None:
        try:
            text = args.password_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not UTF-8 text"
            raise ValidationError(
                {"password-file": f"cannot read {args.password_file} ({reason})."}
            ) from None
        return text.splitlines()[0] if text else ""
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise ValidationError({"password": f"set {PASSWORD_ENV} or use --password-file FILE."})
    first = getpass.getpass("Password for the new login: ")
    if getpass.getpass("Password again: ") != first:
        raise ValidationError({"password": "The two passwords differ; nothing was changed."})
    return first


def run_add_user(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.cli.opening import open_practice
    from practice.store import staff
    from practice.store.practitioners import PractitionerForm

    role = staff.check_role(args.role)
    staff.check_login(args.login)
    if not args.server:
        raise ValidationError({"server": "add-user needs the clinic's server: --server URL."})
    form = None
    if args.name:
        form = PractitionerForm(args.name, args.credentials, args.registration, "")
    password = _password(args)
    db = open_practice(data_dir)
    try:
        user = staff.add_user(
            db,
            args.login,
            role,
            password,
            practitioner=form,
            practitioner_id=args.practitioner,
            display_name=args.name,
        )
    finally:
        db.close()
    signs = f"; signs as practitioner {user.practitioner_id}" if user.practitioner_id else ""
    print(f"Login {user.login} added ({staff.ROLE_NAMES[user.role]}){signs}.")
    return 0
