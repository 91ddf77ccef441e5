"""Billing settings: the services catalogue, tax rates, numbering, terms, units and receipts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from practice.billing import service
from practice.billing.records import (
    BillingSettings,
    Service,
    ServiceForm,
    ServiceKind,
    TaxRate,
    TaxRateForm,
    UnitRule,
)
from practice.store import Database
from practice.visits.records import PLACES_OF_SERVICE
from ui import icons
from ui.billing.money import MoneyFormat
from ui.billing.tables import TextTableModel, table_view
from ui.billing.widgets import MoneyEdit
from ui.ops import holding, write_from
from ui.widgets.forms import FormGrid, line, muted, section_title, text_box
from ui.widgets.tables import fit_columns


def _spin(low: int, high: int, suffix: str = "", special: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    if special:
        spin.setSpecialValueText(special)
    return spin


class _CatalogueTab(QWidget):
    """A list on the left, the chosen item's form on the right; New, Save, Archive."""

    noun = "item"

    def __init__(self, db: Database, header: tuple[str, ...], numeric: frozenset[int]) -> None:
        super().__init__()
        self.db = db
        self.money = MoneyFormat.of(db)
        self.saved = False
        self.current_id: int | None = None
        self.model = TextTableModel(header, numeric, self)
        self.table = table_view(self.model, f"{self.noun.capitalize()}s")
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.toggled.connect(self.refresh)
        self.new_button = QPushButton(icons.icon("plus"), f"New {self.noun}")
        self.new_button.clicked.connect(self.new_item)
        self.save_button = QPushButton(icons.icon("save"), f"Save {self.noun}")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.archive_button = QPushButton(icons.icon("archive"), "Archive")
        self.archive_button.clicked.connect(self._on_archive_clicked)
        self.grid = FormGrid()
        self.form_title = section_title("")

        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.table, 1)
        options = QHBoxLayout()
        options.addWidget(self.show_archived)
        options.addStretch(1)
        options.addWidget(self.new_button)
        left.addLayout(options)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.form_title)
        right.addWidget(self.grid)
        right.addStretch(1)
        self.buttons = QWidget()  # held, disabled, while a save or archive is on its way
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right.addWidget(self.buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 16, 0, 0)
        layout.setSpacing(24)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def refresh(self) -> None:
        raise NotImplementedError

    def new_item(self) -> None:
        self.table.clearSelection()
        self.current_id = None
        self.grid.clear_errors()
        self.fill(None)

    def fill(self, item: object) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def _write(self, work: Callable[[], Any], landed: Callable[[Any], None]) -> None:
        """Save or archive on the op runner; the buttons wait until it lands, then the list
        is read again. Nothing is announced here: the dialog's `saved` tells the billing page,
        which announces the settings change once the dialog closes."""

        def done(result: Any) -> None:
            self.grid.clear_errors()
            self.saved = True
            landed(result)
            self.refresh()

        refused = lambda error: self.grid.show_errors(error.errors)  # noqa: E731
        write_from(self, self.buttons, work, done, refused)

    def _stored(self, item: Any) -> None:
        self.current_id = item.id

    def _archived(self, archiving: bool) -> None:
        self.show_archived.setChecked(self.show_archived.isChecked() or archiving)

    def _select(self, item_id: int | None) -> None:
        """Show the item with this id, else the first one, else an empty form for a new one."""
        rows = range(self.model.rowCount())
        match = [r for r in rows if getattr(self.model.key(r), "id", None) == item_id]
        if match or (item_id is None and self.model.rowCount()):
            self.table.selectRow(match[0] if match else 0)
            return
        self.new_item()

    def _on_current_changed(self, current, _previous) -> None:  # type: ignore[no-untyped-def]
        if not current.isValid():
            return
        item = self.model.key(current.row())
        self.current_id = getattr(item, "id", None)
        self.grid.clear_errors()
        self.fill(item)

    def _on_archive_clicked(self) -> None:
        raise NotImplementedError


