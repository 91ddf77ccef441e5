"""Fascia's Qt user interface. It talks to practice/ services, never to the database."""

from ui.qt_imports import lighten_feature_check

# Before any other module of Fascia's (or SQLAlchemy's, ReportLab's...) is imported.
lighten_feature_check()
