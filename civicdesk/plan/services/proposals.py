"""Innovative service proposals (A5.1) and staff improvement suggestions (C.2):
proposed → evaluated → adopted / declined → implemented → results recorded → proposed for reward."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.plan.models import Proposal, ProposalEvent

S = Proposal.Status
# action → (states it may start from, state it leads to, permission needed, field the note goes to)
TRANSITIONS: dict[str, tuple[set[str], str | None, Permission, str]] = {
    "evaluate": ({S.PROPOSED}, S.EVALUATED, Permission.PLAN_ASSESSMENT_REVIEW, "evaluation"),
    "adopt": ({S.EVALUATED}, S.ADOPTED, Permission.PLAN_ASSESSMENT_REVIEW, "evaluation"),
    "decline": ({S.EVALUATED}, S.DECLINED, Permission.PLAN_ASSESSMENT_REVIEW, "evaluation"),
    "implement": ({S.ADOPTED}, S.IMPLEMENTED, Permission.PLAN_ACTIVITY_LOG, "results"),
    "record_results": ({S.IMPLEMENTED}, S.RESULTS, Permission.PLAN_ACTIVITY_LOG, "results"),
    "propose_reward": ({S.RESULTS}, None, Permission.PLAN_ASSESSMENT_REVIEW, "reward_note"),
}


class ProposalError(ValueError):
    pass


@transaction.atomic
def proposal_submit(
    *, actor: Staff, kind: str, title: str, description: str, proposed_on: datetime.date | None = None
) -> Proposal:
    if actor.branch_id is None or actor.unit_id is None:
        raise ProposalError(_("Only staff of a unit can make proposals."))
    proposal = Proposal(
        branch_id=actor.branch_id,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        proposer=actor,
        unit_id=actor.unit_id,
        proposed_on=proposed_on or timezone.localdate(),
    )
    proposal.full_clean()
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, action="submit", after=proposal.status, actor=actor)
    return proposal


@transaction.atomic
def proposal_advance(*, proposal: Proposal, action: str, actor: Staff, note: str) -> Proposal:
    """Move a proposal one step on; the note is the evaluation, the results or the reward proposal."""
    if action not in TRANSITIONS:
        raise ProposalError(_("Unknown action."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    sources, target, permission, field = TRANSITIONS[action]
    if proposal.status not in sources:
        raise ProposalError(
            _("A proposal that is %(status)s cannot be moved on this way.") % {"status": proposal.get_status_display()}
        )
    if proposal.branch_id != actor.branch_id or not actor.has_permission(permission):
        raise ProposalError(_("You may not take this step."))
    if not note.strip():
        raise ProposalError(_("Write down the reason or the results."))
    if action == "propose_reward" and proposal.reward_proposed:
        raise ProposalError(_("This proposal has already been proposed for a reward."))
    before = proposal.status
    setattr(proposal, field, (getattr(proposal, field) + "\n\n" + note.strip()).strip())
    fields = [field]
    if target is not None:
        proposal.status = target
        fields.append("status")
    if action in {"adopt", "decline"}:
        proposal.decided_on = timezone.localdate()
        fields.append("decided_on")
    if action == "propose_reward":
        proposal.reward_proposed = True
        fields.append("reward_proposed")
    proposal.full_clean()
    proposal.save(update_fields=fields)
    ProposalEvent.objects.create(
        proposal=proposal, action=action, before=before, after=proposal.status, note=note.strip(), actor=actor
    )
    return proposal