class ServicesTab(_CatalogueTab):
    noun = "service"

    def __init__(self, db: Database) -> None:
        super().__init__(db, ("Name", "Minutes", "Price", "Tax", "Codes"), frozenset({1, 2}))
        fit_columns(self.table, 0, {1: 72, 2: 96, 3: 96, 4: 96})
        g = self.grid
        self.name = g.add("name", "&Name", line("60-minute medical massage", 120))
        self.kind = QComboBox()
        self.kind.addItem("Treatment", ServiceKind.TREATMENT)
        self.kind.addItem("Prepaid package", ServiceKind.PACKAGE)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        g.add("kind", "&Kind", self.kind)
        self.duration = g.add("duration_minutes", "&Duration", _spin(0, 600, " min", "None"))
        self.price = g.add("price", "&Price", MoneyEdit(self.money))
        self.taxes = QListWidget()
        self.taxes.setToolTip("Tick each tax charged on this service")
        g.add("tax_rate_ids", "&Tax", self.taxes)
        self.codes = g.add("billing_codes", "CPT &codes", line("97124 97140", 60))
        self.modifier = g.add("modifier", "&Modifier", line("59, GP …", 2))
        self.package_visits = g.add("package_visits", "&Visits", _spin(0, 100, "", "—"))
        self.package_service = QComboBox()
        g.add("package_service_id", "Each &visit is", self.package_service)
        self.description = g.add("description", "D&escription", line("Optional", 300))
        self.refresh()

    def refresh(self) -> None:
        items = service.list_services(self.db, include_archived=self.show_archived.isChecked())
        rows = []
        for item in items:
            name = (
                f"{item.name} (package of {item.package_visits})"
                if item.package_visits
                else item.name
            )
            rows.append(
                (
                    f"{name} (archived)" if item.archived else name,
                    str(item.duration_minutes or ""),
                    self.money.text(item.price),
                    ", ".join(r.label for r in item.tax_rates) or "None",
                    " ".join(item.billing_codes) + (f" {item.modifier}" if item.modifier else ""),
                )
            )
        self.model.set_rows(rows, items)
        rates = service.list_tax_rates(self.db)
        self.taxes.clear()
        for rate in rates:
            entry = QListWidgetItem(rate.label)
            entry.setData(Qt.ItemDataRole.UserRole, rate.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.taxes.addItem(entry)
        shown = min(max(len(rates), 1), 3)
        self.taxes.setFixedHeight(shown * 26 + 8)
        self.package_service.clear()
        for item in service.list_services(self.db, kind=ServiceKind.TREATMENT):
            self.package_service.addItem(item.name, item.id)
        self._select(self.current_id)

    def fill(self, item: object) -> None:
        assert item is None or isinstance(item, Service)
        self.form_title.setText(item.name if item else "New service")
        self.name.setText(item.name if item else "")
        self.kind.setCurrentIndex(self.kind.findData(item.kind if item else ServiceKind.TREATMENT))
        self.duration.setValue((item.duration_minutes or 0) if item else 60)
        self.price.set_value(item.price if item else None)
        chosen = set(item.tax_rate_ids) if item else set()
        for row in range(self.taxes.count()):
            entry = self.taxes.item(row)
            checked = entry.data(Qt.ItemDataRole.UserRole) in chosen
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.codes.setText(" ".join(item.billing_codes) if item else "")
        self.modifier.setText(item.modifier if item else "")
        self.package_visits.setValue((item.package_visits or 0) if item else 0)
        index = self.package_service.findData(item.package_service_id) if item else -1
        self.package_service.setCurrentIndex(max(index, 0))
        self.description.setText(item.description if item else "")
        self.archive_button.setEnabled(item is not None)
        self.archive_button.setText("Restore" if item and item.archived else "Archive")
        self._on_kind_changed()

    def _on_kind_changed(self) -> None:
        package = self.kind.currentData() is ServiceKind.PACKAGE
        for name in ("package_visits", "package_service_id"):
            self.grid.fields[name].setEnabled(package)

    def form(self) -> ServiceForm | None:
        try:
            price = self.price.value()
        except ValueError as error:
            self.grid.show_errors({"price": str(error)})
            return None
        package = self.kind.currentData() is ServiceKind.PACKAGE
        rate_ids = tuple(
            self.taxes.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.taxes.count())
            if self.taxes.item(r).checkState() == Qt.CheckState.Checked
        )
        return ServiceForm(
            name=self.name.text(),
            price=price,
            duration_minutes=self.duration.value() or None,
            tax_rate_ids=rate_ids,
            billing_codes=tuple(self.codes.text().replace(",", " ").split()),
            modifier=self.modifier.text(),
            description=self.description.text(),
            kind=self.kind.currentData(),
            package_visits=self.package_visits.value() or None if package else None,
            package_service_id=self.package_service.currentData() if package else None,
        )

    def save(self) -> None:
        form = self.form()
        if form is not None:
            db, item_id = self.db, self.current_id
            self._write(lambda: service.save_service(db, form, item_id), self._stored)

    def _on_archive_clicked(self) -> None:
        if self.current_id is None:
            return
        db, item_id = self.db, self.current_id

        def toggle() -> bool:
            archiving = not service.get_service(db, item_id).archived
            service.archive_service(db, item_id, archiving)
            return archiving

        self._write(toggle, self._archived)


