from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "civicdesk.applications"
    label = "applications"
    verbose_name = _("Applications")
    # Back-office entries for the staff home: (URL name, title, permission or None).
    staff_menu: list[tuple[str, object, str | None]] = [
        ("applications:queue", _("Application work queue"), "applications:application:view"),
        ("applications:counter", _("Counter: file an application for a visitor"), "applications:application:process"),
        ("applications:staff-catalogue", _("Service catalogue (SOPs)"), "applications:catalogue:edit"),
    ]
    # Citizen-facing entries for the public home: (URL name, title, description).
    public_menu: list[tuple[str, object, object]] = [
        (
            "applications:catalogue",
            _("Services and online applications"),
            _("What each service needs, how long it takes, and how to apply online."),
        ),
        (
            "applications:track",
            _("Track progress"),
            _("See where your application or case stands with its number and the last 4 digits of your ID."),
        ),
    ]
