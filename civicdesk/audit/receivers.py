"""Staff sign-in, failure and sign-out go on the security ledger."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from civicdesk.audit.services import security_event_record


def _branch_code(user: Any) -> str:
    branch = getattr(user, "branch", None)
    return branch.code if branch is not None else ""


@receiver(user_logged_in, dispatch_uid="audit-staff-signed-in")
def record_sign_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event_record(
        action="staff.signed_in", actor=user.get_username(), request=request, branch_code=_branch_code(user)
    )


@receiver(user_logged_out, dispatch_uid="audit-staff-signed-out")
def record_sign_out(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    security_event_record(
        action="staff.signed_out", actor=user.get_username(), request=request, branch_code=_branch_code(user)
    )


@receiver(user_login_failed, dispatch_uid="audit-staff-sign-in-failed")
def record_sign_in_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Never store the password; Django already masks it, but keep only the username.
    username = str(credentials.get("username", ""))[:150]
    reason = kwargs.get("reason", "")
    security_event_record(
        action="staff.sign_in_failed",
        actor=username,
        request=request,
        details={"reason": str(reason)} if reason else None,
    )
