"""Shared fixtures for the PDF tests: a practice profile and a way to read a PDF back."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from pypdf import PdfReader

from practice.clients.records import PracticeProfile


@pytest.fixture
def profile() -> PracticeProfile:
    return PracticeProfile(
        therapist_name="Jane O'Brien",
        practice_name="Riverside Medical Massage",
        credentials="LMT",
        registration_number="MA.0123456",
        address="1200 Elm Street\nSpringfield, IL 62704",
        phone="(217) 555-0142",
        email="jane@example.com",
        locale="en_US",
    )


@pytest.fixture
def pdf_pages() -> Callable[[bytes], list[str]]:
    """The extracted text of each page of a PDF."""

    def read(data: bytes) -> list[str]:
        return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]

    return read
