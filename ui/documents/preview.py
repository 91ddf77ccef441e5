"""The PDF preview: built off the GUI thread, shown page by page, then printed, saved or opened.

A `build` is a printout function from `practice.printouts` (through `ui.documents.printing`),
which reads the records, renders them and writes the printout's audit entry; it runs as a
`WriteOp`. Every write runs on the op runner's one write thread, so ReportLab (not
re-entrant: module-level font registry and document counters) makes one document at a time;
reads go on meanwhile on the read threads. A `build` must not touch a widget or a Session opened
elsewhere; when a document is made from what a screen is showing (unsaved edits), gather that
on the GUI thread and pass a closure over the gathered records (the physician summary's draft).

Save as PDF and Open in the system viewer hand the bytes shown to a file: `save_copy` writes it
(for a printout, `practice.printouts.export_copy`, which records the export), also as a write.
"""

from __future__ import annotations

import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMargins,
    QRectF,
    QSettings,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QResizeEvent,
)
from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practice.changes import NOTHING, Changes
from practice.errors import ValidationError
from practice.printouts import Printout, write_file
from practice.store.private import PRIVATE_TEMP
from ui import icons, theme
from ui.ops import WriteOp
from ui.widgets.forms import muted

Made = bytes | Printout  # what a build returns: bare bytes, or a printout with its identity
BuildPdf = Callable[[], Made]
SaveCopy = Callable[[Made, Path], object]  # writes what was made to a file

ZOOM_STEP = 1.25
ZOOM_LIMITS = (0.25, 6.0)
# Printing rasterises each page; 300 dpi is sharp on paper and keeps an A4 page near 35 MB.
PRINT_DPI_CAP = 300


@dataclass(frozen=True, slots=True)
class BuildFailure:
    """Why a document could not be made: a plain sentence, and the traceback on request."""

    message: str
    details: str


def failure_of(error: BaseException) -> BuildFailure:
    if isinstance(error, ValidationError):
        message = _message(error)
    elif isinstance(error, OSError):
        message = f"A file could not be read or written: {error.strerror or error}."
    else:
        message = str(error).strip() or "An unexpected error stopped the document."
    details = "".join(traceback.format_exception(error))
    return BuildFailure(message, details)


def _checked(build: BuildPdf) -> Callable[[], Made]:
    def run() -> Made:
        made = build()
        data = made.data if isinstance(made, Printout) else made
        if not isinstance(data, bytes | bytearray) or not data:
            raise TypeError("The document builder returned no PDF.")
        return made if isinstance(made, Printout) else bytes(data)

    return run


def write_copy(made: Made, path: Path) -> None:
    """Save bytes that are no printout (they have no audit identity) to a file."""
    write_file(path, made.data if isinstance(made, Printout) else made)


# --------------------------------------------------------------------------- printing


def pages_to_print(printer: QPrinter, page_count: int, current_page: int) -> list[int]:
    """The 0-based pages the print dialog asked for: all, a range, or the current page."""
    match printer.printRange():
        case QPrinter.PrintRange.PageRange:
            first = max(1, printer.fromPage() or 1)
            last = min(page_count, printer.toPage() or page_count)
            return list(range(first - 1, last))
        case QPrinter.PrintRange.CurrentPage:
            return [min(max(current_page, 0), page_count - 1)]
        case _:
            return list(range(page_count))


def print_document(document: QPdfDocument, printer: QPrinter, pages: Sequence[int]) -> int:
    """Render `pages` onto `printer`, each scaled to fit its sheet; returns the sheets printed.

    Copies are repeated here only when the printer cannot make them itself (PDF output).
    """
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if printer.collateCopies():
        order = [page for _ in range(copies) for page in pages]
    else:
        order = [page for page in pages for _ in range(copies)]
    if not order:
        return 0
    printer.setFullPage(True)
    dpi = min(printer.resolution(), PRINT_DPI_CAP)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        for sheet, page in enumerate(order):
            if sheet and not printer.newPage():
                raise OSError("The printer refused another page.")
            points = document.pagePointSize(page)
            image = document.render(
                page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            )
            target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            target.moveTo(0, 0)
            scale = min(target.width() / image.width(), target.height() / image.height())
            width, height = image.width() * scale, image.height() * scale
            painter.drawImage(
                QRectF(
                    target.x() + (target.width() - width) / 2,
                    target.y() + (target.height() - height) / 2,
                    width,
                    height,
                ),
                image,
            )
    finally:
        painter.end()
    return len(order)


