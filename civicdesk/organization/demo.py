"""Demo staff for `manage.py load_demo` (development only)."""

from __future__ import annotations

from dataclasses import dataclass

from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Role
from civicdesk.organization.services import staff_create

DEMO_PASSWORD = "civicdesk-demo-104"  # noqa: S105  (published on purpose: demo data only)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    branch: str | None
    unit: str | None
    roles: frozenset[Role]
    title: str


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系統管理員", "TCH", "SEC", frozenset({Role.SYSTEM_ADMINISTRATOR}), "資訊管理"),
    DemoAccount("secretariat", "陳秘書", "TCH", "SEC", frozenset({Role.SECRETARIAT_OFFICER}), "科員"),
    DemoAccount("head", "林科長", "TCH", "DIV1", frozenset({Role.UNIT_HEAD, Role.ASSESSMENT_GROUP_MEMBER}), "科長"),
    DemoAccount("officer", "王執行員", "TCH", "S01", frozenset({Role.ENFORCEMENT_OFFICER}), "執行員"),
    DemoAccount("clerk", "張書記官", "TCH", "S01", frozenset({Role.SUBDIVISION_CLERK}), "書記官"),
    DemoAccount("ethics", "李政風", "TCH", "ETH", frozenset({Role.ETHICS_OFFICER}), "政風室主任"),
    DemoAccount("statistics", "黃統計", "TCH", "STA", frozenset({Role.STATISTICS_OFFICER}), "統計室主任"),
    DemoAccount("personnel", "吳人事", "TCH", "PER", frozenset({Role.PERSONNEL_OFFICER}), "人事室主任"),
    DemoAccount("webeditor", "周網編", "TCH", "WEB", frozenset({Role.WEB_EDITOR}), "網站維護小組"),
    DemoAccount("taipei", "趙執行員", "TPE", None, frozenset({Role.ENFORCEMENT_OFFICER}), "執行員（臺北分署）"),
    DemoAccount("hq", "署本部稽核", None, None, frozenset({Role.HEADQUARTERS_AUDITOR}), "行政執行署稽核"),
]


def load_demo_staff() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that do not exist yet; returns (account, created) pairs."""
    results = []
    for account in DEMO_ACCOUNTS:
        if Staff.objects.filter(username=account.username).exists():
            results.append((account, False))
            continue
        branch = Branch.objects.get(code=account.branch) if account.branch else None
        unit = Unit.objects.get(branch=branch, code=account.unit) if branch and account.unit else None
        staff = staff_create(
            username=account.username,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            branch=branch,  # type: ignore[arg-type]
            unit=unit,
            roles=account.roles,
            title=account.title,
        )
        if account.username == "admin":
            staff.is_superuser = True
            staff.save(update_fields=["is_superuser"])
        results.append((account, True))
    return results
