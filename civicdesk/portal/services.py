"""Writes of the portal app: the page workflow (draft → review → publish, scheduled), documents, FAQ,
feedback counts and the log of searches that found nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.portal import classifications, indexing, richtext
from civicdesk.portal.models import (
    CONTENT_FIELDS,
    LANGUAGE_FIELDS,
    Document,
    Faq,
    FaqCategory,
    Page,
    PageEvent,
    PageKind,
    PageRevision,
    RevisionState,
    UnansweredSearch,
)
from civicdesk.portal.tokenizer import normalize

DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
HOME_SLUG = "home"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _require(actor: Staff, permission: Permission) -> None:
    if not actor.has_permission(permission):
        raise PermissionDenied(f"{actor.username} lacks the permission {permission.value}")


def content_validate(content: dict[str, Any]) -> dict[str, str]:
    """Clean page content (every field of CONTENT_FIELDS) or raise ValidationError naming each field."""
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError(f"unknown page fields: {', '.join(sorted(unknown))}")
    clean = {name: str(content.get(name, "") or "").strip() for name in CONTENT_FIELDS}
    errors: dict[str, list[str]] = {}
    if not clean["title_zh"]:
        errors["title_zh"] = ["A Chinese title is required: Chinese is the site's main language."]
    if not clean["body_zh"] and not clean["summary_zh"]:
        errors["body_zh"] = ["Write the Chinese text or at least a Chinese summary."]
    if (clean["body_en"] or clean["summary_en"]) and not clean["title_en"]:
        errors["title_en"] = ["The English text needs an English title."]
    errors.update(_code_errors(clean))
    for name in ("body_zh", "body_en", "summary_zh", "summary_en"):
        found = richtext.problems(clean[name])
        if found:
            errors[name] = found
    for name, limit in (("title_zh", 200), ("title_en", 200), ("subject_zh", 200), ("subject_en", 200)):
        if len(clean[name]) > limit:
            errors[name] = [f"At most {limit} characters (this has {len(clean[name])})."]
    if errors:
        raise ValidationError(errors)
    return clean


def _event(page: Page, action: str, actor: Staff | None, revision: PageRevision | None = None, **detail: Any) -> None:
    PageEvent.objects.create(page=page, revision=revision, action=action, actor=actor, detail=detail)


def _new_revision(page: Page, actor: Staff, content: dict[str, str]) -> PageRevision:
    last = page.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    # Older drafts and pending reviews are replaced by the new one.
    page.revisions.filter(state__in=[RevisionState.DRAFT, RevisionState.IN_REVIEW, RevisionState.SCHEDULED]).update(
        state=RevisionState.SUPERSEDED
    )
    revision = PageRevision(page=page, number=last + 1, content=content, created_by=actor)
    revision.full_clean()
    revision.save()
    return revision


@transaction.atomic
def page_create(
    *, actor: Staff, slug: str, kind: str, content: dict[str, Any], sort_order: int = 100, branch_code: str = "TCH"
) -> Page:
    _require(actor, Permission.PORTAL_PAGE_EDIT)
    clean = content_validate(content)
    page = Page(slug=slug, kind=kind, sort_order=sort_order, branch_code=branch_code)
    _check_home(page)
    page.full_clean()
    page.save()
    revision = _new_revision(page, actor, clean)
    _event(page, PageEvent.Action.CREATED, actor, revision)
    return page


@transaction.atomic
def page_draft_save(
    *, actor: Staff, page: Page, content: dict[str, Any], kind: str | None = None, sort_order: int | None = None
) -> PageRevision:
    _require(actor, Permission.PORTAL_PAGE_EDIT)
    clean = content_validate(content)
    fields = []
    if kind is not None and kind != page.kind:
        page.kind = kind
        fields.append("kind")
    if sort_order is not None and sort_order != page.sort_order:
        page.sort_order = sort_order
        fields.append("sort_order")
    if fields:
        _check_home(page)
        page.full_clean()
        page.save(update_fields=fields)
        if page.live:
            indexing.page_reindex(page)
    revision = _new_revision(page, actor, clean)
    _event(page, PageEvent.Action.DRAFT_SAVED, actor, revision)
    return revision


@transaction.atomic
def page_revision_submit(*, actor: Staff, revision: PageRevision) -> PageRevision:
    _require(actor, Permission.PORTAL_PAGE_EDIT)
    if revision.state not in (RevisionState.DRAFT, RevisionState.REJECTED):
        raise ValidationError(f"revision {revision.number} is {revision.get_state_display()}; only drafts go to review")
    revision.state = RevisionState.IN_REVIEW
    revision.save(update_fields=["state"])
    _event(revision.page, PageEvent.Action.SUBMITTED, actor, revision)
    return revision


@transaction.atomic
def page_revision_reject(*, actor: Staff, revision: PageRevision, note: str) -> PageRevision:
    _require(actor, Permission.PORTAL_PAGE_PUBLISH)
    if revision.state not in (RevisionState.IN_REVIEW, RevisionState.SCHEDULED):
        raise ValidationError(f"revision {revision.number} is not awaiting review or scheduled")
    if not note.strip():
        raise ValidationError({"note": ["Say what the editor should change."]})
    revision.state = RevisionState.REJECTED
    revision.reviewed_by = actor
    revision.review_note = note.strip()[:500]
    revision.publish_at = None
    revision.save(update_fields=["state", "reviewed_by", "review_note", "publish_at"])
    _event(revision.page, PageEvent.Action.REJECTED, actor, revision, note=revision.review_note)
    return revision


def _apply(revision: PageRevision, actor: Staff | None, now: datetime) -> Page:
    page = revision.page
    content = revision.content
    first = page.live_revision_id is None and page.first_published_at is None
    for short, names in LANGUAGE_FIELDS.items():
        changed = first or any(getattr(page, name) != content.get(name, "") for name in names)
        # An English version counts as changed only when it exists.
        present = short == "zh" or any(content.get(name, "") for name in names)
        if changed and present:
            setattr(page, f"{short}_changed_at", now)
    for name in CONTENT_FIELDS:
        setattr(page, name, content.get(name, ""))
    page.live = True
    page.live_revision = revision
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now
    page.full_clean()
    page.save()
    page.revisions.filter(state=RevisionState.PUBLISHED).exclude(pk=revision.pk).update(state=RevisionState.SUPERSEDED)
    revision.state = RevisionState.PUBLISHED
    revision.reviewed_by = revision.reviewed_by or actor
    revision.save(update_fields=["state", "reviewed_by"])
    indexing.page_reindex(page)
    _event(page, PageEvent.Action.PUBLISHED, actor, revision)
    return page


@transaction.atomic
def page_revision_publish(
    *, actor: Staff, revision: PageRevision, publish_at: datetime | None = None, now: datetime | None = None
) -> PageRevision:
    """Publish now, or schedule for `publish_at` (then `pages_publish_due` publishes it)."""
    _require(actor, Permission.PORTAL_PAGE_PUBLISH)
    now = now or timezone.now()
    if revision.state not in (RevisionState.DRAFT, RevisionState.IN_REVIEW, RevisionState.SCHEDULED):
        raise ValidationError(f"revision {revision.number} is {revision.get_state_display()} and cannot be published")
    content_validate(revision.content)
    if publish_at is not None and publish_at > now:
        revision.state = RevisionState.SCHEDULED
        revision.publish_at = publish_at
        revision.reviewed_by = actor
        revision.save(update_fields=["state", "publish_at", "reviewed_by"])
        _event(revision.page, PageEvent.Action.SCHEDULED, actor, revision, publish_at=publish_at.isoformat())
        return revision
    revision.reviewed_by = actor
    _apply(revision, actor, now)
    return revision


@transaction.atomic
def pages_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled revision whose time has come; returns how many."""
    now = now or timezone.now()
    due = list(
        PageRevision.objects.select_for_update(of=("self",))
        .filter(state=RevisionState.SCHEDULED, publish_at__lte=now)
        .select_related("page", "reviewed_by")
        .order_by("publish_at", "id")
    )
    for revision in due:
        _apply(revision, revision.reviewed_by, now)
    return len(due)


