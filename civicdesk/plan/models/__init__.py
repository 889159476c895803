"""Models of the plan app: the plan as data, activities, proposals and self-assessments (core), and the
assessment group (group)."""

from civicdesk.plan.models.core import (
    Activity,
    ActivityKind,
    Area,
    Evidence,
    Measure,
    MeasureUnit,
    Plan,
    PlanEvent,
    Proposal,
    ProposalEvent,
    Provision,
    SelfAssessment,
    SelfAssessmentEvent,
    SelfAssessmentLine,
    Target,
)
from civicdesk.plan.models.group import ActionItem, Decision, Escalation, EscalationEvent, GroupMember, Meeting

__all__ = [
    "ActionItem",
    "Activity",
    "ActivityKind",
    "Area",
    "Decision",
    "Escalation",
    "EscalationEvent",
    "Evidence",
    "GroupMember",
    "Measure",
    "MeasureUnit",
    "Meeting",
    "Plan",
    "PlanEvent",
    "Proposal",
    "ProposalEvent",
    "Provision",
    "SelfAssessment",
    "SelfAssessmentEvent",
    "SelfAssessmentLine",
    "Target",
]
