"""Demo data: the plan and a year of activities with real variety; loading twice changes nothing."""

from __future__ import annotations

import datetime
import io

from civicdesk.organization.models import Branch
from civicdesk.plan.demo import load_demo_data
from civicdesk.plan.evaluation import Status, evaluate_plan
from civicdesk.plan.models import Activity, Meeting, Plan, Proposal, SelfAssessment
from civicdesk.plan.periods import Period, PeriodKind


def test_demo_is_idempotent_and_shows_met_and_missed_targets(organization: Branch) -> None:
    load_demo_data(stdout=io.StringIO())
    counts = (
        Activity.objects.count(),
        Proposal.objects.count(),
        SelfAssessment.objects.count(),
        Meeting.objects.count(),
    )
    load_demo_data(stdout=io.StringIO())
    assert (
        Activity.objects.count(),
        Proposal.objects.count(),
        SelfAssessment.objects.count(),
        Meeting.objects.count(),
    ) == counts
    assert Plan.objects.count() == 1
    plan = Plan.objects.get()
    rows = evaluate_plan(plan=plan, period=Period(104, PeriodKind.YEAR, 1), as_of=datetime.date(2016, 1, 31))
    statuses = {row.measure.code: row.status for row in rows if row.status}
    assert statuses["A1.6"] is Status.MET
    assert statuses["A1.5"] is Status.MISSED  # November had one cleaning
    assert statuses["A5.6"] is Status.MISSED  # two days in March uncovered
    assert statuses["A5.1"] is Status.MISSED  # two proposals adopted, three needed
    assert statuses["A5.4"] is Status.MET