def _match_paper(printer: QPrinter, points: QSizeF) -> None:
    """Offer the document's own paper size and orientation in the print dialog."""
    portrait = QSizeF(min(points.width(), points.height()), max(points.width(), points.height()))
    fuzzy = QPageSize.SizeMatchPolicy.FuzzyMatch
    printer.setPageSize(QPageSize(portrait, QPageSize.Unit.Point, matchPolicy=fuzzy))
    landscape = points.width() > points.height()
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


# --------------------------------------------------------------------------- the dialog


class PdfPreviewDialog(QDialog):
    """A document on screen while it is prepared, then its pages, with print, save and open."""

    made = Signal(object)  # the document is built: a Printout, or bare bytes
    pages_shown = Signal()  # the first page is drawn
    failed = Signal(object)  # BuildFailure
    status = Signal(str)  # quiet confirmations: saved, printed

    def __init__(
        self,
        title: str,
        *,
        suggested_name: str,
        parent: QWidget | None = None,
        save_copy: SaveCopy = write_copy,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.title = title
        self.suggested_name = (
            suggested_name if suggested_name.lower().endswith(".pdf") else f"{suggested_name}.pdf"
        )
        self.pdf: bytes | None = None
        self.result: Made | None = None  # what the build returned (a Printout names itself)
        self.failure: BuildFailure | None = None
        self._save_copy = save_copy
        self._shown = False
        # The buffer and document are parented last (below), so that Qt deletes them after the
        # view that draws from them.
        self._buffer = QBuffer()
        self.document = QPdfDocument()

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_progress())
        self.view = self._build_view()
        self.pages.addWidget(self.view)
        self.pages.addWidget(self._build_error())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_toolbar())
        layout.addWidget(self.pages, 1)
        layout.addWidget(self._build_footer())
        self.document.setParent(self)
        self._buffer.setParent(self)
        self._set_ready(False)
        self._restore_size()

    # ------------------------------------------------------------------ building the screen

    def _build_toolbar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("PreviewBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar.setStyleSheet(
            f"#PreviewBar {{ background: {theme.colours().surface}; "
            f"border-bottom: 1px solid {theme.colours().border}; }}"
        )
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(8)
        heading = QLabel(self.title)
        heading.setProperty("role", "title")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(heading, 1)

        self.zoom_out_button = self._tool("−", "Zoom out", QKeySequence.StandardKey.ZoomOut)
        self.zoom_label = QLabel("")
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setProperty("muted", True)
        self.zoom_in_button = self._tool("+", "Zoom in", QKeySequence.StandardKey.ZoomIn)
        self.fit_button = self._tool("Fit width", "Fit the page to the window width", "Ctrl+0")
        self.fit_button.setCheckable(True)
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_width)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            row.addWidget(widget)
        row.addSpacing(16)

        self.open_button = QPushButton(icons.icon("folder-open"), "Open in system viewer")
        self.open_button.setToolTip("Open a copy in your usual PDF viewer")
        self.open_button.clicked.connect(self.open_externally)
        self.save_button = QPushButton(icons.icon("save"), "Save as PDF…")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(f"Save as PDF ({_keys(QKeySequence.StandardKey.Save)})")
        self.save_button.clicked.connect(self.save_as)
        self.print_button = QPushButton(
            icons.icon("printer", theme.colours().accent_text), "Print…"
        )
        self.print_button.setProperty("primary", True)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip(f"Print ({_keys(QKeySequence.StandardKey.Print)})")
        self.print_button.clicked.connect(self.print_)
        for button in (self.open_button, self.save_button, self.print_button):
            row.addWidget(button)
        return bar

    def _tool(self, text: str, tip: str, keys: QKeySequence.StandardKey | str) -> QPushButton:
        button = QPushButton(text)
        button.setShortcut(QKeySequence(keys))
        button.setToolTip(f"{tip} ({_keys(keys)})")
        button.setAccessibleName(tip)
        if len(text) == 1:
            button.setFixedWidth(40)
        return button

    def _build_progress(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addStretch(1)
        self.progress_label = QLabel(f"Preparing {self.title.lower()[:1]}{self.title[1:]}…")
        self.progress_label.setProperty("role", "title")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.progress_label)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # busy: a build reports no steps
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(280, 6)
        self.busy.setAccessibleName("Preparing the document")
        column.addSpacing(8)
        column.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignCenter)
        column.addStretch(2)
        return page

    def _build_view(self) -> QPdfView:
        view = QPdfView()
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setPageSpacing(16)
        view.setDocumentMargins(QMargins(24, 24, 24, 24))
        view.setFrameShape(QPdfView.Shape.NoFrame)
        view.setAccessibleName("Document pages")
        palette = view.palette()
        backdrop = "#5c636b" if not theme.is_dark() else "#0f1113"
        palette.setColor(QPalette.ColorRole.Dark, QColor(backdrop))
        view.setPalette(palette)
        view.pageNavigator().currentPageChanged.connect(self._update_page_label)
        view.zoomFactorChanged.connect(self._update_zoom_label)
        view.zoomModeChanged.connect(self._update_zoom_label)
        renderer = view.findChild(QPdfPageRenderer)
        if renderer is not None:
            # QPdfView renders on a thread of its own by default, which can still be drawing
            # from the document while a closed preview is deleted (a crash). The pages on
            # screen render in milliseconds, so they render here, on the GUI thread.
            renderer.setRenderMode(QPdfPageRenderer.RenderMode.SingleThreaded)
            renderer.pageRendered.connect(self._on_renderer_page_rendered)
        return view

    def _build_error(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(48, 24, 48, 24)
        column.setSpacing(8)
        column.addStretch(1)
        icon = QLabel()
        icon.setPixmap(icons.pixmap("circle-alert", 36, theme.colours().danger))
        column.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
        self.error_title = QLabel(f"{self.title} could not be prepared.")
        self.error_title.setProperty("role", "title")
        self.error_title.setTextFormat(Qt.TextFormat.PlainText)
        column.addWidget(self.error_title, 0, Qt.AlignmentFlag.AlignHCenter)
        self.error_message = muted("")
        self.error_message.setTextFormat(Qt.TextFormat.PlainText)
        self.error_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.error_message)
        self.details_button = QPushButton("Show details")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._on_details_button_toggled)
        column.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        self.details.hide()
        column.addWidget(self.details, 3)
        column.addStretch(1)
        return page

    def _build_footer(self) -> QWidget:
        footer = QWidget()
        row = QHBoxLayout(footer)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(8)
        self.page_label = muted("", wrap=False)
        self.note = muted("", wrap=False)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close the preview (Esc)")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.page_label)
        row.addSpacing(16)
        row.addWidget(self.note, 1)
        row.addWidget(self.close_button)
        return footer

    # ------------------------------------------------------------------ public

    def start(self, build: BuildPdf) -> None:
        """Show the progress state and build the document as a write (it records its print)."""
        self.pages.setCurrentIndex(0)
        self._set_ready(False)
        WriteOp(self, _checked(build), self._on_build_done, changes=_changes_of).on_invalid(
            self._on_build_invalid
        ).on_failed(self._on_build_failed).run()

    def show_pdf(self, data: bytes) -> None:
        """Show these exact bytes (also used when they are already at hand)."""
        self.pdf = data
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready or not self.document.pageCount():
            self._show_failure(
                BuildFailure(
                    "The document was made but could not be read back as a PDF.",
                    f"QPdfDocument error: {self.document.error().name}",
                )
            )
            return
        self.pages.setCurrentWidget(self.view)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_page_label()
        self._update_zoom_label()
        self._set_ready(True)
        self.print_button.setFocus()

    def page_count(self) -> int:
        return self.document.pageCount() if self.pdf is not None else 0

    def zoom_by(self, factor: float) -> None:
        low, high = ZOOM_LIMITS
        zoom = min(high, max(low, self._effective_zoom() * factor))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def print_(self) -> bool:
        """Ask for a printer, page range and copies, then print. True when pages were sent."""
        if self.pdf is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name.removesuffix(".pdf"))
        _match_paper(printer, self.document.pagePointSize(0))
        count = self.document.pageCount()
        printer.setFromTo(1, count)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {self.title}")
        dialog.setMinMax(1, count)
        dialog.setOptions(
            QAbstractPrintDialog.PrintDialogOption.PrintPageRange
            | QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage
            | QAbstractPrintDialog.PrintDialogOption.PrintToFile
            | QAbstractPrintDialog.PrintDialogOption.PrintShowPageSize
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return False
        pages = pages_to_print(printer, count, self.view.pageNavigator().currentPage())
        try:
            sheets = print_document(self.document, printer, pages)
        except OSError as error:
            self._say(f"Not printed: {error}", error=True)
            return False
        where = printer.printerName() or "the printer"
        self._say(f"Sent {sheets} page{'s' if sheets != 1 else ''} to {where}")
        return True

    def save_as(self) -> Path | None:
        """Save the exact bytes shown to a file the user picks; returns the file chosen."""
        if self.pdf is None or self.result is None:
            return None
        settings = QSettings()
        folder = settings.value("preview/folder") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        path, _ = QFileDialog.getSaveFileName(
            self, "Save as PDF", str(Path(str(folder)) / self.suggested_name), "PDF (*.pdf)"
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(f"{target.name}.pdf")

        def saved(_result: object) -> None:
            QSettings().setValue("preview/folder", str(target.parent))
            self._say(f"Saved {target.name}")

        self._copy_to(self.result, target, saved, "Not saved")
        return target

    def open_externally(self) -> Path | None:
        """Write a copy in Fascia's private temporary folder (owner-only, emptied when Fascia
        ends), audited as an export, and hand it to the system's PDF viewer."""
        if self.pdf is None or self.result is None or _is_secret(self.result):
            return None
        try:
            folder = Path(tempfile.mkdtemp(prefix="open-", dir=PRIVATE_TEMP.start()))
        except OSError as error:
            self._say(f"Could not write a copy to open: {error.strerror or error}", error=True)
            return None
        path = folder / _safe_file_name(self.suggested_name)

        def written(_result: object) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self._say(f"No PDF viewer opened it; the copy is at {path}", error=True)
            else:
                self._say("Opened in your PDF viewer")

        self._copy_to(self.result, path, written, "Could not write a copy to open")
        return path

    # ------------------------------------------------------------------ helpers

    def _copy_to(
        self, made: Made, path: Path, on_done: Callable[[object], None], failed: str
    ) -> None:
        """Hand what is shown to a file as a write (a printout's copy is audited as an export)."""
        WriteOp(
            self, lambda: self._save_copy(made, path), on_done, changes=_changes_of(made)
        ).on_invalid(lambda error: self._say(f"{failed}: {_message(error)}", error=True)).run()

    def _set_ready(self, ready: bool) -> None:
        for widget in (
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_button,
            self.open_button,
            self.save_button,
            self.print_button,
        ):
            widget.setEnabled(ready)
        if not ready:
            self.page_label.setText("")

    def _show_failure(self, failure: BuildFailure) -> None:
        self.failure = failure
        self.pdf = None
        self.error_message.setText(failure.message)
        self.details.setPlainText(failure.details)
        self.pages.setCurrentIndex(2)
        self._set_ready(False)
        self.close_button.setFocus()
        self.failed.emit(failure)

    def _effective_zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.pdf is None:
            return self.view.zoomFactor()
        # Fit-to-width: the zoom that makes the first page as wide as the viewport.
        points = self.document.pagePointSize(0)
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        dpi_scale = self.view.logicalDpiX() / 72
        return max(0.1, room / (points.width() * dpi_scale)) if points.width() else 1.0

    def _say(self, message: str, *, error: bool = False) -> None:
        self.note.setText(message)
        self.note.setProperty("role", "error" if error else None)
        self.note.setProperty("muted", not error)
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        if not error:
            self.status.emit(message)

    def _update_page_label(self, *_args: object) -> None:
        count = self.page_count()
        if count:
            current = self.view.pageNavigator().currentPage() + 1
            self.page_label.setText(f"Page {current} of {count}")

    def _update_zoom_label(self, *_args: object) -> None:
        fitted = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.fit_button.setChecked(fitted)
        self.zoom_label.setText(f"{round(self._effective_zoom() * 100)}%" if self.pdf else "")

    def _restore_size(self) -> None:
        geometry = QSettings().value("preview/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        parent = self.parentWidget()
        screen = (parent.screen() if parent else self.screen()).availableGeometry()
        self.resize(min(1000, int(screen.width() * 0.9)), int(screen.height() * 0.92))

    # ------------------------------------------------------------------ handlers

    def _on_build_done(self, made: Made) -> None:
        self.result = made
        if isinstance(made, Printout):
            self.suggested_name = _safe_file_name(made.file_name)
            self.open_button.setVisible(not made.secret)  # a copy would outlive the preview
            self.show_pdf(made.data)
        else:
            self.show_pdf(made)
        self.made.emit(made)

    def _on_build_invalid(self, error: ValidationError) -> None:
        self._show_failure(failure_of(error))

    def _on_build_failed(self, error: BaseException) -> None:
        """Anything but a ValidationError was also shown by the op (a message or the error
        dialog); the preview says it could not be prepared instead of preparing forever."""
        if not isinstance(error, ValidationError):
            self._show_failure(failure_of(error))

    def _on_renderer_page_rendered(self, *_args: object) -> None:
        if not self._shown and self.pdf is not None:
            self._shown = True
            self.pages_shown.emit()

    def _on_details_button_toggled(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_button.setText("Hide details" if on else "Show details")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_zoom_label()

    def done(self, result: int) -> None:
        QSettings().setValue("preview/geometry", self.saveGeometry())
        super().done(result)


def _is_secret(made: Made) -> bool:
    return isinstance(made, Printout) and made.secret


def _changes_of(made: Made) -> Changes:
    return made.changes if isinstance(made, Printout) else NOTHING


def _message(error: ValidationError) -> str:
    return " ".join(error.errors.values())


def _keys(key: QKeySequence.StandardKey | str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def _safe_file_name(name: str) -> str:
    cleaned = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name).strip()
    return cleaned or "document.pdf"


def preview_document(
    parent: QWidget | None,
    title: str,
    build: BuildPdf,
    *,
    suggested_name: str,
    on_shown: Callable[[PdfPreviewDialog], None] | None = None,
    save_copy: SaveCopy = write_copy,
) -> PdfPreviewDialog:
    """Open a preview of the document `build` makes off the GUI thread, and return it at once.

    `build` runs as a write op (see the module docstring for what it may touch); a `Printout`
    it returns names the file offered by Save as. `save_copy` writes the bytes shown to a file
    (`practice.printouts.export_copy` for a printout, so the export is audited). `on_shown` is
    called on the GUI thread once the first page is on screen.
    """
    dialog = PdfPreviewDialog(
        title, suggested_name=_safe_file_name(suggested_name), parent=parent, save_copy=save_copy
    )
    if on_shown is not None:
        dialog.pages_shown.connect(lambda: on_shown(dialog))
    dialog.show()
    dialog.start(build)
    return dialog
