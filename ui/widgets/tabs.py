"""A tab widget that repaints only what changed when a page's contents change size.

Qt passes every size-hint change up the parents: a label inside a page that gets new text (a
footer's count, a heading) reaches the QTabWidget as a layout request, and QTabWidget
answers each one by placing its tab bar and pages again and repainting itself whole: the tab
bar, and every widget of the page on show, most of them unchanged. Opening a client changes a
few labels of the page on show, so each open repainted all of it.

`QuietTabWidget` lets such a request through only when the places it computes can differ: the
tab widget's size or its tab bar's size hint changed (a tab added, removed or renamed). Else it
only tells its own parents that its size hint may have changed, which is all the request still
needs; the label that changed repaints itself. A resize, a change of style or a show lays the
tabs out as before (Qt does that without a layout request).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QTabWidget, QWidget


class QuietTabWidget(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._laid_out: tuple[QSize, QSize] | None = None  # size, tab bar's size hint

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            places = (self.size(), self.tabBar().sizeHint())
            if places == self._laid_out:
                self.updateGeometry()  # a page's size hint may have changed: the parents ask
                return True
            self._laid_out = places
        return super().event(event)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._laid_out = None  # laid out again now: the next request is let through
        super().resizeEvent(event)
