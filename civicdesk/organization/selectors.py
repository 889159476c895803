"""Reads for the organisation."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet

from civicdesk.organization.models import Branch, Staff, Unit


def home_branch() -> Branch | None:
    """The branch this deployment serves on its public pages."""
    return Branch.objects.filter(code=settings.CIVICDESK_HOME_BRANCH).first()


def branches_visible_to(staff: Staff) -> QuerySet[Branch]:
    if staff.has_permission("organization:branch:view_all"):
        return Branch.objects.all()
    if staff.branch_id is None:
        return Branch.objects.none()
    return Branch.objects.filter(pk=staff.branch_id)


def units_visible_to(staff: Staff) -> QuerySet[Unit]:
    return (
        Unit.objects.visible_to(staff)
        .select_related("branch", "parent")
        .annotate(staff_count=Count("staff"))
        .prefetch_related(Prefetch("staff", queryset=Staff.objects.filter(is_active=True).order_by("username")))
    )


def active_subdivisions(*, branch: Branch) -> QuerySet[Unit]:
    return Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION, is_active=True).order_by("code")
