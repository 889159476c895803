"""Public home (with sections from apps), staff home, sign-in/out, two-step enrolment, health check, error pages."""

from __future__ import annotations

from typing import Any

import segno
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicdesk.organization.access import staff_is_fully_signed_in, staff_required
from civicdesk.shell.forms import StaffSignInForm, TotpConfirmForm
from civicdesk.shell.services import totp_device_confirm, totp_device_start


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    sections = home_sections(request)
    return render(
        request,
        "shell/home.html",
        {
            "services": public_modules(),
            "sections": sections,
            # An app's editable welcome text takes the place of the built-in one.
            "own_welcome": any(section.get("replaces_welcome") for section in sections),
        },
    )


def home_sections(request: HttpRequest) -> list[dict[str, Any]]:
    """Parts of the home page that installed apps declare as `home_sections` (dotted paths of callables)."""
    sections = []
    for config in apps.get_app_configs():
        for path in getattr(config, "home_sections", []):
            section = import_string(path)(request)
            if section is not None:
                html = render_to_string(section["template"], section["context"], request=request)
                sections.append({**section, "html": html})
    return sections


def public_modules() -> list[dict[str, str]]:
    """Citizen-facing entries that installed apps declare as `public_menu` on their AppConfig."""
    entries = []
    for config in apps.get_app_configs():
        for url_name, title, description in getattr(config, "public_menu", []):
            entries.append({"url": reverse(url_name), "title": str(title), "description": str(description)})
    return entries


def staff_modules(user: Any) -> list[dict[str, str]]:
    """Back-office entries that installed apps declare as `staff_menu`, filtered by permission."""
    entries = []
    for config in apps.get_app_configs():
        for url_name, title, permission in getattr(config, "staff_menu", []):
            if permission is not None and not user.has_permission(permission):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # an app may declare an entry its URLconf does not mount
                continue
            entries.append({"url": url, "title": str(title), "app": str(config.verbose_name)})
    return entries


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "shell/staff_home.html", {"modules": staff_modules(request.user)})


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponseBase:
    if staff_is_fully_signed_in(request):
        return redirect("shell:staff-home")
    form = StaffSignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        if form.otp_device is not None:
            otp_login(request, form.otp_device)
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse(settings.LOGIN_REDIRECT_URL)
        return redirect(next_url)
    return render(request, "shell/staff_login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@staff_required()
def staff_two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol (or replace) the signed-in staff member's authenticator app."""
    staff = request.user
    device_id = request.session.get("totp_enrolment_device")
    device = TOTPDevice.objects.filter(pk=device_id, user=staff, confirmed=False).first() if device_id else None
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if totp_device_confirm(staff=staff, device=device, token=form.cleaned_data["token"]):  # type: ignore[arg-type]
            del request.session["totp_enrolment_device"]
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up. You will need a code at each sign-in."))
            return redirect("shell:staff-home")
        form.add_error("token", _("That code does not match. Check the time on your phone and try again."))
    if device is None:
        device = totp_device_start(staff=staff)  # type: ignore[arg-type]
        request.session["totp_enrolment_device"] = device.pk
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    has_confirmed = TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    return render(
        request,
        "shell/staff_two_factor.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "has_confirmed": has_confirmed,
        },
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001  (any database failure means unhealthy)
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the context processors' database reads: the database may be what failed.
    return render(request, "500.html", status=500)
