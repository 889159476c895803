from django.contrib import admin

from civicdesk.notifications.models import DeliveryEvent, Notification


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "status", "detail"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "topic", "status", "attempts"]
    list_filter = ["channel", "status", "topic"]
    inlines = [DeliveryEventInline]
