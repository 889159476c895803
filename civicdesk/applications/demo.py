"""Demo data for `manage.py load_demo`: the service catalogue, a demo citizen and a few applications. Idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from civicdesk.applications.catalogue import catalogue_load
from civicdesk.applications.models import Application, Channel, Citizen, ServiceKind, Verification
from civicdesk.applications.services import (
    application_assign,
    application_correction_request,
    application_decide,
    application_submit,
)
from civicdesk.organization.models import Staff

DEMO_CONTACT = "demo.citizen@example.tw"
DEMO_ID = "A123456789"


def load_demo_data(stdout: Any) -> None:
    summary = catalogue_load()
    stdout.write(
        f"service catalogue: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged"
    )
    citizen, _created = Citizen.objects.get_or_create(
        contact_kind=Citizen.ContactKind.EMAIL, contact=DEMO_CONTACT, defaults={"id_number": DEMO_ID}
    )
    if Application.objects.filter(citizen=citizen).exists():
        stdout.write("demo applications: already present")
        return
    officer = Staff.objects.filter(username="officer").first()
    clerk = Staff.objects.filter(username="clerk").first()
    kinds = {kind.code: kind for kind in ServiceKind.objects.all()}
    now = timezone.now()
    start = now - datetime.timedelta(days=9)
    common: dict[str, Any] = {"applicant_name": "王小明", "id_number": DEMO_ID, "email": DEMO_CONTACT}
    instalment = application_submit(
        kind=kinds["instalment"],
        channel=Channel.ONLINE,
        citizen=citizen,
        case_number="110年公寓罰執專字第00319363號",
        details={
            "case_number": "110年公寓罰執專字第00319363號",
            "amount_owed": 150000,
            "instalments": 6,
            "reason": "失業",
        },
        verification=Verification.ELECTRONIC,
        now=start,
        **common,
    )
    certificate = application_submit(
        kind=kinds["clearance-certificate"],
        channel=Channel.ONLINE,
        citizen=citizen,
        details={"case_number": "108年公退罰執特專字第00092475號", "delivery": "post"},
        verification=Verification.ELECTRONIC,
        now=start,
        **common,
    )
    if officer is not None:
        application_assign(application=instalment, staff=officer, assignee=officer, now=start)
        application_correction_request(
            application=instalment,
            staff=officer,
            citizen_note="請補附最近3個月薪資單或失業證明。",
            staff_note="財力證明不足",
            now=start + datetime.timedelta(days=2),
        )
        application_decide(
            application=certificate,
            staff=officer,
            outcome="approved",
            citizen_note="清償證明已於今日郵寄。",
            now=start + datetime.timedelta(days=1),
        )
    if clerk is not None:
        application_submit(
            kind=kinds["petition"],
            channel=Channel.COUNTER,
            received_by=clerk,
            applicant_name="林美華",
            id_number="B223456782",
            mobile="0912345678",
            details={"subject": "停車場動線", "content": "建議增設機車停車格。"},
            verification=Verification.NOT_NEEDED,
            now=now,
        )
    stdout.write(
        f"demo applications: created; try the progress query with {instalment.reference} and ID digits "
        f"{DEMO_ID[-4:]}, or sign in as {DEMO_CONTACT} (the code is e-mailed: a file in var/mail/)"
    )
