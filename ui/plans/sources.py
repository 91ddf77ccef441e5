"""Possible sources: the muscles whose trigger point referral could explain a body chart's pain."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from practice.bodymap.chart import ChartData
from practice.plans.trigger_points import Catalogue, Suggestion, load_catalogue, suggest_muscles
from ui import theme

NAMES_SHOWN = 3  # region names listed in a card's "why" line before "and N more"
SYMPTOMS_SHOWN = 2

CAPTION = (
    "Muscles whose usual referral pattern matches the marked pain. "
    "Fascia suggests; you examine and decide."
)
EMPTY_TEXT = (
    "Mark painful regions on the body map to see which muscles' trigger points could refer "
    "pain there."
)
NO_MATCH_TEXT = "No muscle in the trigger point catalogue refers pain to the marked regions."


def region_list(catalogue: Catalogue, codes: Sequence[str], shown: int = NAMES_SHOWN) -> str:
    """'right neck (back), right temple and 2 more': region names, lower case, shortened."""
    names = [catalogue.region_name(code).lower() for code in codes]
    if len(names) > shown + 1:
        return f"{', '.join(names[:shown])} and {len(names) - shown} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def why_line(suggestion: Suggestion, catalogue: Catalogue) -> str:
    """One line: how many of the marked regions the muscle explains, and which."""
    explained = suggestion.explained_regions
    marked = len(explained) + len(suggestion.unexplained_regions)
    noun = "region" if marked == 1 else "regions"
    return (
        f"Explains {len(explained)} of {marked} marked {noun}: {region_list(catalogue, explained)}."
    )


def missing_line(suggestion: Suggestion, catalogue: Catalogue) -> str:
    """What of the muscle's main zone is not marked ('' when all of it is)."""
    if not suggestion.missing_regions:
        return "All of its main referral zone is marked."
    return f"Its main zone also covers {region_list(catalogue, suggestion.missing_regions)}."


