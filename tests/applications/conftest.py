"""Fixtures of the applications app: the catalogue loaded, a signed-in citizen, uploads, a clean cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from civicdesk.applications.catalogue import catalogue_load
from civicdesk.applications.models import Application, Channel, Citizen, ServiceKind
from civicdesk.applications.services import application_submit
from civicdesk.organization.models import Branch

ID_NUMBER = "A123456789"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(organization: Branch) -> dict[str, ServiceKind]:
    catalogue_load()
    return {kind.code: kind for kind in ServiceKind.objects.all()}


@pytest.fixture
def citizen(db: None) -> Citizen:
    return Citizen.objects.create(
        contact_kind=Citizen.ContactKind.EMAIL, contact="wang@example.tw", id_number=ID_NUMBER
    )


@pytest.fixture
def citizen_client(citizen: Citizen) -> Client:
    client = Client()
    session = client.session
    session["applications_citizen_id"] = citizen.pk
    session.save()
    return client


def pdf_upload(name: str = "proof.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def make_application(catalogue: dict[str, ServiceKind], citizen: Citizen) -> Callable[..., Application]:
    def make(code: str = "instalment", **overrides: object) -> Application:
        values: dict[str, object] = {
            "kind": catalogue[code],
            "channel": Channel.ONLINE,
            "applicant_name": "王小明",
            "id_number": ID_NUMBER,
            "email": "wang@example.tw",
            "case_number": "110年公寓罰執專字第00319363號",
            "details": {"instalments": 6},
            "citizen": citizen,
        }
        values.update(overrides)
        return application_submit(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service-level messages in English, so tests read them; pages still follow their URL's language."""
    with translation.override("en"):
        yield
