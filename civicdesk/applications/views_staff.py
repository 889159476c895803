"""Back-office pages: work queue with the SLA clock, application detail and actions, counter intake."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicdesk.applications import selectors
from civicdesk.applications.catalogue import service_kind_update
from civicdesk.applications.forms import (
    ApplicationForm,
    AssignForm,
    CorrectionForm,
    CorrectionRequestForm,
    DecideForm,
    ServiceKindForm,
    StatusForm,
)
from civicdesk.applications.models import Application, Channel, ServiceKind, Status
from civicdesk.applications.services import (
    application_assign,
    application_correction_request,
    application_correction_submit,
    application_decide,
    application_status_change,
)
from civicdesk.applications.views import _submit
from civicdesk.audit.services import access_log_record
from civicdesk.core.i18n import english_active
from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff, Unit
from civicdesk.organization.permissions import Permission

PAGE_SIZE = 50


@staff_required(Permission.APPLICATIONS_APPLICATION_VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    kind = request.GET.get("kind", "")
    unit = request.GET.get("unit", "")
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        status = ""
    applications = selectors.work_queue(staff=staff, kind=kind, unit=unit, status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"application": a, "sla": selectors.sla_state(a)} for a in page.object_list]
    return render(
        request,
        "applications/staff/queue.html",
        {
            "rows": rows,
            "page": page,
            "kinds": ServiceKind.objects.filter(trackable_by=ServiceKind.TrackableBy.APPLICATION),
            "units": Unit.objects.visible_to(staff).filter(is_active=True),
            "statuses": Status.choices,
            "selected": {"kind": kind, "unit": unit, "status": status},
        },
    )


def _application(request: HttpRequest, reference: str, purpose: str) -> Application:
    staff: Staff = request.user  # type: ignore[assignment]
    application = selectors.applications_visible_to(staff).filter(reference=reference).first()
    if application is None:
        raise Http404
    access_log_record(staff=staff, record_type="application", record_id=reference, purpose=purpose, request=request)
    return application


def _detail_context(application: Application, **forms: Form) -> dict[str, Any]:
    english = english_active()
    labels = {spec["name"]: spec["label_en"] if english else spec["label_zh"] for spec in application.kind.form_fields}
    context: dict[str, Any] = {
        "application": application,
        "details": [(labels.get(key, key), value) for key, value in application.details.items()],
        "sla": selectors.sla_state(application),
        "events": application.events.select_related("actor").order_by("at", "id"),
        "documents": application.documents.all(),
        "assign_form": AssignForm(branch_id=application.branch_id, initial={"assignee": application.assignee_id}),
        "status_form": StatusForm(),
        "correction_form": CorrectionRequestForm(),
        "received_form": CorrectionForm(),
        "decide_form": DecideForm(),
        "can_process": False,
    }
    context.update(forms)
    return context


@staff_required(Permission.APPLICATIONS_APPLICATION_VIEW)
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference, "work on the application")
    context = _detail_context(application)
    context["can_process"] = request.user.has_permission(Permission.APPLICATIONS_APPLICATION_PROCESS)  # type: ignore[union-attr]
    return render(request, "applications/staff/detail.html", context)


def _assign(request: HttpRequest, application: Application, staff: Staff) -> Form:
    form = AssignForm(request.POST, branch_id=application.branch_id)
    if form.is_valid():
        application_assign(
            application=application,
            staff=staff,
            assignee=form.cleaned_data["assignee"],
            staff_note=form.cleaned_data["staff_note"],
        )
    return form


def _status(request: HttpRequest, application: Application, staff: Staff) -> Form:
    form = StatusForm(request.POST)
    if form.is_valid():
        application_status_change(application=application, staff=staff, **form.cleaned_data)
    return form


def _correction(request: HttpRequest, application: Application, staff: Staff) -> Form:
    form = CorrectionRequestForm(request.POST)
    if form.is_valid():
        application_correction_request(application=application, staff=staff, **form.cleaned_data)
    return form


def _correction_received(request: HttpRequest, application: Application, staff: Staff) -> Form:
    form = CorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        application_correction_submit(
            application=application,
            citizen=None,
            staff=staff,
            note=form.cleaned_data["note"] or _("Documents received at the counter or by post."),
            uploads=form.cleaned_data.get("documents") or [],
        )
    return form


def _decide(request: HttpRequest, application: Application, staff: Staff) -> Form:
    form = DecideForm(request.POST)
    if form.is_valid():
        application_decide(application=application, staff=staff, **form.cleaned_data)
    return form


ACTIONS: dict[str, tuple[Callable[[HttpRequest, Application, Staff], Form], Callable[[HttpRequest], Form], str]] = {
    "assign": (_assign, lambda r: AssignForm(r.POST, branch_id=0), "assign_form"),
    "status": (_status, lambda r: StatusForm(r.POST), "status_form"),
    "correction": (_correction, lambda r: CorrectionRequestForm(r.POST), "correction_form"),
    "correction-received": (_correction_received, lambda r: CorrectionForm(r.POST), "received_form"),
    "decide": (_decide, lambda r: DecideForm(r.POST), "decide_form"),
}


@require_POST
@staff_required(Permission.APPLICATIONS_APPLICATION_PROCESS)
def action(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    """One staff action on an application; a service error goes back on the action's form (status 400)."""
    if name not in ACTIONS:
        raise Http404
    handler, _blank, form_name = ACTIONS[name]
    staff: Staff = request.user  # type: ignore[assignment]
    application = _application(request, reference, f"application action: {name}")
    form = None
    try:
        form = handler(request, application, staff)
    except ValidationError as error:
        form = form or _rebuild(request, application, name)
        for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
    if form.is_valid() and not form.errors:
        status_label = Application.objects.get(pk=application.pk).get_status_display()
        messages.success(request, _("Saved. Status: %(status)s") % {"status": status_label})
        return HttpResponseRedirect(reverse("applications:staff-detail", args=[reference]))
    application.refresh_from_db()
    context = _detail_context(application, **{form_name: form})
    context["can_process"] = True
    context["failed_form"] = form
    return render(request, "applications/staff/detail.html", context, status=400)


