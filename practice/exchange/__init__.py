"""Export the practice (or one client's records) to an open archive, and import clients."""
