"""Showing a page of a stack in two passes of the event loop, so the window answers between.

A page shown for the first time (or with many new widgets) is styled, laid out and painted
on the spot: with what the click itself did, that is one long stall. Here the page is made
current at once (it is visible to everything that asks), with its painting held to the next
pass: the input and timers waiting in between are answered first.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
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
