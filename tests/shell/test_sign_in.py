"""Staff sign-in: password, TOTP second factor, lockout, and every event on the security ledger."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicdesk.audit.ledger import SECURITY_LEDGER, ledger_verify
from civicdesk.audit.models import LedgerEntry
from civicdesk.organization.permissions import Role
from tests.conftest import PASSWORD

LOGIN = reverse("shell:staff-login")


def _actions() -> list[str]:
    return list(
        LedgerEntry.objects.filter(ledger=SECURITY_LEDGER).order_by("sequence").values_list("action", flat=True)
    )


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def officer(make_staff):
    return make_staff(Role.ENFORCEMENT_OFFICER, unit="S01", username="officer1")


def test_sign_in_and_out_are_recorded(client: Client, officer) -> None:
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("shell:staff-home")
    assert client.get(reverse("shell:staff-home")).status_code == 200
    client.post(reverse("shell:staff-logout"))
    assert client.get(reverse("shell:staff-home")).status_code == 302
    assert _actions() == ["staff.signed_in", "staff.signed_out"]
    assert ledger_verify(ledger=SECURITY_LEDGER).intact


def test_failed_sign_in_is_recorded_without_the_password(client: Client, officer) -> None:
    response = client.post(LOGIN, {"username": "officer1", "password": "wrong-password"})
    assert response.status_code == 200
    assert "和密碼" in response.content.decode()  # Django's own zh-Hant message
    entry = LedgerEntry.objects.get(ledger=SECURITY_LEDGER)
    assert entry.action == "staff.sign_in_failed"
    assert entry.actor == "officer1"
    assert "wrong-password" not in str(entry.payload)


def test_five_failures_lock_the_account_for_fifteen_minutes(client: Client, officer) -> None:
    for _ in range(5):
        client.post(LOGIN, {"username": "officer1", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD})
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert "staff.signed_in" not in _actions()


def test_safe_next_url_is_followed_and_foreign_one_ignored(client: Client, officer) -> None:
    target = reverse("organization:directory")
    response = client.post(f"{LOGIN}?next={target}", {"username": "officer1", "password": PASSWORD, "next": target})
    assert response["Location"] == target
    client.post(reverse("shell:staff-logout"))
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("shell:staff-home")


def test_staff_with_an_authenticator_must_give_a_code(client: Client, officer) -> None:
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD})
    assert response.status_code == 200
    assert "驗證碼" in response.content.decode()
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD, "otp_token": "000000"})
    assert response.status_code == 200
    assert _actions().count("staff.sign_in_failed") == 1  # the wrong code counts as a failure
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD, "otp_token": _code(device)})
    assert response.status_code == 302


@override_settings(STAFF_OTP_REQUIRED=True)
def test_when_otp_is_required_a_password_alone_never_signs_in(client: Client, officer) -> None:
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD})
    assert response.status_code == 200
    assert "staff.signed_in" not in _actions()
    # A session that somehow has only the first factor is not let in either.
    client.force_login(officer)
    assert client.get(reverse("shell:staff-home")).status_code == 302


@override_settings(STAFF_OTP_REQUIRED=True)
def test_otp_required_sign_in_succeeds_with_a_code(client: Client, officer) -> None:
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    response = client.post(LOGIN, {"username": "officer1", "password": PASSWORD, "otp_token": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse("shell:staff-home")).status_code == 200


def test_enrolling_an_authenticator(client: Client, officer) -> None:
    client.force_login(officer)
    page = client.get(reverse("shell:staff-two-factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post(
        reverse("shell:staff-two-factor"), {"token": "123456" if _code(device) != "123456" else "654321"}
    )
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("shell:staff-two-factor"), {"token": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1
    assert "staff.totp_enrolled" in _actions()


def test_administrator_can_enrol_an_authenticator_from_the_command_line(officer) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("staff_totp_enrol", "officer1", stdout=out)
    assert "enter the key:" in out.getvalue()
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1
    assert "staff.totp_enrolled_by_administrator" in _actions()
