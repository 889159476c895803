from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "civicdesk.organization"
    label = "organization"
    verbose_name = _("Organisation")
    # Entries for the staff home: (URL name, title, permission needed).
    staff_menu = [
        ("organization:directory", _("Organisation and staff directory"), "organization:staff:view"),
    ]