@transaction.atomic
def page_unpublish(*, actor: Staff, page: Page) -> Page:
    _require(actor, Permission.PORTAL_PAGE_PUBLISH)
    if not page.live:
        raise ValidationError("the page is not published")
    page.live = False
    page.save(update_fields=["live"])
    indexing.page_reindex(page)
    _event(page, PageEvent.Action.UNPUBLISHED, actor, page.live_revision)
    return page


def _check_home(page: Page) -> None:
    """One home page, at the address "home": its content is what the public home page (/) shows."""
    if (page.kind == PageKind.HOME) != (page.slug == HOME_SLUG):
        raise ValidationError({"kind": _('The home page has the address "home", and only it is of type home page.')})


def _code_errors(values: dict[str, str]) -> dict[str, list[str]]:
    """Each classification code field whose value is not on its list, with the reason."""
    errors = {}
    for scheme, name in classifications.CODE_FIELDS.items():
        code = values.get(name, "")
        if code and classifications.lookup(scheme, code) is None:
            errors[name] = [f"{code} is not in the {scheme} classification list."]
    return errors


def _check_codes(values: dict[str, str]) -> None:
    errors = _code_errors(values)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_create(
    *, actor: Staff, upload: UploadedFile, title_zh: str, category: str, year: int, **fields: Any
) -> Document:
    _require(actor, Permission.PORTAL_PAGE_EDIT)
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(
            {"file": [f"{upload.name}: type {suffix or '(none)'} is not accepted; use {', '.join(DOCUMENT_TYPES)}"]}
        )
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": [f"{upload.name} is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB"]})
    text = str(fields.pop("text", "") or "")
    if not text and suffix in (".txt", ".csv"):
        upload.seek(0)
        text = upload.read().decode("utf-8", errors="replace")
        upload.seek(0)
    _check_codes(fields)
    document = Document(
        title_zh=title_zh,
        category=category,
        year=year,
        file=upload,
        file_format=DOCUMENT_TYPES[suffix],
        text=text,
        created_by=actor,
        **fields,
    )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_set_live(*, actor: Staff, document: Document, live: bool) -> Document:
    _require(actor, Permission.PORTAL_PAGE_PUBLISH)
    document.live = live
    if live and document.published_at is None:
        document.published_at = timezone.now()
    document.save(update_fields=["live", "published_at"])
    indexing.document_reindex(document)
    return document


