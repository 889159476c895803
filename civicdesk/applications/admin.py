"""Django admin: staff with the catalogue permission edit the service catalogue here (A2.2)."""

from __future__ import annotations

from django.contrib import admin

from civicdesk.applications.models import Application, ApplicationEvent, ServiceKind, TrackingAttempt


@admin.register(ServiceKind)
class ServiceKindAdmin(admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "time_limit_working_days", "trackable_by", "is_published"]
    list_filter = ["is_published", "trackable_by"]
    search_fields = ["code", "title_zh", "title_en"]
    fieldsets = [
        (None, {"fields": ["code", "ordering", "is_published", "trackable_by", "reference_prefix"]}),
        ("SOP", {"fields": ["handling_unit_code", "time_limit_working_days", "clock_on_correction", "channels"]}),
        ("MyEGov", {"fields": ["myegov_service_code", "myegov_theme_code", "myegov_administration_code"]}),
        (
            "中文",
            {
                "fields": [
                    "title_zh",
                    "summary_zh",
                    "eligibility_zh",
                    "documents_zh",
                    "steps_zh",
                    "fee_zh",
                    "contact_zh",
                ]
            },
        ),
        (
            "English",
            {
                "fields": [
                    "title_en",
                    "summary_en",
                    "eligibility_en",
                    "documents_en",
                    "steps_en",
                    "fee_en",
                    "contact_en",
                ]
            },
        ),
        ("Form", {"fields": ["form_fields"]}),
    ]


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "from_status", "to_status", "actor", "citizen_note", "staff_note")
    readonly_fields = ("at", "kind", "from_status", "to_status", "actor", "citizen_note", "staff_note")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the services (each change is an event)."""

    list_display = ["reference", "kind", "status", "channel", "due_date", "submitted_at"]
    list_filter = ["kind", "status", "channel", "verification"]
    search_fields = ["reference"]
    inlines = [EventInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(TrackingAttempt)
class TrackingAttemptAdmin(admin.ModelAdmin):
    list_display = ["at", "via", "reference", "outcome", "ip_address"]
    list_filter = ["outcome", "via"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
