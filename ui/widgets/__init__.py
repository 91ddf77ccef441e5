"""Small widgets shared across Fascia's screens."""
