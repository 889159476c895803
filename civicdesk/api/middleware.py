"""The JSON API answers in the language the client asks for (``Accept-Language``), Traditional Chinese by default.

Pages take their language from the URL (``/`` zh-Hant, ``/en/``), so Django's LocaleMiddleware gives every path
outside the language prefixes the default language and ignores the header. The API has one URL per resource for
both languages; its messages and citizen-facing labels follow the client's header (or language cookie) instead.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that API paths take the language of the request's cookie or
    ``Accept-Language`` header instead of the site's default.

    One middleware instead of Django's followed by an API override, so an API request's header is read once. Its
    response handling is Django's: the answer says ``Content-Language`` and ``Vary: Accept-Language``.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(API_PREFIX):
            super().process_request(request)
            return
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
