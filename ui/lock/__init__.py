"""Locking: the unlock screen, the idle lock and Ctrl+L, protecting a practice with a passphrase."""
