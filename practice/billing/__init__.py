"""Billing: services, tax rates, invoices, payments, packages and reports (no Qt, no ReportLab)."""
