"""The audit viewer: who did what to which record, and when."""
