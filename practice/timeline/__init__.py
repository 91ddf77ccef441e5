"""The client timeline: one chronological view of everything on record about a client."""
