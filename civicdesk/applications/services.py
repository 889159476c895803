"""Writes for applications: submit (online or at the counter), assign, change status, request and receive a
correction (補正) with the SLA clock paused and resumed, decide, flag deadlines at risk. Every change is an
ApplicationEvent with citizen-facing and staff-facing notes kept apart.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.applications import notices
from civicdesk.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Channel,
    Citizen,
    Outcome,
    ServiceKind,
    Status,
    Verification,
)
from civicdesk.applications.signin import id_number_error
from civicdesk.applications.uploads import UploadRejectedError, upload_check
from civicdesk.core.identifiers import InvalidIdentifier, normalize_citizen_input, validate_person_id
from civicdesk.core.reference_numbers import reference_generate
from civicdesk.core.working_calendar import add_working_days, working_days_between
from civicdesk.organization.models import Branch, Staff, Unit

MAX_DOCUMENTS = 5
AT_RISK_WORKING_DAYS = 2

TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.CORRECTION, Status.DECIDED, Status.WITHDRAWN},
    Status.ASSIGNED: {Status.IN_PROGRESS, Status.CORRECTION, Status.DECIDED, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.CORRECTION, Status.DECIDED, Status.WITHDRAWN},
    Status.CORRECTION: {Status.IN_PROGRESS, Status.WITHDRAWN},
    Status.DECIDED: set(),
    Status.WITHDRAWN: set(),
}


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now()).date()


def _event(
    *,
    application: Application,
    kind: str,
    at: datetime.datetime,
    actor: Staff | None = None,
    by_citizen: bool = False,
    from_status: str = "",
    citizen_note: str = "",
    staff_note: str = "",
    payload: dict[str, Any] | None = None,
    public: bool = True,
) -> ApplicationEvent:
    event = ApplicationEvent(
        application=application,
        at=at,
        kind=kind,
        actor=actor,
        by_citizen=by_citizen,
        from_status=from_status,
        to_status=application.status,
        citizen_note=citizen_note,
        staff_note=staff_note,
        payload=payload or {},
        public=public,
    )
    event.full_clean(exclude=["application", "actor"])
    event.save()
    return event


def _documents_check(uploads: Sequence[UploadedFile], field: str = "documents") -> list[tuple[UploadedFile, Any]]:
    if len(uploads) > MAX_DOCUMENTS:
        raise ValidationError({field: _("Attach at most %(max)s files.") % {"max": MAX_DOCUMENTS}})
    checked = []
    errors = []
    for upload in uploads:
        try:
            checked.append((upload, upload_check(upload)))
        except UploadRejectedError as error:
            errors.append(str(error))
    if errors:
        raise ValidationError({field: errors})
    return checked


def _documents_store(
    *, application: Application, checked: list[tuple[UploadedFile, Any]], for_correction: bool = False
) -> list[ApplicationDocument]:
    stored = []
    for upload, result in checked:
        document = ApplicationDocument(
            application=application,
            token=secrets.token_hex(16),
            original_name=(upload.name or "")[-200:],
            content_type=result.content_type,
            size=result.size,
            sha256=result.sha256,
            for_correction=for_correction,
        )
        document.file.save(document.token, upload, save=False)
        document.save()
        stored.append(document)
    return stored


def _home_unit(kind: ServiceKind) -> tuple[Branch, Unit]:
    branch = Branch.objects.get(code=settings.CIVICDESK_HOME_BRANCH)
    unit = Unit.objects.filter(branch=branch, code=kind.handling_unit_code).first()
    if unit is None:
        raise ValidationError(
            _("The service “%(service)s” names the handling unit %(unit)s, which does not exist in branch %(branch)s.")
            % {"service": kind.title, "unit": kind.handling_unit_code, "branch": branch.code}
        )
    return branch, unit


def _new_reference(prefix: str) -> str:
    for _attempt in range(10):
        reference = reference_generate(prefix)
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not find a free reference number after 10 tries")


def application_submit(
    *,
    kind: ServiceKind,
    channel: str,
    applicant_name: str,
    id_number: str,
    email: str = "",
    mobile: str = "",
    case_number: str = "",
    details: dict[str, Any] | None = None,
    verification: str = Verification.PAPER,
    uploads: Sequence[UploadedFile] = (),
    citizen: Citizen | None = None,
    received_by: Staff | None = None,
    language: str = "zh-hant",
    now: datetime.datetime | None = None,
) -> Application:
    """File an application (online by a signed-in citizen, or at the counter by a clerk) and queue its receipt.

    Raises ValidationError with a message per field; nothing is stored unless everything is valid.
    """
    now = now or timezone.now()
    if not kind.accepts_online and channel == Channel.ONLINE:
        raise ValidationError(_("The service “%(service)s” cannot be applied for online.") % {"service": kind.title})
    if kind.trackable_by != ServiceKind.TrackableBy.APPLICATION:
        raise ValidationError(_("The service “%(service)s” is not an application.") % {"service": kind.title})
    if channel == Channel.ONLINE and citizen is None:
        raise ValidationError(_("Sign in before applying online."))
    if channel in {Channel.COUNTER, Channel.POST} and received_by is None:
        raise ValidationError(_("A member of staff must record counter and postal applications."))
    try:
        id_number = validate_person_id(normalize_citizen_input(id_number))
    except InvalidIdentifier as error:
        raise ValidationError({"id_number": id_number_error(error)}) from error
    checked = _documents_check(uploads)
    branch, unit = _home_unit(kind)
    for _attempt in range(3):
        try:
            return _application_create(
                kind=kind,
                channel=channel,
                applicant_name=applicant_name.strip(),
                id_number=id_number,
                email=email.strip().lower(),
                mobile=mobile.strip(),
                case_number=case_number.strip(),
                details=details or {},
                verification=verification,
                checked=checked,
                citizen=citizen,
                received_by=received_by,
                language=language,
                branch=branch,
                unit=unit,
                now=now,
            )
        except IntegrityError:
            # Two submissions drew the same reference at the same moment: draw again.
            continue
    raise RuntimeError("could not store the application after 3 tries")


@transaction.atomic
def _application_create(
    *,
    kind: ServiceKind,
    channel: str,
    applicant_name: str,
    id_number: str,
    email: str,
    mobile: str,
    case_number: str,
    details: dict[str, Any],
    verification: str,
    checked: list[tuple[UploadedFile, Any]],
    citizen: Citizen | None,
    received_by: Staff | None,
    language: str,
    branch: Branch,
    unit: Unit,
    now: datetime.datetime,
) -> Application:
    application = Application(
        reference=_new_reference(kind.reference_prefix),
        kind=kind,
        branch=branch,
        unit=unit,
        citizen=citizen,
        channel=channel,
        received_by=received_by,
        applicant_name=applicant_name,
        id_number=id_number,
        email=email,
        mobile=mobile,
        case_number=case_number,
        details=details,
        verification=verification,
        status=Status.SUBMITTED,
        submitted_at=now,
        due_date=add_working_days(local_today(now), kind.time_limit_working_days),
        language="en" if language.startswith("en") else "zh-hant",
    )
    application.full_clean(exclude=["kind", "branch", "unit", "citizen", "received_by"])
    application.save()
    documents = _documents_store(application=application, checked=checked)
    _event(
        application=application,
        kind=ApplicationEvent.Kind.SUBMITTED,
        at=now,
        actor=received_by,
        by_citizen=received_by is None,
        citizen_note=_("Application received."),
        payload={"channel": channel, "documents": len(documents), "verification": verification},
    )
    notices.notice_receipt(application=application, at=now)
    return application


def _change(
    *,
    application: Application,
    to_status: str,
    kind: str,
    at: datetime.datetime,
    actor: Staff | None,
    by_citizen: bool = False,
    citizen_note: str = "",
    staff_note: str = "",
    payload: dict[str, Any] | None = None,
    fields: Sequence[str] = (),
) -> ApplicationEvent:
    before = application.status
    if to_status != before and to_status not in TRANSITIONS[before]:
        raise ValidationError(
            _("An application that is “%(before)s” cannot become “%(after)s”.")
            % {"before": Status(before).label, "after": Status(to_status).label}
        )
    application.status = to_status
    application.full_clean(exclude=["kind", "branch", "unit", "citizen", "received_by", "assignee", "reference"])
    application.save(update_fields=["status", *fields])
    return _event(
        application=application,
        kind=kind,
        at=at,
        actor=actor,
        by_citizen=by_citizen,
        from_status=before,
        citizen_note=citizen_note,
        staff_note=staff_note,
        payload=payload,
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("kind", "branch").get(pk=application.pk)


@transaction.atomic
def application_assign(
    *,
    application: Application,
    staff: Staff,
    assignee: Staff,
    staff_note: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """Give the application to a handling officer of the same branch."""
    application = _locked(application)
    if assignee.branch_id != application.branch_id:
        raise ValidationError({"assignee": _("The officer must belong to the application's branch.")})
    application.assignee = assignee
    to_status = Status.ASSIGNED if application.status == Status.SUBMITTED else application.status
    _change(
        application=application,
        to_status=to_status,
        kind=ApplicationEvent.Kind.ASSIGNED,
        at=now or timezone.now(),
        actor=staff,
        staff_note=staff_note,
        payload={"assignee": assignee.username},
        fields=["assignee"],
    )
    return application


@transaction.atomic
def application_status_change(
    *,
    application: Application,
    staff: Staff,
    to_status: str,
    citizen_note: str = "",
    staff_note: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """A plain status change (e.g. to "in progress" or "withdrawn"); corrections and decisions have their own."""
    if to_status in {Status.CORRECTION, Status.DECIDED}:
        raise ValidationError({"to_status": _("Use the correction or decision form for this status.")})
    application = _locked(application)
    if application.status == Status.CORRECTION and to_status == Status.IN_PROGRESS:
        return _correction_receive(
            application=application, actor=staff, note=staff_note, checked=[], now=now or timezone.now()
        )
    _change(
        application=application,
        to_status=to_status,
        kind=ApplicationEvent.Kind.STATUS_CHANGED,
        at=now or timezone.now(),
        actor=staff,
        citizen_note=citizen_note,
        staff_note=staff_note,
    )
    return application


@transaction.atomic
def application_correction_request(
    *,
    application: Application,
    staff: Staff,
    citizen_note: str,
    staff_note: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """Ask the citizen for missing documents (補正): the SLA clock pauses and the citizen is told what is needed."""
    if not citizen_note.strip():
        raise ValidationError({"citizen_note": _("Say what the citizen must provide.")})
    now = now or timezone.now()
    application = _locked(application)
    today = local_today(now)
    application.clock_paused_on = today
    application.working_days_left = working_days_between(today, application.due_date)
    event = _change(
        application=application,
        to_status=Status.CORRECTION,
        kind=ApplicationEvent.Kind.CORRECTION_REQUESTED,
        at=now,
        actor=staff,
        citizen_note=citizen_note.strip(),
        staff_note=staff_note,
        payload={"working_days_left": application.working_days_left},
        fields=["clock_paused_on", "working_days_left"],
    )
    notices.notice_correction(application=application, note=citizen_note.strip(), sequence=event.pk, at=now)
    return application


@transaction.atomic
def application_correction_submit(
    *,
    application: Application,
    citizen: Citizen | None,
    note: str,
    uploads: Sequence[UploadedFile] = (),
    staff: Staff | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """The citizen (online) or a clerk (paper at the counter) hands in the correction: the clock restarts."""
    application = _locked(application)
    if application.status != Status.CORRECTION:
        raise ValidationError(_("This application is not waiting for a correction."))
    if staff is None and (citizen is None or application.citizen_id != citizen.pk):
        raise ValidationError(_("Only the applicant can send a correction online."))
    if not note.strip() and not uploads:
        raise ValidationError({"note": _("Write a note or attach at least one document.")})
    checked = _documents_check(uploads)
    return _correction_receive(
        application=application, actor=staff, note=note, checked=checked, now=now or timezone.now()
    )


def _correction_receive(
    *,
    application: Application,
    actor: Staff | None,
    note: str,
    checked: list[tuple[UploadedFile, Any]],
    now: datetime.datetime,
) -> Application:
    today = local_today(now)
    if application.kind.clock_on_correction == application.kind.ClockOnCorrection.RESTART:
        left = application.kind.time_limit_working_days
    else:
        left = application.working_days_left or 0
    paused_on = application.clock_paused_on
    application.due_date = add_working_days(today, left)
    application.clock_paused_on = None
    application.working_days_left = None
    documents = _documents_store(application=application, checked=checked, for_correction=True)
    _change(
        application=application,
        to_status=Status.IN_PROGRESS,
        kind=ApplicationEvent.Kind.CORRECTION_RECEIVED,
        at=now,
        actor=actor,
        by_citizen=actor is None,
        citizen_note=_("Your documents were received; processing goes on."),
        staff_note=note.strip(),
        payload={
            "paused_on": paused_on.isoformat() if paused_on else None,
            "working_days_left": left,
            "documents": len(documents),
        },
        fields=["due_date", "clock_paused_on", "working_days_left"],
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: Application,
    staff: Staff,
    outcome: str,
    citizen_note: str,
    staff_note: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """Record the decision, whether it came within the time limit, and tell the citizen."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    now = now or timezone.now()
    application = _locked(application)
    if application.status == Status.CORRECTION:
        raise ValidationError(_("The application is waiting for a correction; record the correction first."))
    application.outcome = outcome
    application.decided_at = now
    application.decided_within_limit = local_today(now) <= application.due_date
    _change(
        application=application,
        to_status=Status.DECIDED,
        kind=ApplicationEvent.Kind.DECIDED,
        at=now,
        actor=staff,
        citizen_note=citizen_note.strip(),
        staff_note=staff_note,
        payload={"outcome": outcome, "within_limit": application.decided_within_limit},
        fields=["outcome", "decided_at", "decided_within_limit"],
    )
    notices.notice_decided(application=application, note=citizen_note.strip(), at=now)
    return application


