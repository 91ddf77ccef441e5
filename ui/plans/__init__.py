"""Treatment plan screens: the plan editor, possible sources and the trigger point catalogue."""
