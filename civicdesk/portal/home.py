"""The portal's part of the public home page (/): editors' welcome text and highlights, latest news.

The shell's home view calls `home_section` through the `home_sections` hook on PortalConfig, so the
shell does not import the portal. The content is the published page of type "home" (address "home"),
edited, reviewed and published like any other page, in both languages, in plain text with line marks.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from civicdesk.core.i18n import english_active
from civicdesk.portal import richtext, selectors

LATEST_NEWS = 5


def home_section(request: HttpRequest) -> dict[str, Any] | None:
    """Template and context for the home page, or None when there is nothing to show yet."""
    language = "en" if english_active() else "zh"
    page = selectors.home_page()
    news = list(selectors.news_pages()[:LATEST_NEWS])
    if page is None and not news:
        return None
    context: dict[str, Any] = {"news": news, "language": language}
    if page is not None:
        short = "zh" if language == "en" and not page.has_english() else language
        context.update(
            {
                "content_lang": "zh-Hant" if short == "zh" else "en",
                "english_missing": short != language,
                "welcome": getattr(page, f"summary_{short}"),
                "highlights": richtext.render(getattr(page, f"body_{short}")),
                "highlights_title": getattr(page, f"title_{short}"),
            }
        )
    return {"template": "portal/_home.html", "context": context, "replaces_welcome": page is not None}
