"""The public progress query's look-up of an enforcement case (A2.4): case number + last 4 ID digits.

Plugged into the applications app's progress query through settings.APPLICATIONS_CASE_TRACKER, which
owns the rate limits, the audit and the identical "not found" answer. This function is the only
public way to a case: it returns None whether the case does not exist or the digits do not match.
"""

from __future__ import annotations

import datetime
import hmac

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civicdesk.applications.tracking import Progress, TimelineEntry
from civicdesk.cases.models import FINAL_STAGES, Case, CaseEvent, Stage
from civicdesk.core.case_numbers import parse_case_number
from civicdesk.core.masking import mask_id, mask_name

_DUMMY_ID = "\x00" * 10


def _citizen_stage(stage: str) -> str:
    labels = {
        Stage.RECEIVED: pgettext("citizen case status", "Received by the branch"),
        Stage.ASSIGNED: pgettext("citizen case status", "Assigned to an enforcement officer"),
        Stage.IN_ENFORCEMENT: pgettext("citizen case status", "Being enforced"),
        Stage.INSTALMENTS: pgettext("citizen case status", "Paying by instalments"),
        Stage.PAID: pgettext("citizen case status", "Paid in full"),
        Stage.CLEARED: pgettext("citizen case status", "Cleared"),
        Stage.CLOSED: pgettext("citizen case status", "Closed"),
        Stage.RETURNED: pgettext("citizen case status", "Returned to the transferring agency"),
    }
    return labels.get(Stage(stage), stage)


def _next_step(case: Case) -> str:
    if case.stage in FINAL_STAGES:
        return _("Nothing more is needed from you for this case.")
    if case.stage == Stage.INSTALMENTS:
        return _("Pay each instalment by its due date; a missed instalment can end the arrangement.")
    return _(
        "Outstanding balance NT${balance}. Pay it, or ask the officer in charge about instalments, "
        "to avoid seizure of property."
    ).format(balance=f"{case.balance:,}")


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def case_progress_for_tracking(case_number: str, id_last4: str) -> Progress | None:
    """Masked progress of the case, or None when there is no such case or the digits do not match."""
    try:
        canonical = str(parse_case_number(case_number))
    except ValueError:
        canonical = case_number
    case = Case.objects.filter(case_number=canonical).select_related("subdivision", "category").order_by("pk").first()
    # Compare even when nothing was found, so a miss and a wrong guess take the same time.
    obligor_id = case.obligor_id if case is not None else _DUMMY_ID
    if not hmac.compare_digest(obligor_id[-4:].encode(), id_last4.encode()) or case is None:
        return None
    timeline = [TimelineEntry(at=_midnight(case.received_on), title=_citizen_stage(Stage.RECEIVED))]
    for event in case.events.filter(kind=CaseEvent.Kind.STAGE_CHANGED).order_by("occurred_at"):
        stage = str(event.after.get("stage", ""))
        if stage in Stage.values:
            timeline.append(TimelineEntry(at=event.occurred_at, title=_citizen_stage(stage)))
    subdivision = case.subdivision.name if case.subdivision is not None else ""
    return Progress(
        reference=case.case_number,
        service=str(case.category),
        applicant=mask_name(case.obligor_name),
        id_number=mask_id(case.obligor_id),
        status=_citizen_stage(case.stage),
        submitted_at=_midnight(case.received_on),
        expected_by=None,
        clock_paused=False,
        next_step=_next_step(case),
        contact=_("Subdivision in charge: {subdivision}").format(subdivision=subdivision) if subdivision else "",
        timeline=timeline,
    )
