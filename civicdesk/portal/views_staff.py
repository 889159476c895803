"""Staff pages: pages with their revisions and workflow, documents, FAQ, parity and link reports."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.portal import selectors, services
from civicdesk.portal.forms import DocumentForm, FaqForm, PageForm
from civicdesk.portal.models import (
    CONTENT_FIELDS,
    Document,
    Faq,
    LinkCheckRun,
    Page,
    PageEvent,
    PageRevision,
    RevisionState,
    UnansweredSearch,
)
from civicdesk.portal.views import _page_view


def _staff(request: HttpRequest) -> Staff:
    return request.user  # type: ignore[return-value]


def _form_errors(form: PageForm | DocumentForm | FaqForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@staff_required(Permission.PORTAL_PAGE_EDIT)
def page_list(request: HttpRequest) -> HttpResponse:
    pending = PageRevision.objects.filter(
        state__in=[RevisionState.DRAFT, RevisionState.IN_REVIEW, RevisionState.SCHEDULED, RevisionState.REJECTED]
    ).order_by("-number")
    pages = Page.objects.prefetch_related(Prefetch("revisions", queryset=pending, to_attr="pending"))
    state = request.GET.get("state", "")
    if state in RevisionState.values:
        pages = pages.filter(revisions__state=state).distinct()
    rows = [{"page": page, "pending": page.pending[0] if page.pending else None} for page in pages]
    return render(
        request, "portal/staff/page_list.html", {"rows": rows, "state": state, "states": RevisionState.choices}
    )


@staff_required(Permission.PORTAL_PAGE_EDIT)
def page_new(request: HttpRequest) -> HttpResponse:
    form = PageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.page_create(
                actor=_staff(request),
                slug=form.cleaned_data["slug"],
                kind=form.cleaned_data["kind"],
                sort_order=form.cleaned_data["sort_order"],
                content=form.content(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The page is saved as a draft."))
            return redirect("portal:staff-page", pk=page.pk)
    return render(request, "portal/staff/page_form.html", {"form": form, "page": None})


@staff_required(Permission.PORTAL_PAGE_EDIT)
def page_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=pk)
    latest = page.revisions.order_by("-number").first()
    initial = dict(latest.content) if latest else {name: getattr(page, name) for name in CONTENT_FIELDS}
    initial.update({"slug": page.slug, "kind": page.kind, "sort_order": page.sort_order})
    form = PageForm(request.POST or None, initial=initial, page=page)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.page_draft_save(
                actor=_staff(request),
                page=page,
                content=form.content(),
                kind=form.cleaned_data["kind"],
                sort_order=form.cleaned_data["sort_order"],
            )
            if request.POST.get("submit_for_review"):
                services.page_revision_submit(actor=_staff(request), revision=revision)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved as revision %(number)s.") % {"number": revision.number})
            return redirect("portal:staff-page", pk=page.pk)
    return render(request, "portal/staff/page_form.html", {"form": form, "page": page})


@staff_required(Permission.PORTAL_PAGE_EDIT)
def page_manage(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=pk)
    revisions = page.revisions.select_related("created_by", "reviewed_by").order_by("-number")[:30]
    events = PageEvent.objects.filter(page=page).select_related("actor", "revision")[:50]
    return render(
        request,
        "portal/staff/page_manage.html",
        {
            "page": page,
            "revisions": revisions,
            "events": events,
            "can_publish": _staff(request).has_permission(Permission.PORTAL_PAGE_PUBLISH),
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )


@staff_required(Permission.PORTAL_PAGE_EDIT)
def revision_preview(request: HttpRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(PageRevision.objects.select_related("page"), pk=pk)
    preview = Page(pk=revision.page.pk, slug=revision.page.slug, kind=revision.page.kind, live=False)
    for name in CONTENT_FIELDS:
        setattr(preview, name, revision.value(name))
    context = _page_view(request, preview, preview=True)
    context.update({"documents": [], "faqs": [], "revision": revision})
    return render(request, "portal/page.html", context)


def _publish_time(raw: str) -> datetime | None:
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise ValidationError(_("The publication time %(value)s is not a date and time.") % {"value": raw})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@require_POST
@staff_required(Permission.PORTAL_PAGE_EDIT)
def revision_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    revision = get_object_or_404(PageRevision.objects.select_related("page"), pk=pk)
    actor = _staff(request)
    try:
        if action == "submit":
            services.page_revision_submit(actor=actor, revision=revision)
            messages.success(request, _("Sent for review."))
        elif action == "publish":
            publish_at = _publish_time(request.POST.get("publish_at", ""))
            services.page_revision_publish(actor=actor, revision=revision, publish_at=publish_at)
            if revision.state == RevisionState.SCHEDULED:
                messages.success(request, _("Scheduled for publication."))
            else:
                messages.success(request, _("Published."))
        elif action == "reject":
            services.page_revision_reject(actor=actor, revision=revision, note=request.POST.get("note", ""))
            messages.success(request, _("Returned to the editor."))
        elif action == "unpublish":
            services.page_unpublish(actor=actor, page=revision.page)
            messages.success(request, _("The page is no longer public."))
        else:
            raise Http404("no such action")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("portal:staff-page", pk=revision.page.pk)


@staff_required(Permission.PORTAL_PAGE_EDIT)
def document_list(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("toggle"):
        document = get_object_or_404(Document, pk=request.POST["toggle"])
        services.document_set_live(actor=actor, document=document, live=not document.live)
        return redirect("portal:staff-documents")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            services.document_create(actor=actor, upload=upload, **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The document is uploaded. Publish it when it is ready."))
            return redirect("portal:staff-documents")
    documents = Paginator(Document.objects.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff/documents.html",
        {"form": form, "documents": documents, "can_publish": actor.has_permission(Permission.PORTAL_PAGE_PUBLISH)},
    )


@staff_required(Permission.PORTAL_PAGE_EDIT)
def faq_list(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    if request.method == "POST" and request.POST.get("toggle"):
        faq = get_object_or_404(Faq, pk=request.POST["toggle"])
        services.faq_set_live(actor=actor, faq=faq, live=not faq.live)
        return redirect("portal:staff-faq")
    return render(
        request,
        "portal/staff/faq.html",
        {
            "questions": Faq.objects.select_related("category").order_by("category__sort_order", "sort_order", "id"),
            "unhelpful": selectors.faq_needing_attention(),
            "unanswered": UnansweredSearch.objects.all()[:100],
            "can_publish": actor.has_permission(Permission.PORTAL_PAGE_PUBLISH),
        },
    )


@staff_required(Permission.PORTAL_PAGE_EDIT)
def faq_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    faq = get_object_or_404(Faq, pk=pk) if pk else None
    form = FaqForm(request.POST or None, instance=faq)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        related = list(data.pop("related_pages") or [])
        try:
            services.faq_save(actor=_staff(request), faq=faq, related_pages=related, **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("portal:staff-faq")
    return render(request, "portal/staff/faq_form.html", {"form": form, "faq": faq})


@staff_required(Permission.PORTAL_PAGE_EDIT)
def parity(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/staff/parity.html", {"rows": selectors.parity_report()})


@staff_required(Permission.PORTAL_PAGE_EDIT)
def links(request: HttpRequest) -> HttpResponse:
    run = LinkCheckRun.objects.prefetch_related("broken").first()
    return render(request, "portal/staff/links.html", {"run": run})
