from django.apps import AppConfig


class PortalWagtailBenchConfig(AppConfig):
    name = "bench.portal_wagtail"
    label = "portal_wagtail_bench"
    default_auto_field = "django.db.models.BigAutoField"
