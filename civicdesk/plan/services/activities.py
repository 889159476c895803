"""Activities staff log towards the plan, and the evidence (photos, PDFs) attached to them."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.organization.models import Staff, Unit
from civicdesk.plan.models import Activity, ActivityKind, Evidence, Measure

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension → (content type, the bytes such a file starts with).
EVIDENCE_TYPES = {
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".pdf": ("application/pdf", b"%PDF-"),
}


class ActivityError(ValueError):
    """An activity or its evidence was refused; `.field` names the form field at fault."""

    def __init__(self, message: str, *, field: str = "") -> None:
        self.field = field
        super().__init__(message)


@transaction.atomic
def activity_log(
    *,
    actor: Staff,
    kind: ActivityKind,
    held_on: datetime.date,
    unit: Unit,
    title: str,
    description: str = "",
    people: int = 0,
    quantity: int = 1,
    measures: list[Measure] | None = None,
    files: list[UploadedFile] | None = None,
) -> Activity:
    """Record what a unit did, linked to the plan's measures, with its evidence."""
    if actor.branch_id is None or unit.branch_id != actor.branch_id:
        raise ActivityError(_("The unit must belong to your branch."), field="unit")
    if held_on > timezone.localdate():
        raise ActivityError(_("An activity cannot be logged before it has taken place."), field="held_on")
    if not kind.is_active:
        raise ActivityError(_("This kind of activity is no longer in use."), field="kind")
    for measure in measures or []:
        if measure.plan.branch_id != actor.branch_id or measure.plan.year != held_on.year - 1911:
            raise ActivityError(
                _("Measure %(code)s is not part of this year's plan.") % {"code": measure.code}, field="measures"
            )
    activity = Activity(
        branch_id=actor.branch_id,
        kind=kind,
        held_on=held_on,
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        people=people,
        quantity=quantity,
        created_by=actor,
    )
    activity.full_clean()
    activity.save()
    if measures:
        activity.measures.set(measures)
    for upload in files or []:
        evidence_attach(activity=activity, upload=upload, actor=actor)
    return activity


def evidence_check(upload: UploadedFile) -> tuple[str, str]:
    """Return (extension, content type) of an acceptable upload or raise ActivityError saying why not."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    if extension not in EVIDENCE_TYPES:
        raise ActivityError(
            _("%(name)s: only JPEG, PNG and PDF files can be attached.") % {"name": name}, field="files"
        )
    if upload.size is None or upload.size == 0:
        raise ActivityError(_("%(name)s is empty.") % {"name": name}, field="files")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ActivityError(
            _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": MAX_EVIDENCE_BYTES // (1024 * 1024)},
            field="files",
        )
    content_type, magic = EVIDENCE_TYPES[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ActivityError(
            _("%(name)s is not really a %(type)s file.") % {"name": name, "type": extension[1:].upper()},
            field="files",
        )
    return extension, content_type


@transaction.atomic
def evidence_attach(*, activity: Activity, upload: UploadedFile, actor: Staff) -> Evidence:
    """Validate type (by content, not only by name) and size, then store under MEDIA_ROOT."""
    extension, content_type = evidence_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = PurePath(upload.name or "evidence").name[:200]
    evidence = Evidence(
        activity=activity,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    # Stored under a neutral name: the original name is kept in the row, never used as a path.
    evidence.file.save(f"{digest.hexdigest()[:16]}{extension}", upload, save=False)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def activity_delete(*, activity: Activity, actor: Staff) -> None:
    """Remove an activity logged by mistake (by its author or a plan editor), with its files."""
    for evidence in activity.evidence.all():
        evidence.file.delete(save=False)
    activity.delete()
