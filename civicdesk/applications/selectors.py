"""Reads: the catalogue, the staff work queue with its SLA clock, a citizen's own applications."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civicdesk.applications.models import Application, Citizen, ServiceKind, Status
from civicdesk.applications.services import AT_RISK_WORKING_DAYS, local_today
from civicdesk.core.working_calendar import add_working_days, working_days_between
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission


def catalogue_published() -> QuerySet[ServiceKind]:
    return ServiceKind.objects.filter(is_published=True).order_by("ordering", "code")


def service_published(*, code: str) -> ServiceKind | None:
    return catalogue_published().filter(code=code).first()


def applications_visible_to(staff: Staff) -> QuerySet[Application]:
    queryset = Application.objects.select_related("kind", "unit", "branch", "assignee")
    if staff.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
        return queryset
    if staff.branch_id is None:
        return queryset.none()
    return queryset.filter(branch_id=staff.branch_id)


def work_queue(
    *,
    staff: Staff,
    kind: str = "",
    unit: str = "",
    status: str = "",
    open_only: bool = True,
) -> QuerySet[Application]:
    """Applications a member of staff may work on, most urgent first (paused ones last)."""
    queryset = applications_visible_to(staff)
    if kind:
        queryset = queryset.filter(kind__code=kind)
    if unit:
        queryset = queryset.filter(unit__code=unit)
    if status:
        queryset = queryset.filter(status=status)
    elif open_only:
        queryset = queryset.exclude(status__in=[Status.DECIDED, Status.WITHDRAWN])
    return queryset.order_by("clock_paused_on", "due_date", "submitted_at")


@dataclass(frozen=True)
class SlaState:
    code: str  # paused | overdue | at_risk | on_track | decided_in_time | decided_late | closed
    label: str
    working_days_left: int | None


def sla_state(application: Application, today: datetime.date | None = None) -> SlaState:  # noqa: PLR0911 (one return per state)
    """Where the application's clock stands today."""
    today = today or local_today()
    if application.status == Status.DECIDED:
        if application.decided_within_limit:
            return SlaState("decided_in_time", _("Decided within the time limit"), None)
        return SlaState("decided_late", _("Decided after the time limit"), None)
    if application.status == Status.WITHDRAWN:
        return SlaState("closed", _("Withdrawn"), None)
    if application.status == Status.CORRECTION:
        return SlaState(
            "paused",
            _("Clock paused (correction): %(left)s working days left") % {"left": application.working_days_left or 0},
            application.working_days_left,
        )
    if application.due_date < today:
        return SlaState("overdue", _("Overdue since %(due)s") % {"due": application.due_date.isoformat()}, 0)
    left = working_days_between(today, application.due_date)
    if application.due_date <= add_working_days(today, AT_RISK_WORKING_DAYS):
        return SlaState("at_risk", _("At risk: %(left)s working days left") % {"left": left}, left)
    return SlaState("on_track", _("%(left)s working days left") % {"left": left}, left)


def citizen_applications(*, citizen: Citizen) -> QuerySet[Application]:
    return Application.objects.filter(citizen=citizen).select_related("kind").order_by("-submitted_at")


def application_for_citizen(*, citizen: Citizen, reference: str) -> Application | None:
    """An application its signed-in owner may see; None when it does not exist or is someone else's."""
    application = Application.objects.select_related("kind", "branch").filter(reference=reference).first()
    if application is None:
        return None
    if application.citizen_id != citizen.pk:
        return None
    return application
