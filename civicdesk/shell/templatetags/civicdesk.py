"""Template filters: dates as people here read them (ROC in Chinese, Gregorian in English)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from civicdesk.core.i18n import english_active
from civicdesk.core.roc_dates import format_roc

register = template.Library()


@register.filter
def local_date(value: datetime.date | datetime.datetime | None) -> str:
    """104年3月5日 on Chinese pages, 5 March 2015 on English ones."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if english_active():
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return format_roc(value, style="chinese")


@register.filter
def local_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local_date(local.date())} {local:%H:%M}"
