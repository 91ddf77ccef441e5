"""The command line's demo: built on a copy of the practice file, checked, then swapped in.

A 30,000-client demo writes a gigabyte. Written into the practice file itself, every page goes
through the write-ahead log first and is copied into the file again at the checkpoint: 13 s of
65 at 30,000 clients. Built on a copy beside it, with SQLite's journal and syncing off, each
page is written once. Nothing there needs a journal: a copy that is not whole is never opened.
It is checked (`quick_check`, the schema at head), synced, and replaces the practice file in
one rename (`practice.store.backups.swap`). A failure or a kill at any moment leaves the
practice as it was, and the copy is swept away when the folder is next opened.

An encrypted practice is filled in place (`demo.generate`).
"""

from __future__ import annotations

from practice.demo import DemoResult, generate, refuse_filled
from practice.errors import ValidationError
from practice.progress import Progress
from practice.store.backups.copy import copy_verified
from practice.store.backups.swap import discard, settle, swap_into_place, temp_beside
from practice.store.backups.verify import quick_check_problems
from practice.store.connection import key_for
from practice.store.database import Database, make_engine
from practice.store.upgrade import check_at_head


def fill(
    db: Database, *, clients_count: int, seed: int = 1, progress: Progress | None = None
) -> DemoResult:
    """Fill the open, empty practice `db` with a demo (`demo.generate`), built aside when the
    practice is a plain file. `db` stays open on the filled practice. A clinic's server is
    refused: its demo is a practice folder's, copied there (`fascia-cli migrate-to-server`)."""
    if db.on_server:
        raise ValidationError(
            {
                "server": "The demo fills a practice folder, not a server: fill a folder, then "
                "copy it there (fascia-cli migrate-to-server FOLDER URL)."
            }
        )
    if key_for(db.path) is not None:
        return generate(db, clients_count=clients_count, seed=seed, fork=True, progress=progress)
    refuse_filled(db)  # before any copy is made
    db.engine.dispose()  # every connection closed: the file can be settled and replaced
    settle(db.path)
    temp = temp_beside(db.path, "demo")
    discard(temp)
    try:
        copy_verified(db.path, temp)
        aside = Database(
            data_dir=db.data_dir,
            engine=make_engine(temp, load=True),
            actor_override=db.actor_override,
            file=temp,
        )
        try:
            aside.sign_in()
            result = generate(
                aside, clients_count=clients_count, seed=seed, fork=True, progress=progress
            )
        finally:
            aside.engine.dispose()
        check_at_head(temp, quick_check_problems(temp), "The demo practice")
        swap_into_place(temp, db.path)
    except BaseException:
        discard(temp)
        raise
    return result
