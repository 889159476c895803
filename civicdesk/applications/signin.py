"""Citizen sign-in with a one-time code sent to an e-mail address or a mobile number (A4.4).

A code is 6 digits, lives 10 minutes, and allows 5 wrong tries; the fifth wrong try locks the address or
number for 15 minutes (no new code either). At most 5 codes an hour go to one address or number, so the
lock cannot be side-stepped by asking for fresh codes. Only a keyed hash of each code is stored.

E-mail goes through Django's e-mail backends; SMS through the gateway named by the
``APPLICATIONS_SMS_GATEWAY`` setting (the console gateway below in development and tests).
"""

from __future__ import annotations

import datetime
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from civicdesk.applications.models import Citizen, OneTimeCode
from civicdesk.audit.services import security_event_record
from civicdesk.core.identifiers import InvalidIdentifier, normalize_citizen_input, validate_person_id

logger = logging.getLogger(__name__)

CODE_LIFETIME = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
LOCK_DURATION = datetime.timedelta(minutes=15)
MAX_CODES_PER_HOUR = 5
_MOBILE = re.compile(r"09\d{8}")


class SignInError(Exception):
    """A sign-in step failed; the message is safe to show to the citizen."""


class SignInLockedError(SignInError):
    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(_("Too many wrong codes. Please try again after %(time)s.") % {"time": _clock(until)})
        self.until = until


