"""Staff pages of the Citizen-Service Assessment Group (S.2) and of escalations from units (S.3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.plan.forms import RocDateField
from civicdesk.plan.models import ActionItem, Escalation, GroupMember, Meeting
from civicdesk.plan.services import (
    GroupError,
    action_item_add,
    action_item_complete,
    escalation_move,
    escalation_raise,
    group_member_appoint,
    group_member_end,
    meeting_record,
)
from civicdesk.plan.services.group import ESCALATION_MOVES
from civicdesk.plan.views import plan_staff


def _staff(request: HttpRequest) -> Staff:
    return request.user  # type: ignore[return-value]


def _branch_id(request: HttpRequest) -> int:
    """The signed-in staff member's branch (plan_staff and the forms below refuse staff without one)."""
    return _staff(request).branch_id or 0


class MemberForm(forms.Form):
    staff = forms.ModelChoiceField(label=gettext_lazy("Staff member"), queryset=Staff.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Role in the group"), choices=GroupMember.Role.choices)

    def __init__(self, *args: Any, branch_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(branch_id=branch_id, is_active=True).order_by("username")  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    held_on = RocDateField(label=gettext_lazy("Date"), help_text=gettext_lazy("ROC date, e.g. 104/03/05"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    location = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    agenda = forms.CharField(label=gettext_lazy("Agenda"), widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label=gettext_lazy("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    decisions = forms.CharField(
        label=gettext_lazy("Decisions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("One decision per line."),
    )
    escalations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Escalations discussed"),
        queryset=Escalation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, branch_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escalations"].queryset = Escalation.objects.filter(  # type: ignore[attr-defined]
            branch_id=branch_id, status=Escalation.Status.OPEN
        )


class ActionItemForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=Staff.objects.none())
    due_on = RocDateField(label=gettext_lazy("Due on"), help_text=gettext_lazy("ROC date, e.g. 104/03/05"))

    def __init__(self, *args: Any, branch_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Staff.objects.filter(branch_id=branch_id, is_active=True).order_by("username")  # type: ignore[attr-defined]


class EscalationForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    measure_code = forms.CharField(
        label=gettext_lazy("Measure"), max_length=8, required=False, help_text=gettext_lazy("For example A1.5")
    )
    description = forms.CharField(
        label=gettext_lazy("What is the difficulty?"), widget=forms.Textarea(attrs={"rows": 5})
    )


class EscalationMoveForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=Escalation.Status.choices)
    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


@plan_staff
def group(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    can_edit = staff.has_permission(Permission.PLAN_PLAN_EDIT)
    form = MemberForm(request.POST or None, branch_id=_branch_id(request)) if can_edit else None
    if request.method == "POST" and form is not None:
        try:
            if "end" in request.POST:
                member = get_object_or_404(GroupMember, pk=request.POST["end"], branch_id=_branch_id(request))
                group_member_end(actor=staff, member=member)
                messages.success(request, _("The membership was ended."))
                return redirect("plan:group")
            if form.is_valid():
                group_member_appoint(actor=staff, staff=form.cleaned_data["staff"], role=form.cleaned_data["role"])
                messages.success(request, _("The member was added."))
                return redirect("plan:group")
        except GroupError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "plan/group.html",
        {
            "members": GroupMember.objects.filter(branch_id=_branch_id(request), ended_on__isnull=True).select_related(
                "staff", "staff__unit"
            ),
            "meetings": Meeting.objects.filter(branch_id=_branch_id(request))[:20],
            "action_items": ActionItem.objects.filter(
                meeting__branch_id=_branch_id(request), status=ActionItem.Status.OPEN
            ).select_related("owner", "meeting"),
            "escalations": Escalation.objects.filter(branch_id=_branch_id(request)).select_related("unit")[:50],
            "form": form,
            "today": timezone.localdate(),
            "can_meet": staff.has_permission(Permission.PLAN_ASSESSMENT_REVIEW),
        },
    )


@staff_required(Permission.PLAN_ASSESSMENT_REVIEW)
def meeting_new(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = MeetingForm(request.POST or None, branch_id=_branch_id(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_record(
                actor=staff,
                held_on=data["held_on"],
                title=data["title"],
                agenda=data["agenda"],
                location=data["location"],
                minutes=data["minutes"],
                decisions=data["decisions"].splitlines(),
                escalations=list(data["escalations"]),
            )
        except GroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("plan:meeting", pk=meeting.pk)
    return render(request, "plan/meeting_form.html", {"form": form})


@plan_staff
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    meeting = get_object_or_404(Meeting, pk=pk, branch_id=_branch_id(request))
    form = ActionItemForm(request.POST or None, branch_id=_branch_id(request))
    if request.method == "POST":
        try:
            if "done" in request.POST:
                item = get_object_or_404(ActionItem, pk=request.POST["done"], meeting=meeting)
                action_item_complete(actor=staff, item=item, note=request.POST.get("note", ""))
                messages.success(request, _("The action item was closed."))
                return redirect("plan:meeting", pk=meeting.pk)
            if form.is_valid():
                action_item_add(actor=staff, meeting=meeting, **form.cleaned_data)
                messages.success(request, _("The action item was added."))
                return redirect("plan:meeting", pk=meeting.pk)
        except GroupError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "plan/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": meeting.decisions.all(),
            "items": meeting.action_items.select_related("owner"),
            "escalations": meeting.escalations.select_related("unit"),
            "form": form if staff.has_permission(Permission.PLAN_ASSESSMENT_REVIEW) else None,
            "today": timezone.localdate(),
        },
    )


@plan_staff
def escalation_new(request: HttpRequest) -> HttpResponse:
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = escalation_raise(actor=_staff(request), **form.cleaned_data)
        except GroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The difficulty was reported to the assessment group."))
            return redirect("plan:escalation", pk=escalation.pk)
    return render(request, "plan/escalation_form.html", {"form": form})


@plan_staff
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    escalation = get_object_or_404(
        Escalation.objects.select_related("unit", "raised_by", "meeting"), pk=pk, branch_id=_branch_id(request)
    )
    can_move = staff.has_permission(Permission.PLAN_ASSESSMENT_REVIEW) and bool(
        ESCALATION_MOVES[Escalation.Status(escalation.status)]
    )
    form = EscalationMoveForm(request.POST or None) if can_move else None
    if form is not None:
        form.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in Escalation.Status.choices
            if value in ESCALATION_MOVES[Escalation.Status(escalation.status)]
        ]
        if request.method == "POST" and form.is_valid():
            try:
                escalation_move(
                    escalation=escalation,
                    actor=staff,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except GroupError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The escalation was updated."))
                return redirect("plan:escalation", pk=escalation.pk)
    return render(
        request,
        "plan/escalation_detail.html",
        {"escalation": escalation, "events": escalation.events.select_related("actor"), "form": form},
    )
