"""Fascia's Qt user interface. It talks to practice/ services, never to the database."""
