"""Big showings spread over passes of the event loop, so the window answers in between.

A page shown for the first time (or with many new widgets) is styled, laid out and painted
on the spot: with what the click itself did, that is one long stall. `show_then_paint` makes
the page current at once (it is visible to everything that asks) and holds its painting to
the next pass; `after_painting` runs the next piece of work once that paint has happened.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStackedWidget, QWidget


def show_then_paint(stack: QStackedWidget, page: QWidget) -> None:
    """Make `page` the current page of `stack` now, and paint it in the next pass."""
    if stack.currentWidget() is page:
        return
    if not page.updatesEnabled():  # already waiting for its paint
        stack.setCurrentWidget(page)
        return
    page.setUpdatesEnabled(False)
    stack.setCurrentWidget(page)

    def paint() -> None:
        if shiboken6.isValid(page):
            page.setUpdatesEnabled(True)  # repaints it whole

    QTimer.singleShot(0, paint)


def after_painting(owner: QObject, then: Callable[[], None]) -> None:
    """Run `then` once what was just changed has been painted, in a pass of its own.

    A repaint is posted at low priority: a call posted for the next pass would run before it
    and share its stall. Two passes on, the paint has happened (and timers and input were
    answered in between). Dropped with `owner`."""
    QTimer.singleShot(0, owner, lambda: QTimer.singleShot(0, owner, then))
