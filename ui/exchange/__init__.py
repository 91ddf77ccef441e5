"""Exporting the practice or a client's records, and importing clients from other tools."""
