"""Writes of the cases app: reference data, receiving (file, counter), reassignment, stages, warnings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from civicdesk.audit.ledger import ledger_append
from civicdesk.audit.services import access_log_record
from civicdesk.cases import registers, selectors
from civicdesk.cases.importing import ImportSummary, StageClock, cases_import, intake_reference, receive_rows
from civicdesk.cases.intake import RawRow, RowError, parse_row
from civicdesk.cases.models import (
    FINAL_STAGES,
    AssignmentEntry,
    Case,
    CaseEvent,
    CaseWarning,
    ClaimCategory,
    Stage,
    StageTimeLimit,
    SubdivisionSetting,
    TransferringAgency,
    WarningEvent,
)
from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Permission

__all__ = [
    "ImportSummary",
    "case_reassign",
    "case_receive",
    "case_reference_load",
    "case_stage_change",
    "cases_import",
    "subdivision_pause",
    "warning_acknowledge",
    "warning_resolve",
]

REFERENCE_DATA = Path(__file__).with_name("data") / "reference.json"
WARNINGS_LEDGER = "cases.warnings"


@dataclass(frozen=True)
class ReferenceSummary:
    categories: int
    agencies: int
    stage_limits: int


@transaction.atomic
def case_reference_load(*, path: Path = REFERENCE_DATA) -> ReferenceSummary:
    """Create or update claim categories, transferring agencies and stage time limits from the data file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for position, item in enumerate(data["categories"], start=1):
        ClaimCategory.objects.update_or_create(
            code=item["code"],
            defaults={
                "case_code": item["case_code"],
                "name_zh": item["name_zh"],
                "name_en": item["name_en"],
                "special": item.get("special", False),
                "ordering": position,
            },
        )
    for item in data["agencies"]:
        TransferringAgency.objects.update_or_create(
            code=item["code"], defaults={"name_zh": item["name_zh"], "name_en": item["name_en"]}
        )
    for item in data["stage_time_limits"]:
        limit = StageTimeLimit(stage=item["stage"], working_days=item["working_days"], basis=item.get("basis", ""))
        limit.full_clean(validate_unique=False)
        StageTimeLimit.objects.update_or_create(
            stage=item["stage"], defaults={"working_days": limit.working_days, "basis": limit.basis}
        )
    return ReferenceSummary(len(data["categories"]), len(data["agencies"]), len(data["stage_time_limits"]))


@dataclass(frozen=True)
class CounterResult:
    case: Case | None
    error: RowError | None
    already_present: bool


@transaction.atomic
def case_receive(*, branch: Branch, staff: Staff, values: dict[str, Any]) -> CounterResult:
    """Receive one case typed at the counter: the same checks and writes as a file row."""
    if not staff.has_permission(Permission.CASES_CASE_RECEIVE):
        raise PermissionDenied
    today = timezone.localdate()
    parsed = parse_row(RawRow(1, values), intake_reference(branch), today=today)
    if isinstance(parsed, RowError):
        return CounterResult(None, parsed, already_present=False)
    result = receive_rows(
        branch=branch, rows=[parsed], actor=staff.get_username(), run=None, clock=StageClock(), today=today
    )
    if result.already_present:
        existing = Case.objects.get(branch=branch, agency_id=parsed.agency_id, agency_reference=parsed.agency_reference)
        return CounterResult(existing, None, already_present=True)
    return CounterResult(Case.objects.get(pk=result.case_ids[0]), None, already_present=False)


@transaction.atomic
def case_reassign(*, case: Case, subdivision: Unit, reason: str, staff: Staff) -> AssignmentEntry:
    """Move a case to another subdivision: needs the permission and a reason; recorded on the register."""
    if not staff.has_permission(Permission.CASES_CASE_REASSIGN):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "A reassignment needs a reason."})
    if subdivision.kind != Unit.Kind.SUBDIVISION or subdivision.branch_id != case.branch_id:
        raise ValidationError({"subdivision": "Choose a subdivision of the case's branch."})
    if not subdivision.is_active:
        raise ValidationError({"subdivision": "That subdivision is not active."})
    case = Case.objects.select_for_update(of=("self",)).select_related("subdivision", "branch").get(pk=case.pk)
    if case.subdivision_id == subdivision.pk:
        raise ValidationError({"subdivision": "The case is already with that subdivision."})
    previous = case.subdivision
    action = AssignmentEntry.Action.REASSIGN if previous is not None else AssignmentEntry.Action.ASSIGN
    today = timezone.localdate()
    extra = (action.value, subdivision.code, previous.code if previous else "", "manual", reason[:300])
    sequence = registers.register_append(
        register=registers.ASSIGNMENT,
        branch_code=case.branch.code,
        entries=[registers.NewEntry(today, case.pk, case.case_number, extra)],
        actor=staff.get_username(),
        recorded_at=timezone.now(),
    )
    case.subdivision = subdivision
    fields = ["subdivision"]
    if case.stage == Stage.RECEIVED:
        case.stage, case.stage_since = Stage.ASSIGNED, today
        case.stage_due_on = StageClock().due(Stage.ASSIGNED, today)
        fields += ["stage", "stage_since", "stage_due_on"]
    case.full_clean()
    case.save(update_fields=fields)
    return AssignmentEntry.objects.get(branch_code=case.branch.code, sequence=sequence)


