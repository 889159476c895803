"""Quarterly self-assessment with scores (C.1): pre-filled, submitted, reviewed, locked, with history."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from civicdesk.notifications.models import Notification
from civicdesk.organization.models import Staff, Unit
from civicdesk.organization.permissions import Role
from civicdesk.plan.models import Plan, SelfAssessment
from civicdesk.plan.services import (
    AssessmentError,
    assessment_prepare,
    assessment_review,
    assessment_save,
    assessment_submit,
)


@pytest.fixture
def head(make_staff: Callable[..., Staff]) -> Staff:
    staff = make_staff(Role.UNIT_HEAD, unit="SEC", username="sec-head")
    staff.email = "head@example.gov.tw"
    staff.save(update_fields=["email"])
    return staff


@pytest.fixture
def reviewer(make_staff: Callable[..., Staff]) -> Staff:
    staff = make_staff(Role.ASSESSMENT_GROUP_MEMBER, unit="ETH", username="group1")
    staff.email = "group@example.gov.tw"
    staff.save(update_fields=["email"])
    return staff


def test_prepared_with_the_units_measures_and_computed_figures(plan: Plan, head: Staff, log_activity: Callable) -> None:
    log_activity("park-cleaning", datetime.date(2015, 1, 5))
    log_activity("park-cleaning", datetime.date(2015, 1, 6))
    assessment = assessment_prepare(plan=plan, unit=head.unit, quarter=1, actor=head)  # type: ignore[arg-type]
    lines = {line.measure.code: line for line in assessment.lines.select_related("measure")}
    assert "A1.5" in lines  # Secretariat
    assert "A5.1" in lines  # every unit
    assert "A2.3" not in lines  # enforcement divisions only
    assert "1 / 3" in lines["A1.5"].computed  # January met, February and March missed
    assert assessment_prepare(plan=plan, unit=head.unit, quarter=1, actor=head).pk == assessment.pk  # type: ignore[arg-type]


def test_only_the_units_head_can_fill_it_in(plan: Plan, make_staff: Callable[..., Staff]) -> None:
    other_head = make_staff(Role.UNIT_HEAD, unit="PER")
    with pytest.raises(AssessmentError, match="head of the unit"):
        assessment_prepare(plan=plan, unit=Unit.objects.get(code="SEC"), quarter=1, actor=other_head)


def test_submit_review_return_approve_and_lock(plan: Plan, head: Staff, reviewer: Staff) -> None:
    assessment = assessment_prepare(plan=plan, unit=head.unit, quarter=1, actor=head)  # type: ignore[arg-type]
    lines = list(assessment.lines.all())
    with pytest.raises(AssessmentError, match="score for every measure"):
        assessment_submit(assessment=assessment, actor=head)
    assessment_save(assessment=assessment, actor=head, scores={line.pk: (80, "") for line in lines})
    assessment = assessment_submit(assessment=assessment, actor=head)
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    assert Notification.objects.filter(recipient="group@example.gov.tw", topic="plan.assessment.submitted").exists()
    with pytest.raises(AssessmentError, match="locked"):
        assessment_save(assessment=assessment, actor=head, scores={lines[0].pk: (90, "")})
    with pytest.raises(AssessmentError, match="Say what needs to change"):
        assessment_review(assessment=assessment, actor=reviewer, approve=False, comment=" ")
    with pytest.raises(AssessmentError, match="assessment group"):
        assessment_review(assessment=assessment, actor=head, approve=True, comment="")
    assessment = assessment_review(assessment=assessment, actor=reviewer, approve=False, comment="A1.5 說明不足")
    assert assessment.status == SelfAssessment.Status.RETURNED
    assessment_save(assessment=assessment, actor=head, scores={lines[0].pk: (70, "補充說明")})
    assessment_submit(assessment=assessment, actor=head)
    assessment = assessment_review(assessment=assessment, actor=reviewer, approve=True, comment="")
    assert assessment.status == SelfAssessment.Status.APPROVED
    with pytest.raises(AssessmentError, match="locked"):
        assessment_save(assessment=assessment, actor=head, scores={lines[0].pk: (99, "")})
    with pytest.raises(AssessmentError, match="submitted"):
        assessment_review(assessment=assessment, actor=reviewer, approve=False, comment="again")
    history = list(assessment.events.values_list("action", flat=True))
    assert history == ["prepared", "saved", "submitted", "returned", "saved", "submitted", "approved"]
    returned = assessment.events.get(action="returned")
    assert returned.comment == "A1.5 說明不足"
    assert returned.snapshot[lines[0].measure.code]["score"] == 80
    assert assessment.events.get(action="approved").snapshot[lines[0].measure.code]["score"] == 70


def test_assessment_pages_over_http(plan: Plan, head: Staff, reviewer: Staff, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(head)
    response = client.post(reverse("plan:assessments") + "?year=104", {"quarter": 1})
    assessment = SelfAssessment.objects.get()
    assert response["Location"].endswith(reverse("plan:assessment", args=[assessment.pk]))
    lines = list(assessment.lines.all())
    bad = client.post(
        reverse("plan:assessment", args=[assessment.pk]),
        {"action": "submit", **{f"score-{line.pk}": "150" for line in lines}},
    )
    assert "Enter a whole number from 0 to 100." in bad.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.DRAFT
    client.post(
        reverse("plan:assessment", args=[assessment.pk]),
        {"action": "submit", **{f"score-{line.pk}": "85" for line in lines}},
    )
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.SUBMITTED
    client.force_login(reviewer)
    with django_assert_max_num_queries(25):
        queue = client.get(reverse("plan:assessment-reviews"))
    assert reverse("plan:assessment", args=[assessment.pk]) in queue.content.decode()
    client.post(reverse("plan:assessment", args=[assessment.pk]), {"action": "approve", "comment": ""})
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessment.Status.APPROVED
    page = client.get(reverse("plan:assessment", args=[assessment.pk])).content.decode()
    assert 'name="score-' not in page  # locked: no inputs any more