def _rebuild(request: HttpRequest, application: Application, name: str) -> Form:
    """The bound form of an action, to carry a service error back to the page."""
    if name == "assign":
        form: Form = AssignForm(request.POST, branch_id=application.branch_id)
    elif name == "correction-received":
        form = CorrectionForm(request.POST, request.FILES)
    else:
        form = ACTIONS[name][1](request)
    form.is_valid()
    return form


@staff_required(Permission.APPLICATIONS_APPLICATION_PROCESS)
def counter(request: HttpRequest) -> HttpResponse:
    kinds = ServiceKind.objects.filter(trackable_by=ServiceKind.TrackableBy.APPLICATION, is_published=True)
    return render(request, "applications/staff/counter.html", {"kinds": kinds})


@require_http_methods(["GET", "POST"])
@staff_required(Permission.APPLICATIONS_APPLICATION_PROCESS)
def counter_apply(request: HttpRequest, code: str) -> HttpResponse:
    kind = ServiceKind.objects.filter(code=code, trackable_by=ServiceKind.TrackableBy.APPLICATION).first()
    if kind is None or Channel.COUNTER not in kind.channels:
        raise Http404
    form = ApplicationForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        application = _submit(request, form, kind=kind, channel=Channel.COUNTER, citizen=None, staff=request.user)
        if application is not None:
            messages.success(request, application.reference)
            return HttpResponseRedirect(reverse("applications:receipt", args=[application.reference]))
    return render(request, "applications/staff/counter_apply.html", {"kind": kind, "form": form})


@staff_required(Permission.APPLICATIONS_CATALOGUE_EDIT)
def catalogue_list(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/staff/catalogue.html", {"kinds": ServiceKind.objects.all()})


@require_http_methods(["GET", "POST"])
@staff_required(Permission.APPLICATIONS_CATALOGUE_EDIT)
def catalogue_edit(request: HttpRequest, code: str) -> HttpResponse:
    kind = ServiceKind.objects.filter(code=code).first()
    if kind is None:
        raise Http404
    form = ServiceKindForm(request.POST or None, instance=ServiceKind.objects.get(pk=kind.pk))
    if request.method == "POST" and form.is_valid():
        try:
            service_kind_update(
                kind=kind, staff=request.user, values={name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The service “%(service)s” was saved.") % {"service": kind.title})
            return HttpResponseRedirect(reverse("applications:staff-catalogue"))
    return render(request, "applications/staff/catalogue_edit.html", {"kind": kind, "form": form})
