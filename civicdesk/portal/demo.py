"""Demo content of the public website: dozens of bilingual pages, FAQ entries and documents.

Idempotent: pages are keyed by address, questions by their Chinese text, documents by title and year.
"""

from __future__ import annotations

from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from civicdesk.organization.models import Staff
from civicdesk.portal import services
from civicdesk.portal.demo_content import DOCUMENTS, FAQ_CATEGORIES, FAQS, PAGES
from civicdesk.portal.models import Document, Faq, Page

DEMO_EDITOR = "webeditor"


@transaction.atomic
def load_demo_data(stdout: TextIO) -> None:
    editor = Staff.objects.filter(username=DEMO_EDITOR).first()
    if editor is None:
        stdout.write(f"portal: demo editor {DEMO_EDITOR!r} missing; run load_demo for the organisation first\n")
        return
    pages = documents = questions = 0
    for order, (slug, kind, theme, cake, service, zh, en) in enumerate(PAGES, start=1):
        if Page.objects.filter(slug=slug).exists():
            continue
        content = {
            "title_zh": zh[0],
            "summary_zh": zh[1],
            "body_zh": zh[2],
            "theme_code": theme,
            "cake_code": cake,
            "service_code": service,
            "creator": "秘書室",
        }
        if en is not None:
            content.update({"title_en": en[0], "summary_en": en[1], "body_en": en[2]})
        page = services.page_create(actor=editor, slug=slug, kind=kind, content=content, sort_order=order * 10)
        services.page_revision_publish(actor=editor, revision=page.revisions.get())
        pages += 1
    categories = {
        slug: services.faq_category_ensure(slug=slug, name_zh=name_zh, name_en=name_en, sort_order=order)
        for slug, name_zh, name_en, order in FAQ_CATEGORIES
    }
    for order, (category, service, chinese, english, related) in enumerate(FAQS, start=1):
        if Faq.objects.filter(question_zh=chinese[0]).exists():
            continue
        faq = services.faq_save(
            actor=editor,
            category=categories[category],
            question_zh=chinese[0],
            answer_zh=chinese[1],
            question_en=english[0] if english else "",
            answer_en=english[1] if english else "",
            service_code=service,
            theme_code="420",
            cake_code="E20",
            sort_order=order,
            related_pages=list(Page.objects.filter(slug__in=related)),
        )
        services.faq_set_live(actor=editor, faq=faq, live=True)
        questions += 1
    budget_page = Page.objects.filter(slug="budget-and-accounts").first()
    for title_zh, title_en, category, year, description_zh, description_en, text in DOCUMENTS:
        if Document.objects.filter(title_zh=title_zh, year=year).exists():
            continue
        upload = SimpleUploadedFile(f"{category}-{year}.csv", text.encode("utf-8"), content_type="text/csv")
        document = services.document_create(
            actor=editor,
            upload=upload,
            title_zh=title_zh,
            title_en=title_en,
            category=category,
            year=year,
            description_zh=description_zh,
            description_en=description_en,
            theme_code="130" if category in ("budget", "final_accounts") else "120",
            cake_code="D10" if category == "budget" else "D20" if category == "final_accounts" else "E10",
            service_code="I00",
            creator="秘書室",
            page=budget_page if category in ("budget", "final_accounts") else None,
        )
        services.document_set_live(actor=editor, document=document, live=True)
        documents += 1
    online = services.catalogue_index_refresh()
    stdout.write(
        f"portal: {pages} pages, {questions} questions, {documents} documents added; {online} online services indexed\n"
    )
