"""Service catalogue (SOPs), citizens, applications, their documents and events, progress-query audit.

A2.1 single window, A2.2 time limits, A2.3 electronic transcripts, A2.4 SOPs / receipts / progress query,
A4.4 online applications with secure sign-in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicdesk.core.i18n import bilingual


class Channel(models.TextChoices):
    """How an application reaches the branch (MyEGov channel codes 1, 2, 3)."""

    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")


class ServiceKind(models.Model):
    """One service of the catalogue with its SOP, in both languages. More kinds are data, not code."""

    class TrackableBy(models.TextChoices):
        APPLICATION = "application", _("Application reference number")
        CASE = "case", _("Enforcement case number")

    class ClockOnCorrection(models.TextChoices):
        RESUME = "resume", _("Resume with the working days left")
        RESTART = "restart", _("Restart with the full time limit")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    trackable_by = models.CharField(
        _("tracked by"), max_length=12, choices=TrackableBy.choices, default=TrackableBy.APPLICATION
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=4,
        help_text=_("Two characters from the reference alphabet (no O, 0, I, 1, S, 5, Z, 2, B, 8)."),
    )
    handling_unit_code = models.CharField(
        _("handling unit"), max_length=16, help_text=_("Code of the unit whose queue receives new applications.")
    )
    time_limit_working_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    clock_on_correction = models.CharField(
        _("clock after a correction"), max_length=8, choices=ClockOnCorrection.choices, default=ClockOnCorrection.RESUME
    )
    channels = models.JSONField(_("channels"), default=list, help_text=_('A list of "online", "counter", "post".'))
    myegov_service_code = models.CharField(_("MyEGov service classification"), max_length=10, blank=True)
    myegov_theme_code = models.CharField(_("MyEGov theme classification"), max_length=20, blank=True)
    myegov_administration_code = models.CharField(_("MyEGov administration classification"), max_length=20, blank=True)
    title_zh = models.CharField(pgettext_lazy("applications", "title (Chinese)"), max_length=100)
    title_en = models.CharField(pgettext_lazy("applications", "title (English)"), max_length=150)
    summary_zh = models.TextField(_("what it is (Chinese)"))
    summary_en = models.TextField(_("what it is (English)"))
    eligibility_zh = models.TextField(_("who may apply (Chinese)"))
    eligibility_en = models.TextField(_("who may apply (English)"))
    documents_zh = models.TextField(_("required documents (Chinese)"), help_text=_("One document per line."))
    documents_en = models.TextField(_("required documents (English)"), help_text=_("One document per line."))
    steps_zh = models.TextField(_("steps (Chinese)"), help_text=_("One step per line."))
    steps_en = models.TextField(_("steps (English)"), help_text=_("One step per line."))
    fee_zh = models.CharField(_("fee (Chinese)"), max_length=200)
    fee_en = models.CharField(_("fee (English)"), max_length=200)
    contact_zh = models.CharField(_("contact (Chinese)"), max_length=200)
    contact_en = models.CharField(_("contact (English)"), max_length=200)
    form_fields = models.JSONField(_("form fields"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("service catalogue")

    def __str__(self) -> str:
        return self.title

    def _pick(self, field: str) -> str:
        return bilingual(str(getattr(self, f"{field}_zh")), getattr(self, f"{field}_en"))

    @property
    def title(self) -> str:
        return self._pick("title")

    @property
    def summary(self) -> str:
        return self._pick("summary")

    @property
    def eligibility(self) -> str:
        return self._pick("eligibility")

    @property
    def fee(self) -> str:
        return self._pick("fee")

    @property
    def contact(self) -> str:
        return self._pick("contact")

    @property
    def documents(self) -> list[str]:
        return [line.strip() for line in self._pick("documents").splitlines() if line.strip()]

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self._pick("steps").splitlines() if line.strip()]

    @property
    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.channels if c in labels]

    @property
    def accepts_online(self) -> bool:
        return self.trackable_by == self.TrackableBy.APPLICATION and Channel.ONLINE in self.channels


class Citizen(models.Model):
    """A citizen who proved control of an e-mail address or mobile number (or came through an identity gateway).

    The ID number is declared, not proven, when the sign-in was by one-time code: applications are tied to
    the verified contact, never looked up by the declared ID alone.
    """

    class ContactKind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        MOBILE = "mobile", _("Mobile phone")
        GATEWAY = "gateway", _("Government identity gateway")

    contact_kind = models.CharField(_("signed in with"), max_length=8, choices=ContactKind.choices)
    contact = models.CharField(_("contact"), max_length=254)
    id_number = models.CharField(_("ID number"), max_length=10)
    id_verified = models.BooleanField(_("ID verified by a gateway"), default=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact_kind", "contact"], name="citizen_contact_unique")]
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")

    def __str__(self) -> str:
        return f"{self.get_contact_kind_display()} {self.contact}"


class OneTimeCode(models.Model):
    """A sign-in code sent to an e-mail address or mobile number. Only its keyed hash is stored."""

    contact_kind = models.CharField(max_length=8, choices=Citizen.ContactKind.choices)
    contact = models.CharField(max_length=254, db_index=True)
    declared_id_number = models.CharField(max_length=10)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"code for {self.contact_kind} #{self.pk}"


class Status(models.TextChoices):
    """Staff wording of an application's status; citizens read CITIZEN_STATUS_LABELS."""

    SUBMITTED = "submitted", pgettext_lazy("staff status", "New – awaiting assignment")
    ASSIGNED = "assigned", pgettext_lazy("staff status", "Assigned to an officer")
    IN_PROGRESS = "in_progress", pgettext_lazy("staff status", "In progress")
    CORRECTION = "correction", pgettext_lazy("staff status", "Correction requested – clock paused")
    DECIDED = "decided", pgettext_lazy("staff status", "Decided")
    WITHDRAWN = "withdrawn", pgettext_lazy("staff status", "Withdrawn")


