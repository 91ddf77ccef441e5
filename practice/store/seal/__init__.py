"""Tamper evidence: every final record (signed note, amendment, consent, issued invoice,
payment, issued document, audit entry) is sealed by a keyed hash chained to the one before."""
