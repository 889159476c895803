"""The JSON API answers in the language the client asks for (``Accept-Language``), Traditional Chinese by default.

Pages take their language from the URL (``/`` zh-Hant, ``/en/``), so Django's LocaleMiddleware gives every path
outside the language prefixes the default language and ignores the header. The API has one URL per resource for
both languages; its messages and citizen-facing labels follow the client's header (or language cookie) instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

API_PREFIX = "/api/"


class ApiLanguageMiddleware:
    """Activates, for API paths, the language of the request's cookie or ``Accept-Language`` header.

    Placed after LocaleMiddleware, whose response handling then labels the answer (``Content-Language``) and
    adds ``Vary: Accept-Language``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(API_PREFIX):
            language = translation.get_language_from_request(request, check_path=False)
            if language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language  # as LocaleMiddleware sets it
        return self.get_response(request)
