"""Staff page: the outbox with each message's delivery log."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicdesk.notifications.models import DeliveryEvent, Notification
from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission


@staff_required(Permission.NOTIFICATIONS_OUTBOX_VIEW)
def outbox(request: HttpRequest) -> HttpResponse:
    viewer: Staff = request.user  # type: ignore[assignment]
    messages = Notification.objects.prefetch_related(Prefetch("events", queryset=DeliveryEvent.objects.order_by("at")))
    if not viewer.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
        messages = messages.filter(branch_code__in=["", viewer.branch.code if viewer.branch else ""])
    status = request.GET.get("status", "")
    if status in Notification.Status.values:
        messages = messages.filter(status=status)
    counts = dict(messages.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    page = Paginator(messages, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "status": status,
            "statuses": Notification.Status.choices,
            "counts": counts,
        },
    )
