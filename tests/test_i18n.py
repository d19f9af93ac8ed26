"""The message table: every message in French and English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

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


# ---------------------------------------------------------------------------
# Every message is used, every message used exists
# ---------------------------------------------------------------------------

SOURCES = sorted(p for p in (Path(__file__).parents[1] / "src" / "reseau").rglob("*")
                 if p.suffix in (".py", ".js", ".html") and "locales" not in p.parts)
KEY = r"[a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)+"


def source_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)


def literals(text: str) -> set[str]:
    """Every string literal of the sources (Python and JavaScript quotes, HTML attributes)."""
    return set(re.findall(r"[\"'`]([^\"'`\n]*)[\"'`]", text))


def dynamic_prefixes(text: str) -> set[str]:
    """``f"experiment.ccl.{key}"`` / ``tr(`web.tab.${name}`)`` -> ``experiment.ccl.``, ``web.tab.``."""
    return set(re.findall(r"f[\"']([a-z][a-z0-9_.-]*)\{", text)) | set(re.findall(r"`([a-z][a-z0-9_.-]*)\$\{", text))


def is_used(key: str, words: set[str], prefixes: set[str]) -> bool:
    """Written whole somewhere, or made by a dynamic prefix whose rest is written somewhere."""
    if key in words:
        return True
    stem, _, form = key.rpartition(".")
    if form in ("one", "other") and stem in words:  # a unit written whole: i18n.counted(n, "unit.seed")
        return True
    for prefix in prefixes:
        rest = key[len(prefix):]
        if key.startswith(prefix) and (rest in words or rest.isdigit() or any(rest.startswith(p) for p in prefixes)):
            return True
    return False


def config_fields() -> set[str]:
    """The settings of every kind of network: `reseau train` writes each one's help from `training.opt.<field>`."""
    from dataclasses import fields

    from reseau import kinds

    return {f.name for kind in kinds.KINDS.values() for f in fields(kind.config_class())}


def test_every_message_is_used_somewhere():
    text = source_text()
    words, prefixes = literals(text) | config_fields(), dynamic_prefixes(text)
    unused = [key for key in MESSAGES if not is_used(key, words, prefixes)]
    assert not unused, f"messages nobody shows: {unused}"


def test_every_message_used_exists():
    """Each literal that looks like a message key and is passed to t() / tr() / an error exists."""
    text = source_text()
    called = set(re.findall(rf"(?:\bt|\btr|Error)\(\s*[\"'`]({KEY})[\"'`]", text))
    called |= {"experiment.ccl." + k for k in re.findall(rf"\.say\(\s*\"({KEY})\"", text)}  # Writer.say
    called |= set(re.findall(rf"data-i18n=\"({KEY})\"", text))
    missing = sorted(k for k in called if k not in MESSAGES)
    assert not missing, f"messages used but not written: {missing}"
    assert len(called) > 100  # the pattern finds the program's calls (not a vacuous check)


# ---------------------------------------------------------------------------
# Numbers: one set of rules, French decimal comma everywhere but the document's quotation
# ---------------------------------------------------------------------------

def test_float_parameters_follow_the_language():
    assert i18n.t("train.test_line", lang="fr", n="10\u202f000", accuracy=93.3246) == \
        "Test (10\u202f000 images jamais vues) : 93,32 %"
    assert i18n.t("train.test_line", lang="en", n="10,000", accuracy=93.3246) == \
        "Test (10,000 never-seen images): 93.32%"
    assert i18n.t("train.seconds", lang="fr", seconds=1.25) == "Durée : 1,2 s"
    assert "0,01" in i18n.t("train.header", lang="fr", sizes="784-20-10", lr=0.01, epochs=3, seed=0, engine="fast")



@pytest.mark.parametrize("name", ["document", "better", "cnn"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_header_counts_its_epochs_in_words(name, lang):
    import reseau

    config = reseau.presets()[name]
    i18n.set_language(lang)
    try:
        assert ", 1 epoch," in config.with_(epochs=1).describe(name)
        assert ", 3 epochs," in config.with_(epochs=3).describe(name)
    finally:
        i18n.set_language("fr")


def test_the_documents_line_is_a_quotation():
    assert i18n.t("train.epoch_line", lang="fr", epoch=2, precision=93.44) == "Epoch : 2, Précision : 93.44%"


@pytest.mark.parametrize("x, digits, fr, en", [(93.3246, 2, "93,32", "93.32"), (0.5, 1, "0,5", "0.5"),
                                                (12.0, 0, "12", "12"), (-1.25, 3, "\u22121,250", "\u22121.250"),
                                                (-0.001, 2, "0,00", "0.00")])
def test_format_number(x, digits, fr, en):
    assert i18n.format_number(x, digits, "fr") == fr and i18n.format_number(x, digits, "en") == en


def test_plural_forms():
    assert [i18n.plural(x, "fr") for x in (0, 1, 1.5, 2, 10)] == ["one", "one", "one", "other", "other"]
    assert [i18n.plural(x, "en") for x in (0, 1, 1.5, 2, -1)] == ["other", "one", "other", "other", "one"]
    assert i18n.t(f"unit.point.{i18n.plural(1.5, 'fr')}", lang="fr") == "point"


def test_no_message_hedges_its_plural_with_parentheses():
    """« 2 erreur(s) » reads as a program that did not count: every count is said in words (i18n.counted).
    A unit in parentheses after a space, « entraînement (s) » for seconds, is not a plural."""
    hedged = {key: text for key, pair in MESSAGES.items() for text in pair if re.search(r"\w\(s\)", text)}
    assert hedged == {}


def test_the_page_gets_the_same_separators():
    assert i18n.number_format("fr") == {"decimal": ",", "group": "\u202f"}
    assert i18n.number_format("en") == {"decimal": ".", "group": ","}
