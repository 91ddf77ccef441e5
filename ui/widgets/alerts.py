"""Contraindication alerts on screen: compact chips for the header, a banner with the details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

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
    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        kind, _icon, word = STYLE[alert.level]
        self.setProperty("alert", kind)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(f"{_glyph(kind)} {word}: {alert.title}")
        self.setToolTip(
            f"{alert.level.value}: {alert.title}\n{alert.why}\nWhat to do: {alert.action}"
        )
        self.setAccessibleName(f"{alert.level.value} alert: {alert.title}")


def _glyph(kind: str) -> str:
    return {"block": "⛔", "caution": "⚠", "info": "ⓘ"}[kind]


class AlertBanner(QWidget):
    """Every alert with what, why and what to do; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AlertBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(6)
        self.hide()

    def set_alerts(self, alerts: list[Alert]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for alert in alerts:
            self._layout.addWidget(_AlertRow(alert))
        self.setVisible(bool(alerts))


class _AlertRow(QWidget):
    def __init__(self, alert: Alert) -> None:
        super().__init__()
        kind, icon_name, _word = STYLE[alert.level]
        self.setObjectName("AlertRow")
        self.setProperty("level", kind)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
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
        details = [alert.why, f"What to do: {alert.action}"]
        if alert.detail:
            details.insert(0, f"Reported: {alert.detail}")
        body = QLabel("\n".join(details))
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setWordWrap(True)
        text.addWidget(body)
        layout.addLayout(text, 1)
        self.setAccessibleName(f"{alert.level.value} alert: {alert.title}. {alert.action}")
