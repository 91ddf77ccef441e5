"""The schedule: appointments, recurring series, the waitlist, the calendar feed and reminders."""
