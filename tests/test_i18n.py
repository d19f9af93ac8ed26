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


# ---------------------------------------------------------------------------
# One minus sign: the true one (U+2212), in both languages, for every number but the document's quotation
# ---------------------------------------------------------------------------

MINUS = "\u2212"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_negative_numbers_take_the_true_minus_sign_in_both_languages(lang):
    point = "," if lang == "fr" else "."
    assert i18n.t("train.seconds", lang=lang, seconds=-1.25).endswith(f"{MINUS}1{point}2 s")  # a spec (.1f)
    assert f"{MINUS}0{point}5)" in i18n.t("config.bad_positive", lang=lang, field="x", value=-0.5, low=0, high=1)
    assert f"{MINUS}3" in i18n.t("config.bad_int", lang=lang, field="seed", value=-3, low=0, high=9)  # an int too
    assert i18n.format_number(-1.25, 3, lang) == f"{MINUS}1{point}250"
    assert i18n.format_number(-0.0135, 4, lang, sign=True) == f"{MINUS}0{point}0135"
    assert i18n.format_number(0.0135, 4, lang, sign=True) == f"+0{point}0135"
    assert i18n.format_sci(-0.00346, 2, lang) == f"{MINUS}3{point}46e{MINUS}03"
    assert i18n.format_rate(1e-5, lang) == f"1e{MINUS}05"
    for text in (i18n.format_number(-0.001, 2, lang), i18n.t("train.seconds", lang=lang, seconds=-0.01)):
        assert MINUS not in text and "-" not in text  # a zero reached from below is a zero: never −0,00


def test_the_quotation_keeps_the_documents_hyphen():
    assert i18n.t("train.epoch_line", lang="fr", epoch=0, precision=-1.5) == "Epoch : 0, Précision : -1.5%"


# ---------------------------------------------------------------------------
# No English inside a French message
# ---------------------------------------------------------------------------

# Common English words that French text never uses on their own (a word in a code snippet such as
# `--data-dir` is not a word here: words are split on letters, digits, '_' and '-').  Left out on
# purpose because French has them: "file" (une file d'attente), "on", "or", "as", "an", "but", "if",
# "plus", "sort", "site", "pour"...; "no" (n°) and "a" too.
ENGLISH = frozenset({
    "the", "and", "with", "expected", "items", "got", "files", "must", "should", "received", "of", "is", "are",
    "not", "was", "were", "this", "that", "which", "from", "into", "your", "you", "please", "cannot", "found",
    "missing", "only", "between", "least", "than", "has", "have", "been", "yes", "used", "when", "where", "what",
    "how", "then", "there", "these", "those", "it", "its", "by", "at",
})
NUMERIC = re.compile(r"^(n|k|j|m|p|t|s|e|h|x|w|b)(_.*)?$|epoch|index|count|seed|size|total|digit|accuracy|"
                     r"precision|seconds|lr|rate|gap|gain|limit|low|high|value|val|loss|mb|bound|percent|place|"
                     r"steps|width|height|port|done|running|waiting|slots|wait|spread|std|ratio|memory|cpus")


def sample(name: str, spec: str) -> object:
    """A value for the placeholder ``name``: a float where a number format asks for one, a number for a
    name that reads as a number (``n``, ``epochs``, ``t_best``...), else a French word."""
    if spec and spec[-1] in "efg":
        return 1.5
    return 3 if NUMERIC.search(name) else "exemple"


def french_rendering(key: str) -> str:
    french = MESSAGES[key][0]
    params = {name: sample(name, spec) for _, name, spec, _ in string.Formatter().parse(french) if name}
    return i18n.t(key, lang="fr", **params)


def test_no_english_word_in_any_french_message():
    found = {}
    for key in MESSAGES:
        words = re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", french_rendering(key))
        english = sorted({w for w in words if w.lower() in ENGLISH})
        if english:
            found[key] = english
    assert found == {}


def test_the_english_scan_can_fail():
    """The scan sees a glued English fragment (as "12 items, expected 10" once was)."""
    words = re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", "Le fichier a 12 items, expected 10.")
    assert {"items", "expected"} <= {w for w in words if w.lower() in ENGLISH}


def test_a_phrase_inside_a_message_is_written_in_that_messages_language(tmp_path):
    """An error raised with a detail is shown in the language asked when shown (the page's), detail included."""
    from reseau import modelfile
    from reseau.errors import ModelFileError

    path = tmp_path / "short.safetensors"
    path.write_bytes(b"abc")
    with pytest.raises(ModelFileError) as caught:
        modelfile.load(path)
    error = caught.value
    assert "(3 octets seulement)" in i18n.t(error.key, "fr", **error.params)
    assert "(only 3 bytes)" in i18n.t(error.key, "en", **error.params)
