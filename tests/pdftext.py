"""A PDF's text, read back with pypdf, every run of whitespace made one space."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    pages = PdfReader(BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())
