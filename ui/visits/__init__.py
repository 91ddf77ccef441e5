"""Visits on screen: the SOAP note editor, the visit history, progress charts, unsigned notes."""
