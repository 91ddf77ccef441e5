"""The schedule on screen: week, day and month views, the appointment and cancel dialogs."""
