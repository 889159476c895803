"""civicdesk.core.i18n.per_language: translated once per language, in the language active at the call."""

from django.test import override_settings
from django.utils import translation

from civicdesk.core.i18n import per_language

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
