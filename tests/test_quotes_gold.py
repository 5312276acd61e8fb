"""The hand-labelled quotation gold set (issue 23; tests/data/quotes_gold.md): its labels are complete and valid,
and every one still holds its text at its offsets in the corpus files of ../shared/corpora."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from conftest import ABP, NEWSWCL50

DATA = Path(__file__).resolve().parent / "data"


def sample_quotes():
    spec = importlib.util.spec_from_file_location("sample_quotes", DATA / "sample_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quote_gold_labels_are_complete():
    sq = sample_quotes()
    gold = [json.loads(line) for line in (DATA / "quotes_gold.jsonl").open(encoding="utf-8")]
    assert len(gold) >= 230 and sum(g["speaker"] is not None for g in gold) >= 200
    assert {g["corpus"] for g in gold} == {"newswcl50", "allsides"}
    assert len({g["qid"] for g in gold}) == len(gold)
    for g in gold:
        assert g["speaker_kind"] in sq.KINDS and g["cue"] in sq.CUES and g["speaker_mention"] in sq.MENTIONS
        assert g["text"] == " ".join(p["text"] for p in g["parts"]) and g["start"] < g["end"]
        assert g["pronoun_or_role"] == (g["speaker_mention"] in ("pronoun", "role"))


def test_quote_gold_offsets_hold_their_text_in_the_corpora():
    assert NEWSWCL50.exists() and ABP.exists()  # the corpus marker skips this test without them
    assert sample_quotes().check() == 0
