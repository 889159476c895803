"""The public progress query's look-up of an enforcement case (A2.4): case number + last 4 ID digits.

Plugged into the applications app's progress query through settings.APPLICATIONS_CASE_TRACKER, which
owns the rate limits, the audit and the identical "not found" answer. This function is the only
public way to a case: it returns None whether the case does not exist or the digits do not match.
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from civicdesk.applications.tracking import Attempt, Progress, TimelineEntry, digits_pattern, lookup_rows
from civicdesk.cases.models import FINAL_STAGES, Case, CaseEvent, ClaimCategory, Stage
from civicdesk.core.case_numbers import parse_case_number
from civicdesk.core.i18n import english_active, per_language
from civicdesk.core.masking import mask_id, mask_name
from civicdesk.organization.models import Unit

# Translated once per language (see _wording).
_CITIZEN_STAGE_LABELS: dict[str, Any] = {
    Stage.RECEIVED: pgettext_lazy("citizen case status", "Received by the branch"),
    Stage.ASSIGNED: pgettext_lazy("citizen case status", "Assigned to an enforcement officer"),
    Stage.IN_ENFORCEMENT: pgettext_lazy("citizen case status", "Being enforced"),
    Stage.INSTALMENTS: pgettext_lazy("citizen case status", "Paying by instalments"),
    Stage.PAID: pgettext_lazy("citizen case status", "Paid in full"),
    Stage.CLEARED: pgettext_lazy("citizen case status", "Cleared"),
    Stage.CLOSED: pgettext_lazy("citizen case status", "Closed"),
    Stage.RETURNED: pgettext_lazy("citizen case status", "Returned to the transferring agency"),
}


@dataclass(frozen=True)
class _Wording:
    """The case query's fixed citizen wording in one language."""

    stages: dict[str, str]
    final_step: str
    instalments_step: str
    balance_step: str  # with {balance}
    contact: str  # with {subdivision}


@per_language
def _wording() -> _Wording:
    return _Wording(
        stages={stage: str(label) for stage, label in _CITIZEN_STAGE_LABELS.items()},
        final_step=_("Nothing more is needed from you for this case."),
        instalments_step=_("Pay each instalment by its due date; a missed instalment can end the arrangement."),
        balance_step=_(
            "Outstanding balance NT${balance}. Pay it, or ask the officer in charge about instalments, "
            "to avoid seizure of property."
        ),
        contact=_("Subdivision in charge: {subdivision}"),
    )


def _next_step(wording: _Wording, stage: str, balance: int) -> str:
    if stage in FINAL_STAGES:
        return wording.final_step
    if stage == Stage.INSTALMENTS:
        return wording.instalments_step
    return wording.balance_step.format(balance=f"{balance:,}")


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# One statement on the progress query's hot path (bench/bench_applications_track.py): the case (the first of
# that number, as numbers are not unique in legacy data), its category and subdivision names and its
# stage changes. The digits are compared by the database, so a missing case and wrong digits both return
# no row and no personal data leaves the database. On PostgreSQL the same statement writes the attempt's
# audit row (applications.tracking.lookup_rows), which also adds the ORDER BY.
_CASE_PROGRESS_SQL = """
SELECT c.case_number, c.obligor_id, c.obligor_name, c.stage, c.balance, c.received_on,
       k.name_zh, k.name_en, u.name_zh, u.name_en, e.occurred_at, e.after, e.id AS event_id
FROM {case} c
JOIN {category} k ON k.id = c.category_id
LEFT JOIN {unit} u ON u.id = c.subdivision_id
LEFT JOIN {event} e ON e.case_id = c.id AND e.kind = %s
WHERE c.id = (SELECT MIN(f.id) FROM {case} f WHERE f.case_number = %s) AND c.obligor_id LIKE %s
"""


@functools.cache
def _case_progress_sql() -> str:
    quote = connection.ops.quote_name
    return _CASE_PROGRESS_SQL.format(
        case=quote(Case._meta.db_table),
        category=quote(ClaimCategory._meta.db_table),
        unit=quote(Unit._meta.db_table),
        event=quote(CaseEvent._meta.db_table),
    )


def _stage_after(after: object) -> str:
    """The stage a stage-change event moved to (its `after` JSON, as text from a raw cursor)."""
    data = json.loads(after) if isinstance(after, str | bytes) else after
    return str(data.get("stage", "")) if isinstance(data, dict) else ""


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def case_progress_for_tracking(case_number: str, id_last4: str, *, attempt: Attempt | None = None) -> Progress | None:
    """Masked progress of the case, or None when there is no such case or the digits do not match.

    `attempt` (from the progress query) is audited by the look-up's own statement where the database allows.
    """
    try:
        canonical = str(parse_case_number(case_number))
    except ValueError:
        canonical = case_number
    rows = lookup_rows(
        _case_progress_sql(),
        [CaseEvent.Kind.STAGE_CHANGED, canonical, digits_pattern(id_last4)],
        order_by="occurred_at, event_id",
        attempt=attempt,
    )
    if not rows:
        return None
    number, obligor_id, obligor_name, stage, balance, received_on, *names, _at, _after, _id = rows[0]
    english = english_active()
    category_zh, category_en, subdivision_zh, subdivision_en = names
    category = category_en if english and category_en else category_zh
    subdivision = (subdivision_en if english and subdivision_en else subdivision_zh) or ""
    wording = _wording()
    stages = wording.stages
    timeline = [TimelineEntry(at=_midnight(received_on), title=stages[Stage.RECEIVED])]
    for *_columns, occurred_at, after, _event_id in rows:
        changed_to = _stage_after(after) if occurred_at is not None else ""
        if changed_to in stages:  # every stage (Stage.values would build a list per row)
            timeline.append(TimelineEntry(at=_aware(occurred_at), title=stages[changed_to]))
    return Progress(
        reference=number,
        service=category,
        applicant=mask_name(obligor_name),
        id_number=mask_id(obligor_id),
        status=stages.get(stage, stage),
        submitted_at=_midnight(received_on),
        expected_by=None,
        clock_paused=False,
        next_step=_next_step(wording, stage, balance),
        contact=wording.contact.format(subdivision=subdivision) if subdivision else "",
        timeline=timeline,
    )
