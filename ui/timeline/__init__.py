"""The client timeline on screen: every record of a client, newest first, filterable."""
