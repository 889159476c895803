"""Messages to citizens and staff about an application, queued in the notifications outbox (A2.4).

Receipt, correction needed (補正), decided, deadline at risk. Each goes by e-mail and/or SMS to the
contacts the application carries, in the language the citizen used, with a dedupe key so the same
event never sends twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civicdesk.applications.models import Application, ApplicationEvent
from civicdesk.core.i18n import inside_sentence
from civicdesk.core.roc_dates import format_roc
from civicdesk.notifications.services import notification_enqueue


def _date(application: Application) -> str:
    if application.language.startswith("en"):
        return application.due_date.isoformat()
    return format_roc(application.due_date, style="chinese")


def _send(*, application: Application, topic: str, subject: str, body: str, key: str, at: datetime.datetime) -> int:
    """Queue the message on every channel the application has; returns how many were queued."""
    queued = 0
    for channel, recipient in (("email", application.email), ("sms", application.mobile)):
        if not recipient:
            continue
        notification_enqueue(
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body if channel == "email" else f"{subject}: {body}",
            topic=topic,
            branch_code=application.branch.code,
            related=f"application:{application.reference}",
            dedupe_key=f"applications:{application.reference}:{key}:{channel}",
        )
        queued += 1
    if queued:
        ApplicationEvent.objects.create(
            application=application,
            at=at,
            kind=ApplicationEvent.Kind.MESSAGE_QUEUED,
            public=False,
            payload={"topic": topic, "channels": queued},
        )
    return queued


def notice_receipt(*, application: Application, at: datetime.datetime) -> int:
    with translation.override(application.language):
        track = getattr(settings, "CIVICDESK_PUBLIC_URL", "").rstrip("/") + reverse("applications:track")
        subject = _("Application received: %(reference)s") % {"reference": application.reference}
        body = _(
            "We received your application “%(service)s” (reference %(reference)s). "
            "We will reply by %(due)s. Track it at %(track)s with the reference and the last 4 digits of your ID "
            "number. Contact: %(contact)s"
        ) % {
            "service": application.kind.title,
            "reference": application.reference,
            "due": _date(application),
            "track": track,
            "contact": application.kind.contact,
        }
    return _send(
        application=application, topic="applications.receipt", subject=subject, body=body, key="receipt", at=at
    )


def notice_correction(*, application: Application, note: str, sequence: int, at: datetime.datetime) -> int:
    with translation.override(application.language):
        subject = _("Documents needed for %(reference)s") % {"reference": application.reference}
        body = _(
            "To go on with your application %(reference)s we need: %(note)s. "
            "The time limit is paused until we receive it. Sign in or come to the counter to send it."
        ) % {"reference": application.reference, "note": inside_sentence(note)}
    return _send(
        application=application,
        topic="applications.correction",
        subject=subject,
        body=body,
        key=f"correction-{sequence}",
        at=at,
    )


def notice_decided(*, application: Application, note: str, at: datetime.datetime) -> int:
    with translation.override(application.language):
        subject = _("Decision on %(reference)s") % {"reference": application.reference}
        body = _("Your application %(reference)s has been decided: %(outcome)s. %(note)s") % {
            "reference": application.reference,
            "outcome": application.get_outcome_display(),
            "note": note,
        }
    return _send(
        application=application, topic="applications.decided", subject=subject, body=body, key="decided", at=at
    )


def notice_deadline_at_risk(*, application: Application) -> int:
    """Tell the handling officer (by e-mail) that the due date is near; returns 1 when a message was queued."""
    assignee = application.assignee
    if assignee is None or not assignee.email:
        return 0
    subject = _("Deadline at risk: %(reference)s") % {"reference": application.reference}
    body = _("Application %(reference)s (%(service)s) is due on %(due)s and is not decided yet.") % {
        "reference": application.reference,
        "service": application.kind.title,
        "due": format_roc(application.due_date, style="chinese"),
    }
    notification_enqueue(
        channel="email",
        recipient=assignee.email,
        subject=subject,
        body=body,
        topic="applications.deadline_at_risk",
        branch_code=application.branch.code,
        related=f"application:{application.reference}",
        dedupe_key=f"applications:{application.reference}:at-risk:{application.due_date.isoformat()}",
    )
    return 1
