"""Staff forms: a page in both languages with its metadata, a document upload, a FAQ entry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civicdesk.portal import classifications
from civicdesk.portal.models import CONTENT_FIELDS, DocumentCategory, Faq, FaqCategory, Page, PageKind

MARKS_HELP = _(
    "Plain text. Leave a blank line between paragraphs. Start a line with “## ” for a heading, "
    "“- ” for a bulleted list or “1. ” for a numbered list. Write a link as [text](address)."
)


def _code_field(scheme: str, label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=lambda: classifications.choices(scheme))


class PageForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address"), max_length=80, help_text=_("Lower-case letters, digits and hyphens, e.g. opening-hours.")
    )
    kind = forms.ChoiceField(label=_("Page type"), choices=PageKind.choices)
    sort_order = forms.IntegerField(label=_("Order in its section"), min_value=0, initial=100)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    summary_zh = forms.CharField(label=_("Summary (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body_zh = forms.CharField(
        label=_("Text (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 12}), help_text=MARKS_HELP
    )
    subject_zh = forms.CharField(label=_("Keywords (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    summary_en = forms.CharField(label=_("Summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body_en = forms.CharField(
        label=_("Text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 12}), help_text=MARKS_HELP
    )
    subject_en = forms.CharField(label=_("Keywords (English)"), max_length=200, required=False)
    theme_code = _code_field("theme", _("Theme classification"))
    cake_code = _code_field("administration", _("Administration classification"))
    service_code = _code_field("service", _("Service classification"))
    creator = forms.CharField(label=_("Creator (unit)"), max_length=100, required=False)
    contributor = forms.CharField(label=_("Contributor"), max_length=100, required=False)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    relation = forms.CharField(label=_("Relation"), max_length=200, required=False)
    coverage = forms.CharField(label=_("Coverage"), max_length=100, required=False)
    rights = forms.CharField(label=_("Rights"), max_length=200, required=False)

    def __init__(self, *args: Any, page: Page | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        if page is not None:
            self.fields["slug"].disabled = True

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if self.page is None and Page.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another page already uses this address."))
        return slug

    def content(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in CONTENT_FIELDS}


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, ODF, Office, CSV or text; at most 20 MB."))
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)
    year = forms.IntegerField(label=_("Year (Gregorian)"), min_value=1990, max_value=2100)
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text = forms.CharField(
        label=_("Text for search"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Paste the document's text so search finds it (read automatically from CSV and text files)."),
    )
    theme_code = _code_field("theme", _("Theme classification"))
    cake_code = _code_field("administration", _("Administration classification"))
    service_code = _code_field("service", _("Service classification"))


class FaqForm(forms.ModelForm):
    theme_code = _code_field("theme", _("Theme classification"))
    cake_code = _code_field("administration", _("Administration classification"))
    service_code = _code_field("service", _("Service classification"))

    class Meta:
        model = Faq
        fields = [
            "category",
            "question_zh",
            "answer_zh",
            "question_en",
            "answer_en",
            "theme_code",
            "cake_code",
            "service_code",
            "related_pages",
            "sort_order",
        ]
        widgets = {
            "answer_zh": forms.Textarea(attrs={"rows": 6}),
            "answer_en": forms.Textarea(attrs={"rows": 6}),
            "related_pages": forms.CheckboxSelectMultiple,
        }
        help_texts = {"answer_zh": MARKS_HELP, "answer_en": MARKS_HELP}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FaqCategory.objects.all()  # type: ignore[attr-defined]
        self.fields["related_pages"].queryset = Page.objects.filter(live=True).order_by("kind", "slug")  # type: ignore[attr-defined]
        self.fields["related_pages"].required = False
