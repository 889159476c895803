"""Enforcement cases, their reference data, the receipt and assignment registers, imports and warnings. A2.5.

The registers are append-only hash chains kept in this app's own tables so intake can write them in bulk
(see docs/adr/0010-case-registers.md); `civicdesk.cases.registers` computes and verifies the chain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicdesk.audit.models import AppendOnlyError
from civicdesk.core.i18n import bilingual


class _Bilingual(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_zh, self.name_en)


class ClaimCategory(_Bilingual):
    """What is owed (fine, tax, premium, fee …) and the category code used in case numbers (健保, 公寓罰 …)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    case_code = models.CharField(_("case-number category code"), max_length=8)
    special = models.BooleanField(_("special docket (特專)"), default=False)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("claim category")
        verbose_name_plural = _("claim categories")


class TransferringAgency(_Bilingual):
    """An agency that transfers unpaid claims to the branch (移送機關)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("transferring agency")
        verbose_name_plural = _("transferring agencies")


class Stage(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_ENFORCEMENT = "in_enforcement", _("In enforcement")
    INSTALMENTS = "instalments", _("Paying by instalments")
    PAID = "paid", _("Paid")
    CLEARED = "cleared", _("Cleared")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned to the agency")


FINAL_STAGES = frozenset({Stage.PAID, Stage.CLEARED, Stage.CLOSED, Stage.RETURNED})


class StageTimeLimit(models.Model):
    """The SOP's processing time limit of a lifecycle stage, in working days (A2.2). No row: no limit."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    working_days = models.PositiveIntegerField(_("working days"))
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["stage"]
        verbose_name = _("stage time limit")
        verbose_name_plural = _("stage time limits")

    def __str__(self) -> str:
        return f"{self.stage}: {self.working_days}"


class SubdivisionSetting(models.Model):
    """Assignment settings of one subdivision (股): paused (leave, vacancy) and the categories it may take."""

    unit = models.OneToOneField(
        "organization.Unit", on_delete=models.CASCADE, related_name="case_setting", verbose_name=_("subdivision")
    )
    paused = models.BooleanField(_("paused"), default=False)
    pause_reason = models.CharField(_("reason for the pause"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("subdivision assignment setting")

    def __str__(self) -> str:
        return str(self.unit)


class RotationState(models.Model):
    """Where a branch's rotation stands: the subdivision that received the last rotated case."""

    branch = models.OneToOneField("organization.Branch", on_delete=models.CASCADE, related_name="+")
    last_unit = models.ForeignKey("organization.Unit", on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.branch_id} → {self.last_unit_id}"


class CategoryRestriction(models.Model):
    """A category reserved for some subdivisions of a branch: if a category has rows, only those take it."""

    category = models.ForeignKey(ClaimCategory, on_delete=models.CASCADE, related_name="restrictions")
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="case_categories")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "unit"], name="category_restriction_unique")]
        verbose_name = _("category restriction")

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"


class CaseNumberCounter(models.Model):
    """The last serial issued per branch, ROC year and category code."""

    branch = models.ForeignKey("organization.Branch", on_delete=models.CASCADE)
    roc_year = models.PositiveSmallIntegerField()
    case_code = models.CharField(max_length=8)
    special = models.BooleanField(default=False)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "roc_year", "case_code", "special"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.roc_year}{self.case_code} #{self.last_serial}"


class ObligorKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class Case(models.Model):
    """One enforcement case. Its lifecycle is recorded as CaseEvent rows and register entries."""

    # Foreign keys without their own index where a composite index below starts with them or nothing
    # looks them up: every index costs intake time (docs/adr/0010-case-registers.md).
    branch = models.ForeignKey(
        "organization.Branch", on_delete=models.PROTECT, db_index=False, verbose_name=_("branch")
    )
    # Not unique in the database on purpose: migrated legacy data may hold duplicates, which
    # reconciliation reports instead of the import refusing them silently.
    case_number = models.CharField(_("case number"), max_length=40, db_index=True)
    agency = models.ForeignKey(
        TransferringAgency, on_delete=models.PROTECT, db_index=False, verbose_name=_("transferring agency")
    )
    agency_reference = models.CharField(_("agency reference"), max_length=60)
    category = models.ForeignKey(
        ClaimCategory, on_delete=models.PROTECT, db_index=False, verbose_name=_("claim category")
    )
    obligor_kind = models.CharField(_("obligor kind"), max_length=8, choices=ObligorKind.choices)
    obligor_id = models.CharField(_("obligor ID"), max_length=10)
    obligor_name = models.CharField(_("obligor name"), max_length=100)
    principal = models.BigIntegerField(_("principal (NT$)"))
    fee = models.BigIntegerField(_("fee (NT$)"), default=0)
    paid = models.BigIntegerField(_("paid (NT$)"), default=0)
    balance = models.BigIntegerField(_("balance (NT$)"))
    transferred_on = models.DateField(_("transferred on"))
    received_on = models.DateField(_("received on"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED)
    stage_since = models.DateField(_("in this stage since"))
    stage_due_on = models.DateField(_("stage due by"), null=True, blank=True)
    subdivision = models.ForeignKey(
        "organization.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("subdivision"),
    )
    import_run = models.ForeignKey("cases.ImportRun", on_delete=models.SET_NULL, null=True, blank=True, db_index=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "agency", "agency_reference"], name="case_agency_reference_unique"
            )
        ]
        indexes = [
            models.Index(fields=["branch", "obligor_id"], name="case_obligor_idx"),
            models.Index(fields=["stage", "stage_due_on"], name="case_stage_due_idx"),
            models.Index(fields=["stage", "received_on"], name="case_stage_received_idx"),
        ]
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")

    def __str__(self) -> str:
        return self.case_number


class CaseEvent(models.Model):
    """A lifecycle change of a case (who, when, what, before/after). Receipt and assignment are register entries."""

    class Kind(models.TextChoices):
        STAGE_CHANGED = "stage_changed", _("Stage changed")
        PAYMENT = "payment", _("Payment recorded")
        NOTE = "note", _("Note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    actor = models.CharField(_("by"), max_length=150, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("case event")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class RegisterHead(models.Model):
    """Last sequence, entry hash and block hash of one branch's register; writers lock this row."""

    register = models.CharField(max_length=20)
    branch_code = models.CharField(max_length=8)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64)
    block_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "branch_code"], name="register_head_unique")]

    def __str__(self) -> str:
        return f"{self.register}/{self.branch_code} #{self.sequence}"


class RegisterBlock(models.Model):
    """The entries one write appended to a register (an intake batch, a reassignment), as one chained digest.

    A full verification hashes blocks (their content assembled by the database) instead of walking every entry;
    only a block whose digest fails is walked entry by entry to name what changed (docs/adr/0011-register-blocks.md).
    """

    register = models.CharField(max_length=20)
    branch_code = models.CharField(max_length=8)
    first_sequence = models.PositiveBigIntegerField()
    last_sequence = models.PositiveBigIntegerField()
    previous_hash = models.CharField(max_length=64)
    block_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "branch_code", "first_sequence"], name="register_block_unique")
        ]

    def __str__(self) -> str:
        return f"{self.register}/{self.branch_code} #{self.first_sequence}–#{self.last_sequence}"


class RegisterDay(models.Model):
    """The running total of one register day (gives each entry its number of the day, and the day totals)."""

    register = models.CharField(max_length=20)
    branch_code = models.CharField(max_length=8)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["register", "branch_code", "day"], name="register_day_unique")]

    def __str__(self) -> str:
        return f"{self.register}/{self.branch_code} {self.day}: {self.count}"