class TaxRatesTab(_CatalogueTab):
    noun = "tax rate"

    def __init__(self, db: Database) -> None:
        super().__init__(db, ("Name", "Rate", "Registration number"), frozenset({1}))
        fit_columns(self.table, 2, {0: 120, 1: 80})
        g = self.grid
        self.name = g.add("name", "&Name", line("HST, GST, VAT …", 40))
        self.rate = g.add("rate", "&Percent", line("13 or 9.975", 8))
        self.rate.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.registration = g.add(
            "registration", "&Registration no.", line("Printed on receipts", 60)
        )
        self.refresh()

    def refresh(self) -> None:
        rates = service.list_tax_rates(self.db, include_archived=self.show_archived.isChecked())
        rows = [
            (
                f"{r.name} (archived)" if r.archived else r.name,
                f"{r.rate.normalize():f}%",
                r.registration,
            )
            for r in rates
        ]
        self.model.set_rows(rows, rates)
        self._select(self.current_id)

    def fill(self, item: object) -> None:
        assert item is None or isinstance(item, TaxRate)
        self.form_title.setText(item.label if item else "New tax rate")
        self.name.setText(item.name if item else "")
        self.rate.setText(f"{item.rate.normalize():f}" if item else "")
        self.registration.setText(item.registration if item else "")
        self.archive_button.setEnabled(item is not None)
        self.archive_button.setText("Restore" if item and item.archived else "Archive")

    def save(self) -> None:
        text = self.rate.text().strip().rstrip("%").replace(",", ".")
        try:
            rate = Decimal(text)
        except InvalidOperation:
            self.grid.show_errors({"rate": "Type the rate as a percentage, such as 13 or 9.975."})
            return
        form = TaxRateForm(self.name.text(), rate, self.registration.text())
        db, rate_id = self.db, self.current_id
        self._write(lambda: service.save_tax_rate(db, form, rate_id), self._stored)

    def _on_archive_clicked(self) -> None:
        if self.current_id is None:
            return
        db, rate_id = self.db, self.current_id

        def toggle() -> bool:
            rates = service.list_tax_rates(db, include_archived=True)
            archiving = not next(r for r in rates if r.id == rate_id).archived
            service.archive_tax_rate(db, rate_id, archiving)
            return archiving

        self._write(toggle, self._archived)


