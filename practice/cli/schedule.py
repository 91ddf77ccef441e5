"""fascia-cli schedule commands: the day's list, the .ics feed, reminders (queue, send, calls).

`add_commands` adds the sub-parsers and `COMMANDS` maps a command name to its runner, as for
every feature (practice/cli.py FEATURE_COMMANDS).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.cli.opening import open_practice
from practice.errors import ValidationError

if TYPE_CHECKING:
    pass


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-05") from None


def _add_schedule(commands: Any) -> None:
    schedule = commands.add_parser("schedule", help="the day's appointments (today by default)")
    schedule.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="another day")


def _add_ics(commands: Any) -> None:
    ics = commands.add_parser("ics", help="write the appointments as an .ics calendar file")
    ics.add_argument("--out", type=Path, required=True, metavar="FILE", help=".ics file to write")
    ics.add_argument(
        "--full-names", action="store_true", help="name clients in full (default: initials)"
    )


def _add_reminders(commands: Any) -> None:
    reminders = commands.add_parser("reminders", help="queue and send appointment reminders")
    actions = reminders.add_subparsers(dest="reminders_command", required=True, metavar="ACTION")
    actions.add_parser("queue", help="queue the reminders now due (emails and calls)")
    send = actions.add_parser("send", help="queue, then send the due emails by SMTP")
    send.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the mailbox password from standard input (when there is no keyring)",
    )
    calls = actions.add_parser("calls", help="print the call list for clients without email")
    calls.add_argument("--out", type=Path, required=True, metavar="FILE", help="PDF to write")


def run_schedule(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.schedule import queries

    db = open_practice(data_dir)
    try:
        day = queries.today(db, args.date)
    finally:
        db.close()
    print(f"{day.day.isoformat()} ({day.time_zone}): {len(day.items)} appointment(s)")
    for item in day.items:
        a = item.appointment
        alerts = f"  [{', '.join(str(x.level) for x in item.alerts)}]" if item.alerts else ""
        span = f"{a.local_start:%H:%M}-{a.local_end:%H:%M}"
        print(f"{span}  {a.client_name}  {a.service_name or '-'}  {a.state.label}{alerts}")
    return 0


def run_ics(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.schedule import ics

    out = _target(args.out, data_dir)
    db = open_practice(data_dir)
    try:
        ics.write_feed(db, out, full_names=args.full_names or None)
    finally:
        db.close()
    print(f"Calendar written to {out}")
    return 0


def run_reminders(data_dir: Path, args: argparse.Namespace) -> int:
    from practice.schedule import mailer, reminders

    if args.reminders_command == "calls":
        return _calls(data_dir, _target(args.out, data_dir))
    password = _password() if getattr(args, "password_stdin", False) else None
    db = open_practice(data_dir)
    try:
        queued = reminders.queue_due(db)
        print(f"Queued {queued.emails} email(s) and {queued.calls} call(s).")
        if queued.unreachable:
            print(f"{queued.unreachable} client(s) have no email or phone: tell them yourself.")
        if args.reminders_command == "queue":
            return 0
        result = mailer.send_due(db, password=password)
    finally:
        db.close()
    print(
        f"Sent {result.sent}; refused {result.failed} (still queued); held {result.held}; "
        f"uncertain {result.uncertain}."
    )
    for problem in result.problems:
        print(f"fascia-cli: {problem}", file=sys.stderr)
    return 1 if result.failed or result.uncertain else 0


def _calls(data_dir: Path, out: Path) -> int:
    from practice.printouts import call_list_pdf

    db = open_practice(data_dir)
    try:
        made = call_list_pdf(db, to_file=out)
    finally:
        db.close()
    calls = len(made.records["reminder_ids"])
    print(f"Call list of {calls} call(s) written to {out}")
    return 0


def _password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ValidationError({"password-stdin": "No password came on standard input."})
    return password


def _target(out: Path, data_dir: Path) -> Path:
    if out.is_dir() or not out.parent.is_dir():
        raise ValidationError({"out": f"{out} is not a file in an existing folder."})
    return out


_PARSERS: tuple[Callable[[Any], None], ...] = (_add_schedule, _add_ics, _add_reminders)


def add_commands(commands: Any) -> None:
    """Add the schedule sub-parsers to fascia-cli's `commands` (an argparse subparsers object)."""
    for add in _PARSERS:
        add(commands)


COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "schedule": run_schedule,
    "ics": run_ics,
    "reminders": run_reminders,
}
