"""Government identity gateways (citizen digital certificate 自然人憑證, TW FidO) behind one OIDC interface.

``APPLICATIONS_IDENTITY_PROVIDER`` names the class (dotted path). The default, :class:`NullIdentityProvider`,
is not configured, so the public pages offer only the one-time code. A real adapter implements
:class:`IdentityProvider` with the gateway's discovery URL, client ID and secret (see
docs/applications.md, "Government identity gateways"): ``start`` returns the authorisation URL for a
``state`` and ``nonce`` the view keeps in the session, ``finish`` exchanges the code, verifies the ID
token (issuer, audience, expiry, nonce, signature against the gateway's JWKS) and returns the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class IdentityGatewayError(Exception):
    """The gateway refused or its answer failed verification; the sign-in must not go on."""


@dataclass(frozen=True)
class VerifiedPerson:
    subject: str  # the gateway's stable identifier for the person (the `sub` claim)
    id_number: str
    name: str


class IdentityProvider(Protocol):
    name: str

    @property
    def is_configured(self) -> bool: ...

    def start(self, *, redirect_uri: str, state: str, nonce: str) -> str:
        """The URL to send the citizen's browser to."""
        ...

    def finish(self, *, redirect_uri: str, params: dict[str, str], state: str, nonce: str) -> VerifiedPerson:
        """Check the callback (state, code), exchange the code and verify the ID token; raise IdentityGatewayError."""
        ...


class NullIdentityProvider:
    """No gateway: development, tests, and deployments that offer only one-time codes."""

    name = "none"

    @property
    def is_configured(self) -> bool:
        return False

    def start(self, *, redirect_uri: str, state: str, nonce: str) -> str:
        raise IdentityGatewayError("no identity gateway is configured (APPLICATIONS_IDENTITY_PROVIDER)")

    def finish(self, *, redirect_uri: str, params: dict[str, str], state: str, nonce: str) -> VerifiedPerson:
        raise IdentityGatewayError("no identity gateway is configured (APPLICATIONS_IDENTITY_PROVIDER)")


def identity_provider() -> IdentityProvider:
    dotted = getattr(settings, "APPLICATIONS_IDENTITY_PROVIDER", "civicdesk.applications.identity.NullIdentityProvider")
    provider: IdentityProvider = import_string(dotted)()
    return provider
