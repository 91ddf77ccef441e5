"""Billing reports as CSV files: an export of billing data, audited like any printout."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

from practice.billing import reports
from practice.errors import ValidationError
from practice.printouts.output import Document, Printout, deliver, target
from practice.store.database import Database


class BillingReport(StrEnum):
    BALANCES = "balances"  # outstanding balances with ageing, as of a day
    REVENUE = "revenue"  # invoiced and received in a period
    TAX = "tax"  # tax collected in a period


TITLES = {
    BillingReport.BALANCES: "Outstanding balances",
    BillingReport.REVENUE: "Revenue",
    BillingReport.TAX: "Tax collected",
}


def billing_report_csv(
    db: Database,
    report: BillingReport | str,
    *,
    to_file: Path,
    since: date | None = None,
    until: date | None = None,
    as_of: date | None = None,
) -> Printout:
    """Write a billing report to `to_file` as CSV (cells a spreadsheet could run neutralised).

    Balances are as of `as_of` (default today); revenue and tax cover `since` to `until`.
    """
    out = target(db, to_file)
    if out is None:
        raise ValidationError({"out": "A billing report goes to a CSV file; name one."})
    kind = _kind(report)
    if kind is BillingReport.BALANCES:
        as_of = as_of or date.today()
        made_report: reports.Report = reports.ageing(db, as_of)
        when: dict[str, date] = {"as_of": as_of}
        span = f"as of {as_of.isoformat()}"
    else:
        if since is None or until is None:
            raise ValidationError({"from": "A revenue or tax report needs a first and last day."})
        collect = reports.revenue if kind is BillingReport.REVENUE else reports.tax_collected
        made_report = collect(db, since, until)
        when = {"since": since, "until": until}
        span = f"{since.isoformat()} to {until.isoformat()}"
    title = f"{TITLES[kind]} {span}"
    made = Printout(
        document=Document.BILLING_REPORT,
        title=f"{title} (CSV)",
        file_name=f"{title}.csv",
        client_id=None,
        entity="billing_report",
        entity_id=None,
        records={"report": kind.value, **when},
        data=reports.csv_bytes(reports.tables(made_report)),
    )
    return deliver(db, made, out)


def _kind(report: BillingReport | str) -> BillingReport:
    try:
        return BillingReport(report)
    except ValueError:
        known = ", ".join(k.value for k in BillingReport)
        message = f"No billing report {report!r}; there are {known}."
        raise ValidationError({"report": message}) from None
