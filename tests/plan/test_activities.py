"""Activities with evidence (validated type and size, stored under MEDIA_ROOT) and proposals (A5.1, C.2)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Role
from civicdesk.plan import metrics
from civicdesk.plan.models import Activity, ActivityKind, Evidence, Plan, Proposal
from civicdesk.plan.services import ActivityError, ProposalError, activity_log, proposal_advance, proposal_submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_logging_an_activity_with_evidence_over_http(plan: Plan, make_staff: Callable[..., Staff], media: Path) -> None:
    staff = make_staff(Role.SECRETARIAT_OFFICER, unit="SEC")
    client = Client()
    client.force_login(staff)
    measure = plan.measures.get(code="A1.5")
    response = client.post(
        reverse("plan:activity-new"),
        {
            "kind": ActivityKind.objects.get(code="park-cleaning").pk,
            "held_on": "104/03/05",
            "unit": Unit.objects.get(code="SEC", branch=plan.branch).pk,
            "title": "認養公園打掃",
            "people": 6,
            "quantity": 1,
            "measures": [measure.pk],
            "attachments": [
                SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
                SimpleUploadedFile("sign-in sheet.pdf", PDF, content_type="application/pdf"),
            ],
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("plan:activity", args=[activity.pk]))
    assert activity.held_on == datetime.date(2015, 3, 5)
    assert list(activity.measures.all()) == [measure]
    evidence = list(activity.evidence.order_by("id"))
    assert [e.original_name for e in evidence] == ["photo.png", "sign-in sheet.pdf"]
    assert all(Path(e.file.path).is_relative_to(media) for e in evidence)
    download = client.get(reverse("plan:evidence", args=[evidence[1].pk]))
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    page = client.get(reverse("plan:activity", args=[activity.pk]))
    assert "sign-in sheet.pdf" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ" + b"\x00" * 10, "only JPEG, PNG and PDF"),
        ("fake.pdf", b"<html>not a pdf</html>", "not really a PDF"),
        ("empty.png", b"", "is empty"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(
    plan: Plan, secretariat_staff: Staff, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ActivityError, match=message):
        activity_log(
            actor=secretariat_staff,
            kind=ActivityKind.objects.get(code="publicity"),
            held_on=datetime.date(2015, 3, 5),
            unit=secretariat_staff.unit,  # type: ignore[arg-type]
            title="宣導",
            files=[SimpleUploadedFile(name, content)],
        )
    assert not Activity.objects.exists()
    assert not Evidence.objects.exists()


def test_oversized_evidence_is_refused_over_http(plan: Plan, staff_client: Callable[..., Client], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("civicdesk.plan.services.activities.MAX_EVIDENCE_BYTES", 50)
    client = staff_client(Role.SECRETARIAT_OFFICER)
    response = client.post(
        reverse("plan:activity-new"),
        {
            "kind": ActivityKind.objects.get(code="publicity").pk,
            "held_on": "104/03/05",
            "unit": Unit.objects.get(code="SEC", branch=plan.branch).pk,
            "title": "宣導",
            "people": 0,
            "quantity": 1,
            "attachments": [SimpleUploadedFile("big.png", PNG)],
        },
    )
    assert response.status_code == 200
    assert "big.png is larger than" in response.content.decode()
    assert not Activity.objects.exists()


def test_future_dates_and_other_branches_units_are_refused(plan: Plan, secretariat_staff: Staff) -> None:
    kind = ActivityKind.objects.get(code="publicity")
    with pytest.raises(ActivityError, match="before it has taken place"):
        activity_log(
            actor=secretariat_staff,
            kind=kind,
            held_on=timezone.localdate() + datetime.timedelta(days=3),
            unit=secretariat_staff.unit,  # type: ignore[arg-type]
            title="x",
        )
    with pytest.raises(ActivityError, match="your branch"):
        activity_log(
            actor=secretariat_staff,
            kind=kind,
            held_on=datetime.date(2015, 3, 5),
            unit=Unit.objects.create(
                branch=Branch.objects.get(code="TPE"), code="SEC", kind="secretariat", name_zh="秘書室", name_en="Sec"
            ),
            title="x",
        )


def test_activity_pages_need_a_plan_permission(plan: Plan, staff_client: Callable[..., Client]) -> None:
    assert staff_client(Role.WEB_EDITOR, unit="WEB").get(reverse("plan:activities")).status_code == 403
    assert staff_client(Role.ASSESSMENT_GROUP_MEMBER).get(reverse("plan:activity-new")).status_code == 403
    assert staff_client(Role.ENFORCEMENT_OFFICER, unit="S01").get(reverse("plan:activity-new")).status_code == 200


def test_proposal_workflow_to_reward_and_a5_1_metric(plan: Plan, make_staff: Callable[..., Staff]) -> None:
    author = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    reviewer = make_staff(Role.ASSESSMENT_GROUP_MEMBER, unit="SEC")
    proposal = proposal_submit(
        actor=author,
        kind=Proposal.Kind.INNOVATION,
        title="午間預約服務",
        description="民眾可預約午間洽公",
        proposed_on=datetime.date(2015, 2, 1),
    )
    with pytest.raises(ProposalError, match="may not"):
        proposal_advance(proposal=proposal, action="evaluate", actor=author, note="我覺得很好")
    with pytest.raises(ProposalError, match="cannot be moved"):
        proposal_advance(proposal=proposal, action="adopt", actor=reviewer, note="好")
    window = {"branch_code": "TCH", "start": datetime.date(2015, 1, 1), "end": datetime.date(2015, 12, 31)}
    proposal_advance(proposal=proposal, action="evaluate", actor=reviewer, note="可行，成本低")
    assert metrics.innovation_proposals_adopted(**window) == 0
    proposal_advance(proposal=proposal, action="adopt", actor=reviewer, note="採行")
    assert metrics.innovation_proposals_adopted(**window) == 1
    proposal_advance(proposal=proposal, action="implement", actor=author, note="3月起實施")
    with pytest.raises(ProposalError, match="cannot be moved"):
        proposal_advance(proposal=proposal, action="propose_reward", actor=reviewer, note="敘獎")
    proposal_advance(proposal=proposal, action="record_results", actor=author, note="午間洽公增加30%")
    proposal = proposal_advance(proposal=proposal, action="propose_reward", actor=reviewer, note="簽報嘉獎一次")
    assert proposal.reward_proposed
    assert proposal.status == Proposal.Status.RESULTS
    assert [e.action for e in proposal.events.all()] == [
        "submit",
        "evaluate",
        "adopt",
        "implement",
        "record_results",
        "propose_reward",
    ]
    with pytest.raises(ProposalError, match="already"):
        proposal_advance(proposal=proposal, action="propose_reward", actor=reviewer, note="again")


def test_proposal_pages(plan: Plan, make_staff: Callable[..., Staff]) -> None:
    author = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    client = Client()
    client.force_login(author)
    response = client.post(
        reverse("plan:proposal-new"), {"kind": "suggestion", "title": "簡化表單", "description": "合併兩張申請書"}
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    reviewer = make_staff(Role.ASSESSMENT_GROUP_MEMBER, unit="SEC")
    client.force_login(reviewer)
    page = client.get(reverse("plan:proposal", args=[proposal.pk])).content.decode()
    assert 'value="evaluate"' in page
    response = client.post(reverse("plan:proposal", args=[proposal.pk]), {"action": "evaluate", "note": ""})
    assert response.status_code == 200  # the note is required
    client.post(reverse("plan:proposal", args=[proposal.pk]), {"action": "evaluate", "note": "可行"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EVALUATED