class EntryContent(models.Func):
    """An entry's canonical content (docs/adr/0012-register-content-column.md): the fields, as text, joined by U+001F.

    Computed by the database into a stored generated column, so the hashed text is one column that cannot be
    written directly and changes whenever a typed column is edited. Integers are in decimal, the day
    ``YYYY-MM-DD``; PostgreSQL needs immutable functions (``date::text`` and ``to_char`` are only stable).
    """

    output_field = models.TextField()

    def __init__(self, *names: str) -> None:
        super().__init__(*(models.F(name) for name in names))

    def _parts(self, compiler: Any, connection: Any) -> tuple[list[str], list[Any]]:
        sqls, params = [], []
        for expression in self.source_expressions:
            sql, more = compiler.compile(expression)
            sqls.append(sql)
            params.extend(more)
        return sqls, params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sqls, params = self._parts(compiler, connection)  # SQLite keeps the day as its ISO text
        return "(" + " || char(31) || ".join(sqls) + ")", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sqls, params = self._parts(compiler, connection)
        parts = []
        for expression, sql in zip(self.source_expressions, sqls, strict=True):
            internal = expression.output_field.get_internal_type()
            if internal == "DateField":
                year, month, day = (f"extract({part} FROM {sql})::text" for part in ("year", "month", "day"))
                parts.append(f"lpad({year}, 4, '0') || '-' || lpad({month}, 2, '0') || '-' || lpad({day}, 2, '0')")
            else:
                parts.append(f"({sql})::text")
        return "(" + " || chr(31) || ".join(parts) + ")", params


# The content fields of each register, in canonical order (civicdesk.cases.registers builds the same text).
CONTENT_COMMON = ("sequence", "day", "day_sequence", "case", "case_number")
RECEIPT_CONTENT = (*CONTENT_COMMON, "agency_code", "agency_reference")
ASSIGNMENT_CONTENT = (*CONTENT_COMMON, "action", "subdivision_code", "previous_subdivision_code", "method", "reason")


class _RegisterEntry(models.Model):
    branch_code = models.CharField(_("branch"), max_length=8)
    sequence = models.PositiveBigIntegerField(_("sequence"))
    day = models.DateField(_("register day"))
    day_sequence = models.PositiveIntegerField(_("number of the day"))
    recorded_at = models.DateTimeField(_("recorded at"))
    actor = models.CharField(_("by"), max_length=150, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, db_constraint=False, db_index=False, related_name="+")
    case_number = models.CharField(_("case number"), max_length=40)
    # SHA-256(previous entry's hash as hex + header + content), the 32 raw bytes. No stored link: it is the previous
    # entry's hash (docs/adr/0013-register-entry-shape.md).
    entry_hash = models.BinaryField(max_length=32)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise AppendOnlyError("register entries are written only by civicdesk.cases.registers")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("register entries cannot be deleted")


