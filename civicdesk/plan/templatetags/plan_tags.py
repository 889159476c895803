"""Template filters of the plan pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value: Decimal | int | float | None) -> str:
    """A figure without trailing zeros (200, 2.5); an em dash when there is none."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


@register.filter
def can(user: object, permission: str) -> bool:
    """{% if user|can:"plan:assessment:review" %}: the signed-in staff member holds the permission."""
    has_permission = getattr(user, "has_permission", None)
    return bool(has_permission and has_permission(permission))
