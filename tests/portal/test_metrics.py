"""A4.2's figure for the plan: classification searches the public site offers (target ≥ 3)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from civicdesk.portal.metrics import classification_searches
from civicdesk.portal.models import Page

pytestmark = pytest.mark.django_db


def _reading(end: datetime.date):  # type: ignore[no-untyped-def]
    return classification_searches(branch_code="TCH", start=end.replace(month=1, day=1), end=end)


def test_counts_each_scheme_with_published_classified_content(publish: Callable[..., Page]) -> None:
    today = timezone.localdate()
    assert _reading(today).value == 0
    publish(title_zh="拍賣公告", kind="news", theme_code="320")
    assert _reading(today).value == 1
    publish(title_zh="分期繳納", kind="service", theme_code="310", cake_code="C12", service_code="I00")
    reading = _reading(today)
    assert reading.value == 3
    assert reading.url.endswith("/browse/theme/")
    assert _reading(today - datetime.timedelta(days=1)).value == 0  # nothing was published before today