# Citizen-facing wording (送件 → 分文 → 承辦 → 補正 → 回覆), kept apart from the staff wording.
CITIZEN_STATUS_LABELS: dict[str, Any] = {
    Status.SUBMITTED: pgettext_lazy("citizen status", "Received"),
    Status.ASSIGNED: pgettext_lazy("citizen status", "Passed to the handling officer"),
    Status.IN_PROGRESS: pgettext_lazy("citizen status", "Being processed"),
    Status.CORRECTION: pgettext_lazy("citizen status", "Waiting for documents from you"),
    Status.DECIDED: pgettext_lazy("citizen status", "Decided – reply sent"),
    Status.WITHDRAWN: pgettext_lazy("citizen status", "Withdrawn"),
}


class Verification(models.TextChoices):
    """How the applicant's documents were checked (A2.3)."""

    ELECTRONIC = "electronic", _("Electronic transcript (電子謄本)")
    PAPER = "paper", _("Paper documents")
    NOT_NEEDED = "not_needed", _("No documents to check")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PARTLY = "partly", _("Partly approved")
    REFUSED = "refused", _("Refused")
    ANSWERED = "answered", _("Answered")


class Application(models.Model):
    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="applications", verbose_name=_("service")
    )
    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, verbose_name=_("branch"))
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, verbose_name=_("handling unit"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("handling officer"),
    )
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, null=True, blank=True, related_name="applications", verbose_name=_("citizen")
    )
    channel = models.CharField(pgettext_lazy("applications", "channel"), max_length=8, choices=Channel.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_applications",
        verbose_name=_("received at the counter by"),
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=10)
    email = models.EmailField(_("e-mail"), blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)
    case_number = models.CharField(_("enforcement case number"), max_length=60, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    verification = models.CharField(_("documents checked by"), max_length=12, choices=Verification.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_date = models.DateField(_("due date"))
    clock_paused_on = models.DateField(_("clock paused on"), null=True, blank=True)
    working_days_left = models.PositiveSmallIntegerField(_("working days left when paused"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    language = models.CharField(_("language for messages"), max_length=8, default="zh-hant")
    decided_within_limit = models.BooleanField(_("decided within the time limit"), null=True, blank=True)
    at_risk_notified_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["branch", "unit", "kind", "status", "due_date"], name="application_queue_idx"),
            models.Index(fields=["status", "due_date"], name="application_due_idx"),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.reference

    @property
    def citizen_status(self) -> str:
        return str(CITIZEN_STATUS_LABELS[self.status])

    @property
    def is_open(self) -> bool:
        return self.status not in {Status.DECIDED, Status.WITHDRAWN}


class ApplicationEvent(models.Model):
    """Every change of an application, as data: the timeline and the audit read these rows."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("application event", "Submitted")
        ASSIGNED = "assigned", pgettext_lazy("application event", "Assigned")
        STATUS_CHANGED = "status_changed", _("Status changed")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        CORRECTION_RECEIVED = "correction_received", _("Correction received")
        DECIDED = "decided", _("Decided")
        DEADLINE_AT_RISK = "deadline_at_risk", _("Deadline at risk")
        MESSAGE_QUEUED = "message_queued", _("Message queued")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(pgettext_lazy("applications", "kind"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("staff member")
    )
    by_citizen = models.BooleanField(_("by the citizen"), default=False)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)
    citizen_note = models.TextField(_("note for the citizen"), blank=True)
    staff_note = models.TextField(_("internal note"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(_("shown on the public timeline"), default=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    # The stored name never comes from the citizen: a random token plus the detected type's extension.
    return f"applications/{instance.application.submitted_at:%Y/%m}/{instance.token}.{instance.extension}"


class ApplicationDocument(models.Model):
    """An uploaded supporting document, stored under MEDIA_ROOT (outside the web root)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    for_correction = models.BooleanField(_("sent as a correction"), default=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[self.content_type]


class TrackingAttempt(models.Model):
    """Every public progress query, found or not (who asked from where, never the ID digits)."""

    class Outcome(models.TextChoices):
        FOUND = "found", pgettext_lazy("progress query", "Found")
        NOT_MATCHED = "not_matched", _("Not found or digits wrong")
        INVALID = "invalid", _("Malformed input")
        LIMITED = "limited", _("Refused by the rate limit")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    via = models.CharField(_("via"), max_length=8)
    reference = models.CharField(_("reference typed"), max_length=80)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    citizen = models.ForeignKey(Citizen, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # A plain index for "every attempt on this reference"; db_index=True would add on PostgreSQL a second,
        # text-prefix (varchar_pattern_ops) index for LIKE 'x%' that nothing reads, kept up by every INSERT.
        indexes = [models.Index(fields=["reference"], name="applications_attempt_ref_idx")]
        verbose_name = _("progress-query attempt")
        verbose_name_plural = _("progress-query attempts")

    def __str__(self) -> str:
        return f"{self.reference} {self.outcome}"
