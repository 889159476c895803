"""Public website content: pages with revisions and a review workflow, documents, FAQ, search index."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The fields a revision holds and publishing copies onto the page. `_zh` / `_en` fields belong to
# one language (parity compares their change times); the rest is shared metadata.
LANGUAGE_FIELDS = {
    "zh": ("title_zh", "summary_zh", "body_zh", "subject_zh"),
    "en": ("title_en", "summary_en", "body_en", "subject_en"),
}
SHARED_FIELDS = (
    "theme_code",
    "cake_code",
    "service_code",
    "creator",
    "contributor",
    "source",
    "relation",
    "coverage",
    "rights",
)
CONTENT_FIELDS = LANGUAGE_FIELDS["zh"] + LANGUAGE_FIELDS["en"] + SHARED_FIELDS


class PageKind(models.TextChoices):
    HOME = "home", _("Home page (welcome, highlights)")
    ABOUT = "about", _("About the branch")
    POLICY = "policy", _("Core policy")
    PLAN = "plan", _("Execution plan")
    MEASURE = "measure", _("Service measure")
    BUDGET = "budget", _("Budgets and final accounts")
    NEWS = "news", _("News and announcements")
    SERVICE = "service", _("Service (SOP)")


class Page(models.Model):
    """A public page. Its columns hold the live (published) content; edits live in revisions."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=PageKind.choices)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    branch_code = models.CharField(max_length=8, default="TCH")
    live = models.BooleanField(default=False)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    subject_zh = models.CharField(_("keywords (Chinese)"), max_length=200, blank=True)
    subject_en = models.CharField(_("keywords (English)"), max_length=200, blank=True)
    theme_code = models.CharField(_("theme classification"), max_length=8, blank=True)
    cake_code = models.CharField(_("administration classification"), max_length=8, blank=True)
    service_code = models.CharField(_("service classification"), max_length=8, blank=True)
    creator = models.CharField(_("creator (unit)"), max_length=100, blank=True)
    contributor = models.CharField(_("contributor"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    relation = models.CharField(_("relation"), max_length=200, blank=True)
    coverage = models.CharField(_("coverage"), max_length=100, blank=True)
    rights = models.CharField(_("rights"), max_length=200, blank=True)
    live_revision = models.ForeignKey(
        "portal.PageRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    zh_changed_at = models.DateTimeField(null=True, blank=True)
    en_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "sort_order", "slug"]
        indexes = [models.Index(fields=["live", "kind", "-first_published_at"])]

    def __str__(self) -> str:
        return self.title_zh or self.slug

    def title_for(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_zh

    def has_english(self) -> bool:
        return bool(self.title_en.strip() and (self.body_en.strip() or self.summary_en.strip()))


class RevisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Awaiting review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Returned to the editor")
    SUPERSEDED = "superseded", _("Superseded")


class PageRevision(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    state = models.CharField(max_length=16, choices=RevisionState.choices, default=RevisionState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    publish_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="portal_revision_number_unique")]
        indexes = [models.Index(fields=["state", "publish_at"])]

    def __str__(self) -> str:
        return f"{self.page.slug} #{self.number}"

    def value(self, field: str) -> Any:
        return self.content.get(field, "")


class PageEvent(models.Model):
    """One row per state change of a page: who, when, what (events as data)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        DRAFT_SAVED = "draft_saved", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted for review")
        REJECTED = "rejected", _("Returned to the editor")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(PageRevision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.page_id} {self.action}"


class DocumentCategory(models.TextChoices):
    BUDGET = "budget", _("Budget")
    FINAL_ACCOUNTS = "final_accounts", _("Final accounts")
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Report")
    FORM = "form", _("Form")
    OTHER = "other", _("Other")


class Document(models.Model):
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=DocumentCategory.choices)
    year = models.PositiveIntegerField(_("year"))
    file = models.FileField(_("file"), upload_to="portal/documents/%Y/")
    file_format = models.CharField(max_length=100, blank=True)
    text = models.TextField(_("text for search"), blank=True)
    theme_code = models.CharField(_("theme classification"), max_length=8, blank=True)
    cake_code = models.CharField(_("administration classification"), max_length=8, blank=True)
    service_code = models.CharField(_("service classification"), max_length=8, blank=True)
    creator = models.CharField(_("creator (unit)"), max_length=100, blank=True)
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    live = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "category", "title_zh"]

    def __str__(self) -> str:
        return self.title_zh

    def title_for(self, language: str) -> str:
        return (self.title_en or self.title_zh) if language == "en" else self.title_zh


class FaqCategory(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name_plural = "FAQ categories"

    def __str__(self) -> str:
        return self.name_zh

    def name_for(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh


class Faq(models.Model):
    category = models.ForeignKey(FaqCategory, on_delete=models.PROTECT, related_name="questions")
    question_zh = models.CharField(_("question (Chinese)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer_zh = models.TextField(_("answer (Chinese)"))
    answer_en = models.TextField(_("answer (English)"), blank=True)
    service_code = models.CharField(_("service classification"), max_length=8, blank=True)
    theme_code = models.CharField(_("theme classification"), max_length=8, blank=True)
    cake_code = models.CharField(_("administration classification"), max_length=8, blank=True)
    related_pages = models.ManyToManyField(Page, blank=True, related_name="faqs")
    sort_order = models.PositiveIntegerField(default=100)
    live = models.BooleanField(default=False)
    view_count = models.PositiveIntegerField(default=0)
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category__sort_order", "sort_order", "id"]

    def __str__(self) -> str:
        return self.question_zh

    def question_for(self, language: str) -> str:
        return (self.question_en or self.question_zh) if language == "en" else self.question_zh

    @property
    def votes(self) -> int:
        return self.helpful_yes + self.helpful_no


class SearchEntry(models.Model):
    """One searchable item in one language. `tokens` comes from search.entry_tokens (text + markers).

    On SQLite an FTS5 table (portal_search_fts, one column per language) mirrors `tokens` through
    triggers; on PostgreSQL a narrow table (portal_searchmatch: the tsvector with a GIN index, the
    language, date and facet columns) does, through triggers too. They are created in migrations
    0002, 0003, 0005 and 0006 for their database only.
    """

    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        NEWS = "news", _("News")
        DOCUMENT = "document", _("Document")
        FAQ = "faq", _("FAQ")
        SERVICE = "service", _("Service")
        ONLINE_SERVICE = "online_service", _("Online service")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=300)
    title_norm = models.CharField(max_length=300)
    snippet = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    tokens = models.TextField()
    theme_code = models.CharField(max_length=8, blank=True)
    cake_code = models.CharField(max_length=8, blank=True)
    service_code = models.CharField(max_length=8, blank=True)
    published_on = models.DateField()
    year = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="portal_search_entry_unique")
        ]
        indexes = [
            models.Index(fields=["language", "published_on", "id"], name="portal_entry_language_date"),
            # Facet counts over a page of hits read this index instead of the wide rows (search._facet_counts).
            models.Index(
                fields=["id", "kind", "theme_code", "cake_code", "service_code", "year"], name="portal_entry_facets"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}:{self.language}"

    @classmethod
    def label_of_kind(cls, value: str) -> str:
        """A kind's label in the active language (get_kind_display translates every choice per call)."""
        return str(cls.Kind(value).label) if value in cls.Kind.values else value

    @property
    def kind_label(self) -> str:
        return self.label_of_kind(self.kind)


class UnansweredSearch(models.Model):
    """A query that found nothing, counted per language, for editors to write content for."""

    query = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    times = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-times", "-last_at"]
        constraints = [models.UniqueConstraint(fields=["query", "language"], name="portal_unanswered_unique")]

    def __str__(self) -> str:
        return self.query


class LinkCheckRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)
    external_checked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"link check {self.started_at:%Y-%m-%d %H:%M}"


class BrokenLink(models.Model):
    run = models.ForeignKey(LinkCheckRun, on_delete=models.CASCADE, related_name="broken")
    where = models.CharField(max_length=200)
    where_url = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["where", "url"]

    def __str__(self) -> str:
        return f"{self.where}: {self.url}"
