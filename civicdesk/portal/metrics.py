"""Figures the plan reads for A4.2 (the plan app's metric convention: ``fn(*, branch_code, start, end)``).

The public website is one site per deployment (the branch's), so ``branch_code`` selects nothing here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

from civicdesk.portal import classifications
from civicdesk.portal.models import SearchEntry


@dataclass(frozen=True)
class Reading:
    value: int
    note: str
    url: str


def classification_searches(*, branch_code: str, start: datetime.date, end: datetime.date) -> Reading:
    """Classification searches the public site offers on ``end`` (target ≥ 3, A4.2): the classification
    schemes whose browse page lists at least one item published by then, in Chinese."""
    offered = [
        scheme
        for scheme in classifications.SCHEMES
        if SearchEntry.objects.filter(language="zh-hant", published_on__lte=end)
        .exclude(**{classifications.CODE_FIELDS[scheme]: ""})
        .exists()
    ]
    return Reading(
        value=len(offered),
        note=", ".join(str(classifications.SCHEMES[s][0]) for s in offered),
        url=reverse("portal:browse", args=[offered[0] if offered else "theme"]),
    )
