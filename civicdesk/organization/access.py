"""The one decorator staff views use: signed in, second factor when required, and a permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from civicdesk.organization.permissions import Permission

View = Callable[..., HttpResponse]


def staff_is_fully_signed_in(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    # OTPMiddleware adds is_verified(): true when this session passed a second factor.
    return not (settings.STAFF_OTP_REQUIRED and not user.is_verified())  # type: ignore[attr-defined]


def staff_required(permission: Permission | None = None) -> Callable[[View], View]:
    """Redirect anonymous visitors to sign in; answer 403 to staff who lack `permission`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not staff_is_fully_signed_in(request):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if permission is not None and not request.user.has_permission(permission):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
