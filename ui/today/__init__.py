"""Today, the home screen: the day's appointments and what is waiting, each opening its list."""
