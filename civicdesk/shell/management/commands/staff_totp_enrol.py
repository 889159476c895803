"""`manage.py staff_totp_enrol USERNAME`: give a member of staff a new authenticator (prints a QR code).

For the first administrator of a production deployment, and for staff who lost their phone; everyone
else enrols themselves at /staff/two-step/. The old authenticator stops working.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicdesk.audit.services import security_event_record
from civicdesk.organization.models import Staff


class Command(BaseCommand):
    help = "Replace a staff member's authenticator app and print the QR code / key to scan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        staff = Staff.objects.filter(username=options["username"]).first()
        if staff is None:
            raise CommandError(f"no staff member with username {options['username']!r}")
        TOTPDevice.objects.filter(user=staff).delete()
        device = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
        security_event_record(
            action="staff.totp_enrolled_by_administrator",
            actor=staff.get_username(),
            branch_code=staff.branch.code if staff.branch else "",
        )
        self.stdout.write(f"Scan with the authenticator app of {staff} ({staff.username}):")
        picture = io.StringIO()
        segno.make(device.config_url, error="m").terminal(out=picture, compact=True)
        self.stdout.write(picture.getvalue())
        self.stdout.write(f"or enter the key: {device.config_url.split('secret=')[1].split('&')[0]}")
