"""Thinning old backups the way Anki does: 12 daily, 10 weekly, 9 monthly, recent days kept."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from practice.store import Database
from practice.store.backups.catalog import BackupInfo, sidecar_of
from practice.store.backups.retention import Limits, obsolete, thin
from practice.store.backups.run import back_up

TODAY = date(2026, 3, 18)  # a Wednesday


def backup(day: date, hour: int = 12, reason: str = "auto") -> BackupInfo:
    moment = datetime(day.year, day.month, day.day, hour).astimezone()
    return BackupInfo(Path(f"{day}-{hour}-{reason}"), moment, 1, reason, verified=True)


def removed_days(backups: list[BackupInfo], limits: Limits | None = None) -> list[str]:
    return sorted(str(p) for p in obsolete(backups, TODAY, limits or Limits()))


def test_everything_from_today_and_yesterday_is_kept() -> None:
    recent = [backup(TODAY, h) for h in range(8, 20)] + [
        backup(TODAY - timedelta(days=1), h) for h in range(8, 20)
    ]
    assert removed_days(recent) == []


def test_only_the_newest_backup_of_each_earlier_day_is_kept() -> None:
    day = TODAY - timedelta(days=3)
    assert removed_days([backup(day, 9), backup(day, 18)]) == [f"{day}-9-auto"]


def test_one_backup_a_day_for_a_year_thins_to_12_days_10_weeks_9_months() -> None:
    year = [backup(TODAY - timedelta(days=n)) for n in range(0, 366)]
    removed = set(obsolete(year, TODAY))
    kept = sorted((b.made_at.date() for b in year if b.path not in removed), reverse=True)
    recent, rest = kept[:2], kept[2:]
    assert recent == [TODAY, TODAY - timedelta(days=1)]
    daily, weekly, monthly = rest[:12], rest[12:22], rest[22:]
    assert daily == [TODAY - timedelta(days=n) for n in range(2, 14)]
    assert len({(d.toordinal() - 1) // 7 for d in weekly}) == 10
    assert all(d.weekday() == 6 for d in weekly), "the newest of a week is its Sunday"
    assert len(monthly) == 9 and len({(d.year, d.month) for d in monthly}) == 9
    assert len(kept) == 2 + 12 + 10 + 9


def test_the_newest_safety_copies_survive_whatever_their_age() -> None:
    old = TODAY - timedelta(days=400)
    safety = [backup(old + timedelta(days=n), reason="before-upgrade-to-0009") for n in range(5)]
    removed = removed_days(safety, Limits(daily=0, weekly=0, monthly=0, safety=3))
    assert removed == sorted(str(b.path) for b in safety[:2])


def test_thinning_a_folder_removes_backups_with_their_sidecars(db: Database) -> None:
    made = back_up(db.data_dir, reason="manual").backup
    old = made.path.with_name("fascia-20240101-120000-manual.db")
    sidecar = json.loads(sidecar_of(made.path).read_text())
    sidecar["made_at"] = datetime(2024, 1, 1, 12).astimezone().isoformat()
    sidecar_of(old).write_text(json.dumps(sidecar))
    sidecar_of(made.path).unlink()
    made.path.rename(old)
    newer_that_day = old.with_name("fascia-20240101-180000-manual.db")
    newer_that_day.write_bytes(old.read_bytes())
    removed = thin(old.parent, datetime.now().astimezone(), Limits(daily=1, weekly=0, monthly=0))
    assert removed == [old]
    assert not old.exists() and not sidecar_of(old).exists()
    assert newer_that_day.exists()


def test_a_server_practices_dumps_are_thinned_by_the_same_rule_with_their_sidecars(
    tmp_path: Path,
) -> None:
    days = [TODAY - timedelta(days=n) for n in range(0, 40)]
    for day in days:
        name = f"fascia-{day:%Y%m%d}-120000-auto.dump"
        (tmp_path / name).write_bytes(b"PGDMP")
        made_at = datetime(day.year, day.month, day.day, 12).astimezone().isoformat()
        record = {"fascia_backup": 1, "made_at": made_at, "verified": True, "size": 5}
        sidecar_of(tmp_path / name).write_text(json.dumps(record))
    orphan = tmp_path / "fascia-20200101-120000-auto.dump.json"  # its dump removed by hand
    orphan.write_text("{}")
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 18).astimezone()
    removed = thin(tmp_path, now, Limits(daily=12, weekly=2, monthly=0))
    kept = sorted(tmp_path.glob("*.dump"))
    assert len(kept) == 2 + 12 + 2 and len(removed) == 40 - len(kept)
    assert all(not p.exists() and not sidecar_of(p).exists() for p in removed)
    assert all(sidecar_of(p).exists() for p in kept)
    assert not orphan.exists()
