"""Public pages: catalogue, citizen sign-in, apply, receipt, correction, documents, progress query."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicdesk.applications import selectors
from civicdesk.applications.forms import ApplicationForm, CitizenSignInForm, CodeForm, CorrectionForm, TrackForm
from civicdesk.applications.identity import IdentityGatewayError, identity_provider
from civicdesk.applications.models import Application, ApplicationDocument, Channel, Citizen, ServiceKind, Status
from civicdesk.applications.receipts import receipt_pdf
from civicdesk.applications.services import application_correction_submit, application_submit
from civicdesk.applications.signin import SignInError, citizen_from_gateway, code_request, code_verify
from civicdesk.applications.tracking import progress_for, track_query
from civicdesk.audit.services import access_log_record, client_ip
from civicdesk.core.i18n import active_language
from civicdesk.organization.access import staff_is_fully_signed_in
from civicdesk.organization.permissions import Permission

CITIZEN_SESSION_KEY = "applications_citizen_id"
PENDING_KEY = "applications_sign_in_pending"
CITIZEN_SESSION_SECONDS = 30 * 60


# --- citizen session -------------------------------------------------------------------------------


def current_citizen(request: HttpRequest) -> Citizen | None:
    citizen_id = request.session.get(CITIZEN_SESSION_KEY)
    if citizen_id is None:
        return None
    return Citizen.objects.filter(pk=citizen_id).first()


def _citizen_login(request: HttpRequest, citizen: Citizen) -> None:
    request.session.cycle_key()
    request.session[CITIZEN_SESSION_KEY] = citizen.pk
    request.session.pop(PENDING_KEY, None)
    request.session.set_expiry(CITIZEN_SESSION_SECONDS)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return next_url
    return fallback


def _staff_viewer(request: HttpRequest) -> Any | None:
    """The signed-in member of staff allowed to see applications, if any."""
    if staff_is_fully_signed_in(request) and request.user.has_permission(  # type: ignore[union-attr]
        Permission.APPLICATIONS_APPLICATION_VIEW
    ):
        return request.user
    return None


# --- catalogue ------------------------------------------------------------------------------------


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/catalogue.html", {"services": selectors.catalogue_published()})


@require_GET
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    kind = selectors.service_published(code=code)
    if kind is None:
        raise Http404
    return render(
        request,
        "applications/service.html",
        {
            "kind": kind,
            "citizen": current_citizen(request),
            "case_tracking": bool(getattr(settings, "APPLICATIONS_CASE_TRACKER", "")),
        },
    )


# --- sign-in --------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponseBase:
    next_url = _safe_next(request, reverse("applications:mine"))
    form = CitizenSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = code_request(
                contact_kind=form.cleaned_data["contact_kind"],
                contact=form.cleaned_data["contact"],
                id_number=form.cleaned_data["id_number"],
            )
        except SignInError as error:
            form.add_error(None, str(error))
        else:
            request.session[PENDING_KEY] = {"kind": form.cleaned_data["contact_kind"], "contact": sent.contact}
            return redirect(f"{reverse('applications:sign-in-code')}?{urlencode({'next': next_url})}")
    return render(
        request,
        "applications/sign_in.html",
        {"form": form, "next": next_url, "gateway": identity_provider().is_configured},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponseBase:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect("applications:sign-in")
    next_url = _safe_next(request, reverse("applications:mine"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = code_verify(
                contact_kind=pending["kind"], contact=pending["contact"], code=form.cleaned_data["code"]
            )
        except SignInError as error:
            form.add_error(None, str(error))
        else:
            if check.citizen is not None:
                _citizen_login(request, check.citizen)
                messages.success(request, _("You are signed in."))
                return redirect(next_url)
            form.add_error("code", check.error)
    masked = pending["contact"][:3] + "…" + pending["contact"][-3:]
    return render(request, "applications/sign_in_code.html", {"form": form, "next": next_url, "sent_to": masked})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(CITIZEN_SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(request, _("You have signed out."))
    return redirect("applications:catalogue")


@never_cache
@require_GET
def sign_in_gateway(request: HttpRequest) -> HttpResponseBase:
    provider = identity_provider()
    if not provider.is_configured:
        raise Http404
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    request.session["applications_oidc"] = {"state": state, "nonce": nonce, "next": _safe_next(request, "")}
    redirect_uri = request.build_absolute_uri(reverse("applications:sign-in-gateway-callback"))
    return redirect(provider.start(redirect_uri=redirect_uri, state=state, nonce=nonce))


@never_cache
@require_GET
def sign_in_gateway_callback(request: HttpRequest) -> HttpResponseBase:
    provider = identity_provider()
    pending = request.session.pop("applications_oidc", None)
    if not provider.is_configured or not pending:
        raise Http404
    redirect_uri = request.build_absolute_uri(reverse("applications:sign-in-gateway-callback"))
    try:
        person = provider.finish(
            redirect_uri=redirect_uri,
            params={key: str(value) for key, value in request.GET.items()},
            state=pending["state"],
            nonce=pending["nonce"],
        )
    except IdentityGatewayError:
        messages.error(request, _("The identity gateway could not confirm who you are. Please try again."))
        return redirect("applications:sign-in")
    citizen = citizen_from_gateway(id_number=person.id_number, name=person.name, subject=person.subject)
    _citizen_login(request, citizen)
    return redirect(pending.get("next") or reverse("applications:mine"))


# --- applying -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponseBase:
    kind = selectors.service_published(code=code)
    if kind is None or not kind.accepts_online:
        raise Http404
    citizen = current_citizen(request)
    if citizen is None:
        return redirect(f"{reverse('applications:sign-in')}?{urlencode({'next': request.path})}")
    form = ApplicationForm(request.POST or None, request.FILES or None, kind=kind, citizen=citizen)
    if request.method == "POST" and form.is_valid():
        application = _submit(request, form, kind=kind, channel=Channel.ONLINE, citizen=citizen, staff=None)
        if application is not None:
            return redirect("applications:receipt", reference=application.reference)
    return render(request, "applications/apply.html", {"kind": kind, "form": form, "citizen": citizen})


def _submit(
    request: HttpRequest,
    form: ApplicationForm,
    *,
    kind: ServiceKind,
    channel: str,
    citizen: Citizen | None,
    staff: Any | None,
) -> Application | None:
    """Shared by the online and the counter flow; puts service errors back on the form."""
    details = form.details()
    try:
        return application_submit(
            kind=kind,
            channel=channel,
            applicant_name=form.cleaned_data["applicant_name"],
            id_number=form.cleaned_data["id_number"],
            email=form.cleaned_data.get("email") or "",
            mobile=form.cleaned_data.get("mobile") or "",
            case_number=str(details.get("case_number", "")),
            details=details,
            verification=form.cleaned_data["verification"],
            uploads=form.cleaned_data.get("documents") or [],
            citizen=citizen,
            received_by=staff,
            language=active_language(),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return None


def _application_for_viewer(request: HttpRequest, reference: str, purpose: str) -> Application:
    """The application if the signed-in citizen owns it or a member of staff may see it (logged); else 404."""
    citizen = current_citizen(request)
    if citizen is not None:
        application = selectors.application_for_citizen(citizen=citizen, reference=reference)
        if application is not None:
            return application
    staff = _staff_viewer(request)
    if staff is not None:
        application = selectors.applications_visible_to(staff).filter(reference=reference).first()
        if application is not None:
            access_log_record(
                staff=staff, record_type="application", record_id=reference, purpose=purpose, request=request
            )
            return application
    raise Http404


@never_cache
@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application_for_viewer(request, reference, "receipt")
    return render(
        request,
        "applications/receipt.html",
        {"application": application, "progress": progress_for(application), "staff_view": _staff_viewer(request)},
    )


@never_cache
@require_GET
def receipt_download(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application_for_viewer(request, reference, "receipt PDF")
    content = receipt_pdf(application=application, language=active_language())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{application.reference}.pdf"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, reference: str) -> HttpResponseBase:
    citizen = current_citizen(request)
    if citizen is None:
        return redirect(f"{reverse('applications:sign-in')}?{urlencode({'next': request.path})}")
    application = selectors.application_for_citizen(citizen=citizen, reference=reference)
    if application is None:
        raise Http404
    if application.status != Status.CORRECTION:
        messages.info(request, _("This application is not waiting for documents from you."))
        return redirect("applications:receipt", reference=reference)
    form = CorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_correction_submit(
                application=application,
                citizen=citizen,
                note=form.cleaned_data["note"],
                uploads=form.cleaned_data.get("documents") or [],
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Thank you. We received your documents and processing goes on."))
            return redirect("applications:receipt", reference=reference)
    return render(
        request,
        "applications/correction.html",
        {"application": application, "form": form, "progress": progress_for(application)},
    )


@never_cache
@require_GET
def document_download(request: HttpRequest, token: str) -> FileResponse:
    document = ApplicationDocument.objects.select_related("application").filter(token=token).first()
    if document is None:
        raise Http404
    _application_for_viewer(request, document.application.reference, f"document {document.pk}")
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.token}.{document.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponseBase:
    citizen = current_citizen(request)
    if citizen is None:
        return redirect(f"{reverse('applications:sign-in')}?{urlencode({'next': request.path})}")
    applications = list(selectors.citizen_applications(citizen=citizen))
    return render(
        request,
        "applications/mine.html",
        {"citizen": citizen, "items": [progress_for(a) for a in applications], "applications": applications},
    )


# --- progress query -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if request.method == "POST":
        form = TrackForm(request.POST)
        result = None
        status = 200
        if form.is_valid():
            result = track_query(
                reference=form.cleaned_data["reference"],
                id_last4=form.cleaned_data["id_last4"],
                ip=client_ip(request),
                via="web",
                citizen=citizen,
            )
            if result.outcome != "found":
                form.add_error(None, result.message)
            if result.outcome == "limited":
                status = 429
        response = render(
            request,
            "applications/track.html",
            {"form": form, "progress": result.progress if result else None, "citizen": citizen},
            status=status,
        )
        if result is not None and result.outcome == "limited":
            response["Retry-After"] = str(result.retry_after)
        return response
    form = TrackForm(initial={"reference": request.GET.get("reference", "")[:80]})
    return render(request, "applications/track.html", {"form": form, "progress": None, "citizen": citizen})
