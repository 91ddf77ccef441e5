"""Clients: identity and contact, intake and health history, consent, referring physicians."""
