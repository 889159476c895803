"""Admin views of the plan app: activity kinds are data an administrator may extend; the rest is
read-mostly (plans change through load_plan and the plan-version pages, which keep versions)."""

from django.contrib import admin
from django.http import HttpRequest

from civicdesk.plan.models import ActivityKind, Plan, PlanEvent


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "quantity_zh", "is_active", "ordering"]
    list_editable = ["is_active", "ordering"]


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "payload"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["branch", "year", "version", "status", "submitted_at"]
    list_filter = ["branch", "year", "status"]
    readonly_fields = [
        "branch",
        "year",
        "version",
        "status",
        "based_on",
        "content_hash",
        "submitted_at",
        "submitted_by",
    ]
    inlines = [PlanEventInline]

    def has_delete_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return False
