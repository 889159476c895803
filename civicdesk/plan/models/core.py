"""The annual plan as data (areas, measures, targets, steps and rules), activities with evidence,
innovation proposals and staff suggestions, and quarterly self-assessments. Each state change of a
plan, proposal or assessment writes an event row."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicdesk.core.i18n import bilingual
from civicdesk.plan.periods import PeriodKind


def _pick(zh: str, en: str) -> str:
    return bilingual(zh, en)


class Plan(models.Model):
    """One version of a branch's plan for an ROC year. Submitted versions are locked (S.1, A5.2)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("plan status", "Submitted to the Agency")

    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("ROC year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies")
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=300)
    basis_zh = models.TextField(blank=True)
    basis_en = models.TextField(blank=True)
    scope_zh = models.TextField(blank=True)
    scope_en = models.TextField(blank=True)
    goal_zh = models.TextField(blank=True)
    goal_en = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["branch", "-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["branch", "year", "version"], name="plan_version_unique")]
        verbose_name = _("plan")

    def __str__(self) -> str:
        return f"{self.branch.code} {self.year} v{self.version}"

    @property
    def title(self) -> str:
        return _pick(self.title_zh, self.title_en)

    @property
    def basis(self) -> str:
        return _pick(self.basis_zh, self.basis_en)

    @property
    def scope(self) -> str:
        return _pick(self.scope_zh, self.scope_en)

    @property
    def goal(self) -> str:
        return _pick(self.goal_zh, self.goal_en)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class PlanEvent(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.action}"


class Area(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(max_length=8)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=300)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "ordering"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="area_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return _pick(self.title_zh, self.title_en)


class Measure(models.Model):
    """One implementation item (實施要項) of an area, e.g. A1.5."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(max_length=8)
    strategy_zh = models.TextField()
    strategy_en = models.TextField()
    benefit_zh = models.TextField(blank=True)
    benefit_en = models.TextField(blank=True)
    unit_codes = models.JSONField(default=list, help_text="Unit codes; ALL = every unit, DIVISIONS = every division")
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "ordering"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="measure_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def strategy(self) -> str:
        return _pick(self.strategy_zh, self.strategy_en)

    @property
    def benefit(self) -> str:
        return _pick(self.benefit_zh, self.benefit_en)


class MeasureUnit(models.Model):
    """A unit responsible for a measure (a row per code so measures can be filtered by unit)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="responsible_units")
    unit_code = models.CharField(max_length=16)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "unit_code"], name="measure_unit_unique")]

    def __str__(self) -> str:
        return f"{self.measure} {self.unit_code}"