def _clock(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class ConsoleSmsGateway:
    """Writes the text message to the log instead of sending it (development and tests)."""

    def send(self, *, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", to, text)


def sms_gateway() -> SmsGateway:
    dotted = getattr(settings, "APPLICATIONS_SMS_GATEWAY", "civicdesk.applications.signin.ConsoleSmsGateway")
    gateway: SmsGateway = import_string(dotted)()
    return gateway


def normalize_contact(*, contact_kind: str, contact: str) -> str:
    """Canonical form of an e-mail address or Taiwanese mobile number; raises SignInError naming the problem."""
    value = normalize_citizen_input(contact) if contact_kind == Citizen.ContactKind.MOBILE else contact.strip()
    if contact_kind == Citizen.ContactKind.EMAIL:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError as error:
            raise SignInError(_("Enter a valid e-mail address, like name@example.com.")) from error
        return value
    if contact_kind == Citizen.ContactKind.MOBILE:
        digits = value.replace("-", "").replace("(", "").replace(")", "")
        if digits.startswith("+886"):
            digits = "0" + digits[4:]
        elif digits.startswith("886"):
            digits = "0" + digits[3:]
        if not _MOBILE.fullmatch(digits):
            raise SignInError(_("Enter a Taiwanese mobile number of 10 digits starting with 09, like 0912345678."))
        return digits
    raise SignInError(_("Choose e-mail or mobile phone."))


def id_number_error(error: InvalidIdentifier) -> str:
    """A translated, specific reason for a bad ID number (the core library's reasons are plain English)."""
    reason = error.reason
    if reason.startswith("must be 10 characters"):
        why = _("it must have 10 characters: one letter, then 9 digits")
    elif reason.startswith("first character"):
        why = _("the first character must be a letter A–Z")
    elif reason.startswith("characters 3-10"):
        why = _("characters 3 to 10 must be digits")
    elif reason.startswith("second character"):
        why = _("the second character must be 1 or 2 (8, 9 or A–D on a resident certificate)")
    elif reason == "wrong check digit":
        why = _("the last digit does not fit the others; please check for a typing error")
    elif reason.startswith("legacy"):
        why = _("resident certificate numbers in the old two-letter format are no longer accepted")
    else:
        why = _("please check it")
    return _("The ID number is not valid: %(reason)s.") % {"reason": why}


def normalize_id_number(value: str) -> str:
    """Upper-case what the citizen typed and validate it as a national ID or resident certificate number."""
    folded = normalize_citizen_input(value)
    try:
        return validate_person_id(folded)
    except InvalidIdentifier as error:
        raise SignInError(id_number_error(error)) from error


def _code_hash(*, contact: str, code: str) -> str:
    return salted_hmac("civicdesk.applications.one-time-code", f"{contact}:{code}", algorithm="sha256").hexdigest()


def _active_lock(contact: str, now: datetime.datetime) -> datetime.datetime | None:
    locked = OneTimeCode.objects.filter(contact=contact, locked_until__gt=now).order_by("-locked_until").first()
    return locked.locked_until if locked is not None else None


@dataclass(frozen=True)
class CodeRequest:
    challenge: OneTimeCode
    contact: str


def code_request(
    *, contact_kind: str, contact: str, id_number: str, now: datetime.datetime | None = None
) -> CodeRequest:
    """Validate the contact and the declared ID, then send a fresh code (earlier codes stop working)."""
    now = now or timezone.now()
    contact = normalize_contact(contact_kind=contact_kind, contact=contact)
    declared = normalize_id_number(id_number)
    until = _active_lock(contact, now)
    if until is not None:
        raise SignInLockedError(until)
    recent = OneTimeCode.objects.filter(contact=contact, created_at__gt=now - datetime.timedelta(hours=1)).count()
    if recent >= MAX_CODES_PER_HOUR:
        raise SignInError(_("Too many codes were sent to this address or number in the last hour. Please wait."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        OneTimeCode.objects.filter(contact=contact, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        challenge = OneTimeCode(
            contact_kind=contact_kind,
            contact=contact,
            declared_id_number=declared,
            code_hash=_code_hash(contact=contact, code=code),
            expires_at=now + CODE_LIFETIME,
        )
        challenge.full_clean()
        challenge.save()
    _deliver(contact_kind=contact_kind, contact=contact, code=code)
    return CodeRequest(challenge=challenge, contact=contact)


def _deliver(*, contact_kind: str, contact: str, code: str) -> None:
    # Sent at once rather than through the outbox, so the code itself is never stored anywhere.
    text = _("Your Civic Desk sign-in code is %(code)s. It expires in 10 minutes. Never tell anyone this code.") % {
        "code": code
    }
    if contact_kind == Citizen.ContactKind.EMAIL:
        send_mail(_("Your sign-in code"), text, settings.DEFAULT_FROM_EMAIL, [contact], fail_silently=False)
    else:
        sms_gateway().send(to=contact, text=text)


@dataclass(frozen=True)
class CodeCheck:
    citizen: Citizen | None
    error: str = ""
    attempts_left: int = 0


def code_verify(*, contact_kind: str, contact: str, code: str, now: datetime.datetime | None = None) -> CodeCheck:
    """Check a typed code. Each wrong try is saved (so it is not rolled back); the fifth locks for 15 minutes."""
    now = now or timezone.now()
    contact = normalize_contact(contact_kind=contact_kind, contact=contact)
    until = _active_lock(contact, now)
    if until is not None:
        raise SignInLockedError(until)
    challenge = (
        OneTimeCode.objects.filter(contact=contact, contact_kind=contact_kind, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if challenge is None or challenge.expires_at <= now:
        return CodeCheck(citizen=None, error=_("This code has expired. Ask for a new code."))
    typed = "".join(normalize_citizen_input(code).split())
    if not hmac.compare_digest(challenge.code_hash, _code_hash(contact=contact, code=typed)):
        challenge.attempts += 1
        fields = ["attempts"]
        if challenge.attempts >= MAX_ATTEMPTS:
            challenge.locked_until = now + LOCK_DURATION
            challenge.expires_at = now
            fields += ["locked_until", "expires_at"]
        challenge.save(update_fields=fields)
        if challenge.locked_until is not None:
            security_event_record(action="citizen.sign_in_locked", actor=f"citizen-contact:{contact_kind}")
            raise SignInLockedError(challenge.locked_until)
        left = MAX_ATTEMPTS - challenge.attempts
        return CodeCheck(
            citizen=None,
            error=_("That code is not right. You have %(left)s tries left.") % {"left": left},
            attempts_left=left,
        )
    return CodeCheck(citizen=_citizen_sign_in(challenge=challenge, now=now))


@transaction.atomic
def _citizen_sign_in(*, challenge: OneTimeCode, now: datetime.datetime) -> Citizen:
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    citizen = (
        Citizen.objects.select_for_update()
        .filter(contact_kind=challenge.contact_kind, contact=challenge.contact)
        .first()
    )
    if citizen is None:
        citizen = Citizen(contact_kind=challenge.contact_kind, contact=challenge.contact)
    citizen.id_number = challenge.declared_id_number
    citizen.last_signed_in_at = now
    citizen.full_clean(validate_unique=False)
    citizen.save()
    security_event_record(action="citizen.signed_in", actor=f"citizen:{citizen.pk}")
    return citizen


@transaction.atomic
def citizen_from_gateway(*, id_number: str, name: str, subject: str) -> Citizen:
    """A citizen proven by a government identity gateway (OIDC): the ID number is verified."""
    id_number = validate_person_id(id_number)
    citizen = (
        Citizen.objects.select_for_update().filter(contact_kind=Citizen.ContactKind.GATEWAY, contact=subject).first()
    )
    if citizen is None:
        citizen = Citizen(contact_kind=Citizen.ContactKind.GATEWAY, contact=subject)
    citizen.id_number = id_number
    citizen.id_verified = True
    citizen.name = name[:100]
    citizen.last_signed_in_at = timezone.now()
    citizen.full_clean(validate_unique=False)
    citizen.save()
    security_event_record(action="citizen.signed_in_gateway", actor=f"citizen:{citizen.pk}")
    return citizen
