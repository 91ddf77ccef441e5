"""Exact money arithmetic: integer cents in the database, Decimal outside, tax rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

CENT = Decimal("0.01")
# A price, discount, payment or refund above a million is a typo in a massage practice (a year of
# visits is far less); it also keeps every total well inside SQLite's integers.
MAX_AMOUNT_CENTS = 100_000_000
MAX_AMOUNT = Decimal(MAX_AMOUNT_CENTS) * CENT
RATE_SCALE = 1000  # tax rates are kept in thousandths of a percent: 9.975 % -> 9975


def to_cents(amount: Decimal) -> int:
    """Whole cents of an amount that must already be exact to the cent."""
    return int((amount / CENT).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


def is_cents(amount: object) -> bool:
    """A finite Decimal (or int) with no more than two decimals, however large."""
    try:
        value = Decimal(amount)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return False
    if not value.is_finite():
        return False
    # Read the digits rather than quantize: 1E+30 is whole cents, but quantizing it to the cent
    # needs more digits than the decimal context has and raises InvalidOperation.
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    below_cents = -2 - exponent
    return below_cents <= 0 or not any(digits[-below_cents:])


def rate_to_milli(rate: Decimal) -> int:
    return int(rate * RATE_SCALE)


def rate_from_milli(milli: int) -> Decimal:
    return (Decimal(milli) / RATE_SCALE).normalize()


def line_tax(net_cents: int, rate_milli: int) -> int:
    """One tax on one line, rounded half up to the cent (13 % of 0.50 is 0.065 -> 0.07).

    Rounding per line and per rate, then summing, is what a printed invoice can show: each line's
    tax is a figure on paper and the totals are the sum of those figures.
    """
    exact = Decimal(net_cents) * Decimal(rate_milli) / Decimal(100 * RATE_SCALE)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split_cents(total: int, parts: int) -> list[int]:
    """`total` in `parts` whole-cent shares that add up exactly; the first get the spare cents."""
    base, spare = divmod(total, parts)
    return [base + (1 if k < spare else 0) for k in range(parts)]


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """'$1,234.50', '1 234,50 €', 'CA$12.00' as Babel writes the amount for that locale."""
    return _formatted(str(amount), currency, locale)


@lru_cache(maxsize=4096)
def _formatted(amount: str, currency: str, locale: str) -> str:
    """Babel's text for an amount (by its exact text: -0.00 is not 0.00), made once: a practice
    shows the same few prices again and again, and Babel looks up the locale's patterns each
    time (0.04 ms: 40% of a client's timeline page was formatting its invoices)."""
    from babel.numbers import format_currency

    return format_currency(Decimal(amount), currency, locale=locale)