def applications_flag_at_risk(*, today: datetime.date | None = None) -> int:
    """Flag open applications (clock running) due within AT_RISK_WORKING_DAYS working days; tell the officer.

    Idempotent: each due date is flagged once. Returns how many were flagged now.
    """
    today = today or local_today()
    horizon = add_working_days(today, AT_RISK_WORKING_DAYS)
    candidates = (
        Application.objects.filter(
            status__in=[Status.SUBMITTED, Status.ASSIGNED, Status.IN_PROGRESS], due_date__lte=horizon
        )
        .exclude(at_risk_notified_for=F("due_date"))
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in list(candidates):
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("kind", "branch", "assignee")
                .get(pk=pk)
            )
            if application.at_risk_notified_for == application.due_date or not application.is_open:
                continue
            application.at_risk_notified_for = application.due_date
            application.save(update_fields=["at_risk_notified_for"])
            _event(
                application=application,
                kind=ApplicationEvent.Kind.DEADLINE_AT_RISK,
                at=timezone.now(),
                staff_note=_("Due on %(due)s and not decided yet.") % {"due": application.due_date.isoformat()},
                payload={"due_date": application.due_date.isoformat()},
                public=False,
            )
            notices.notice_deadline_at_risk(application=application)
            flagged += 1
    return flagged
