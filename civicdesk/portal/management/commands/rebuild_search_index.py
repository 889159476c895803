"""`manage.py rebuild_search_index`: rebuild the website's search index from live content."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicdesk.portal.services import search_index_rebuild


class Command(BaseCommand):
    help = "Re-create the search index entries of every live page, document and question."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"indexed {search_index_rebuild()} items")
