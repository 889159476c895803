"""Audit writes other apps call: security events and personal-data look-ups."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from civicdesk.audit.ledger import SECURITY_LEDGER, ledger_append
from civicdesk.audit.models import AccessLogEntry, LedgerEntry


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR is the proxy in production; gunicorn is configured to forward the client's address.
    return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    *,
    action: str,
    actor: str,
    request: HttpRequest | None = None,
    branch_code: str = "",
    details: dict[str, Any] | None = None,
) -> LedgerEntry:
    payload = dict(details or {})
    payload["ip"] = client_ip(request)
    return ledger_append(
        ledger=SECURITY_LEDGER,
        action=action,
        actor=actor,
        subject=actor,
        payload=payload,
        branch_code=branch_code,
    )


def access_log_record(
    *,
    staff: Any,
    record_type: str,
    record_id: str,
    purpose: str,
    query: str = "",
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    """Record that `staff` looked at a personal record. Call it before the record is shown."""
    entry = AccessLogEntry(
        staff=staff,
        record_type=record_type,
        record_id=str(record_id),
        purpose=purpose,
        query=query[:200],
        ip_address=client_ip(request),
    )
    entry.full_clean()
    entry.save()
    return entry
