from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from civicdesk.organization.models import Branch

api = NinjaAPI(
    title="Civic Desk API",
    version="1",
    description="Citizen services and back-office data of an Administrative Enforcement Agency branch.",
    urls_namespace="api",
)


class BranchOut(Schema):
    code: str
    name_zh: str
    name_en: str
    opened_on: str | None
    opening_hours_zh: str
    opening_hours_en: str

    @staticmethod
    def resolve_opened_on(obj: Branch) -> str | None:
        return obj.opened_on.isoformat() if obj.opened_on else None


# Each app contributes its own router.
api.add_router("/notifications/", "civicdesk.notifications.api.router")
api.add_router("/cases/", "civicdesk.cases.api.router")
api.add_router("/applications/", "civicdesk.applications.api.router")
api.add_router("/plan/", "civicdesk.plan.api.router")
# The public progress query also answers at the short, documented path POST /api/v1/track.
api.add_router("/", "civicdesk.applications.api.track_router")
api.add_router("/portal/", "civicdesk.portal.api.router")


@api.get("/branches", response=list[BranchOut], tags=["organisation"], summary="The agency's branches")
def branch_list(request: HttpRequest) -> list[Branch]:
    return list(Branch.objects.all())
