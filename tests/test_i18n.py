"""The message table: every message in French and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from reseau import i18n
from reseau.locales import MESSAGES


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_with_the_same_placeholders(key):
    french, english = MESSAGES[key]
    assert french.strip() and english.strip()
    assert fields(french) == fields(english)


def test_language_choice():
    assert i18n.detect_language(["train", "--lang", "en"], {}) == "en"
    assert i18n.detect_language(["--lang=fr"], {"RESEAU_LANG": "en"}) == "fr"
    assert i18n.detect_language([], {"RESEAU_LANG": "EN"}) == "en"
    assert i18n.detect_language([], {"LANG": "en_GB.UTF-8"}) == "en"
    assert i18n.detect_language([], {"LANG": "de_DE.UTF-8"}) == "fr"
    assert i18n.detect_language([], {}) == "fr"


def test_rendering_and_counts():
    assert i18n.t("train.epoch_line", lang="fr", epoch=0, precision=86.18) == "Epoch : 0, Précision : 86.18%"
    assert i18n.t("train.epoch_line", lang="en", epoch=0, precision=86.18).startswith("Epoch: 0")
    assert i18n.format_count(10000, "fr") == "10\u202f000" and i18n.format_count(10000, "en") == "10,000"
    with pytest.raises(KeyError):
        i18n.t("no.such.key")
