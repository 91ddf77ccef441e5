"""Backups: verified copies made automatically, listed without opening them, and restored."""
