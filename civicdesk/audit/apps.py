from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "civicdesk.audit"
    label = "audit"
    verbose_name = _("Audit")
    staff_menu = [
        ("audit:ledgers", _("Audit ledgers"), "audit:ledger:view"),
        ("audit:access-log", _("Personal-data access log"), "audit:access_log:view"),
    ]

    def ready(self) -> None:
        from civicdesk.audit import receivers  # noqa: F401  (connects the sign-in receivers)
