"""Contraindication alerts on screen: compact chips for the header, a banner with the details."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from practice.clients.rules import Alert, AlertLevel
from ui import icons, theme

# Severity is shown by an icon and a word as well as colour (UI.md: never colour alone).
STYLE = {
    AlertLevel.BLOCK: ("block", "octagon-alert", "Do not treat"),
    AlertLevel.LOCAL: ("caution", "triangle-alert", "Avoid area"),
    AlertLevel.WARN_DEEP: ("caution", "triangle-alert", "No deep work"),
    AlertLevel.CAUTION: ("caution", "triangle-alert", "Caution"),
    AlertLevel.NOTE: ("info", "info", "Note"),
}


def _colour(kind: str) -> str:
    c = theme.colours()
    return {"block": c.danger, "caution": c.warning, "info": c.info}[kind]


class AlertChip(QLabel):
    """A short chip: icon glyph and the level's word, with a count when several alerts share it."""

    def __init__(
        self, alerts: list[Alert], parent: QWidget | None = None, *, with_title: bool = False
    ) -> None:
        super().__init__(parent)
        self.level = alerts[0].level
        self.setProperty("alert", STYLE[self.level][0])
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # never clipped
        self.say(alerts, with_title=with_title)

    def say(self, alerts: list[Alert], *, with_title: bool = False) -> None:
        """Show these alerts, all of the chip's level: a chip kept in place says the next
        client's, which costs far less than styling a new one (about 2 ms each)."""
        kind, _icon, word = STYLE[self.level]
        count = f" ×{len(alerts)}" if len(alerts) > 1 else ""
        title = f": {alerts[0].title}" if with_title and len(alerts) == 1 else ""
        self.setText(f"{_glyph(kind)} {word}{count}{title}")
        self.setToolTip("\n".join(f"{a.level.value}: {a.title} — {a.action}" for a in alerts))
        names = "; ".join(a.title for a in alerts)
        self.setAccessibleName(f"{alerts[0].level.value} alert: {names}")


def by_level(alerts: list[Alert]) -> dict[AlertLevel, list[Alert]]:
    """The alerts grouped by level, most serious first (one chip says each group)."""
    groups: dict[AlertLevel, list[Alert]] = {}
    for alert in sorted(alerts, key=lambda a: a.level.rank):
        groups.setdefault(alert.level, []).append(alert)
    return groups


def chips_for(alerts: list[Alert]) -> list[AlertChip]:
    """One chip per level, most serious first."""
    return [AlertChip(group) for group in by_level(alerts).values()]


# Symbols the common desktop fonts all hold (DejaVu Sans, Segoe UI, San Francisco): "⛔" and
# "ⓘ" drew as empty boxes on a Linux desktop with DejaVu alone.
GLYPHS = {"block": "⊘", "caution": "⚠", "info": "ℹ"}


def _glyph(kind: str) -> str:
    return GLYPHS[kind]


class AlertBanner(QWidget):
    """Every alert with what, why and what to do; hidden when there are none.

    The most serious alerts show in full; past `shown_at_once` a toggle reveals the rest, so a
    long list never pushes the client's record off the screen. Folded (`set_folded`), the
    banner stays out of the way until `set_opened(True)`: the header's chips say what the
    alerts are, and their "What to do" button opens the banner.
    """

    opened_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, shown_at_once: int = 2) -> None:
        super().__init__(parent)
        self.setObjectName("AlertBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._shown_at_once = shown_at_once
        self._expanded = False
        self._folded = False
        self._opened = False
        self._alerts: tuple[Alert, ...] = ()
        self._rows: list[_AlertRow] = []  # built when the banner is first shown with them
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(6)
        self.toggle = QPushButton()
        self.toggle.setFlat(True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.clicked.connect(self._on_toggle_clicked)
        self._layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.hide()

    def set_alerts(self, alerts: list[Alert]) -> None:
        """Show these alerts. Their rows are made when the banner is shown: folded away, as a
        client's record keeps it, opening a client makes none (each row is five widgets)."""
        fresh = tuple(alerts)
        if fresh != self._alerts:
            self._alerts = fresh
            for row in self._rows:
                self._layout.removeWidget(row)
                row.hide()  # gone from the screen now, deleted in the next pass
                row.deleteLater()
            self._rows = []
        self._expanded = self._folded  # opened from the header, it shows everything at once
        self._update_visibility()

    def has_alerts(self) -> bool:
        return bool(self._alerts)

    def is_folded(self) -> bool:
        return self._folded

    def set_folded(self, folded: bool) -> None:
        """Folded away (on tabs that need the height) or shown in full; folding closes it."""
        self._folded = folded
        self._opened = False
        self._expanded = folded  # opened from the header, it shows everything at once
        self._update_visibility()
        self.opened_changed.emit(False)

    def is_opened(self) -> bool:
        return self._opened

    def set_opened(self, opened: bool) -> None:
        """Open a folded banner (the header's "What to do"), or fold it again."""
        if not self._folded or opened == self._opened:
            return
        self._opened = opened
        self._update_visibility()
        self.opened_changed.emit(opened)

    def _update_visibility(self) -> None:
        shown = bool(self._alerts) and (not self._folded or self._opened)
        if shown and not self._rows:
            self._rows = [_AlertRow(alert) for alert in self._alerts]
            for index, row in enumerate(self._rows):
                self._layout.insertWidget(index, row)
        hidden = max(0, len(self._alerts) - self._shown_at_once)
        for index, row in enumerate(self._rows):
            row.setVisible(self._expanded or index < self._shown_at_once)
            row.details.setVisible(self._expanded)
        self.toggle.setVisible(bool(self._alerts) and not self._folded)
        more = f"{hidden} more alert{'s' if hidden != 1 else ''} and details"
        if self._expanded:
            self.toggle.setText("Show less")
        else:
            self.toggle.setText(f"Show {more}" if hidden else "Show details")
        self.setVisible(shown)

    def _on_toggle_clicked(self) -> None:
        self._expanded = not self._expanded
        self._update_visibility()


class _AlertRow(QWidget):
    def __init__(self, alert: Alert) -> None:
        super().__init__()
        kind, icon_name, _word = STYLE[alert.level]
        self.setObjectName("AlertRow")
        self.setProperty("level", kind)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(12)
        icon = QLabel()
        icon.setPixmap(icons.pixmap(icon_name, 20, _colour(kind)))
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        head = QLabel(f"{alert.level.value} · {alert.title}")
        head.setTextFormat(Qt.TextFormat.PlainText)
        font = head.font()
        font.setWeight(font.Weight.DemiBold)
        head.setFont(font)
        text.addWidget(head)
        action = QLabel(f"What to do: {alert.action}")
        action.setTextFormat(Qt.TextFormat.PlainText)
        action.setWordWrap(True)
        text.addWidget(action)
        why = [f"Reported: {alert.detail}"] if alert.detail else []
        self.details = QLabel("\n".join([*why, f"Why: {alert.why}"]))
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setProperty("muted", True)
        self.details.hide()
        text.addWidget(self.details)
        layout.addLayout(text, 1)
        self.setAccessibleName(f"{alert.level.value} alert: {alert.title}. {alert.action}")
