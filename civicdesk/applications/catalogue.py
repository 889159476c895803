"""Loading the service catalogue from its data file (``data/catalogue.json``). Idempotent.

Staff edit the catalogue afterwards (admin and back office); a load updates only the services the file
names, field by field, and never deletes one, so an edit made by staff is overwritten only by a newer
file on purpose (``load_catalogue``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from civicdesk.applications.models import Channel, ServiceKind
from civicdesk.core.reference_numbers import InvalidReferenceError, reference_check_char

CATALOGUE_DATA = Path(__file__).parent / "data" / "catalogue.json"
FIELDS = [
    "ordering",
    "trackable_by",
    "reference_prefix",
    "handling_unit_code",
    "time_limit_working_days",
    "clock_on_correction",
    "channels",
    "myegov_service_code",
    "myegov_theme_code",
    "myegov_administration_code",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "eligibility_zh",
    "eligibility_en",
    "documents_zh",
    "documents_en",
    "steps_zh",
    "steps_en",
    "fee_zh",
    "fee_en",
    "contact_zh",
    "contact_en",
    "form_fields",
]
FIELD_TYPES = {"text", "textarea", "integer", "amount", "choice", "date"}


class CatalogueDataError(ValueError):
    """The catalogue file is malformed; the message names the service and the field."""


@dataclass(frozen=True)
class CatalogueLoadSummary:
    created: int
    updated: int
    unchanged: int


def _values(entry: dict[str, Any]) -> dict[str, Any]:
    code = entry.get("code", "?")
    values = dict(entry)
    values["handling_unit_code"] = values.pop("handling_unit", "")
    missing = [name for name in FIELDS if name not in values]
    if missing:
        raise CatalogueDataError(f"service {code!r}: missing {', '.join(missing)}")
    unknown = set(values) - {*FIELDS, "code"}
    if unknown:
        raise CatalogueDataError(f"service {code!r}: unknown keys {', '.join(sorted(unknown))}")
    bad_channels = [c for c in values["channels"] if c not in Channel.values]
    if bad_channels:
        raise CatalogueDataError(f"service {code!r}: unknown channels {bad_channels} (use {Channel.values})")
    try:
        reference_check_char(values["reference_prefix"])
    except InvalidReferenceError as error:
        raise CatalogueDataError(f"service {code!r}: reference_prefix: {error}") from error
    for position, field in enumerate(values["form_fields"], start=1):
        where = f"service {code!r}: form field no. {position}"
        for key in ("name", "type", "label_zh", "label_en"):
            if not field.get(key):
                raise CatalogueDataError(f"{where}: missing {key}")
        if field["type"] not in FIELD_TYPES:
            raise CatalogueDataError(f"{where}: type {field['type']!r} is not one of {sorted(FIELD_TYPES)}")
        if field["type"] == "choice" and not field.get("choices"):
            raise CatalogueDataError(f"{where}: a choice field needs choices")
    return {name: values[name] for name in FIELDS}


@transaction.atomic
def catalogue_load(*, path: Path = CATALOGUE_DATA) -> CatalogueLoadSummary:
    """Create or update the services described in the file; raise CatalogueDataError naming a bad entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogueDataError(f"{path}: {error}") from error
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for entry in data.get("services", []):
        values = _values(entry)
        kind = ServiceKind.objects.filter(code=entry["code"]).first()
        if kind is None:
            kind = ServiceKind(code=entry["code"], **values)
            outcome = "created"
            changed: list[str] | None = None
        else:
            changed = [name for name, value in values.items() if getattr(kind, name) != value]
            if not changed:
                counts["unchanged"] += 1
                continue
            for name in changed:
                setattr(kind, name, values[name])
            outcome = "updated"
        try:
            kind.full_clean()
        except ValidationError as error:
            raise CatalogueDataError(f"service {entry['code']!r}: {error.message_dict}") from error
        kind.save(update_fields=changed)
        counts[outcome] += 1
    return CatalogueLoadSummary(**counts)


EDITABLE_FIELDS = [name for name in FIELDS if name not in {"reference_prefix", "form_fields"}] + ["is_published"]


@transaction.atomic
def service_kind_update(*, kind: ServiceKind, staff: Any, values: dict[str, Any]) -> ServiceKind:
    """A member of staff edits a service's SOP; the change (before and after) goes on the catalogue ledger."""
    from civicdesk.audit.ledger import ledger_append

    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"these fields cannot be edited here: {', '.join(sorted(unknown))}")
    kind = ServiceKind.objects.select_for_update().get(pk=kind.pk)
    changed = {name: value for name, value in values.items() if getattr(kind, name) != value}
    if not changed:
        return kind
    before = {name: getattr(kind, name) for name in changed}
    for name, value in changed.items():
        setattr(kind, name, value)
    kind.full_clean()
    kind.save(update_fields=[*changed, "updated_at"])
    ledger_append(
        ledger="applications.catalogue",
        action="service.updated",
        actor=staff.get_username(),
        subject=kind.code,
        payload={"before": before, "after": changed},
        branch_code=getattr(getattr(staff, "branch", None), "code", ""),
    )
    return kind
