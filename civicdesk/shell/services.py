"""Writes of the shell: enrolling a staff member's authenticator app."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicdesk.audit.services import security_event_record
from civicdesk.organization.models import Staff


@transaction.atomic
def totp_device_start(*, staff: Staff) -> TOTPDevice:
    """A fresh, unconfirmed device; it counts only once a code from it is confirmed."""
    TOTPDevice.objects.filter(user=staff, confirmed=False).delete()
    return TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, staff: Staff, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=staff, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    security_event_record(
        action="staff.totp_enrolled", actor=staff.get_username(), branch_code=staff.branch.code if staff.branch else ""
    )
    return True
