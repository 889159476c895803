"""Staff pages: ledger integrity and the personal-data access log."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicdesk.audit.ledger import ledgers_verify
from civicdesk.audit.models import AccessLogEntry, LedgerEntry
from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission


@staff_required(Permission.AUDIT_LEDGER_VIEW)
def ledgers(request: HttpRequest) -> HttpResponse:
    reports = ledgers_verify()
    recent = LedgerEntry.objects.order_by("-recorded_at", "-id")[:50]
    return render(request, "audit/ledgers.html", {"reports": reports, "recent": recent})


@staff_required(Permission.AUDIT_ACCESS_LOG_VIEW)
def access_log(request: HttpRequest) -> HttpResponse:
    viewer: Staff = request.user  # type: ignore[assignment]
    entries = AccessLogEntry.objects.select_related("staff", "staff__unit")
    if not viewer.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
        entries = entries.filter(staff__branch=viewer.branch)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"page": page})
