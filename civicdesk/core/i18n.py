"""Translation helpers for hot paths."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language

T = TypeVar("T")

_per_language_caches: list[Any] = []

# The settings that change what a translation gives (Django resets its own catalogues on the same ones).
_TRANSLATION_SETTINGS = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}


def active_language() -> str:
    """The active language's code, or the site's default (LANGUAGE_CODE) where none is active: commands, tasks."""
    return get_language() or settings.LANGUAGE_CODE


def english_active() -> bool:
    """Whether the active language is English (``en``, ``en-gb`` …); Traditional Chinese is the default."""
    return active_language().startswith("en")


def bilingual(zh: str, en: str) -> str:
    """The English text in English when there is one, else the Chinese: the authoritative text, never empty."""
    return en if en and english_active() else zh


def per_language(build: Callable[[], T]) -> Callable[[], T]:
    """``build()`` evaluated once per active language, then the same value for every later call in it.

    For fixed wording on a hot path (the public progress query): each ``gettext`` looks up the active
    translation through a thread-and-context local, which cost more than the rest of building an answer. The
    catalogues do not change while the process runs; in tests, a change of the settings above clears the cache.
    """

    @functools.lru_cache(maxsize=8)
    def cached(language: str) -> T:
        return build()

    _per_language_caches.append(cached)

    @functools.wraps(build)
    def wrapper() -> T:
        return cached(active_language())

    return wrapper


@receiver(setting_changed)
def _clear_per_language(*, setting: str, **kwargs: Any) -> None:
    if setting in _TRANSLATION_SETTINGS:
        for cached in _per_language_caches:
            cached.cache_clear()


# What ends a sentence in Chinese or English (with trailing blanks).
_SENTENCE_END = " \t\r\n。．.!！"


def inside_sentence(text: str) -> str:
    """``text`` (a note staff typed) without its closing full stop, for wording that adds its own after it."""
    return text.rstrip(_SENTENCE_END)
