"""Plan figures: trackable kinds, share online, share e-transcript, share within the limit, receipts."""

from __future__ import annotations

import datetime

import pytest

from civicdesk.applications import metrics
from civicdesk.applications.models import Channel, Verification
from civicdesk.applications.services import application_decide
from civicdesk.notifications.models import Notification
from civicdesk.organization.permissions import Role

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
PERIOD = {"branch_code": "TCH", "start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 3, 31)}


def test_metrics_without_data_say_so(catalogue, settings) -> None:
    assert metrics.trackable_kinds(**PERIOD) == 6  # the cases app answers case-number look-ups
    settings.APPLICATIONS_CASE_TRACKER = ""
    assert metrics.trackable_kinds(**PERIOD) == 5  # without a case look-up the case-status kind does not count
    assert metrics.share_online(**PERIOD) is None
    assert metrics.share_electronic_transcript(**PERIOD) is None
    assert metrics.share_decided_within_limit(**PERIOD) is None
    assert metrics.receipts_sent(**PERIOD) is None


def test_metrics_count_the_period(make_application, make_staff) -> None:
    clerk = make_staff(Role.SUBDIVISION_CLERK, unit="S01")
    first = make_application(now=DAY, verification=Verification.ELECTRONIC)
    make_application(now=DAY, verification=Verification.PAPER)
    make_application(now=DAY, channel=Channel.COUNTER, citizen=None, received_by=clerk)
    make_application(now=DAY + datetime.timedelta(days=60))  # outside the period
    assert metrics.share_online(**PERIOD) == round(2 / 3, 4)
    assert metrics.share_electronic_transcript(**PERIOD) == round(1 / 3, 4)
    application_decide(application=first, staff=clerk, outcome="approved", citizen_note="ok", now=DAY)
    assert metrics.share_decided_within_limit(**PERIOD) == 1.0
    Notification.objects.filter(topic="applications.receipt").update(created_at=DAY)
    receipt = Notification.objects.filter(topic="applications.receipt").first()
    assert receipt is not None
    receipt.status = Notification.Status.FAILED
    receipt.save()
    assert metrics.receipts_failed(**PERIOD) == 1
    assert metrics.receipts_sent(**PERIOD) == 0  # the rest are still queued (sent after commit)
