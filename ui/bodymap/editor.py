"""The body chart editor: paint regions, place symbols, arrows, strokes and labels, with undo."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from enum import StrEnum

from PySide6.QtCore import QPointF, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGraphicsPathItem,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap.chart import (
    MAX_LABEL_LENGTH,
    MAX_TENDER_GRADE,
    ON_BODY_TOLERANCE,
    SYMBOL_NAMES,
    ChartData,
    PointSymbol,
    Quality,
    ReferralArrow,
    RegionMark,
    Stroke,
    StrokeKind,
    SymbolKind,
    TextLabel,
)
from practice.bodymap.metrics import summarize
from practice.bodymap.style import INK, OUTLINE, PAPER, intensity_colour
from practice.plans.trigger_points import load_catalogue
from ui import icons, theme
from ui.bodymap.legend import Legend, ReferralLegend
from ui.bodymap.scene import BodyMapScene
from ui.bodymap.sources import PossibleSourcesPanel
from ui.bodymap.view import BodyMapView
from ui.widgets.flow import FlowLayout

MESSAGE_SECONDS = 3.0
ERASE_RADIUS = 9.0  # atlas units around the pointer that the eraser reaches for overlays
MIN_STROKE_STEP = 3.0  # atlas units between recorded stroke points
SOURCES_KEYS = "Ctrl+Shift+S"
SOURCES_DELAY_MS = 150  # painting a stroke of regions refreshes the suggestions once, after it
SOURCES_WIDTH = 300
SOURCES_MIN_WIDTH = 240
SOURCES_SETTING = "bodymap/sources_visible"
MARKING_GAP = 8
STATUS_OFFSET = 8  # the status readout's distance from the chart's corner
TOOL_TEXT_PADDING = 30  # a labelled tool button beyond its text and icon (padding, border, gap)


class Tool(StrEnum):
    PAINT = "paint"
    ERASE = "erase"
    SYMBOL = "symbol"
    ARROW = "arrow"
    STROKE = "stroke"
    TEXT = "text"


TOOLS = (
    (Tool.PAINT, "Paint", "P", "Paint regions with the chosen intensity"),
    (Tool.ERASE, "Erase", "E", "Clear regions, symbols, arrows and strokes"),
    (Tool.SYMBOL, "Symbol", "S", "Place a symbol (trigger point, tender point …)"),
    (Tool.ARROW, "Arrow", "A", "Drag from where pain starts to where it is referred"),
    (Tool.STROKE, "Stroke", "D", "Draw a freehand line"),
    (Tool.TEXT, "Text", "T", "Click on the body to add a short text label"),
)
TOOL_ICONS = {
    Tool.PAINT: "paintbrush",
    Tool.ERASE: "eraser",
    Tool.SYMBOL: "crosshair",
    Tool.ARROW: "move-up-right",
    Tool.STROKE: "spline",
    Tool.TEXT: "type",
}
STROKE_NAMES = {StrokeKind.RADIATING: "radiating", StrokeKind.NUMBNESS: "numbness",
                StrokeKind.OTHER: "other line"}  # fmt: skip
TENDER_GRADES = ("0", "I", "II", "III", "IV")  # Hubbard & Berkoff grades 0-4
DEFAULT_TENDER_GRADE = 2
MUSCLE_KINDS = frozenset(
    {SymbolKind.TRIGGER_POINT_ACTIVE, SymbolKind.TRIGGER_POINT_LATENT, SymbolKind.TENDER_POINT}
)


class _ChartCommand(QUndoCommand):
    """Swap the whole chart between two states (charts are small and immutable)."""

    def __init__(self, editor: BodyChartEditor, text: str, before: ChartData, after: ChartData):
        super().__init__(text)
        self._editor, self._before, self._after = editor, before, after

    def redo(self) -> None:
        self._editor._apply(self._after)

    def undo(self) -> None:
        self._editor._apply(self._before)


class BodyChartEditor(QWidget):
    chart_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, scene: BodyMapScene | None = None):
        super().__init__(parent)
        self.scene = scene or BodyMapScene()
        self.atlas = self.scene.atlas
        self._chart = ChartData()
        self._order = {code: i for i, code in enumerate(self.atlas.codes)}
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self._macro_open = False
        self._start: QPointF | None = None
        self._points: list[tuple[float, float]] = []
        self._preview: QGraphicsPathItem | None = None
        self._message_until = 0.0
        self.intensity = 5

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._build_tools())
        layout.addLayout(self._build_marking())
        self.view = BodyMapView(self.scene)
        self.view.setMinimumSize(240, 160)
        self.view.pressed.connect(self._on_view_pressed)
        self.view.dragged.connect(self._on_view_dragged)
        self.view.released.connect(self._on_view_released)
        self.view.hovered.connect(self._on_view_hovered)
        self.view.left.connect(lambda: self._on_view_hovered(None))
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.view, 1)
        body.addWidget(self._build_sources())
        layout.addLayout(body, 1)
        self.referral_legend = ReferralLegend()
        self.referral_legend.set_muscle(None)
        # The region under the pointer and short messages show on the chart's top left corner,
        # in the chart's ink on its paper: no line of their own below the figure.
        self.status_label = QLabel(" ", self.view)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.status_label.setStyleSheet(
            f"background: {PAPER}; color: {INK}; border: 1px solid {OUTLINE};"
            " border-radius: 4px; padding: 2px 6px;"
        )
        self.status_label.move(STATUS_OFFSET, STATUS_OFFSET)
        self.status_label.hide()
        self.metrics_label = QLabel()
        self.metrics_label.setTextFormat(Qt.TextFormat.PlainText)
        self.metrics_label.setProperty("muted", True)
        self.legend = Legend()
        self.legend.add_trailing(self.metrics_label)  # at the legend's right end
        layout.addWidget(self.legend)
        layout.addWidget(self.referral_legend)
        self._update_metrics()
        self.set_sources_visible(bool(QSettings().value(SOURCES_SETTING, False, type=bool)))

    # --- API ----------------------------------------------------------------------------------

    def load(self, chart: ChartData) -> None:
        self._cancel_gesture()
        self._apply(chart)
        self.undo_stack.clear()
        self.undo_stack.setClean()

    def chart(self) -> ChartData:
        return self._chart

    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_clean(self) -> None:
        self.undo_stack.setClean()

    def set_chart(self, chart: ChartData, text: str = "Change chart") -> None:
        """Replace the chart as one undoable step."""
        self._push(text, chart)

    def set_tool(self, tool: Tool) -> None:
        self.tool_actions[tool].setChecked(True)
        self._on_tool_triggered()

    def current_tool(self) -> Tool:
        action = self.tool_group.checkedAction()
        return Tool(action.data()) if action else Tool.PAINT

    def set_intensity(self, value: int) -> None:
        self.intensity = max(1, min(10, value))
        self.intensity_buttons.button(self.intensity).setChecked(True)

    def qualities(self) -> frozenset[Quality]:
        return frozenset(q for q, box in self.quality_boxes.items() if box.isChecked())

    def sources_visible(self) -> bool:
        return self.sources_button.isChecked()

    def set_sources_visible(self, visible: bool) -> None:
        """Show or hide the Possible sources panel (Ctrl+Shift+S); hiding clears the overlay."""
        self.sources_button.setChecked(visible)

    def refresh_sources(self) -> None:
        """Re-rank the muscles for the chart now, without waiting for the debounce."""
        self._sources_timer.stop()
        if self.sources_visible():
            self.sources.show_chart(self._chart)

    def show_message(self, text: str) -> None:
        self._show_status(text)
        self._message_until = time.monotonic() + MESSAGE_SECONDS

    # --- building -----------------------------------------------------------------------------

    def _build_tools(self) -> FlowLayout:
        # One line of labelled tools when it fits; narrower, the tools show their icons only
        # (names and keys in their tooltips), and only then does anything wrap.
        row = self._tools_row = FlowLayout(spacing=6)
        self.tool_group = QActionGroup(self)
        self.tool_actions: dict[Tool, QAction] = {}
        self.tool_buttons: list[QToolButton] = []
        for tool, text, key, tip in TOOLS:
            action = QAction(icons.icon(TOOL_ICONS[tool]), f"{text} ({key})", self)
            action.setCheckable(True)
            action.setData(tool.value)
            action.setToolTip(f"{text} ({key}): {tip[0].lower()}{tip[1:]}")
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(self._on_tool_triggered)
            self.addAction(action)
            self.tool_group.addAction(action)
            self.tool_actions[tool] = action
            button = QToolButton()
            button.setDefaultAction(action)
            button.setProperty("tool", True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAccessibleName(text)
            row.addWidget(button)
            self.tool_buttons.append(button)
        self.tool_actions[Tool.PAINT].setChecked(True)
        self.symbol_kind = QComboBox()
        for kind in SymbolKind:
            self.symbol_kind.addItem(SYMBOL_NAMES[kind].capitalize(), kind.value)
        self.tender_grade = QComboBox()
        for grade, numeral in enumerate(TENDER_GRADES[: MAX_TENDER_GRADE + 1]):
            self.tender_grade.addItem(f"Grade {numeral}", grade)
        self.tender_grade.setCurrentIndex(DEFAULT_TENDER_GRADE)
        self.tender_grade.setToolTip("Tender point grade 0-IV (Hubbard & Berkoff)")
        self.muscle_edit = QLineEdit()
        self.muscle_edit.setPlaceholderText("Muscle (optional)")
        self.muscle_edit.setToolTip("The muscle the point lies in, recorded with the symbol")
        self.muscle_edit.setMaximumWidth(180)
        self.symbol_kind.currentIndexChanged.connect(self._on_tool_triggered)
        self.stroke_kind = QComboBox()
        for kind in StrokeKind:
            self.stroke_kind.addItem(STROKE_NAMES[kind].capitalize(), kind.value)
        row.addWidget(self.symbol_kind)
        row.addWidget(self.tender_grade)
        row.addWidget(self.muscle_edit)
        row.addWidget(self.stroke_kind)
        row.add_stretch()
        self.sources_button = QPushButton(icons.icon("sparkles"), "Possible sources")
        self.sources_button.setCheckable(True)
        self.sources_button.setToolTip(
            f"Muscles whose trigger points could refer the marked pain ({SOURCES_KEYS})"
        )
        self.sources_button.toggled.connect(self._on_sources_button_toggled)
        row.addWidget(self.sources_button)
        self.undo_button = QPushButton(icons.icon("undo-2"), "")
        self.undo_button.setToolTip("Undo (Ctrl+Z)")
        self.redo_button = QPushButton(icons.icon("redo-2"), "")
        self.redo_button.setToolTip("Redo (Ctrl+Shift+Z)")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        for keys, slot, does in (
            ("Ctrl+Z", self.undo_stack.undo, "Undo"),
            ("Ctrl+Shift+Z", self.undo_stack.redo, "Redo"),
            ("Ctrl+Y", self.undo_stack.redo, "Redo"),
            (SOURCES_KEYS, self._on_sources_shortcut_activated, "Show or hide possible sources"),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(does)  # listed in Help > Keyboard shortcuts
            shortcut.activated.connect(slot)
        self._on_tool_triggered()
        return row

    def _build_marking(self) -> FlowLayout:
        row = FlowLayout(spacing=MARKING_GAP)
        scale = QWidget()
        scale_row = QHBoxLayout(scale)
        scale_row.setContentsMargins(0, 0, 6, 0)
        scale_row.setSpacing(3)
        scale_row.addWidget(QLabel("Intensity"))
        self.intensity_buttons = QButtonGroup(self)
        chosen = theme.colours().text  # the chosen step's ring stands out in either scheme
        for value in range(1, 11):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setFixedSize(28, 26)
            fill = intensity_colour(value) or "#ffffff"
            ink = "#ffffff" if value >= 7 else "#1d2329"
            button.setStyleSheet(
                f"QPushButton {{ background: {fill}; color: {ink}; border: 1px solid #c3c7cd;"
                " border-radius: 3px; padding: 0; }"
                f"QPushButton:checked {{ border: 3px solid {chosen}; font-weight: bold; }}"
            )
            button.setToolTip(f"Intensity {value} of 10 (key {value % 10})")
            self.intensity_buttons.addButton(button, value)
            scale_row.addWidget(button)
            shortcut = QShortcut(QKeySequence(str(value % 10)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis("Pain intensity 1 to 10 (0 is 10)")
            shortcut.activated.connect(lambda v=value: self.set_intensity(v))
        self.intensity_buttons.idClicked.connect(self.set_intensity)
        self.intensity_buttons.button(self.intensity).setChecked(True)
        row.addWidget(scale)
        self._scale = scale
        # The qualities as boxes beside the scale when they fit there, else in a menu button.
        self.qualities_button = QToolButton()
        self.qualities_button.setProperty("tool", True)
        self.qualities_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.qualities_button.setAccessibleName("Pain qualities")
        qualities_menu = QMenu(self.qualities_button)
        self.qualities_button.setMenu(qualities_menu)
        row.addWidget(self.qualities_button)
        self.quality_boxes: dict[Quality, QCheckBox] = {}
        for quality in Quality:
            box = QCheckBox(quality.value.capitalize())
            box.setToolTip("Recorded with the regions you paint next")
            self.quality_boxes[quality] = box
            row.addWidget(box)
            action = qualities_menu.addAction(box.text())
            action.setCheckable(True)
            action.toggled.connect(box.setChecked)
            box.toggled.connect(action.setChecked)
            box.toggled.connect(self._show_qualities)
        self._show_qualities()
        return row

    def _show_qualities(self) -> None:
        chosen = [box.text().lower() for box in self.quality_boxes.values() if box.isChecked()]
        self.qualities_button.setText(f"Qualities · {len(chosen)}" if chosen else "Qualities")
        self.qualities_button.setToolTip(
            "Recorded with the regions you paint next: " + (", ".join(chosen) or "none chosen")
        )

    def _fit_marking(self) -> None:
        """The quality boxes on the scale's line when they fit, else the menu button there."""
        boxes = list(self.quality_boxes.values())
        needed = self._scale.sizeHint().width() + sum(
            box.sizeHint().width() + MARKING_GAP for box in boxes
        )
        compact = needed > self.width()
        for box in boxes:
            box.setHidden(compact)
        self.qualities_button.setVisible(compact)

    def _build_sources(self) -> PossibleSourcesPanel:
        self.sources = PossibleSourcesPanel()
        self.sources.setMinimumWidth(SOURCES_MIN_WIDTH)
        self.sources.setMaximumWidth(SOURCES_WIDTH)
        self.sources.hide()
        self.sources.muscle_selected.connect(self._on_sources_muscle_selected)
        self._sources_timer = QTimer(self)
        self._sources_timer.setSingleShot(True)
        self._sources_timer.setInterval(SOURCES_DELAY_MS)
        self._sources_timer.timeout.connect(self.refresh_sources)
        return self.sources

    # --- state --------------------------------------------------------------------------------

    def _apply(self, chart: ChartData) -> None:
        self._chart = chart
        self.scene.show_chart(chart)
        self._update_metrics()
        if self.sources_visible():
            self._sources_timer.start()

    def _push(self, text: str, after: ChartData) -> None:
        if after != self._chart:
            self.undo_stack.push(_ChartCommand(self, text, self._chart, after))

    def _with_mark(self, code: str, mark: RegionMark | None) -> ChartData:
        marks = [m for m in self._chart.marks if m.region != code]
        if mark is not None:
            marks.append(mark)
        marks.sort(key=lambda m: self._order.get(m.region, len(self._order)))
        return replace(self._chart, marks=tuple(marks))

    def _update_metrics(self) -> None:
        m = summarize(self._chart, self.atlas)
        self.metrics_label.setText(
            f"Extent {m.extent_percent:.1f}%  ·  {m.region_count} "
            f"region{'s' if m.region_count != 1 else ''}  ·  WPI {m.wpi}/19  ·  "
            f"max {m.max_intensity}/10"
        )

    # --- gestures -----------------------------------------------------------------------------

    def _mark_at(self, point: QPointF) -> None:
        item = self.scene.region_item_at(point)
        if item is None:
            return
        code = item.data(0)
        if self.current_tool() is Tool.ERASE:
            after = self._with_mark(code, None)
        else:
            after = self._with_mark(code, RegionMark(code, self.intensity, self.qualities()))
        if after == self._chart:
            return
        if not self._macro_open:
            verb = "Erase" if self.current_tool() is Tool.ERASE else "Paint"
            self.undo_stack.beginMacro(f"{verb} regions")
            self._macro_open = True
        self._push("Mark region", after)

    def _on_body(self, point: QPointF) -> bool:
        view = self.scene.view_at(point.x())
        return self.atlas.is_on_body(view, point.x(), point.y(), ON_BODY_TOLERANCE)

    def _erase_overlay(self, point: QPointF) -> bool:
        x, y = point.x(), point.y()

        def near(px: float, py: float) -> bool:
            return math.hypot(px - x, py - y) <= ERASE_RADIUS

        chart = self._chart
        symbols = tuple(s for s in chart.symbols if not near(s.x, s.y))
        arrows = tuple(a for a in chart.arrows if not (near(a.x1, a.y1) or near(a.x2, a.y2)))
        strokes = tuple(s for s in chart.strokes if not any(near(*p) for p in s.points))
        after = replace(chart, symbols=symbols, arrows=arrows, strokes=strokes)
        if after == chart:
            return False
        self._push("Erase", after)
        return True

    def _on_view_pressed(self, point: QPointF) -> None:
        tool = self.current_tool()
        self._cancel_gesture()
        if tool is Tool.ERASE and self._erase_overlay(point):
            return
        if tool in (Tool.PAINT, Tool.ERASE):
            self._start = point
            self._mark_at(point)
            return
        if not self._on_body(point):
            what = {Tool.SYMBOL: "symbols", Tool.ARROW: "arrows", Tool.STROKE: "lines",
                    Tool.TEXT: "labels"}[tool]  # fmt: skip
            self.show_message(f"Place {what} on the body outline.")
            return
        view = self.scene.view_at(point.x())
        if tool is Tool.SYMBOL:
            kind = SymbolKind(self.symbol_kind.currentData())
            grade = self.tender_grade.currentData() if kind is SymbolKind.TENDER_POINT else None
            muscle = self.muscle_edit.text().strip() if kind in MUSCLE_KINDS else ""
            symbol = PointSymbol(kind, view, round(point.x(), 1), round(point.y(), 1),
                                 grade=grade, muscle=muscle)  # fmt: skip
            self._push(f"Add {SYMBOL_NAMES[kind]}", replace(
                self._chart, symbols=(*self._chart.symbols, symbol)
            ))  # fmt: skip
            return
        if tool is Tool.TEXT:
            self._add_label(point)
            return
        self._start = point
        self._points = [(round(point.x(), 1), round(point.y(), 1))]

    def _on_view_dragged(self, point: QPointF) -> None:
        if self._start is None:
            return
        tool = self.current_tool()
        if tool in (Tool.PAINT, Tool.ERASE):
            self._mark_at(point)
        elif tool is Tool.STROKE:
            last = self._points[-1]
            if math.hypot(point.x() - last[0], point.y() - last[1]) >= MIN_STROKE_STEP:
                self._points.append((round(point.x(), 1), round(point.y(), 1)))
                self._show_preview(
                    self.scene.add_stroke(self._points, self.stroke_kind.currentData())
                )
        elif tool is Tool.ARROW:
            arrow = ReferralArrow(self.scene.view_at(self._start.x()), self._start.x(),
                                  self._start.y(), point.x(), point.y())  # fmt: skip
            self._show_preview(self.scene.add_arrow(arrow))

    def _on_view_released(self, point: QPointF) -> None:
        start, tool = self._start, self.current_tool()
        points = self._points
        self._cancel_gesture()
        if start is None or tool in (Tool.PAINT, Tool.ERASE, Tool.SYMBOL, Tool.TEXT):
            return
        view = self.scene.view_at(start.x())
        if tool is Tool.ARROW:
            if math.hypot(point.x() - start.x(), point.y() - start.y()) < 6:
                self.show_message("Drag from where the pain starts to where it is felt.")
            elif not self._on_body(point) or self.scene.view_at(point.x()) != view:
                self.show_message("An arrow must end on the same body outline.")
            else:
                arrow = ReferralArrow(view, round(start.x(), 1), round(start.y(), 1),
                                      round(point.x(), 1), round(point.y(), 1))  # fmt: skip
                self._push("Add arrow", replace(self._chart, arrows=(*self._chart.arrows, arrow)))
        elif tool is Tool.STROKE:
            if len(points) < 2:
                self.show_message("Drag to draw a line.")
                return
            stroke = Stroke(view, tuple(points), StrokeKind(self.stroke_kind.currentData()))
            self._push("Add line", replace(self._chart, strokes=(*self._chart.strokes, stroke)))

    def _add_label(self, point: QPointF) -> None:
        text, ok = QInputDialog.getText(
            self, "Text label", f"Label (up to {MAX_LABEL_LENGTH} characters):"
        )
        if not ok:
            return
        text = text.strip()
        if not text:
            self.show_message("A text label cannot be empty.")
            return
        if len(text) > MAX_LABEL_LENGTH:
            self.show_message(
                f"A text label can have at most {MAX_LABEL_LENGTH} characters; "
                f"this one has {len(text)}."
            )
            return
        label = TextLabel(self.scene.view_at(point.x()), round(point.x(), 1),
                          round(point.y(), 1), text)  # fmt: skip
        self._push("Add label", replace(self._chart, labels=(*self._chart.labels, label)))

    def _show_preview(self, item: QGraphicsPathItem) -> None:
        if self._preview is not None:
            self.scene.removeItem(self._preview)
        self._preview = item

    def _cancel_gesture(self) -> None:
        if self._macro_open:
            self.undo_stack.endMacro()
            self._macro_open = False
        if self._preview is not None:
            self.scene.removeItem(self._preview)
            self._preview = None
        self._start = None
        self._points = []

    def _on_view_hovered(self, point: QPointF | None) -> None:
        item = self.scene.region_item_at(point) if point is not None else None
        code = item.data(0) if item is not None else None
        self.scene.set_hover(code)
        if time.monotonic() < self._message_until:
            return
        if code is None:
            self._show_status(" ")
            return
        text = self.atlas.region(code).name
        mark = next((m for m in self._chart.marks if m.region == code), None)
        if mark is not None:
            qualities = ", ".join(q.value for q in Quality if q in mark.qualities)
            text += f"  —  {mark.intensity}/10" + (f", {qualities}" if qualities else "")
        self._show_status(text)

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.adjustSize()
        self.status_label.setVisible(bool(text.strip()))

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        self.chart_changed.emit()

    def _on_sources_button_toggled(self, visible: bool) -> None:
        self.sources.setVisible(visible)
        QSettings().setValue(SOURCES_SETTING, visible)
        if visible:
            self.refresh_sources()
        else:
            self._sources_timer.stop()
            self.sources.select_muscle(None)

    def _on_sources_shortcut_activated(self) -> None:
        self.set_sources_visible(not self.sources_visible())
        cards = self.sources.cards()
        if self.sources_visible() and cards:
            cards[0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_sources_muscle_selected(self, key: str | None) -> None:
        muscle = load_catalogue().muscle(key) if key else None
        self.scene.show_muscle(muscle)
        self.referral_legend.set_muscle(muscle.label if muscle else None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_tools()
        self._fit_marking()

    def _fit_tools(self) -> None:
        """Labelled tools when the whole row fits on one line, their icons only otherwise."""
        metrics = self.fontMetrics()
        labelled = sum(
            metrics.horizontalAdvance(button.defaultAction().text())
            + button.iconSize().width()
            + TOOL_TEXT_PADDING
            for button in self.tool_buttons
        )
        others = [
            widget.sizeHint().width()
            for widget in (
                self.symbol_kind,
                self.tender_grade,
                self.muscle_edit,
                self.stroke_kind,
                self.sources_button,
                self.undo_button,
                self.redo_button,
            )
            if not widget.isHidden()
        ]
        gaps = self._tools_row.spacing() * (len(self.tool_buttons) + len(others))
        compact = labelled + sum(others) + gaps > self.width()
        style = (
            Qt.ToolButtonStyle.ToolButtonIconOnly
            if compact
            else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        )
        for button in self.tool_buttons:
            button.setToolButtonStyle(style)

    def _on_tool_triggered(self) -> None:
        tool = self.current_tool()
        symbols = tool is Tool.SYMBOL
        kind = SymbolKind(self.symbol_kind.currentData())
        self.symbol_kind.setVisible(symbols)
        self.tender_grade.setVisible(symbols and kind is SymbolKind.TENDER_POINT)
        self.muscle_edit.setVisible(symbols and kind in MUSCLE_KINDS)
        self.stroke_kind.setVisible(tool is Tool.STROKE)
        self._fit_tools()
