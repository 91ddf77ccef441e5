"""Backups on screen: the status bar note and warning banner, restore, damaged files, settings."""
