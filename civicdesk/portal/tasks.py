"""Celery tasks of the portal app (thin: they call services)."""

from __future__ import annotations

from celery import shared_task

from civicdesk.portal.services import catalogue_index_refresh, pages_publish_due


@shared_task(name="civicdesk.portal.tasks.publish_scheduled_pages")
def publish_scheduled_pages() -> int:
    return pages_publish_due()


@shared_task(name="civicdesk.portal.tasks.refresh_catalogue_index")
def refresh_catalogue_index() -> int:
    return catalogue_index_refresh()
