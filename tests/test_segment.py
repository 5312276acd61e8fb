"""Segmentation: paragraphs and sentences with offsets into the cleaned text."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest
from conftest import ABP, NEWSWCL50, SEEDS

from lib.cleaning import clean
from lib.text import segment
from lib.text.segment import split


def sentences(text: str, language: str = "en") -> list[str]:
    return [text[s:e] for _, s, e in split(text, language).sentences]


def check_offsets(text: str) -> None:
    seg = split(text)
    for start, end in seg.paragraphs:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert "\n\n" not in text[start:end]
    for p, start, end in seg.sentences:
        p_start, p_end = seg.paragraphs[p]
        assert p_start <= start < end <= p_end
        assert text[start:end] == text[start:end].strip()
    # every non-space character of a paragraph is in one of its sentences
    covered = {i for _, s, e in seg.sentences for i in range(s, e)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    # sentences are in order and do not overlap
    ends = [(s, e) for _, s, e in seg.sentences]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))


def test_paragraphs_and_offsets():
    text = ("The council met on Monday. It voted twice.\n\nThe mayor was absent.\n\n"
            "A third paragraph follows. It has two sentences.")
    seg = split(text)
    assert [text[s:e] for s, e in seg.paragraphs] == [
        "The council met on Monday. It voted twice.", "The mayor was absent.",
        "A third paragraph follows. It has two sentences."]
    assert [(p, text[s:e]) for p, s, e in seg.sentences] == [
        (0, "The council met on Monday."), (0, "It voted twice."), (1, "The mayor was absent."),
        (2, "A third paragraph follows."), (2, "It has two sentences.")]
    check_offsets(text)


def test_single_newline_stays_inside_a_paragraph():
    text = "First line of a poem\nsecond line of it.\n\nNext paragraph."
    assert [text[s:e] for s, e in split(text).paragraphs] == ["First line of a poem\nsecond line of it.",
                                                              "Next paragraph."]


@pytest.mark.parametrize("sentence", [
    "Brig. Gen. Amal Noor met Mr. Lee in the U.S. capital on Monday.",
    "Gen. Ortiz said the U.S. Army would leave by March.",
    "Mr. and Mrs. Smith flew to Washington, D.C. on Tuesday.",
    "Dr. Chen, a U.N. adviser, arrived at 9 a.m. sharp.",
])
def test_abbreviations_stay_inside_sentences(sentence):
    text = f"{sentence} They spoke for an hour."
    assert sentences(text) == [sentence, "They spoke for an hour."]


@pytest.mark.parametrize(("text", "expected"), [
    ('"We will build it," she said. "Nobody can stop us." Then she left.',
     ['"We will build it," she said.', '"Nobody can stop us."', "Then she left."]),
    ("“We will build it.” She left. “Nobody can stop us!” he shouted.",
     ["“We will build it.”", "She left.", "“Nobody can stop us!” he shouted."]),
    ("He asked: “Who pays?” Nobody answered.", ["He asked: “Who pays?”", "Nobody answered."]),
])
def test_closing_quotes_stay_with_their_sentence(text, expected):
    assert sentences(text) == expected


def test_dateline_does_not_split():
    text = "MOSCOW – The minister said on Sunday that talks went well. He left on Monday."
    assert sentences(text) == ["MOSCOW – The minister said on Sunday that talks went well.", "He left on Monday."]


def test_empty_text():
    seg = split("")
    assert seg.paragraphs == [] and seg.sentences == []


def test_other_language():
    text = "Le ministre est arrivé lundi. Il repart mardi."
    assert sentences(text, "fr") == ["Le ministre est arrivé lundi.", "Il repart mardi."]
    assert sentences(text, "") == ["Le ministre est arrivé lundi.", "Il repart mardi."]  # no language: English rules


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_offsets_index_the_cleaned_text(path):
    text, _ = clean.clean(path.read_text(encoding="utf-8"))
    check_offsets(text)
    seg = split(text)
    assert len(seg.paragraphs) >= 5 and len(seg.sentences) >= len(seg.paragraphs)


def test_seed_000_abbreviations():
    (path,) = SEEDS.glob("000_*.txt")
    text, _ = clean.clean(path.read_text(encoding="utf-8"))
    found = sentences(text)
    sentence = "Gen. Hatami is going to visit the 6th edition of the International Military-Technical Forum called"
    assert f"{sentence} Army-2020." in found
    assert not any(s.endswith(("Gen.", "Brig.", "Def.", "Min.")) for s in found)


def test_a_state_abbreviation_broken_by_the_splitter_is_joined():
    text = "Sen. Lindsey Graham, R-S.C., said he would vote for it. Others agreed."
    assert sentences(text) == ["Sen. Lindsey Graham, R-S.C., said he would vote for it.", "Others agreed."]


def test_a_teaser_that_makes_sentencex_panic_is_split_all_the_same():
    # "on T . . ." with no-break spaces panics sentencex's native code (a BaseException) on the raw text
    text = "Catch the series on T\u00a0.\u00a0.\u00a0. It returns in spring.\u00a0Then it ends."
    assert sentences(text) == ["Catch the series on T\u00a0.\u00a0.\u00a0.", "It returns in spring.",
                               "Then it ends."]


def test_the_fallback_splitter_cuts_at_final_punctuation_before_a_capital(monkeypatch):
    def panic(*_):
        raise BaseException("native panic")

    monkeypatch.setattr(segment.sentencex, "segment", panic)
    text = "It rained on the fallback. Then it stopped! Did it?"  # split nowhere else: not among the texts kept
    assert sentences(text) == ["It rained on the fallback.", "Then it stopped!", "Did it?"]


def test_sentences_kept_for_a_text_split_again_are_the_same_and_cannot_be_changed_by_a_caller():
    text = "Cleaning splits a block. The segments split the same paragraph again."
    first = segment.sentence_spans(text)
    first.append((0, 1))  # a caller's own list
    assert segment.sentence_spans(text) == [(0, 24), (25, len(text))]
    assert segment.sentence_spans(text, "de") == segment.sentence_spans(text)  # kept per language, the same here


def test_a_sentence_never_ends_at_a_title_before_a_name():
    text = ("The resolution doesn’t name Ms. Omar, but it condemns her words. A defeat of Rep. Will Hurd is "
            "likely. He lives in Ft. Worth with his wife. Martin Luther King Jr. The march began at noon.")
    got = [text[s:e] for s, e in segment.sentence_spans(text)]
    assert got[:3] == ["The resolution doesn’t name Ms. Omar, but it condemns her words.",
                       "A defeat of Rep. Will Hurd is likely.", "He lives in Ft. Worth with his wife."]
    assert got[-1] == "The march began at noon."  # "Jr." ends sentences as often as not: left to the splitter


@pytest.mark.parametrize("path", [NEWSWCL50, ABP], ids=["newswcl50", "allsides"])
def test_no_sentence_of_the_real_corpora_ends_at_a_title_before_a_name(path):
    """A sample of NewsWCL50 and of AllSides (the first 1,500 articles): no sentence ends at a ``TITLE`` when the
    next, on the same line, starts with a capital."""
    if not path.exists():
        pytest.skip(f"{path.name} not found at {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in itertools.islice(fh, 1500)]
    ends = []
    for text in texts:
        spans = segment.sentence_spans(text)
        ends += [text[max(s, e - 40) : e] for (s, e), (after, _) in zip(spans, spans[1:], strict=False)
                 if segment.TITLE.search(text, max(s, e - 8), e) and segment.NAME_NEXT.match(text, e)
                 and "\n" not in text[e:after]]
    assert not ends, ends[:5]


def test_sentences_remembered_stand_for_a_split_in_english_until_the_next_are_given():
    text = "Sentences found elsewhere. They are used as they were given."
    assert segment.sentence_spans(text) == [(0, 26), (27, len(text))]
    segment.remember([(text, ((0, len(text)),))])  # as another process might have found them
    assert segment.sentence_spans(text) == [(0, len(text))]
    assert segment.sentence_spans(text, "de") == [(0, 26), (27, len(text))]  # found for English only
    segment.remember([])
    assert segment.sentence_spans(text) == [(0, 26), (27, len(text))]


def test_compiled_spans_are_the_python_spans(monkeypatch):
    """``lib/text/_sentences.c`` (built by the install where a C compiler is found) finds the spans the Python below
    it finds from sentencex's pieces: whitespace of any kind stripped, fragments of an abbreviation and names after a
    title joined (in English only), before a capital, a quote or a bracket, on the same line."""
    import random

    if segment._compiled is None:
        pytest.skip("lib/text/_sentences.c was not compiled at install (no C compiler): Python spans only")
    rng = random.Random(6)
    words = ["Mr.", "Mrs.", "Messrs.", "Dr.", "Sen.", "St.", "Ft.", "Gen.", "Jr.", "No.", "U.S.", "A.", "C.,", "R-S.C.",
             "x.", "_Dr.", ".Mr.", "éDr.", "5.", "Smith", "smith", "“Quote", "‘Tis", "(Name", "\"Ann", "'Bo", "said.",
             "It", "is", "done.", "Why?", "No!", "e.g.", "İ.", "𝐀.", "ß", "…"]
    spaces = ["", " ", "  ", "\u00a0", "\t", "\n", "\u2003", "\u3000", " \u00a0 "]
    texts = ["".join(rng.choice(words) + rng.choice(spaces) for _ in range(rng.randrange(1, 25))) for _ in range(20000)]
    languages = ["en", "de", ""]
    segment._sentence_spans.cache_clear()
    compiled = [segment._sentence_spans(t, lang) for t in texts for lang in languages]
    monkeypatch.setattr(segment, "_compiled", None)
    segment._sentence_spans.cache_clear()
    assert compiled == [segment._sentence_spans(t, lang) for t in texts for lang in languages]
    assert sum(map(len, compiled[::3])) < sum(map(len, compiled[2::3]))  # the same pieces: titles join in English alone
    segment._sentence_spans.cache_clear()
