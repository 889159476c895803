"""Values every page needs: the html `lang`, the other language's URL for this page, the branch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url

from civicdesk.core.i18n import active_language
from civicdesk.organization.selectors import home_branch

HTML_LANG = {"zh-hant": "zh-Hant", "en": "en"}


def shell(request: HttpRequest) -> dict[str, Any]:
    language = active_language()
    other = "en" if language == "zh-hant" else "zh-hant"
    path = request.get_full_path()
    return {
        "html_lang": HTML_LANG.get(language, language),
        "current_language": language,
        "other_language": other,
        "other_language_name": dict(settings.LANGUAGES)[other],
        "other_language_html_lang": HTML_LANG[other],
        "other_language_url": translate_url(path, other),
        "home_branch": home_branch(),
    }
