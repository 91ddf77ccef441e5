"""Billing reports on screen: outstanding balances by age, revenue, tax collected; CSV export."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from practice import printouts
from practice.billing import reports
from practice.billing.records import AgeingReport, RevenueReport, TaxReport
from practice.errors import ValidationError
from practice.printouts import BillingReport
from practice.store import Database
from ui import icons
from ui.billing.money import MoneyFormat
from ui.billing.tables import TextTableModel, table_view
from ui.billing.widgets import DateRangePicker
from ui.ops import WriteOp
from ui.widgets import dates
from ui.widgets.forms import ErrorLabel, muted, section_title
from ui.widgets.status import say
from ui.widgets.tables import fit_columns

Report = AgeingReport | RevenueReport | TaxReport
BUCKETS = ("0-30 days", "31-60 days", "61-90 days", "Over 90 days", "Total")
REPORT_KINDS = (BillingReport.BALANCES, BillingReport.REVENUE, BillingReport.TAX)  # by tab


class FigureCard(QWidget):
    """A caption above a large amount."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(2)
        self.caption = muted(caption, wrap=False)
        self.value = QLabel()
        self.value.setTextFormat(Qt.TextFormat.PlainText)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setWeight(font.Weight.DemiBold)
        self.value.setFont(font)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def set_value(self, text: str) -> None:
        self.value.setText(text)
        self.value.setAccessibleName(f"{self.caption.text()}: {text}")


def _fit_height(view: QTableView, rows: int, most: int = 14) -> None:
    view.setFixedHeight(30 * (min(max(rows, 1), most) + 1) + 8)


class ReportsPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.money = MoneyFormat.of(db)
        self.report: Report | None = None
        self.period = DateRangePicker("this_year")
        self.period.changed.connect(self.refresh)
        self.export_button = QPushButton(icons.icon("file-down"), "Export CSV…")
        self.export_button.setToolTip("Save the report shown as a CSV file for a spreadsheet")
        self.export_button.clicked.connect(self.export_csv)
        self.period_caption = muted("Period", wrap=False)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.period_caption)
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.export_button)
        self.error = ErrorLabel()

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._scrolled(self._build_ageing()), "Outstanding")
        self.tabs.addTab(self._scrolled(self._build_revenue()), "Revenue")
        self.tabs.addTab(self._scrolled(self._build_tax()), "Tax collected")
        self.tabs.currentChanged.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs, 1)

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(widget)
        return scroll

    # ------------------------------------------------------------------ building

    def _build_ageing(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 16, 8, 8)
        layout.setSpacing(8)
        self.as_of = muted("", wrap=False)
        layout.addWidget(self.as_of)
        cards = QHBoxLayout()
        cards.setSpacing(8)
        self.bucket_cards = {name: FigureCard(name) for name in BUCKETS}
        for card in self.bucket_cards.values():
            cards.addWidget(card, 1)
        layout.addLayout(cards)
        layout.addSpacing(8)
        header = ("Client", "Invoices", *BUCKETS, "Oldest invoice")
        self.ageing_model = TextTableModel(header, frozenset(range(1, 7)), self)
        self.ageing_table = table_view(self.ageing_model, "Outstanding balances by client")
        fit_columns(
            self.ageing_table,
            0,
            {1: 80, 2: 112, 3: 112, 4: 112, 5: 120, 6: 120, 7: 120},
            drop=(7, 1),  # narrow, the client's name keeps room before the oldest date
            stretch_min=160,
        )
        self.ageing_empty = muted("Nothing is owed: every issued invoice is paid.")
        self.ageing_empty.setProperty("role", "empty")
        layout.addWidget(self.ageing_table)
        layout.addWidget(self.ageing_empty)
        layout.addStretch(1)
        return page

    def _build_revenue(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 16, 8, 8)
        layout.setSpacing(8)
        cards = QHBoxLayout()
        self.revenue_cards = {
            name: FigureCard(name)
            for name in ("Invoiced before tax", "Tax", "Money received", "Refunded")
        }
        for card in self.revenue_cards.values():
            cards.addWidget(card, 1)
        layout.addLayout(cards)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        self.month_model = TextTableModel(
            ("Month", "Invoiced", "Tax", "Received", "Invoices"), frozenset({1, 2, 3, 4}), self
        )
        self.month_table = table_view(self.month_model, "Revenue by month")
        fit_columns(self.month_table, 0, {1: 112, 2: 96, 3: 112, 4: 72})
        self.service_model = TextTableModel(
            ("Service", "Invoiced", "Tax", "Quantity"), frozenset({1, 2, 3}), self
        )
        self.service_table = table_view(self.service_model, "Revenue by service")
        fit_columns(self.service_table, 0, {1: 112, 2: 96, 3: 72})
        self.method_model = TextTableModel(
            ("Payment method", "Received", "Payments"), frozenset({1, 2}), self
        )
        self.method_table = table_view(self.method_model, "Money received by payment method")
        fit_columns(self.method_table, 0, {1: 112, 2: 80})
        grid.addWidget(section_title("By month"), 0, 0)
        grid.addWidget(self.month_table, 1, 0)
        grid.addWidget(section_title("By payment method"), 0, 1)
        grid.addWidget(self.method_table, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(section_title("By service"), 2, 0, 1, 2)
        grid.addWidget(self.service_table, 3, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid)
        layout.addStretch(1)
        return page

    def _build_tax(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 16, 8, 8)
        layout.setSpacing(8)
        self.tax_card = FigureCard("Net tax for the period")
        layout.addWidget(self.tax_card, 0, Qt.AlignmentFlag.AlignLeft)
        self.tax_model = TextTableModel(
            ("Tax", "Rate", "Registration", "Taxable sales", "Collected", "Credited", "Net"),
            frozenset({1, 3, 4, 5, 6}),
            self,
        )
        self.tax_table = table_view(self.tax_model, "Tax collected")
        fit_columns(self.tax_table, 2, {0: 120, 1: 80, 3: 128, 4: 112, 5: 112, 6: 112})
        self.tax_empty = muted("No tax was charged in this period.")
        self.tax_empty.setProperty("role", "empty")
        layout.addWidget(self.tax_table)
        layout.addWidget(self.tax_empty)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ filling

    def refresh(self, *_args: object) -> None:
        """Work out the report of the open tab for the chosen period."""
        self.money = MoneyFormat.of(self.db)
        since, until = self.period.range()
        self.error.set_message("")
        index = self.tabs.currentIndex()
        self.period.setEnabled(index != 0)
        self.period_caption.setEnabled(index != 0)
        try:
            if index == 0:
                self.report = reports.ageing(self.db, date.today())
                self._show_ageing(self.report)
            elif index == 1:
                self.report = reports.revenue(self.db, since, until)
                self._show_revenue(self.report)
            else:
                self.report = reports.tax_collected(self.db, since, until)
                self._show_tax(self.report)
        except ValidationError as error:
            self.report = None
            self.error.set_message(" ".join(error.errors.values()))

    def _show_ageing(self, report: AgeingReport) -> None:
        m = self.money.text
        self.as_of.setText(
            f"What clients owe on issued invoices as of {dates.day(report.as_of)}, "
            "by days since the invoice was issued."
        )
        amounts = (report.current, report.days_31_60, report.days_61_90, report.over_90)
        for name, amount in zip(BUCKETS, (*amounts, report.total), strict=True):
            self.bucket_cards[name].set_value(m(amount))
        rows = [
            (
                r.client_name,
                str(r.invoices),
                m(r.current) if r.current else "",
                m(r.days_31_60) if r.days_31_60 else "",
                m(r.days_61_90) if r.days_61_90 else "",
                m(r.over_90) if r.over_90 else "",
                m(r.total),
                dates.day(r.oldest_issued_on),
            )
            for r in report.rows
        ]
        total = (
            "Total",
            str(sum(r.invoices for r in report.rows)),
            *(m(a) for a in amounts),
            m(report.total),
            "",
        )
        self.ageing_model.set_rows(rows, [r.client_id for r in report.rows], total=total)
        _fit_height(self.ageing_table, len(rows) + 1, 16)
        self.ageing_table.setVisible(bool(rows))
        self.ageing_empty.setVisible(not rows)

    def _show_revenue(self, report: RevenueReport) -> None:
        m = self.money.text
        for name, amount in zip(
            self.revenue_cards,
            (report.invoiced, report.tax, report.received, report.refunded),
            strict=True,
        ):
            self.revenue_cards[name].set_value(m(amount))
        self.month_model.set_rows(
            [
                (r.key, m(r.invoiced), m(r.tax), m(r.received), str(r.count))
                for r in report.by_month
            ],
            total=("Total", m(report.invoiced), m(report.tax), m(report.received), ""),
        )
        self.service_model.set_rows(
            [(r.key, m(r.invoiced), m(r.tax), str(r.count)) for r in report.by_service]
        )
        self.method_model.set_rows(
            [(r.key, m(r.received), str(r.count)) for r in report.by_method],
            total=("Refunded", m(-report.refunded) if report.refunded else m(report.refunded), ""),
        )
        _fit_height(self.month_table, len(report.by_month) + 1, 13)
        _fit_height(self.service_table, len(report.by_service), 12)
        _fit_height(self.method_table, len(report.by_method) + 1, 9)

    def _show_tax(self, report: TaxReport) -> None:
        m = self.money.text
        self.tax_card.set_value(m(report.total))
        self.tax_model.set_rows(
            [
                (
                    r.name,
                    f"{r.rate.normalize():f}%",
                    r.registration,
                    m(r.taxable),
                    m(r.collected),
                    m(-r.credited) if r.credited else m(r.credited),
                    m(r.net),
                )
                for r in report.rows
            ],
            total=("Total", "", "", "", "", "", m(report.total)),
        )
        _fit_height(self.tax_table, len(report.rows) + 1, 10)
        self.tax_table.setVisible(bool(report.rows))
        self.tax_empty.setVisible(not report.rows)

    # ------------------------------------------------------------------ export

    def suggested_file_name(self) -> str:
        since, until = self.period.range()
        name = ("outstanding", "revenue", "tax-collected")[self.tabs.currentIndex()]
        if self.tabs.currentIndex() == 0:
            return f"{name}-{date.today().isoformat()}.csv"
        return f"{name}-{since.isoformat()}-to-{until.isoformat()}.csv"

    def export_csv(self) -> Path | None:
        """Save the report shown as CSV (cells that a spreadsheet could run are neutralised).

        The file is written, and the export recorded in the audit log, off the GUI thread;
        returns the file chosen.
        """
        if self.report is None:
            self.refresh()
        if self.report is None:
            return None
        path, _ = QFileDialog.getSaveFileName(
            self, "Export CSV", self.suggested_file_name(), "CSV files (*.csv)"
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        since, until = self.period.range()
        kind = REPORT_KINDS[self.tabs.currentIndex()]
        export = partial(
            printouts.billing_report_csv, self.db, kind, to_file=target, since=since, until=until
        )
        WriteOp(self, export, lambda _made: say(self, f"Report saved to {target}")).on_invalid(
            lambda error: self.error.set_message(" ".join(error.errors.values()))
        ).run()
        return target