class ReceiptEntry(_RegisterEntry):
    """收案簿: one entry per received case, with the day's running number."""

    agency_code = models.CharField(_("transferring agency"), max_length=30)
    agency_reference = models.CharField(_("agency reference"), max_length=60)
    # The hashed text, generated from the columns above: see EntryContent.
    content = models.GeneratedField(
        expression=EntryContent(*RECEIPT_CONTENT), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        ordering = ["branch_code", "sequence"]
        constraints = [
            # On PostgreSQL its index also carries content, recorded_at and actor, so a chain check reads the
            # index alone (migration 0006, docs/adr/0015-register-chain-covering-index.md).
            models.UniqueConstraint(fields=["branch_code", "sequence"], name="receipt_sequence_unique"),
        ]
        indexes = [
            # Covering for reconciliation: a case's receipt day without reading the table.
            models.Index(fields=["case", "day"], name="receipt_case_idx"),
            models.Index(fields=["branch_code", "day"], name="receipt_day_idx"),
        ]
        verbose_name = _("receipt register entry")
        verbose_name_plural = _("receipt register")

    def __str__(self) -> str:
        return f"R{self.sequence} {self.case_number}"


class AssignmentEntry(_RegisterEntry):
    """分案簿: each assignment and reassignment of a case to a subdivision."""

    class Action(models.TextChoices):
        ASSIGN = "assign", _("Assigned")
        REASSIGN = "reassign", _("Reassigned")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subdivision_code = models.CharField(_("subdivision"), max_length=16)
    previous_subdivision_code = models.CharField(_("previous subdivision"), max_length=16, blank=True)
    method = models.CharField(_("method"), max_length=20)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The hashed text, generated from the columns above: see EntryContent.
    content = models.GeneratedField(
        expression=EntryContent(*ASSIGNMENT_CONTENT), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        ordering = ["branch_code", "sequence"]
        constraints = [
            # On PostgreSQL its index also carries content, recorded_at and actor, so a chain check reads the
            # index alone (migration 0006, docs/adr/0015-register-chain-covering-index.md).
            models.UniqueConstraint(fields=["branch_code", "sequence"], name="assignment_sequence_unique"),
        ]
        indexes = [
            # Covering for reconciliation: one scan in case order gives every check on the two registers.
            models.Index(fields=["case", "branch_code", "action", "day"], name="assignment_case_idx"),
            models.Index(fields=["branch_code", "day"], name="assignment_day_idx"),
        ]
        verbose_name = _("assignment register entry")
        verbose_name_plural = _("assignment register")

    def __str__(self) -> str:
        return f"A{self.sequence} {self.case_number} → {self.subdivision_code}"


class ImportRun(models.Model):
    """One run of the intake over a file; a rerun of an unfinished file resumes it."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running or interrupted")
        FINISHED = "finished", _("Finished")

    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(_("format"), max_length=8)
    started_by = models.CharField(_("started by"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    lines_done = models.PositiveBigIntegerField(default=0)
    received = models.PositiveBigIntegerField(_("received"), default=0)
    already_present = models.PositiveBigIntegerField(_("already present"), default=0)
    rejected = models.PositiveBigIntegerField(_("rejected"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import run")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class RejectedRow(models.Model):
    """A bad row of an import: where, which field, why, and the row as sent (to fix and re-submit)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejected_rows")
    line = models.PositiveBigIntegerField(_("line"))
    field = models.CharField(_("field"), max_length=40)
    reason = models.CharField(_("reason"), max_length=300)
    raw = models.JSONField(_("row as sent"))

    class Meta:
        ordering = ["run", "line"]
        constraints = [models.UniqueConstraint(fields=["run", "line"], name="rejected_row_unique")]
        verbose_name = _("rejected row")

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


class WarningKind(models.TextChoices):
    NOT_ASSIGNED = "not_assigned", _("Received but not assigned in time")
    ASSIGNED_WITHOUT_RECEIPT = "assigned_without_receipt", _("Assigned without a receipt")
    ASSIGNED_TWICE = "assigned_twice", _("Assigned twice without a reassignment")
    DAY_TOTALS = "day_totals", _("Day totals differ between the registers")
    DUPLICATE_CASE_NUMBER = "duplicate_case_number", _("Duplicate case number")
    PAST_TIME_LIMIT = "past_time_limit", _("Past the stage's time limit")
    BROKEN_CHAIN = "broken_chain", _("Register hash chain broken")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CaseWarning(models.Model):
    """A reconciliation finding. `key` identifies the problem so a rerun updates instead of duplicating."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    branch = models.ForeignKey("organization.Branch", on_delete=models.PROTECT, verbose_name=_("branch"))
    kind = models.CharField(_("kind"), max_length=30, choices=WarningKind.choices)
    key = models.CharField(max_length=200)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("case"))
    subdivision = models.ForeignKey(
        "organization.Unit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("subdivision")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("responsible staff")
    )
    message = models.CharField(_("finding"), max_length=500)
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.OPEN)
    first_seen_at = models.DateTimeField(_("first found"))
    last_seen_at = models.DateTimeField(_("last found"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["branch", "kind", "key"], name="case_warning_key_unique")]
        indexes = [models.Index(fields=["status", "kind"], name="case_warning_status_idx")]
        verbose_name = _("case warning")
        verbose_name_plural = _("case warnings")

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED


class WarningEvent(models.Model):
    """Who acknowledged or resolved a warning, or when reconciliation found it again or saw it fixed."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved by staff")
        FIXED = "fixed", _("Fixed (no longer found)")
        REOPENED = "reopened", _("Found again")

    warning = models.ForeignKey(CaseWarning, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    actor = models.CharField(_("by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.kind}"


class ReconcileWatermark(models.Model):
    """How far reconciliation has looked at each branch's registers (incremental runs start here)."""

    branch_code = models.CharField(max_length=8, unique=True)
    receipt_sequence = models.PositiveBigIntegerField(default=0)
    receipt_hash = models.CharField(max_length=64, blank=True)
    assignment_sequence = models.PositiveBigIntegerField(default=0)
    assignment_hash = models.CharField(max_length=64, blank=True)
    case_id = models.PositiveBigIntegerField(default=0)
    ran_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.branch_code} R{self.receipt_sequence} A{self.assignment_sequence}"