class Target(models.Model):
    """A quantified target of a measure: what is counted, over which period, against which threshold."""

    class Source(models.TextChoices):
        ACTIVITY = "activity", _("Logged activities")
        METRIC = "metric", _("Metric function")

    class Aggregate(models.TextChoices):
        COUNT = "count", _("number of activities")
        QUANTITY = "quantity", _("sum of quantities")
        WORKING_DAYS = "working_days", _("working days covered")

    class Comparison(models.TextChoices):
        AT_LEAST = ">=", _("at least")
        AT_MOST = "<=", _("at most")
        EVERY_WORKING_DAY = "every_working_day", _("on every working day")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(max_length=32)
    description_zh = models.CharField(max_length=300)
    description_en = models.CharField(max_length=300)
    source = models.CharField(max_length=16, choices=Source.choices)
    activity_kind = models.CharField(max_length=40, blank=True)
    aggregate = models.CharField(max_length=16, choices=Aggregate.choices, default=Aggregate.COUNT)
    metric_path = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=8, choices=[(k.value, k.value) for k in PeriodKind])
    comparison = models.CharField(max_length=24, choices=Comparison.choices, default=Comparison.AT_LEAST)
    threshold = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    unit_zh = models.CharField(max_length=20, blank=True)
    unit_en = models.CharField(max_length=40, blank=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["measure", "ordering"]
        constraints = [models.UniqueConstraint(fields=["measure", "code"], name="target_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def description(self) -> str:
        return _pick(self.description_zh, self.description_en)

    @property
    def unit_label(self) -> str:
        return _pick(self.unit_zh, self.unit_en)

    @property
    def period_kind(self) -> PeriodKind:
        return PeriodKind(self.period)


class Provision(models.Model):
    """An implementation step (S.1–S.3) or a control rule (C.1–C.2)."""

    class Kind(models.TextChoices):
        STEP = "step", _("Implementation step")
        RULE = "rule", _("Control and reward rule")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="provisions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    code = models.CharField(max_length=8)
    text_zh = models.TextField()
    text_en = models.TextField()
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "ordering"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="provision_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return _pick(self.text_zh, self.text_en)


class ActivityKind(models.Model):
    """What staff can log (publicity, park cleaning, planting …). Data, loaded from the plan file."""

    code = models.SlugField(max_length=40, unique=True)
    name_zh = models.CharField(max_length=60)
    name_en = models.CharField(max_length=100)
    quantity_zh = models.CharField(max_length=20, blank=True)
    quantity_en = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_zh, self.name_en)

    @property
    def quantity_label(self) -> str:
        return _pick(self.quantity_zh, self.quantity_en)


class Activity(models.Model):
    """Something a unit did towards the plan, with its evidence."""

    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="activities")
    held_on = models.DateField(_("date"))
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    people = models.PositiveIntegerField(_("people taking part"), default=0)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    measures = models.ManyToManyField(Measure, related_name="activities", blank=True, verbose_name=_("measures"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["branch", "kind", "held_on"], name="plan_activity_kind_date")]

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    """A photo or PDF proving an activity; stored under MEDIA_ROOT, served only to staff."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="plan/evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Proposal(models.Model):
    """An innovative service proposal (A5.1) or a staff improvement suggestion (C.2)."""

    class Kind(models.TextChoices):
        INNOVATION = "innovation", _("Innovative service proposal")
        SUGGESTION = "suggestion", _("Staff improvement suggestion")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("proposal status", "Proposed")
        EVALUATED = "evaluated", pgettext_lazy("proposal status", "Evaluated")
        ADOPTED = "adopted", pgettext_lazy("proposal status", "Adopted")
        DECLINED = "declined", pgettext_lazy("proposal status", "Declined")
        IMPLEMENTED = "implemented", pgettext_lazy("proposal status", "Implemented")
        RESULTS = "results", pgettext_lazy("proposal status", "Results recorded")

    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField(_("proposed on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    evaluation = models.TextField(_("evaluation"), blank=True)
    decided_on = models.DateField(null=True, blank=True)
    results = models.TextField(_("results"), blank=True)
    reward_proposed = models.BooleanField(_("proposed for reward"), default=False)
    reward_note = models.TextField(_("reward proposal"), blank=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ProposalEvent(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    before = models.CharField(max_length=16, blank=True)
    after = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal} {self.action}"


class SelfAssessment(models.Model):
    """A unit head's quarterly self-assessment with scores (C.1), reviewed by the assessment group."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("self-assessment status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("self-assessment status", "Submitted for review")
        RETURNED = "returned", pgettext_lazy("self-assessment status", "Returned for changes")
        APPROVED = "approved", pgettext_lazy("self-assessment status", "Approved")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "quarter", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "quarter"], name="self_assessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} Q{self.quarter} {self.unit}"

    @property
    def is_locked(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.APPROVED}


class SelfAssessmentLine(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="lines")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    computed = models.TextField(blank=True, help_text="The computed actuals when the form was prepared")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["measure__ordering"]
        constraints = [models.UniqueConstraint(fields=["assessment", "measure"], name="assessment_line_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.measure}"


class SelfAssessmentEvent(models.Model):
    """History of an assessment: each save, submission, return and approval with a snapshot of the scores."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24)
    before = models.CharField(max_length=16, blank=True)
    after = models.CharField(max_length=16, blank=True)
    comment = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.action}"
