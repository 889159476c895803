"""Writes of the plan app (one module per record family); import from here."""

from civicdesk.plan.services.activities import (
    ActivityError,
    activity_delete,
    activity_log,
    evidence_attach,
)
from civicdesk.plan.services.assessments import (
    AssessmentError,
    assessment_prepare,
    assessment_review,
    assessment_save,
    assessment_submit,
)
from civicdesk.plan.services.group import (
    GroupError,
    action_item_add,
    action_item_complete,
    escalation_move,
    escalation_raise,
    group_member_appoint,
    group_member_end,
    meeting_record,
)
from civicdesk.plan.services.plans import (
    PlanError,
    PlanLoadResult,
    activity_kinds_load,
    measure_update,
    plan_copy_to_year,
    plan_load,
    plan_new_version,
    plan_submit,
)
from civicdesk.plan.services.proposals import (
    ProposalError,
    proposal_advance,
    proposal_submit,
)

__all__ = [
    "ActivityError",
    "AssessmentError",
    "GroupError",
    "PlanError",
    "PlanLoadResult",
    "ProposalError",
    "action_item_add",
    "action_item_complete",
    "activity_delete",
    "activity_kinds_load",
    "activity_log",
    "assessment_prepare",
    "assessment_review",
    "assessment_save",
    "assessment_submit",
    "escalation_move",
    "escalation_raise",
    "evidence_attach",
    "group_member_appoint",
    "group_member_end",
    "measure_update",
    "meeting_record",
    "plan_copy_to_year",
    "plan_load",
    "plan_new_version",
    "plan_submit",
    "proposal_advance",
    "proposal_submit",
]
