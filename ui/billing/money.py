"""Money on screen: amounts written and read the way the practice's locale writes them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import babel
import babel.numbers

from practice.billing.money import CENT, MAX_AMOUNT
from practice.clients import service as clients
from practice.store import Database

_AMOUNT_CHARACTERS = frozenset("+-.,")


@cache
def _locale(code: str) -> babel.Locale:
    try:
        return babel.Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return babel.Locale.parse("en_US")


@dataclass(frozen=True, slots=True)
class MoneyFormat:
    """The practice currency and locale; `text` and `parse` never go through float."""

    currency: str = "USD"
    locale: str = "en_US"

    @classmethod
    def of(cls, db: Database) -> MoneyFormat:
        profile = clients.get_profile(db)
        if profile is None:
            return cls()
        return cls(profile.currency or "USD", profile.locale or "en_US")

    def text(self, amount: Decimal) -> str:
        """'$1,234.50', '1.234,50 €'."""
        return babel.numbers.format_currency(amount, self.currency, locale=_locale(self.locale))

    def plain(self, amount: Decimal) -> str:
        """The amount without the currency sign, for an input field: '1234.50', '1234,50'."""
        return babel.numbers.format_decimal(
            amount.quantize(CENT), format="0.00", locale=_locale(self.locale)
        )

    @property
    def symbol(self) -> str:
        return babel.numbers.get_currency_symbol(self.currency, locale=_locale(self.locale))

    def parse(self, text: str) -> Decimal:
        """An amount typed in the locale's way or with a dot; ValueError with a plain message.

        Only digits, a sign and the locale's separators are read: exponents ('1e30'), 'NaN' and
        'Infinity', which Python's Decimal would take, are not amounts a person types.
        """
        shown = text.strip()
        cleaned = shown.replace(self.symbol, "")
        for space in (" ", "\u00a0", "\u202f"):
            cleaned = cleaned.replace(space, "")
        if not cleaned:
            raise ValueError("Enter an amount.")
        locale = _locale(self.locale)
        allowed = _AMOUNT_CHARACTERS | set(babel.numbers.get_decimal_symbol(locale))
        allowed |= set(babel.numbers.get_group_symbol(locale))
        digits = [ch for ch in cleaned if ch.isdecimal()]  # any script's digits
        if not digits or not all(ch in allowed or ch.isdecimal() for ch in cleaned):
            raise ValueError(f"“{shown}” is not an amount.")
        try:
            value = babel.numbers.parse_decimal(cleaned, locale=locale, strict=True)
        except babel.numbers.NumberFormatError:
            try:
                value = Decimal(cleaned)
            except InvalidOperation:
                raise ValueError(f"“{shown}” is not an amount.") from None
        if not value.is_finite():
            raise ValueError(f"“{shown}” is not an amount.")
        if abs(value) > MAX_AMOUNT:
            raise ValueError(f"Amounts above {self.text(MAX_AMOUNT)} are surely a typo.")
        if value != value.quantize(CENT):
            raise ValueError("Amounts have at most two decimals.")
        return value.quantize(CENT)
