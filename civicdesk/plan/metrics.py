"""Metric functions of the plan app itself, following the convention every app's metrics.py follows:

    fn(*, branch_code: str, start: datetime.date, end: datetime.date)
        -> int | float | Decimal | an object with a .value attribute | None

`start` and `end` are inclusive dates; None means "no data for this period" (never a guessed number).
See docs/plan.md.
"""

from __future__ import annotations

import datetime

from civicdesk.plan.models import Proposal


def innovation_proposals_adopted(*, branch_code: str, start: datetime.date, end: datetime.date) -> int:
    """A5.1: innovative service proposals raised in the period and adopted (valuable and feasible)."""
    return Proposal.objects.filter(
        branch__code=branch_code,
        kind=Proposal.Kind.INNOVATION,
        proposed_on__gte=start,
        proposed_on__lte=end,
        status__in=[Proposal.Status.ADOPTED, Proposal.Status.IMPLEMENTED, Proposal.Status.RESULTS],
    ).count()
