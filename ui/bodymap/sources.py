"""Possible sources: the muscles whose trigger point referral could explain a body chart's pain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
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


@dataclass(frozen=True, slots=True)
class CardText:
    """Everything a card shows for one ranked suggestion: equal texts, equal card."""

    key: str
    name: str
    score: str
    share: float  # the score bar's fill, the shown percentage (so bar and number agree)
    why: str
    missing: str
    symptoms: str
    tooltip: str
    accessible_name: str

    @classmethod
    def of(cls, rank: int, suggestion: Suggestion, catalogue: Catalogue) -> CardText:
        muscle = suggestion.muscle
        percent = round(suggestion.score * 100)
        symptoms = "; ".join(muscle.symptoms[:SYMPTOMS_SHOWN])
        return cls(
            key=muscle.key,
            name=f"{rank}. {muscle.label}",
            score=f"{percent}%",
            share=percent / 100,
            why=why_line(suggestion, catalogue),
            missing=missing_line(suggestion, catalogue),
            symptoms=f"Often: {symptoms}." if symptoms else "",
            tooltip=suggestion.why,
            accessible_name=f"{muscle.label}, {percent} percent match",
        )


class ScoreBar(QWidget):
    """A thin horizontal bar filled to a share from 0 to 1."""

    def __init__(self, value: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = max(0.0, min(1.0, value))
        self.setFixedHeight(6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_value(self, value: float) -> None:
        value = max(0.0, min(1.0, value))
        if value != self.value:
            self.value = value
            self.update()

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


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:  # an unchanged label keeps its layout
        label.setText(text)


class SuggestionCard(QFrame):
    """One suggested muscle: click, Space or Enter selects it (and again deselects it).

    The panel reuses its cards: show_suggestion() puts another ranked muscle in the same card."""

    toggled = Signal(object)  # this card

    def __init__(
        self, rank: int, suggestion: Suggestion, catalogue: Catalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SourceCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setProperty("selected", False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.name_label = QLabel()
        self.name_label.setProperty("role", "title")
        self.name_label.setWordWrap(True)
        self.score_label = QLabel()
        self.score_label.setProperty("role", "title")
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.score_label)
        layout.addLayout(top)
        self.bar = ScoreBar(0.0)
        layout.addWidget(self.bar)
        layout.addSpacing(2)
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        layout.addWidget(self.why_label)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setProperty("muted", True)
        layout.addWidget(self.missing_label)
        self.symptoms_label = QLabel()
        self.symptoms_label.setWordWrap(True)
        self.symptoms_label.setProperty("muted", True)
        layout.addWidget(self.symptoms_label)
        self.text: CardText | None = None
        self.show_suggestion(rank, suggestion, catalogue)

    def show_suggestion(self, rank: int, suggestion: Suggestion, catalogue: Catalogue) -> None:
        """Show a ranked suggestion in this card; labels whose text is unchanged are left alone."""
        self.suggestion = suggestion
        self.show_text(CardText.of(rank, suggestion, catalogue))

    def show_text(self, text: CardText) -> None:
        self.key = text.key
        if text == self.text:
            return
        self.text = text
        _set_text(self.name_label, text.name)
        _set_text(self.score_label, text.score)
        self.bar.set_value(text.share)
        self.bar.setToolTip(f"Match {text.score}")
        _set_text(self.why_label, text.why)
        _set_text(self.missing_label, text.missing)
        _set_text(self.symptoms_label, text.symptoms)
        if self.symptoms_label.isHidden() == bool(text.symptoms):
            self.symptoms_label.setHidden(not text.symptoms)
        self.setToolTip(text.tooltip)
        if self.accessibleName() != text.accessible_name:
            self.setAccessibleName(text.accessible_name)
        if self.accessibleDescription() != text.tooltip:
            self.setAccessibleDescription(text.tooltip)

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
        self._pool: list[SuggestionCard] = []  # every card made; the first ones are listed
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
        """Rank the muscles for the chart and list them; keeps the selection while it is listed.

        The cards are updated in place, and not at all when what they show is unchanged (painting
        mostly changes an intensity, which often leaves the ranking and its percentages alone)."""
        self._suggestions = suggest_muscles(chart, self.limit, self.catalogue)
        texts = [
            CardText.of(rank, suggestion, self.catalogue)
            for rank, suggestion in enumerate(self._suggestions, start=1)
        ]
        if texts != [card.text for card in self._cards]:
            self._update_cards(texts)
        else:  # same texts: only the scores' fractions moved
            for card, suggestion in zip(self._cards, self._suggestions, strict=True):
                card.suggestion = suggestion
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

    def _update_cards(self, texts: list[CardText]) -> None:
        """Show the texts in the first cards of the pool (made as needed), hide the rest."""
        focused = QApplication.focusWidget()
        focus_key = focused.key if isinstance(focused, SuggestionCard) else None
        self._list.setUpdatesEnabled(False)
        try:
            while len(self._pool) < len(texts):
                rank = len(self._pool)
                card = SuggestionCard(rank + 1, self._suggestions[rank], self.catalogue, self._list)
                card.toggled.connect(self._on_card_toggled)
                self._list_layout.insertWidget(self._list_layout.count() - 1, card)
                self._pool.append(card)
            for card, suggestion, text in zip(self._pool, self._suggestions, texts, strict=False):
                card.suggestion = suggestion
                card.show_text(text)
            self._cards = self._pool[: len(texts)]
            spare = self._pool[len(texts) :]
            for card in self._cards:
                if card.isHidden():
                    card.show()
            if isinstance(focused, SuggestionCard) and focused in self._pool:  # before it is hidden
                self._keep_focus(focused, focus_key)
            for card in spare:
                if not card.isHidden():
                    card.hide()
        finally:
            self._list.setUpdatesEnabled(True)

    def _keep_focus(self, focused: SuggestionCard, key: str | None) -> None:
        """Focus follows its muscle to its new rank, else stays at its place in the list."""
        target = self._card(key) if key is not None else None
        if target is None and self._cards:
            target = self._cards[min(self._pool.index(focused), len(self._cards) - 1)]
        if target is None:
            focused.clearFocus()  # the list is gone, as is what had focus
        elif target is not focused:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

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
