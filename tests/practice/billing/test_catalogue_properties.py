"""Property tests of the billing catalogue and settings: tax rates, services, packages, numbering.

Whatever rate, price, name or prefix is typed: only the project's own errors, nothing saved
on a refusal, and what is saved is a finite amount in cents within bounds, under a name no
other row has in any case.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from practice.billing import service as billing
from practice.billing.money import MAX_AMOUNT
from practice.billing.records import (
    BillingSettings,
    ServiceForm,
    ServiceKind,
    TaxRateForm,
    UnitRule,
)
from practice.store import Database
from practice.text import name_key
from practice.visits.records import PLACES_OF_SERVICE
from tests.practice.fuzz import (
    KNOWN,
    decimals,
    enum_or_junk,
    floats,
    forms,
    fuzz,
    known,
    long_reprs,
    money,
    mostly,
    name_text,
    outcome,
    row_ids,
    short_text,
    text,
    whole,
)

pytestmark = long_reprs

tax_forms = forms(
    TaxRateForm,
    valid={
        "name": st.sampled_from(["HST", "GST", "QST", "TVQ", "부가세"]) | name_text,
        "rate": st.sampled_from([Decimal("13"), Decimal("9.975"), Decimal(0), 5]),
        "registration": st.sampled_from(["", "123456789RT0001"]),
    },
    junk={
        "name": text | st.sampled_from(["hst", "Hst "]),
        "rate": st.one_of(decimals, floats, whole(0, 100), st.just(Decimal("nan"))),
        "registration": text,
    },
)
service_forms = forms(
    ServiceForm,
    valid={
        "name": name_text,
        "price": st.decimals(min_value=0, max_value=300, places=2),
        "duration_minutes": st.none() | st.sampled_from([30, 60, 90]),
        "billing_codes": st.sampled_from([(), ("97124",), ("97124", "97140")]),
        "modifier": st.sampled_from(["", "59", "gp"]),
        "description": text,
    },
    junk={
        "name": text,
        "price": money,
        "duration_minutes": whole(1, 600),
        "tax_rate_ids": st.lists(row_ids, max_size=2).map(tuple),
        "billing_codes": st.lists(short_text, max_size=2).map(tuple),
        "modifier": text,
        "kind": enum_or_junk(ServiceKind),
        "package_visits": whole(1, 100),
        "package_service_id": row_ids,
    },
)
settings_forms = forms(
    BillingSettings,
    valid={
        "invoice_prefix": st.sampled_from(["{year}-", "INV-", "", "{year}/"]),
        "credit_note_prefix": st.sampled_from(["CN-", "AV-{year}-"]),
        "number_digits": st.integers(1, 9),
        "payment_terms_days": st.integers(0, 60),
        "unit_rule": st.sampled_from(list(UnitRule)),
        "place_of_service": st.sampled_from(list(PLACES_OF_SERVICE)),
        "receipt_wording": name_text,
        "invoice_notes": text,
    },
    junk={
        "invoice_prefix": text | st.sampled_from(["{year:>999999999}", "{0}", "{", "{year!r}"]),
        "credit_note_prefix": text,
        "number_digits": whole(1, 9),
        "payment_terms_days": whole(0, 365),
        "unit_rule": enum_or_junk(UnitRule),
        "place_of_service": text,
        "receipt_wording": text,
    },
)


def _names_are_unique(names: list[str]) -> None:
    keys = [name_key(name) for name in names]
    assert len(keys) == len(set(keys)), "two rows share a name in different case"


@fuzz
@given(form=tax_forms, which=mostly(st.none(), row_ids), archived=st.booleans())
def test_tax_rates_are_refused_or_saved_as_exact_percentages(
    shared_db: Database, form: TaxRateForm, which: object, archived: bool
) -> None:
    rates = billing.list_tax_rates(shared_db, include_archived=True)
    rate_id = None if which is None else known(which, rates[0].id if rates else 1)
    saved = outcome(shared_db, lambda: billing.save_tax_rate(shared_db, form, rate_id))
    if saved is not None:
        assert Decimal(0) <= saved.rate <= 100 and saved.rate == round(saved.rate, 3)
    target = rate_id if rate_id is not None else (saved.id if saved else which)
    outcome(shared_db, lambda: billing.archive_tax_rate(shared_db, target, archived))  # type: ignore[arg-type]
    _names_are_unique([r.name for r in billing.list_tax_rates(shared_db, include_archived=True)])


@fuzz
@given(
    form=service_forms,
    which=mostly(st.none(), row_ids),
    package=st.booleans(),
    archived=st.booleans(),
)
def test_services_and_packages_are_refused_or_saved_with_prices_in_bounds(
    shared_db: Database, form: ServiceForm, which: object, package: bool, archived: bool
) -> None:
    existing = billing.list_services(shared_db, include_archived=True)
    service_id = None if which is None else known(which, existing[0].id if existing else 1)
    if package and existing and existing[0].kind is ServiceKind.TREATMENT:
        form = ServiceForm(
            form.name,
            form.price,
            None,
            form.tax_rate_ids,
            kind=ServiceKind.PACKAGE,
            package_visits=5,
            package_service_id=existing[0].id if which != KNOWN else None,
        )
    saved = outcome(shared_db, lambda: billing.save_service(shared_db, form, service_id))
    if saved is not None:
        assert 0 <= saved.price <= MAX_AMOUNT
        assert saved.price == saved.price.quantize(Decimal("0.01"))
        assert billing.get_service(shared_db, saved.id) == saved
    target = service_id if service_id is not None else (saved.id if saved else which)
    outcome(shared_db, lambda: billing.archive_service(shared_db, target, archived))  # type: ignore[arg-type]
    _names_are_unique([s.name for s in billing.list_services(shared_db, include_archived=True)])


@fuzz
@given(settings=settings_forms)
def test_billing_settings_are_refused_or_saved_with_plain_prefixes(
    shared_db: Database, settings: BillingSettings
) -> None:
    saved = outcome(shared_db, lambda: billing.save_settings(shared_db, settings))
    if saved is not None:
        assert billing.get_settings(shared_db) == saved
        number = billing.render_prefix(saved.invoice_prefix, 2026)
        assert "{" not in number and len(number) <= 30
