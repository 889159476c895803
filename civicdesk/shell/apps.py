from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    name = "civicdesk.shell"
    label = "shell"
    verbose_name = _("Your account")
    staff_menu = [
        ("shell:staff-two-factor", _("Two-step verification (authenticator app)"), None),
    ]