class ScoreBar(QWidget):
    """A thin horizontal bar filled to a share from 0 to 1."""

    def __init__(self, value: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = max(0.0, min(1.0, value))
        self.setFixedHeight(6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(120, 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = theme.colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        rect = QRectF(self.rect())
        painter.setBrush(QColor(colours.border))
        painter.drawRoundedRect(rect, 3, 3)
        if self.value > 0:
            painter.setBrush(QColor(colours.accent))
            painter.drawRoundedRect(QRectF(0, 0, rect.width() * self.value, rect.height()), 3, 3)
        painter.end()


class SuggestionCard(QFrame):
    """One suggested muscle: click, Space or Enter selects it (and again deselects it)."""

    toggled = Signal(object)  # this card

    def __init__(
        self, rank: int, suggestion: Suggestion, catalogue: Catalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.suggestion = suggestion
        self.key = suggestion.muscle.key
        self.setObjectName("SourceCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setProperty("selected", False)
        muscle = suggestion.muscle
        percent = round(suggestion.score * 100)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.name_label = QLabel(f"{rank}. {muscle.label}")
        self.name_label.setProperty("role", "title")
        self.name_label.setWordWrap(True)
        self.score_label = QLabel(f"{percent}%")
        self.score_label.setProperty("role", "title")
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.score_label)
        layout.addLayout(top)
        self.bar = ScoreBar(suggestion.score)
        self.bar.setToolTip(f"Match {percent}%")
        layout.addWidget(self.bar)
        layout.addSpacing(2)
        self.why_label = QLabel(why_line(suggestion, catalogue))
        self.why_label.setWordWrap(True)
        layout.addWidget(self.why_label)
        self.missing_label = QLabel(missing_line(suggestion, catalogue))
        self.missing_label.setWordWrap(True)
        self.missing_label.setProperty("muted", True)
        layout.addWidget(self.missing_label)
        symptoms = "; ".join(muscle.symptoms[:SYMPTOMS_SHOWN])
        self.symptoms_label = QLabel(f"Often: {symptoms}." if symptoms else "")
        self.symptoms_label.setWordWrap(True)
        self.symptoms_label.setProperty("muted", True)
        self.symptoms_label.setVisible(bool(symptoms))
        layout.addWidget(self.symptoms_label)

        self.setToolTip(suggestion.why)
        self.setAccessibleName(f"{muscle.label}, {percent} percent match")
        self.setAccessibleDescription(suggestion.why)

    def is_selected(self) -> bool:
        return bool(self.property("selected"))

    def set_selected(self, selected: bool) -> None:
        if selected == self.is_selected():
            return
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.toggled.emit(self)
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggled.emit(self)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.focusNextPrevChild(key == Qt.Key.Key_Down)
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class PossibleSourcesPanel(QWidget):
    """Ranked muscles for a chart, each with its match, the regions it explains and why."""

    muscle_selected = Signal(object)  # str | None: the catalogue key ('upper_trapezius_R')

    def __init__(self, parent: QWidget | None = None, limit: int = 5) -> None:
        super().__init__(parent)
        self.setObjectName("PossibleSources")
        self.limit = limit
        self.catalogue = load_catalogue()
        self._suggestions: list[Suggestion] = []
        self._cards: list[SuggestionCard] = []
        self._selected: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.title = QLabel("Possible sources")
        self.title.setProperty("role", "title")
        layout.addWidget(self.title)
        self.caption = QLabel(CAPTION)
        self.caption.setWordWrap(True)
        self.caption.setProperty("muted", True)
        layout.addWidget(self.caption)

        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("muted", True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty_label)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 4, 0)
        self._list_layout.setSpacing(8)
        self._list_layout.addStretch(1)
        self.scroll.setWidget(self._list)
        layout.addWidget(self.scroll, 1)
        self._apply_style()
        self._show_state(has_marks=False)

    # --- public -------------------------------------------------------------------------------

    def show_chart(self, chart: ChartData) -> None:
        """Rank the muscles for the chart and list them; keeps the selection while it is listed."""
        suggestions = suggest_muscles(chart, self.limit, self.catalogue)
        if suggestions != self._suggestions:  # painting often leaves the ranking as it was
            self._suggestions = suggestions
            self._rebuild()
        has_marks = any(mark.intensity > 0 for mark in chart.marks)
        self._show_state(has_marks)
        if self._selected is not None and self._card(self._selected) is None:
            self._set_selected(None)
        else:
            self._mark_selected()

    def suggestions(self) -> list[Suggestion]:
        return list(self._suggestions)

    def selected_muscle(self) -> str | None:
        return self._selected

    def select_muscle(self, key: str | None) -> None:
        """Select a listed muscle by key (None clears); emits muscle_selected on a change."""
        if key is not None and self._card(key) is None:
            raise KeyError(f"{key!r} is not among the listed suggestions")
        self._set_selected(key)

    def cards(self) -> list[SuggestionCard]:
        return list(self._cards)

    # --- internals ----------------------------------------------------------------------------

    def _rebuild(self) -> None:
        for card in self._cards:
            self._list_layout.removeWidget(card)
            card.deleteLater()
        self._cards = []
        for rank, suggestion in enumerate(self._suggestions, start=1):
            card = SuggestionCard(rank, suggestion, self.catalogue, self._list)
            card.toggled.connect(self._on_card_toggled)
            self._list_layout.insertWidget(self._list_layout.count() - 1, card)
            self._cards.append(card)

    def _show_state(self, has_marks: bool) -> None:
        listed = bool(self._cards)
        self.empty_label.setText(EMPTY_TEXT if not has_marks else NO_MATCH_TEXT)
        self.empty_label.setVisible(not listed)
        self.scroll.setVisible(listed)

    def _card(self, key: str) -> SuggestionCard | None:
        return next((card for card in self._cards if card.key == key), None)

    def _mark_selected(self) -> None:
        for card in self._cards:
            card.set_selected(card.key == self._selected)

    def _set_selected(self, key: str | None) -> None:
        changed = key != self._selected
        self._selected = key
        self._mark_selected()
        if changed:
            self.muscle_selected.emit(key)

    def _on_card_toggled(self, card: SuggestionCard) -> None:
        self._set_selected(None if card.key == self._selected else card.key)

    def _apply_style(self) -> None:
        c = theme.colours()
        self.setStyleSheet(
            f"#SourceCard {{ background: {c.surface}; border: 1px solid {c.border};"
            " border-radius: 8px; }"
            f"#SourceCard:focus {{ border: 1px solid {c.accent}; }}"
            f'#SourceCard[selected="true"] {{ background: {c.selection};'
            f" border: 1px solid {c.accent}; }}"
        )
