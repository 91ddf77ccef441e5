"""Today, the home screen's figures: one function per card, shared with fascia-cli today."""
