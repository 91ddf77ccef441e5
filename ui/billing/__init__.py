"""Billing on screen: invoices, payments, reports, settings and the client's Billing tab."""
