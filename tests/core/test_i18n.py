"""civicdesk.core.i18n: the active language, bilingual fields, and per_language (built once per language)."""

from django.test import override_settings
from django.utils import translation

from civicdesk.core.i18n import active_language, bilingual, english_active, per_language

calls: list[str] = []


@per_language
def _wording() -> str:
    calls.append(translation.get_language())
    return str(translation.gettext("Home"))


def test_each_language_gets_its_own_wording_built_once() -> None:
    calls.clear()
    with translation.override("en"):
        english = _wording()
        assert _wording() is english
    with translation.override("zh-hant"):
        chinese = _wording()
    assert english == "Home"
    assert chinese != english
    assert calls == ["en", "zh-hant"]


def test_a_change_of_the_language_settings_builds_it_again() -> None:
    with translation.override("en"):
        _wording()
    calls.clear()
    with override_settings(LOCALE_PATHS=[]), translation.override("en"):
        _wording()
    assert calls == ["en"]


def test_without_an_active_language_the_site_default_applies() -> None:
    with translation.override(None):
        assert active_language() == "zh-hant"
        assert not english_active()
        assert bilingual("臺中分署", "Taichung Branch") == "臺中分署"


def test_english_takes_the_english_text_and_falls_back_to_the_chinese() -> None:
    with translation.override("en"):
        assert active_language() == "en"
        assert english_active()
        assert bilingual("臺中分署", "Taichung Branch") == "Taichung Branch"
        assert bilingual("臺中分署", "") == "臺中分署"
    with translation.override("zh-hant"):
        assert bilingual("臺中分署", "Taichung Branch") == "臺中分署"