@transaction.atomic
def faq_category_ensure(*, slug: str, name_zh: str, name_en: str, sort_order: int = 100) -> FaqCategory:
    category, _created = FaqCategory.objects.get_or_create(
        slug=slug, defaults={"name_zh": name_zh, "name_en": name_en, "sort_order": sort_order}
    )
    return category


@transaction.atomic
def faq_save(*, actor: Staff, faq: Faq | None = None, related_pages: list[Page] | None = None, **fields: Any) -> Faq:
    """Create (faq=None) or update a question; saving a live question updates the search index."""
    _require(actor, Permission.PORTAL_PAGE_EDIT)
    _check_codes(fields)
    for name in ("answer_zh", "answer_en"):
        found = richtext.problems(str(fields.get(name, "")))
        if found:
            raise ValidationError({name: found})
    if fields.get("answer_en") and not fields.get("question_en"):
        raise ValidationError({"question_en": ["The English answer needs an English question."]})
    faq = faq or Faq()
    for name, value in fields.items():
        setattr(faq, name, value)
    faq.updated_at = timezone.now()
    faq.full_clean()
    faq.save()
    if related_pages is not None:
        faq.related_pages.set(related_pages)
    indexing.faq_reindex(faq)
    return faq


@transaction.atomic
def faq_set_live(*, actor: Staff, faq: Faq, live: bool) -> Faq:
    _require(actor, Permission.PORTAL_PAGE_PUBLISH)
    faq.live = live
    faq.save(update_fields=["live"])
    indexing.faq_reindex(faq)
    return faq


def faq_view_count(*, faq: Faq) -> None:
    Faq.objects.filter(pk=faq.pk).update(view_count=F("view_count") + 1)


def faq_helpful_vote(*, faq: Faq, helpful: bool) -> None:
    field = "helpful_yes" if helpful else "helpful_no"
    Faq.objects.filter(pk=faq.pk).update(**{field: F(field) + 1})


def normalized_query(query: str) -> str:
    return " ".join(normalize(query).split())[:200]


@transaction.atomic
def unanswered_search_record(*, query: str, language: str) -> UnansweredSearch | None:
    text = normalized_query(query)
    if not text:
        return None
    now = timezone.now()
    entry, created = UnansweredSearch.objects.select_for_update().get_or_create(
        query=text, language=language, defaults={"first_at": now, "last_at": now}
    )
    if not created:
        entry.times = F("times") + 1
        entry.last_at = now
        entry.save(update_fields=["times", "last_at"])
        entry.refresh_from_db()
    return entry


@transaction.atomic
def search_index_rebuild() -> int:
    """Re-create every index entry from the live content (after a tokenizer change)."""
    from civicdesk.portal.models import SearchEntry

    SearchEntry.objects.all().delete()
    count = 0
    for page in Page.objects.filter(live=True):
        indexing.page_reindex(page)
        count += 1
    for document in Document.objects.filter(live=True):
        indexing.document_reindex(document)
        count += 1
    for faq in Faq.objects.filter(live=True):
        indexing.faq_reindex(faq)
        count += 1
    return count + indexing.catalogue_reindex()


@transaction.atomic
def catalogue_index_refresh() -> int:
    """Bring the index in step with the applications catalogue (nightly, and after the demo load)."""
    return indexing.catalogue_reindex()
