"""Staff directory: units and their staff, scoped to the viewer's branch."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicdesk.organization.access import staff_required
from civicdesk.organization.permissions import Permission
from civicdesk.organization.selectors import branches_visible_to, units_visible_to


@staff_required(Permission.ORG_STAFF_VIEW)
def directory(request: HttpRequest) -> HttpResponse:
    staff = request.user
    return render(
        request,
        "organization/directory.html",
        {
            "branches": branches_visible_to(staff),  # type: ignore[arg-type]
            "units": units_visible_to(staff),  # type: ignore[arg-type]
        },
    )
