"""Writes for the organisation: loading branches and units, creating staff, granting roles."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from civicdesk.organization.models import Branch, RoleAssignment, Staff, Unit
from civicdesk.organization.permissions import Role

ORGANIZATION_DATA = Path(__file__).parent / "data" / "organization.json"


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    unchanged: int


def _upsert(model: type[Any], lookup: dict[str, Any], values: dict[str, Any]) -> str:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return "unchanged"
    for field in changed:
        setattr(obj, field, values[field])
    obj.full_clean()
    obj.save(update_fields=changed)
    return "updated"


@transaction.atomic
def organization_load(*, path: Path = ORGANIZATION_DATA) -> LoadSummary:
    """Create or update the branches and units described in the data file. Idempotent."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for branch_data in data["branches"]:
        values = {
            key: branch_data.get(key, "")
            for key in (
                "name_zh",
                "name_en",
                "address_zh",
                "address_en",
                "phone",
                "opening_hours_zh",
                "opening_hours_en",
            )
        }
        values["ordering"] = branch_data.get("ordering", 0)
        values["opened_on"] = (
            datetime.date.fromisoformat(branch_data["opened_on"]) if branch_data.get("opened_on") else None
        )
        counts[_upsert(Branch, {"code": branch_data["code"]}, values)] += 1
        branch = Branch.objects.get(code=branch_data["code"])
        for position, unit_data in enumerate(branch_data.get("units", []), start=1):
            parent = Unit.objects.get(branch=branch, code=unit_data["parent"]) if unit_data.get("parent") else None
            unit_values = {
                "name_zh": unit_data["name_zh"],
                "name_en": unit_data["name_en"],
                "kind": unit_data["kind"],
                "parent": parent,
                "ordering": position,
            }
            counts[_upsert(Unit, {"branch": branch, "code": unit_data["code"]}, unit_values)] += 1
    return LoadSummary(**counts)


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str | None,
    full_name: str,
    branch: Branch,
    unit: Unit | None = None,
    roles: set[Role] | frozenset[Role] = frozenset(),
    email: str = "",
    title: str = "",
) -> Staff:
    staff = Staff(username=username, full_name=full_name, branch=branch, unit=unit, email=email, title=title)
    if password is None:
        staff.set_unusable_password()
    else:
        staff.set_password(password)
    staff.is_staff = Role.SYSTEM_ADMINISTRATOR in roles
    staff.full_clean()
    staff.save()
    for role in roles:
        staff_role_grant(staff=staff, role=role)
    return staff


@transaction.atomic
def staff_role_grant(*, staff: Staff, role: Role) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(staff=staff, role=role.value)
    staff.__dict__.pop("_roles_cache", None)
    return assignment
