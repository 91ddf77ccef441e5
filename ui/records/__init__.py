"""Record seals on screen: the check at open and Help > Verify records."""
