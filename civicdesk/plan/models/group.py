"""The Citizen-Service Assessment Group (為民服務考核小組, S.2): members, meetings with agenda, minutes,
decisions and action items; escalations of difficulties from units (S.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GroupMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")

    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role in the group"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["branch", "ended_on", "role", "appointed_on"]

    def __str__(self) -> str:
        return f"{self.staff} ({self.get_role_display()})"


class Meeting(models.Model):
    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    location = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "ordering", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action item", "Open")
        DONE = "done", pgettext_lazy("action item", "Done")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class Escalation(models.Model):
    """A difficulty a unit reports to the group (S.3); the group may refer it to the head."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("escalation", "Open")
        DISCUSSED = "discussed", _("Discussed by the group")
        REFERRED = "referred", _("Referred to the head")
        RESOLVED = "resolved", _("Resolved")

    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    measure_code = models.CharField(_("measure"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations")
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.subject


class EscalationEvent(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    before = models.CharField(max_length=16, blank=True)
    after = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.escalation} → {self.after}"
