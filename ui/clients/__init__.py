"""Client screens: the searchable list, the workspace with profile, intake and consent tabs."""
