"""`manage.py load_demo`: the organisation plus demo data of every installed app. Idempotent."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.organization.demo import DEMO_PASSWORD, load_demo_staff
from civicdesk.organization.services import organization_load


class Command(BaseCommand):
    help = "Load the branches, Taichung's units, demo staff and each app's demo data (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print the demo accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo creates accounts with a published password; it never runs in production")
        summary = organization_load()
        self.stdout.write(
            f"organisation: {summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged"
        )
        accounts = load_demo_staff()
        created = sum(1 for _account, was_created in accounts if was_created)
        self.stdout.write(f"demo staff: {created} created, {len(accounts) - created} already present")
        # Each domain app may ship demo data in a `demo` module with a `load_demo_data(stdout)` function.
        for config in apps.get_app_configs():
            if not config.name.startswith("civicdesk.") or config.label == "organization":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            module.load_demo_data(stdout=self.stdout)
        if not options["quiet_accounts"]:
            self.stdout.write("")
            self.stdout.write(f"Demo staff accounts (password for all: {DEMO_PASSWORD}):")
            for account, _created in accounts:
                roles = ", ".join(sorted(role.label for role in account.roles))
                where = f"{account.branch or 'AEA'}/{account.unit or '-'}"
                self.stdout.write(f"  {account.username:<12} {where:<10} {roles}")
