"""Citizen sign-in by one-time code: expiry, 5 tries then a 15-minute lock, hashed codes, lower-case IDs (A4.4)."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from civicdesk.applications.models import Citizen, OneTimeCode
from civicdesk.applications.signin import SignInError, SignInLockedError, code_request, code_verify

pytestmark = pytest.mark.django_db


def _sent_code() -> str:
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match is not None
    return match.group(1)


def test_code_by_email_signs_in_and_the_id_is_upper_cased() -> None:
    request = code_request(contact_kind="email", contact=" Wang@Example.TW ", id_number="a123456789")
    assert request.contact == "wang@example.tw"
    code = _sent_code()
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash  # only a keyed hash is kept
    assert len(stored.code_hash) == 64
    check = code_verify(contact_kind="email", contact="wang@example.tw", code=code)
    assert check.citizen is not None
    assert check.citizen.id_number == "A123456789"
    # A used code does not work twice.
    again = code_verify(contact_kind="email", contact="wang@example.tw", code=code)
    assert again.citizen is None


def test_code_by_sms_goes_through_the_console_gateway(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="civicdesk.applications.signin"):
        code_request(contact_kind="mobile", contact="+886 912-345-678", id_number="A123456789")
    assert "SMS to 0912345678" in caplog.text
    code = re.search(r"\b(\d{6})\b", caplog.text.split("SMS to 0912345678")[1])
    assert code is not None
    assert code_verify(contact_kind="mobile", contact="0912345678", code=code.group(1)).citizen is not None


@pytest.mark.parametrize(
    ("kind", "contact", "id_number", "message"),
    [
        ("email", "not-an-address", "A123456789", "valid e-mail"),
        ("mobile", "0212345678", "A123456789", "starting with 09"),
        ("email", "a@example.tw", "A123456788", "ID number is not valid"),
    ],
)
def test_bad_input_is_refused_with_a_reason(kind: str, contact: str, id_number: str, message: str) -> None:
    with pytest.raises(SignInError, match=message):
        code_request(contact_kind=kind, contact=contact, id_number=id_number)
    assert not mail.outbox


def test_codes_expire_after_ten_minutes() -> None:
    start = timezone.now()
    code_request(contact_kind="email", contact="a@example.tw", id_number="A123456789", now=start)
    code = _sent_code()
    late = start + datetime.timedelta(minutes=10, seconds=1)
    check = code_verify(contact_kind="email", contact="a@example.tw", code=code, now=late)
    assert check.citizen is None
    assert "expired" in check.error
    assert code_verify(
        contact_kind="email", contact="a@example.tw", code=code, now=start + datetime.timedelta(minutes=9)
    ).citizen


def test_five_wrong_codes_lock_for_fifteen_minutes_even_with_a_new_code() -> None:
    start = timezone.now()
    code_request(contact_kind="email", contact="a@example.tw", id_number="A123456789", now=start)
    right = _sent_code()
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        check = code_verify(contact_kind="email", contact="a@example.tw", code=wrong, now=start)
        assert check.attempts_left == left
    with pytest.raises(SignInLockedError):
        code_verify(contact_kind="email", contact="a@example.tw", code=wrong, now=start)
    # Locked: even the right code fails, and no new code is sent.
    with pytest.raises(SignInLockedError):
        code_verify(contact_kind="email", contact="a@example.tw", code=right, now=start)
    with pytest.raises(SignInLockedError):
        code_request(contact_kind="email", contact="a@example.tw", id_number="A123456789", now=start)
    after = start + datetime.timedelta(minutes=15, seconds=1)
    code_request(contact_kind="email", contact="a@example.tw", id_number="A123456789", now=after)
    assert code_verify(contact_kind="email", contact="a@example.tw", code=_sent_code(), now=after).citizen


def test_at_most_five_codes_an_hour() -> None:
    for _ in range(5):
        code_request(contact_kind="email", contact="a@example.tw", id_number="A123456789")
    with pytest.raises(SignInError, match="last hour"):
        code_request(contact_kind="email", contact="a@example.tw", id_number="A123456789")


def test_sign_in_pages(client: Client, organization) -> None:
    response = client.post(
        "/citizen/sign-in/",
        {"contact_kind": "email", "contact": "lin@example.tw", "id_number": "a123456789", "next": "/track/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/citizen/sign-in/code/")
    page = client.get(response["Location"]).content.decode()
    assert "lin….tw" in page  # the address is shown masked
    response = client.post("/citizen/sign-in/code/?next=/track/", {"code": _sent_code(), "next": "/track/"})
    assert response.status_code == 302
    assert response["Location"] == "/track/"
    citizen = Citizen.objects.get(contact="lin@example.tw")
    assert client.session["applications_citizen_id"] == citizen.pk
    client.post("/citizen/sign-out/")
    assert "applications_citizen_id" not in client.session


def test_sign_in_page_shows_errors(client: Client, organization) -> None:
    response = client.post(
        "/en/citizen/sign-in/", {"contact_kind": "email", "contact": "x@example.tw", "id_number": "Z1"}
    )
    assert response.status_code == 200
    assert "The ID number is not valid" in response.content.decode()


def test_gateway_sign_in_is_hidden_without_a_provider(client: Client, organization) -> None:
    assert "sign-in/gateway" not in client.get("/citizen/sign-in/").content.decode()
    assert client.get("/citizen/sign-in/gateway/").status_code == 404


class FakeGateway:
    """A stand-in gateway that accepts one code, to prove the OIDC interface end to end."""

    name = "fake"
    is_configured = True

    def start(self, *, redirect_uri: str, state: str, nonce: str) -> str:
        return f"https://gateway.example/authorize?state={state}&redirect_uri={redirect_uri}"

    def finish(self, *, redirect_uri: str, params: dict[str, str], state: str, nonce: str):
        from civicdesk.applications.identity import IdentityGatewayError, VerifiedPerson

        if params.get("state") != state or params.get("code") != "good":
            raise IdentityGatewayError("state or code does not match")
        return VerifiedPerson(subject="sub-123", id_number="A123456789", name="王小明")


def test_gateway_sign_in_through_the_interface(client: Client, organization, settings) -> None:
    settings.APPLICATIONS_IDENTITY_PROVIDER = "tests.applications.test_sign_in.FakeGateway"
    assert "sign-in/gateway" in client.get("/citizen/sign-in/").content.decode()
    start = client.get("/citizen/sign-in/gateway/")
    assert start.status_code == 302
    state = re.search(r"state=([^&]+)", start["Location"])
    assert state is not None
    bad = client.get("/citizen/sign-in/gateway/callback/", {"state": "forged", "code": "good"})
    assert bad["Location"] == "/citizen/sign-in/"
    assert "applications_citizen_id" not in client.session
    client.get("/citizen/sign-in/gateway/")
    state = client.session["applications_oidc"]["state"]
    done = client.get("/citizen/sign-in/gateway/callback/", {"state": state, "code": "good"})
    assert done.status_code == 302
    citizen = Citizen.objects.get(contact_kind="gateway")
    assert citizen.id_verified is True
    assert client.session["applications_citizen_id"] == citizen.pk
