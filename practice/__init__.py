"""Fascia's core: data, clinical rules and documents, with no Qt anywhere."""

__version__ = "0.1.0"
