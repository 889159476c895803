"""The Citizen-Service Assessment Group (S.2): members, meetings, decisions, action items; escalations (S.3)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.notifications.services import notification_enqueue
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.plan.models import ActionItem, Decision, Escalation, EscalationEvent, GroupMember, Meeting


class GroupError(ValueError):
    pass


def _require(actor: Staff, permission: Permission) -> int:
    """The actor's branch id, when the actor holds `permission`."""
    if not actor.has_permission(permission) or actor.branch_id is None:
        raise GroupError(_("You may not take this step."))
    return actor.branch_id


@transaction.atomic
def group_member_appoint(
    *, actor: Staff, staff: Staff, role: str, appointed_on: datetime.date | None = None
) -> GroupMember:
    """Record that the head named `staff` to the group (members are named by the head, S.2)."""
    branch_id = _require(actor, Permission.PLAN_PLAN_EDIT)
    if staff.branch_id != branch_id:
        raise GroupError(_("Members must belong to your branch."))
    if GroupMember.objects.filter(staff=staff, ended_on__isnull=True).exists():
        raise GroupError(_("%(name)s is already a member.") % {"name": staff})
    member = GroupMember(branch_id=branch_id, staff=staff, role=role, appointed_on=appointed_on or timezone.localdate())
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def group_member_end(*, actor: Staff, member: GroupMember, ended_on: datetime.date | None = None) -> GroupMember:
    _require(actor, Permission.PLAN_PLAN_EDIT)
    if member.ended_on is not None:
        raise GroupError(_("This membership has already ended."))
    member.ended_on = ended_on or timezone.localdate()
    member.full_clean()
    member.save(update_fields=["ended_on"])
    return member


@transaction.atomic
def meeting_record(
    *,
    actor: Staff,
    held_on: datetime.date,
    title: str,
    agenda: str,
    location: str = "",
    minutes: str = "",
    decisions: list[str] | None = None,
    escalations: list[Escalation] | None = None,
) -> Meeting:
    """Record a meeting; escalations put on its agenda become "discussed"."""
    branch_id = _require(actor, Permission.PLAN_ASSESSMENT_REVIEW)
    meeting = Meeting(
        branch_id=branch_id,
        held_on=held_on,
        title=title.strip(),
        agenda=agenda.strip(),
        location=location.strip(),
        minutes=minutes.strip(),
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    for position, text in enumerate([d.strip() for d in decisions or [] if d.strip()], start=1):
        Decision.objects.create(meeting=meeting, text=text, ordering=position)
    for escalation in escalations or []:
        escalation_move(
            escalation=escalation,
            actor=actor,
            status=Escalation.Status.DISCUSSED,
            note=_("On the agenda of %(meeting)s") % {"meeting": meeting.title},
            meeting=meeting,
        )
    return meeting


@transaction.atomic
def action_item_add(*, actor: Staff, meeting: Meeting, text: str, owner: Staff, due_on: datetime.date) -> ActionItem:
    _require(actor, Permission.PLAN_ASSESSMENT_REVIEW)
    if owner.branch_id != meeting.branch_id:
        raise GroupError(_("The owner must belong to your branch."))
    item = ActionItem(meeting=meeting, text=text.strip(), owner=owner, due_on=due_on)
    item.full_clean()
    item.save()
    if owner.email:
        notification_enqueue(
            channel="email",
            recipient=owner.email,
            subject=_("Action item from the assessment group"),
            body=_("%(text)s — due %(due)s") % {"text": item.text, "due": due_on.isoformat()},
            topic="plan.action_item.assigned",
            branch_code=meeting.branch.code,
            related=f"plan.actionitem:{item.pk}",
            dedupe_key=f"plan-action-item-{item.pk}",
        )
    return item


@transaction.atomic
def action_item_complete(*, actor: Staff, item: ActionItem, note: str = "") -> ActionItem:
    if actor.pk != item.owner_id and not actor.has_permission(Permission.PLAN_ASSESSMENT_REVIEW):
        raise GroupError(_("Only the owner or the group can close an action item."))
    if item.status == ActionItem.Status.DONE:
        raise GroupError(_("This action item is already done."))
    item.status = ActionItem.Status.DONE
    item.done_on = timezone.localdate()
    item.note = note.strip()
    item.full_clean()
    item.save(update_fields=["status", "done_on", "note"])
    return item


@transaction.atomic
def escalation_raise(*, actor: Staff, subject: str, description: str, measure_code: str = "") -> Escalation:
    """A unit reports a difficulty to the group at once (S.3)."""
    if actor.unit_id is None or actor.branch_id is None:
        raise GroupError(_("Only staff of a unit can raise a difficulty."))
    escalation = Escalation(
        branch_id=actor.branch_id,
        unit_id=actor.unit_id,
        subject=subject.strip(),
        description=description.strip(),
        measure_code=measure_code.strip(),
        raised_by=actor,
        raised_on=timezone.localdate(),
    )
    escalation.full_clean()
    escalation.save()
    EscalationEvent.objects.create(escalation=escalation, after=escalation.status, actor=actor)
    return escalation


ESCALATION_MOVES = {
    Escalation.Status.OPEN: {Escalation.Status.DISCUSSED, Escalation.Status.REFERRED, Escalation.Status.RESOLVED},
    Escalation.Status.DISCUSSED: {Escalation.Status.REFERRED, Escalation.Status.RESOLVED},
    Escalation.Status.REFERRED: {Escalation.Status.RESOLVED},
    Escalation.Status.RESOLVED: set(),
}


@transaction.atomic
def escalation_move(
    *, escalation: Escalation, actor: Staff, status: str, note: str, meeting: Meeting | None = None
) -> Escalation:
    _require(actor, Permission.PLAN_ASSESSMENT_REVIEW)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if status not in ESCALATION_MOVES[Escalation.Status(escalation.status)]:
        raise GroupError(
            _("An escalation that is %(status)s cannot move that way.") % {"status": escalation.get_status_display()}
        )
    if status == Escalation.Status.RESOLVED and not note.strip():
        raise GroupError(_("Write down how it was resolved."))
    before = escalation.status
    escalation.status = status
    fields = ["status"]
    if meeting is not None:
        escalation.meeting = meeting
        fields.append("meeting")
    if status == Escalation.Status.RESOLVED:
        escalation.resolution = note.strip()
        fields.append("resolution")
    escalation.full_clean()
    escalation.save(update_fields=fields)
    EscalationEvent.objects.create(escalation=escalation, before=before, after=status, note=note.strip(), actor=actor)
    return escalation
