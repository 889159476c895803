from django.contrib import admin

from civicdesk.audit.models import AccessLogEntry, LedgerEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["ledger", "sequence", "recorded_at", "action", "actor", "subject"]
    list_filter = ["ledger", "action"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "staff", "record_type", "record_id", "purpose"]
    list_filter = ["record_type"]
