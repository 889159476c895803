"""`manage.py check_links [--external] [--timeout S]`: report broken links in the live website."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.portal.linkcheck import links_check


class Command(BaseCommand):
    help = "Check internal links and documents of the public website (and external links when allowed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--external", action="store_true", help="also request external links (needs network)")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds per external request")
        parser.add_argument("--fail", action="store_true", help="exit with an error when a link is broken")

    def handle(self, *args: Any, **options: Any) -> None:
        external = options["external"] or settings.CIVICDESK_PORTAL_CHECK_EXTERNAL_LINKS
        run = links_check(external=external, timeout=options["timeout"])
        broken = list(run.broken.all())
        scope = "internal and external" if external else "internal (external links not requested)"
        self.stdout.write(f"checked {run.checked} links and documents, {scope}: {len(broken)} broken")
        for link in broken:
            self.stdout.write(f"  {link.where}: {link.url} — {link.reason}")
        if broken and options["fail"]:
            raise CommandError(f"{len(broken)} broken links")
