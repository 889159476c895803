from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "civicdesk.cases"
    label = "cases"
    verbose_name = _("Enforcement cases")
    # Back-office entries for the staff home: (URL name, title, permission or None).
    staff_menu: list[tuple[str, object, str | None]] = []
    # Citizen-facing entries for the public home: (URL name, title, description).
    public_menu: list[tuple[str, object, object]] = []
