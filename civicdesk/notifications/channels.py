"""Delivery channels behind one interface. E-mail uses Django's backends; SMS uses a provider chosen by
the CIVICDESK_SMS_PROVIDER setting (console in development, a real gateway's adapter in production)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel refused or failed to take the message; it may be retried."""


@dataclass(frozen=True)
class Accepted:
    provider_message_id: str
    delivered: bool  # True when the channel confirms delivery at once


class SmsProvider(Protocol):
    def send(self, *, to: str, text: str) -> Accepted: ...


class ConsoleSmsProvider:
    """Writes the SMS to the log; for development and tests."""

    def send(self, *, to: str, text: str) -> Accepted:
        logger.info("SMS to %s: %s", to, text)
        return Accepted(provider_message_id=f"console-{uuid.uuid4().hex[:12]}", delivered=True)


class FailingSmsProvider:
    """Always fails: lets tests and drills exercise retries and the failed state."""

    def send(self, *, to: str, text: str) -> Accepted:
        raise DeliveryError("SMS gateway unavailable")


def sms_provider() -> SmsProvider:
    provider_class = import_string(
        getattr(settings, "CIVICDESK_SMS_PROVIDER", "civicdesk.notifications.channels.ConsoleSmsProvider")
    )
    return provider_class()


def send_email(*, to: str, subject: str, body: str) -> Accepted:
    message = EmailMessage(subject=subject, body=body, to=[to], from_email=settings.DEFAULT_FROM_EMAIL)
    message.extra_headers["X-Civicdesk-Id"] = uuid.uuid4().hex
    try:
        sent = message.send(fail_silently=False)
    except Exception as error:  # any backend failure is a retryable delivery failure
        raise DeliveryError(f"{type(error).__name__}: {error}") from error
    if not sent:
        raise DeliveryError("the e-mail backend accepted no message")
    # SMTP has no delivery receipt: accepted by the relay is as far as we can know.
    return Accepted(provider_message_id=message.extra_headers["X-Civicdesk-Id"], delivered=False)
