"""Role × permission and role × endpoint matrices; branch scoping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from civicdesk.organization.models import Staff, Unit
from civicdesk.organization.permissions import ROLE_PERMISSIONS, Permission, Role

R = Role
ENDPOINT_ACCESS: dict[str, set[Role]] = {
    "organization:directory": set(Role) - set(),  # every role may read the directory
    "audit:ledgers": {R.SECRETARIAT_OFFICER, R.ETHICS_OFFICER, R.HEADQUARTERS_AUDITOR, R.SYSTEM_ADMINISTRATOR},
    "audit:access-log": {R.ETHICS_OFFICER},
    "shell:staff-home": set(Role),
}


def test_every_permission_follows_the_scope_resource_action_pattern() -> None:
    for permission in Permission:
        scope, resource, action = permission.value.split(":")
        assert scope
        assert resource
        assert action


def test_every_role_has_permissions_and_a_label() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    for role in Role:
        assert ROLE_PERMISSIONS[role], role
        assert role.label


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        (R.SYSTEM_ADMINISTRATOR, Permission.CASES_CASE_VIEW, False),  # administrators do not read case files
        (R.SYSTEM_ADMINISTRATOR, Permission.SYSTEM_ADMIN_ACCESS, True),
        (R.SUBDIVISION_CLERK, Permission.CASES_CASE_REASSIGN, False),
        (R.UNIT_HEAD, Permission.CASES_CASE_REASSIGN, True),
        (R.SECRETARIAT_OFFICER, Permission.CASES_CASE_ASSIGN, True),
        (R.ENFORCEMENT_OFFICER, Permission.ORG_BRANCH_VIEW_ALL, False),
        (R.HEADQUARTERS_AUDITOR, Permission.ORG_BRANCH_VIEW_ALL, True),
        (R.ETHICS_OFFICER, Permission.AUDIT_ACCESS_LOG_VIEW, True),
        (R.ASSESSMENT_GROUP_MEMBER, Permission.PLAN_ASSESSMENT_REVIEW, True),
        (R.UNIT_HEAD, Permission.PLAN_ASSESSMENT_REVIEW, False),
        (R.WEB_EDITOR, Permission.PORTAL_PAGE_PUBLISH, True),
        (R.STATISTICS_OFFICER, Permission.PORTAL_PAGE_PUBLISH, False),
    ],
)
def test_role_permission_matrix(make_staff, role: Role, permission: Permission, expected: bool) -> None:
    staff = make_staff(role)
    assert staff.has_permission(permission) is expected


@pytest.mark.parametrize("url_name", sorted(ENDPOINT_ACCESS))
@pytest.mark.parametrize("role", list(Role))
def test_role_endpoint_matrix(staff_client, url_name: str, role: Role) -> None:
    client = staff_client(role)
    response = client.get(reverse(url_name))
    expected = 200 if role in ENDPOINT_ACCESS[url_name] else 403
    assert response.status_code == expected, (role, url_name)


@pytest.mark.parametrize("url_name", sorted(ENDPOINT_ACCESS))
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, url_name: str) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("shell:staff-login"))


def test_inactive_staff_hold_no_permissions(make_staff) -> None:
    staff = make_staff(R.ETHICS_OFFICER)
    staff.is_active = False
    assert not staff.has_permission(Permission.AUDIT_ACCESS_LOG_VIEW)


def test_staff_see_only_their_branch_units(make_staff) -> None:
    taichung = make_staff(R.ENFORCEMENT_OFFICER)
    taipei = make_staff(R.ENFORCEMENT_OFFICER, branch="TPE", unit=None)
    auditor = make_staff(R.HEADQUARTERS_AUDITOR, unit=None)
    assert set(Unit.objects.visible_to(taichung).values_list("branch__code", flat=True)) == {"TCH"}
    assert not Unit.objects.visible_to(taipei).exists()  # Taipei's units are not loaded
    assert Unit.objects.visible_to(auditor).count() == Unit.objects.count()
    assert set(Staff.objects.visible_to(taichung).values_list("branch__code", flat=True)) == {"TCH"}
    assert set(Staff.objects.visible_to(auditor).values_list("branch__code", flat=True)) == {"TCH", "TPE"}


def test_directory_shows_only_own_branch(staff_client, make_staff) -> None:
    make_staff(R.ENFORCEMENT_OFFICER, branch="TPE", unit=None, username="taipei_officer")
    client = staff_client(R.ENFORCEMENT_OFFICER, unit="S01")
    page = client.get(reverse("organization:directory")).content.decode()
    assert "第01股" in page
    assert "taipei_officer" not in page


def test_directory_query_count_does_not_grow_with_staff(
    staff_client, make_staff, django_assert_max_num_queries
) -> None:
    client = staff_client(R.PERSONNEL_OFFICER, unit="PER")
    for _ in range(15):
        make_staff(R.ENFORCEMENT_OFFICER, unit="S02")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("organization:directory")).status_code == 200
