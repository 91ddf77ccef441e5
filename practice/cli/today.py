"""fascia-cli today: the day's appointments and every Today card, as the home screen shows them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from practice.cli.opening import open_practice


def _add_today(commands: Any) -> None:
    commands.add_parser("today", help="today's appointments, unsigned notes, balances, the week")


def run_today(data_dir: Path, _args: argparse.Namespace) -> int:
    from practice.today.overview import summary_lines, today_overview

    db = open_practice(data_dir)
    try:
        overview = today_overview(db)
    finally:
        db.close()
    print("\n".join(summary_lines(overview)))
    return 0


def add_commands(commands: Any) -> None:
    _add_today(commands)


COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {"today": run_today}
