from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicdesk.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    # Back-office entries for the staff home: (URL name, title, permission or None).
    staff_menu: list[tuple[str, object, str | None]] = [
        ("notifications:outbox", _("Outbox and delivery log"), "notifications:outbox:view"),
    ]
    public_menu: list[tuple[str, object, object]] = []