@transaction.atomic
def case_stage_change(*, case: Case, stage: str, staff: Staff, note: str = "") -> CaseEvent:
    """Move a case along its lifecycle; the SOP table sets the new stage's due date."""
    if not staff.has_permission(Permission.CASES_CASE_ASSIGN) and not staff.has_permission(
        Permission.CASES_WARNING_RESOLVE
    ):
        raise PermissionDenied
    if stage not in Stage.values or stage in {Stage.RECEIVED}:
        raise ValidationError({"stage": "Not a stage a case can be moved to."})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage in FINAL_STAGES:
        raise ValidationError({"stage": "The case is finished; it cannot change stage."})
    if case.subdivision_id is None:
        raise ValidationError({"stage": "Assign the case first."})
    today = timezone.localdate()
    event = CaseEvent(
        case=case,
        kind=CaseEvent.Kind.STAGE_CHANGED,
        occurred_at=timezone.now(),
        actor=staff.get_username(),
        before={"stage": case.stage, "since": case.stage_since.isoformat()},
        after={"stage": stage, "since": today.isoformat()},
        note=note[:500],
    )
    event.full_clean()
    event.save()
    case.stage, case.stage_since = stage, today
    case.stage_due_on = None if stage in FINAL_STAGES else StageClock().due(stage, today)
    case.full_clean()
    case.save(update_fields=["stage", "stage_since", "stage_due_on"])
    return event


@transaction.atomic
def subdivision_pause(*, unit: Unit, paused: bool, reason: str, staff: Staff) -> SubdivisionSetting:
    """Pause a subdivision (leave, vacancy) so rotation skips it, or resume it. Audited."""
    if not staff.has_permission(Permission.CASES_CASE_ASSIGN):
        raise PermissionDenied
    if unit.kind != Unit.Kind.SUBDIVISION:
        raise ValidationError({"unit": "Only subdivisions take cases."})
    if paused and not reason.strip():
        raise ValidationError({"reason": "Say why the subdivision is paused."})
    setting, _created = SubdivisionSetting.objects.get_or_create(unit=unit)
    setting.paused = paused
    setting.pause_reason = reason.strip() if paused else ""
    setting.full_clean()
    setting.save(update_fields=["paused", "pause_reason"])
    ledger_append(
        ledger="cases.assignment_settings",
        action="subdivision_paused" if paused else "subdivision_resumed",
        actor=staff.get_username(),
        subject=unit.code,
        payload={"reason": setting.pause_reason},
        branch_code=unit.branch.code,
    )
    return setting


def _warning_event(*, warning: CaseWarning, kind: str, staff: Staff, note: str) -> WarningEvent:
    event = WarningEvent(warning=warning, kind=kind, occurred_at=timezone.now(), actor=staff.get_username(), note=note)
    event.full_clean()
    event.save()
    ledger_append(
        ledger=WARNINGS_LEDGER,
        action=f"warning_{kind}",
        actor=staff.get_username(),
        subject=f"{warning.kind}:{warning.key}",
        payload={"warning": warning.pk, "note": note},
        branch_code=warning.branch.code,
    )
    return event


@transaction.atomic
def warning_acknowledge(*, warning: CaseWarning, staff: Staff, note: str) -> CaseWarning:
    """Someone has seen the warning and is on it. Needs a note; audited."""
    if not staff.has_permission(Permission.CASES_WARNING_RESOLVE):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Add a note."})
    warning = CaseWarning.objects.select_for_update().select_related("branch").get(pk=warning.pk)
    if warning.status != CaseWarning.Status.OPEN:
        raise ValidationError({"note": "Only an open warning can be acknowledged."})
    warning.status = CaseWarning.Status.ACKNOWLEDGED
    warning.save(update_fields=["status"])
    _warning_event(warning=warning, kind=WarningEvent.Kind.ACKNOWLEDGED, staff=staff, note=note[:500])
    return warning


@transaction.atomic
def warning_resolve(*, warning: CaseWarning, staff: Staff, note: str) -> CaseWarning:
    """Close a warning with a note saying what was done. Audited. Reconciliation reopens it if still found."""
    if not staff.has_permission(Permission.CASES_WARNING_RESOLVE):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say how the problem was resolved."})
    warning = CaseWarning.objects.select_for_update().select_related("branch").get(pk=warning.pk)
    if warning.status == CaseWarning.Status.RESOLVED:
        raise ValidationError({"note": "The warning is already resolved."})
    warning.status = CaseWarning.Status.RESOLVED
    warning.resolved_at = timezone.now()
    warning.save(update_fields=["status", "resolved_at"])
    _warning_event(warning=warning, kind=WarningEvent.Kind.RESOLVED, staff=staff, note=note[:500])
    return warning


def case_search_audited(
    *, staff: Staff, kind: str, text: str, request: HttpRequest | None, channel: str = ""
) -> list[Case]:
    """Search cases as a member of staff, logging every look-up of personal data.

    A search by obligor ID is logged before anything is shown; other searches log the cases they found.
    `channel` prefixes the logged purpose (e.g. "API ").
    """
    if kind == "obligor_id":
        if not staff.has_permission(Permission.CASES_OBLIGOR_LOOKUP):
            raise PermissionDenied
        access_log_record(
            staff=staff,
            record_type="cases.obligor",
            record_id=text.strip().upper()[:20],
            purpose=f"{channel}case search by obligor ID",
            query=text,
            request=request,
        )
    results = selectors.case_search(staff=staff, kind=kind, text=text)  # type: ignore[arg-type]
    if results and kind != "obligor_id":
        access_log_record(
            staff=staff,
            record_type="cases.case",
            record_id=",".join(str(c.pk) for c in results[:20]),
            purpose=f"{channel}case search",
            query=text,
            request=request,
        )
    return results
