from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "civicdesk.portal"
    label = "portal"
    verbose_name = _("Public website")
    # Back-office entries for the staff home: (URL name, title, permission or None).
    staff_menu: list[tuple[str, object, str | None]] = [
        ("portal:staff-pages", _("Website pages"), "portal:page:edit"),
        ("portal:staff-documents", _("Website documents"), "portal:page:edit"),
        ("portal:staff-faq", _("FAQ and search questions"), "portal:page:edit"),
        ("portal:staff-parity", _("Bilingual parity report"), "portal:page:edit"),
        ("portal:staff-links", _("Link check report"), "portal:page:edit"),
    ]
    # Citizen-facing entries for the public home: (URL name, title, description).
    public_menu: list[tuple[str, object, object]] = [
        ("portal:search", _("Search the website"), _("Find pages, documents and answers in Chinese or English.")),
        ("portal:faq", _("Frequently asked questions"), _("Answers about paying, instalments and certificates.")),
        ("portal:info", _("About the branch and its work"), _("Policies, plans, service measures and budgets.")),
        ("portal:news", _("News and announcements"), _("Auctions, holidays and service changes.")),
        ("portal:documents", _("Budgets and documents"), _("Budgets, final accounts and plans by year.")),
    ]
    # Sections of the public home page (/): dotted paths of callables(request) -> {template, context} or None.
    home_sections: list[str] = ["civicdesk.portal.home.home_section"]
