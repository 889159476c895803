from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "civicdesk.cases"
    label = "cases"
    verbose_name = _("Enforcement cases")
    # Back-office entries for the staff home: (URL name, title, permission or None).
    staff_menu: list[tuple[str, object, str | None]] = [
        ("cases:search", _("Enforcement cases: search"), "cases:case:view"),
        ("cases:intake", _("Case intake: upload a file"), "cases:case:receive"),
        ("cases:counter", _("Case intake: counter entry"), "cases:case:receive"),
        ("cases:register-receipt", _("Receipt register"), "cases:register:view"),
        ("cases:register-assignment", _("Assignment register"), "cases:register:view"),
        ("cases:warnings", _("Case warnings"), "cases:warning:view"),
    ]
    # Citizen-facing entries for the public home: (URL name, title, description).
    public_menu: list[tuple[str, object, object]] = []
