"""Dashboard per measure and period with drill-down, filters, trend chart; plan versions page."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from civicdesk.organization.permissions import Role
from civicdesk.plan.models import Plan, Target


def test_dashboard_shows_figures_status_and_links_to_records(
    plan: Plan, log_activity: Callable, staff_client: Callable[..., Client], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    log_activity("park-cleaning", datetime.date(2015, 3, 4))
    log_activity("park-cleaning", datetime.date(2015, 3, 18))
    client = staff_client(Role.SECRETARIAT_OFFICER)
    with django_assert_max_num_queries(60):
        response = client.get(reverse("plan:dashboard"), {"year": 104, "period": "104-03"})
    html = response.content.decode()
    assert response.status_code == 200
    park = Target.objects.get(measure__plan=plan, code="park-cleaning")
    records_url = reverse("plan:records", args=[park.pk]) + "?period=104-03"
    assert records_url in html
    assert "status-met" in html
    assert "status-no_data_source" not in html  # every target of the shipped plan has a source (A4.2: portal)
    drill = client.get(records_url).content.decode()
    assert drill.count("park-cleaning 2015-03-") == 2


def test_dashboard_filters_by_area_and_unit(plan: Plan, staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.SECRETARIAT_OFFICER)
    html = client.get(reverse("plan:dashboard"), {"year": 104, "area": "A4"}).content.decode()
    assert ">A4.2<" in html
    assert ">A1.5<" not in html
    html = client.get(reverse("plan:dashboard"), {"year": 104, "unit": "PER"}).content.decode()
    assert ">A5.3<" in html  # Personnel Office
    assert ">A5.1<" in html  # every unit
    assert ">A1.5<" not in html  # Secretariat only


def test_measure_page_has_an_accessible_trend_chart(plan: Plan, log_activity: Callable, staff_client) -> None:  # type: ignore[no-untyped-def]
    log_activity("planting", datetime.date(2015, 3, 1), quantity=120)
    html = (
        staff_client(Role.SECRETARIAT_OFFICER)
        .get(reverse("plan:measure", args=["A1.6"]), {"year": 104})
        .content.decode()
    )
    assert '<svg class="trend"' in html
    assert 'role="img"' in html
    assert "<title id=" in html
    assert "<table>" in html  # the same figures as a table


def test_dashboard_needs_a_plan_permission(plan: Plan, staff_client: Callable[..., Client]) -> None:
    assert staff_client(Role.WEB_EDITOR, unit="WEB").get(reverse("plan:dashboard")).status_code == 403
    assert Client().get(reverse("plan:dashboard")).status_code == 302


def test_plan_versions_page_copies_and_submits(plan: Plan, staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.SECRETARIAT_OFFICER)
    client.post(reverse("plan:plans"), {"plan": plan.pk, "action": "submit"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED
    client.post(reverse("plan:plans"), {"plan": plan.pk, "action": "copy"})
    assert Plan.objects.filter(year=105, status="draft").count() == 1
    assert client.get(reverse("plan:plan", args=[plan.pk])).status_code == 200
    officer = staff_client(Role.ENFORCEMENT_OFFICER, unit="S01")
    assert officer.post(reverse("plan:plans"), {"plan": plan.pk, "action": "copy"}).status_code == 403


def test_api_status_matches_the_command(plan: Plan, log_activity: Callable, staff_client) -> None:  # type: ignore[no-untyped-def]
    log_activity("publicity", datetime.date(2015, 2, 2))
    client = staff_client(Role.SECRETARIAT_OFFICER)
    response = client.get("/api/v1/plan/status", {"year": 104, "period": "104-Q1"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["period"] == "104-Q1"
    by_code = {m["code"]: m for m in payload["measures"]}
    assert by_code["A1.2"]["targets"][0]["actual"] == 1
    assert by_code["A1.2"]["status"] == "met"
    assert Client().get("/api/v1/plan/status", {"year": 104}).status_code == 401
    assert staff_client(Role.WEB_EDITOR, unit="WEB").get("/api/v1/plan/status", {"year": 104}).status_code == 403
    assert client.get("/api/v1/plan/status", {"year": 104, "period": "104-Q9"}).status_code == 422


def test_a_draft_measure_can_be_edited_and_a_submitted_one_cannot(plan: Plan, staff_client) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(Role.SECRETARIAT_OFFICER)
    target = Target.objects.get(measure__plan=plan, code="plants")
    url = reverse("plan:measure-edit", args=[plan.pk, "A1.6"])
    form = {
        "strategy_zh": "美化辦公區域內環境，預計至少種植250株草花。",
        "strategy_en": "Plant at least 250 flowering plants.",
        "benefit_zh": "",
        "benefit_en": "",
        "unit_codes": "sec, eth",
        f"threshold_{target.pk}": "250",
    }
    assert client.post(url, {**form, "unit_codes": "SEC, XYZ"}).status_code == 200  # unknown unit: shown again
    response = client.post(url, form)
    assert response.status_code == 302
    target.refresh_from_db()
    measure = target.measure
    assert target.threshold == 250
    assert measure.unit_codes == ["SEC", "ETH"]
    assert set(measure.responsible_units.values_list("unit_code", flat=True)) == {"SEC", "ETH"}
    event = plan.events.get(action="edited A1.6")
    assert event.payload["before"]["thresholds"]["plants"] == "200.00"
    client.post(reverse("plan:plans"), {"plan": plan.pk, "action": "submit"})
    response = client.post(url, {**form, f"threshold_{target.pk}": "300"})
    target.refresh_from_db()
    assert target.threshold == 250  # locked after submission
    assert staff_client(Role.ENFORCEMENT_OFFICER, unit="S01").get(url).status_code == 403