class InvoicingTab(QWidget):
    """Numbering, payment terms, billing units, place of service and receipt wording."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.saved = False
        self.grid = FormGrid(columns=2)
        g = self.grid
        self.invoice_prefix = g.add("invoice_prefix", "&Invoice prefix", line("{year}-", 40))
        self.credit_note_prefix = g.add(
            "credit_note_prefix", "&Credit note prefix", line("CN-", 40)
        )
        self.number_digits = g.add("number_digits", "&Digits", _spin(1, 9))
        self.payment_terms = g.add(
            "payment_terms_days", "Payment &terms", _spin(0, 365, " days", "Due on receipt")
        )
        self.unit_rule = QComboBox()
        for rule in UnitRule:
            self.unit_rule.addItem(rule.label, rule)
        g.add("unit_rule", "&Units", self.unit_rule, span=True)
        self.place = QComboBox()
        for code, label in PLACES_OF_SERVICE.items():
            self.place.addItem(f"{code} · {label}", code)
        g.add("place_of_service", "&Place of service", self.place, span=True)
        self.receipt_wording = g.add(
            "receipt_wording", "&Receipt wording", line("Massage therapy treatment", 200), span=True
        )
        self.invoice_notes = g.add(
            "invoice_notes",
            "Default &notes",
            text_box("Printed on every new invoice (e.g. how to pay)", 2),
            span=True,
        )
        self.example = muted("")
        for field in (self.invoice_prefix, self.credit_note_prefix):
            field.textChanged.connect(self._update_example)
        self.number_digits.valueChanged.connect(self._update_example)
        self.save_button = QPushButton(icons.icon("save"), "Save settings")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 16, 0, 0)
        layout.addWidget(g)
        layout.addWidget(self.example)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.load(service.get_settings(db))

    def load(self, settings: BillingSettings) -> None:
        self.invoice_prefix.setText(settings.invoice_prefix)
        self.credit_note_prefix.setText(settings.credit_note_prefix)
        self.number_digits.setValue(settings.number_digits)
        self.payment_terms.setValue(settings.payment_terms_days)
        self.unit_rule.setCurrentIndex(self.unit_rule.findData(settings.unit_rule))
        self.place.setCurrentIndex(max(0, self.place.findData(settings.place_of_service)))
        self.receipt_wording.setText(settings.receipt_wording)
        self.invoice_notes.setPlainText(settings.invoice_notes)
        self._update_example()

    def value(self) -> BillingSettings:
        return BillingSettings(
            invoice_prefix=self.invoice_prefix.text(),
            credit_note_prefix=self.credit_note_prefix.text(),
            number_digits=self.number_digits.value(),
            payment_terms_days=self.payment_terms.value(),
            unit_rule=self.unit_rule.currentData(),
            place_of_service=self.place.currentData(),
            receipt_wording=self.receipt_wording.text(),
            invoice_notes=self.invoice_notes.toPlainText(),
        )

    def _update_example(self) -> None:
        year = date.today().year
        digits = self.number_digits.value()
        try:
            invoice = service.render_prefix(self.invoice_prefix.text(), year)
            credit = service.render_prefix(self.credit_note_prefix.text(), year)
        except (KeyError, ValueError, IndexError):
            self.example.setText("Use plain text and {year} in the prefixes.")
            return
        self.example.setText(
            f"Numbers look like {invoice}{1:0{digits}d} for invoices and "
            f"{credit}{1:0{digits}d} for credit notes. {{year}} is the year of issue."
        )

    def save(self) -> None:
        db, value = self.db, self.value()

        def landed(saved: BillingSettings) -> None:
            self.grid.clear_errors()
            self.load(saved)
            self.saved = True

        refused = lambda error: self.grid.show_errors(error.errors)  # noqa: E731
        work = lambda: service.save_settings(db, value)  # noqa: E731
        write_from(self, self.save_button, work, landed, refused)


class BillingSettingsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Billing settings")
        self.setMinimumSize(980, 600)
        self.services = ServicesTab(db)
        self.tax_rates = TaxRatesTab(db)
        self.invoicing = InvoicingTab(db)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.services, "Services")
        self.tabs.addTab(self.tax_rates, "Tax rates")
        self.tabs.addTab(self.invoicing, "Invoices and receipts")
        self.tabs.currentChanged.connect(self._on_tabs_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(
            muted(
                "Issued invoices keep the prices, taxes and wording they were issued with; "
                "changes here apply to new lines and new invoices."
            )
        )
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def reject(self) -> None:
        """Close waits for a save on its way: the billing page reads `saved` once closed."""
        held = (self.services.buttons, self.tax_rates.buttons, self.invoicing.save_button)
        if not any(holding(buttons) for buttons in held):
            super().reject()

    @property
    def saved(self) -> bool:
        return self.services.saved or self.tax_rates.saved or self.invoicing.saved

    def _on_tabs_changed(self, _index: int) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, _CatalogueTab):
            tab.refresh()  # a new tax rate shows up in the services' tax list
