"""Applying online and at the counter, uploads, receipt page and PDF, receipt message (A2.1, A2.3, A2.4)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from civicdesk.applications.models import Application, ApplicationDocument, Channel, Status, Verification
from civicdesk.applications.services import application_submit
from civicdesk.core.reference_numbers import reference_is_valid
from civicdesk.core.working_calendar import add_working_days
from civicdesk.notifications.models import Notification
from civicdesk.organization.permissions import Role
from tests.applications.conftest import EXE, PDF, PNG, pdf_upload

pytestmark = pytest.mark.django_db

FORM = {
    "applicant_name": "王小明",
    "email": "wang@example.tw",
    "mobile": "",
    "detail_case_number": "110年公寓罰執專字第00319363號",
    "detail_amount_owed": "150000",
    "detail_instalments": "6",
    "detail_reason": "失業中，無法一次繳清",
    "verification": "paper",
}


def test_online_application_gets_a_reference_receipt_and_message(citizen_client: Client, catalogue) -> None:
    response = citizen_client.post("/services/instalment/apply/", {**FORM, "documents": [pdf_upload()]})
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get()
    assert response["Location"] == f"/applications/{application.reference}/"
    assert reference_is_valid(application.reference)
    assert application.reference.startswith("FQ-")
    assert application.channel == Channel.ONLINE
    assert application.id_number == "A123456789"  # from the signed-in citizen, not the form
    assert application.details["instalments"] == 6
    assert application.verification == Verification.PAPER
    today = timezone.localdate()
    assert application.due_date == add_working_days(today, 10)
    document = ApplicationDocument.objects.get()
    assert document.content_type == "application/pdf"
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    assert document.token in document.file.name  # the citizen's file name is never the stored name
    receipt = Notification.objects.get(topic="applications.receipt")
    assert receipt.channel == "email"
    assert receipt.recipient == "wang@example.tw"
    assert application.reference in receipt.body
    page = citizen_client.get(response["Location"]).content.decode()
    assert application.reference in page
    assert "王○明" in page
    assert "A12345****" in page
    pdf = citizen_client.get(f"/applications/{application.reference}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    body = pdf.content
    assert body.startswith(b"%PDF-")
    assert b"/FontFile3" in body or b"/FontFile2" in body  # the CJK font is embedded


def test_the_same_event_never_sends_two_receipts(make_application) -> None:
    application = make_application()
    from civicdesk.applications.notices import notice_receipt

    notice_receipt(application=application, at=application.submitted_at)
    assert Notification.objects.filter(topic="applications.receipt").count() == 1


def test_a_disguised_executable_is_refused(citizen_client: Client, catalogue) -> None:
    fake = SimpleUploadedFile("bank-book.pdf", EXE, content_type="application/pdf")
    response = citizen_client.post("/en/services/instalment/apply/", {**FORM, "documents": [fake]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“bank-book.pdf” is not a PDF, JPEG or PNG file: its content is a Windows program." in html
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "scripts"),
        (b"GIF89a....", "is not a PDF, JPEG or PNG"),
        (b"", "empty"),
    ],
)
def test_other_bad_uploads(make_application, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        make_application(uploads=[SimpleUploadedFile("x.pdf", content)])


def test_a_file_over_the_size_limit_is_refused(make_application, settings) -> None:
    settings.APPLICATIONS_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="at most"):
        make_application(uploads=[SimpleUploadedFile("big.png", PNG + b"\x00" * 1000)])
    make_application(uploads=[SimpleUploadedFile("small.png", PNG)])


def test_signing_in_is_needed_to_apply(client: Client, catalogue) -> None:
    response = client.get("/services/instalment/apply/")
    assert response.status_code == 302
    assert response["Location"] == "/citizen/sign-in/?next=%2Fservices%2Finstalment%2Fapply%2F"


def test_form_errors_are_named(citizen_client: Client, catalogue) -> None:
    response = citizen_client.post("/en/services/instalment/apply/", {**FORM, "detail_instalments": "99", "email": ""})
    html = response.content.decode()
    assert "Number of instalments requested" in html
    assert "less than or equal to 60" in html
    assert "Give an e-mail address or a mobile number" in html
    assert not Application.objects.exists()


def test_counter_clerk_files_for_a_visitor(staff_client, catalogue) -> None:
    clerk = staff_client(Role.SUBDIVISION_CLERK, unit="S01")
    form = {**FORM, "id_number": "a123456789", "email": "", "mobile": "0912-345-678", "verification": "electronic"}
    response = clerk.post("/staff/applications/counter/instalment/", form)
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get()
    assert application.channel == Channel.COUNTER
    assert application.received_by is not None
    assert application.citizen is None
    assert application.id_number == "A123456789"
    assert application.verification == Verification.ELECTRONIC
    assert application.mobile == "0912345678"
    sms = Notification.objects.get(topic="applications.receipt")
    assert sms.channel == "sms"
    page = clerk.get(response["Location"])
    assert page.status_code == 200
    assert application.reference in page.content.decode()


def test_receipt_is_only_for_its_owner_and_staff(make_application, client: Client, staff_client) -> None:
    application = make_application()
    assert client.get(f"/applications/{application.reference}/").status_code == 404
    assert client.get(f"/applications/{application.reference}/receipt.pdf").status_code == 404
    assert staff_client(Role.WEB_EDITOR).get(f"/applications/{application.reference}/").status_code == 404
    officer = staff_client(Role.ENFORCEMENT_OFFICER, unit="S01")
    assert officer.get(f"/applications/{application.reference}/").status_code == 200
    from civicdesk.audit.models import AccessLogEntry

    assert AccessLogEntry.objects.filter(record_type="application", record_id=application.reference).exists()


def test_documents_are_served_only_through_the_view(make_application, client: Client, citizen_client: Client) -> None:
    application = make_application(uploads=[pdf_upload()])
    document = application.documents.get()
    url = f"/documents/{document.token}/"
    assert client.get(url).status_code == 404
    response = citizen_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    response.close()


def test_case_status_kind_is_not_an_application(catalogue, citizen) -> None:
    with pytest.raises(ValidationError):
        application_submit(
            kind=catalogue["case-status"],
            channel=Channel.ONLINE,
            applicant_name="王小明",
            id_number="A123456789",
            email="a@example.tw",
            citizen=citizen,
        )


def test_my_applications_lists_only_mine(make_application, citizen_client: Client, catalogue) -> None:
    mine = make_application()
    from civicdesk.applications.models import Citizen

    other = Citizen.objects.create(contact_kind="email", contact="other@example.tw", id_number="A123456789")
    theirs = make_application(citizen=other, email="other@example.tw")
    html = citizen_client.get("/citizen/applications/").content.decode()
    assert mine.reference in html
    assert theirs.reference not in html
    # Same declared ID, but another verified contact: no access.
    assert citizen_client.get(f"/applications/{theirs.reference}/").status_code == 404
    assert re.search(r"FQ-[A-Z0-9-]+", html)
    assert mine.status == Status.SUBMITTED
