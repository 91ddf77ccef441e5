"""Money on screen: amounts written and read the way the practice's locale writes them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import babel
import babel.numbers

from practice.billing.money import CENT
from practice.clients import service as clients
from practice.store import Database


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
        """An amount typed in the locale's way or with a dot; ValueError with a plain message."""
        cleaned = text.strip().replace(self.symbol, "").replace(" ", "").replace("\u00a0", "")
        if not cleaned:
            raise ValueError("Enter an amount.")
        try:
            value = babel.numbers.parse_decimal(cleaned, locale=_locale(self.locale), strict=True)
        except babel.numbers.NumberFormatError:
            try:
                value = Decimal(cleaned)
            except InvalidOperation:
                raise ValueError(f"“{text.strip()}” is not an amount.") from None
        if not value.is_finite():
            raise ValueError(f"“{text.strip()}” is not an amount.")
        if value != value.quantize(CENT):
            raise ValueError("Amounts have at most two decimals.")
        return value.quantize(CENT)
