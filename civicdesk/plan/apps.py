from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "civicdesk.plan"
    label = "plan"
    verbose_name = _("Service-quality plan")
    # Back-office entries for the staff home: (URL name, title, permission or None).
    staff_menu: list[tuple[str, object, str | None]] = [
        ("plan:dashboard", _("Service-quality plan"), "plan:report:export"),
        ("plan:activities", _("Plan activities and evidence"), "plan:activity:log"),
        ("plan:assessments", _("Quarterly self-assessment"), "plan:assessment:submit"),
        ("plan:assessment-reviews", _("Self-assessments to review"), "plan:assessment:review"),
        ("plan:group", _("Citizen-Service Assessment Group"), "plan:assessment:review"),
    ]
    # Citizen-facing entries for the public home: (URL name, title, description).
    public_menu: list[tuple[str, object, object]] = []
