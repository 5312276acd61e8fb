"""The analyses on a Dask cluster (``lib.service.cluster``) give the tables of one machine: term counts tallied by
partition and merged (``terms.tally``, ``merge``, ``grouped``), reuse by a shingle join partitioned by hash, stories
with their lede vectors made by parts (``ledes.lede_counts``, ``merge_ledes``, ``lede_matrix``) and their time
blocks compared by tasks."""

from __future__ import annotations

import functools
import random
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import ABP, NEWSWCL50, csv_bytes, prose

from lib import cli, config, service, store
from lib.analyses import keywords as K
from lib.analyses import ledes as S
from lib.ingest import pipeline
from lib.text import hashes
from lib.text import terms as T


def _in_parts(texts: pd.Series, labels: np.ndarray, vocab: T.Vocabulary, size: int, seed: int) -> T.Grouped:
    """Tallies of parts of ``size`` articles merged in a shuffled order, pairwise: a tree reduction's arithmetic;
    each part's terms of fewer than ``min_df`` articles in the corpus left out first by hash (``term_hashes``)."""
    cuts = [(texts.iloc[i : i + size].tolist(), labels[i : i + size]) for i in range(0, len(texts), size)]
    total = hashes.added(*(T.term_hashes(t, vocab) for t, _ in cuts))
    kept = total.sorted_at_least(vocab.min_df)
    assert 0 < len(kept) <= len(total.keys) and (len(kept) < len(total.keys) or vocab.min_df == 1)
    parts = [T.tally(t, labels, vocab, kept) for t, labels in cuts]
    parts.append(T.tally([], labels[:0], vocab))  # an empty partition
    random.Random(seed).shuffle(parts)
    while len(parts) > 1:
        parts = [functools.reduce(T.merge, parts[i : i + 2]) for i in range(0, len(parts), 2)]
    return T.grouped(parts[0], vocab)


def _same_tables(m: T.Matrix, texts: pd.Series, units: pd.Series, vocab: T.Vocabulary, size: int) -> None:
    g = _in_parts(texts, units.reindex(m.ids).to_numpy(), vocab, size, seed=size)
    counts, names = K.by_unit(m, units)
    assert np.array_equal(g.terms, m.terms[np.unique(counts.indices)]) or np.array_equal(g.terms, m.terms)
    assert np.array_equal(g.units, names) and g.counts.dtype == counts.dtype and (g.counts != counts).nnz == 0
    own = K.named_alone(m, units, K.unit_names(units, units))
    assert K.named_alone(g, units, K.unit_names(units, units)) == own
    pd.testing.assert_frame_equal(K.keywords(g, units, 10, own), K.keywords(m, units, 10, own))
    pd.testing.assert_frame_equal(K.distinctive(g, units, 10), K.distinctive(m, units, 10))


def test_tallies_of_parts_merged_give_the_corpus_matrix_tables():
    topics = ["harbour strike", "vaccine trial", "border talks", "flood relief"]
    texts = pd.Series([prose(topics[i % 4], 2 + i % 3)
                       + f" Item {i} of the wire, from desk {chr(97 + i % 26)}{chr(97 + i // 26)}x."
                       for i in range(40)])
    ids = np.arange(100, 140)
    outlets = pd.Series([f"Outlet {i % 5}" if i % 7 else None for i in range(40)], index=ids)  # some in no unit
    vocab = T.Vocabulary(min_df=2)
    m = T.matrix(texts, ids, vocab)
    for size in (1, 3, 16):
        _same_tables(m, texts, outlets.dropna(), vocab, size)
    stories = pd.Series(np.arange(40) % 4, index=ids)  # numeric units
    _same_tables(m, texts, stories, vocab, 7)


def test_grouped_counts_refuse_other_units():
    texts = pd.Series(["alpha beta gamma", "beta gamma delta"])
    g = T.grouped(T.tally(texts.tolist(), np.array(["a", "b"], dtype=object)))
    with pytest.raises(ValueError, match="not of these units"):
        K.keywords(g, pd.Series(["a", "c"], index=[0, 1]))


def _same_ledes(texts: list[str], size: int) -> None:
    """Lede vectors made by parts, their terms merged pairwise in order (a tree), are the vectorizer's to the bit."""
    vec = S.Vocabulary().vectorizer(len(texts))
    full = vec.fit_transform(pd.Series(texts))
    parts = [S.lede_counts(texts[i : i + size]) for i in range(0, len(texts), size)]
    merged = [p for p, _ in parts]
    while len(merged) > 1:
        merged = [S.merge_ledes(*merged[i : i + 2]) for i in range(0, len(merged), 2)]
    x, names = S.lede_matrix(merged[0], parts)
    assert np.array_equal(names, vec.get_feature_names_out())
    for attr in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(x, attr), getattr(full, attr)), attr
    assert x.dtype == full.dtype == np.float32


def test_lede_vectors_by_parts_are_the_vectorizers():
    topics = ["harbour strike", "vaccine trial", "border talks", "flood relief", "rail fares"]
    texts = [prose(topics[i % 5], 1 + i % 4) + f" The {topics[(i * 3) % 5]} came up {i} times." for i in range(60)]
    texts[7], texts[8] = "", "and the of"  # no terms at all
    for size in (1, 7, 25, 60):
        _same_ledes(texts, size)


def test_newswcl50_lede_vectors_by_parts(home):
    conn, _ = _corpus(home, NEWSWCL50, "wcl")
    _same_ledes(S.ledes(service.articles(conn, "wcl")).tolist(), 8)


def _corpus(home, path, name: str) -> tuple[store.Connection, pd.DataFrame]:
    conn = store.connect(home)
    pipeline.ingest_paths(conn, name, [path])
    return conn, service.stats(conn, name)


def test_newswcl50_keywords_by_outlet_and_story_from_merged_tallies(home):
    conn, stats = _corpus(home, NEWSWCL50, "wcl")
    vocab = service.vocabulary(conn, "wcl")
    texts = store.texts(conn, "wcl")
    m = service.term_matrix(conn, "wcl", vocab)
    for by in ("outlet", "story"):
        _same_tables(m, texts["text"], service.units(stats, by), vocab, 9)


@pytest.fixture(scope="module")
def client(local_cluster):
    return local_cluster


def _cluster_matches(conn, name: str, client, **view) -> None:
    """Every table ``tables`` computes on a cluster is the same as here, the kept results (artifacts) of the
    stories and reuse computed here dropped first, so that the cluster computes them again."""
    here = {table: service.tables(conn, name, **view)[table]() for table in service.ON_A_CLUSTER}
    shutil.rmtree(config.home() / "artifacts")
    there = {table: service.tables(conn, name, client=client, **view)[table]() for table in service.ON_A_CLUSTER}
    assert (config.home() / "artifacts").is_dir()  # kept again, by the cluster
    for table in service.ON_A_CLUSTER:
        assert len(here[table]) > 0 or table not in ("keywords", "distinctive", "stories"), table
        pd.testing.assert_frame_equal(there[table], here[table], obj=table)


def test_keywords_and_distinctive_on_a_local_cluster_are_the_tables_of_one_machine(home, seeds, client, capsys):
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [seeds])
    _cluster_matches(conn, "demo", client)
    _cluster_matches(conn, "demo", client, by="story", top=5)
    assert cli.main(["analyze", "demo", "keywords", "--cluster", "local:1", "--top", "3"]) == 0
    there = capsys.readouterr().out
    assert cli.main(["analyze", "demo", "keywords", "--top", "3"]) == 0
    assert capsys.readouterr().out == there and "unit,rank,term" in there
    assert cli.main(["analyze", "demo", "compare", "--cluster", "local:1"]) == 2
    assert "--cluster runs stories" in capsys.readouterr().err


def test_wire_reprints_on_a_local_cluster(home, client, tmp_path):
    """Three outlets reprint three wire stories with a line of their own: reuse pairs, copies and a shared quotation
    found on the cluster as here."""
    rows = []
    for story, topic in enumerate(["harbour strike", "vaccine trial", "border talks"]):
        wire = prose(topic, 4) + f'\n"We will not accept the {topic} as it stands," the union leader told reporters.\n'
        for k, outlet in enumerate(["Daily Lantern", "Valley Herald", "Coast Times"]):
            rows.append({"outlet": outlet, "title": f"The {topic}, day {k}", "published": f"2024-03-0{story + 1}",
                         "text": wire + f"\nThe {outlet} adds a closing note of its own on the {topic}, number {k}.\n"})
    (tmp_path / "wire.csv").write_bytes(csv_bytes(rows))
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "wire", [tmp_path / "wire.csv"])
    pairs = service.tables(conn, "wire")["reuse"]()
    assert len(pairs) >= 9
    _cluster_matches(conn, "wire", client)
    _cluster_matches(conn, "wire", client, no_copies=True, across=False)


def test_newswcl50_on_a_local_cluster(home, client):
    conn, _ = _corpus(home, NEWSWCL50, "wcl")
    _cluster_matches(conn, "wcl", client)
    _cluster_matches(conn, "wcl", client, by="story")


@pytest.mark.slow
def test_an_allsides_sample_on_a_local_cluster(home, client, tmp_path):
    import gzip
    sample = tmp_path / "abp5000.jsonl"
    with gzip.open(ABP, "rt", encoding="utf-8") as f, sample.open("w", encoding="utf-8") as out:
        lines = f.readlines()
        out.writelines(random.Random(5).sample(lines, 5000))
    conn, _ = _corpus(home, sample, "abp")
    for view in ({}, {"by": "story"}, {"group": "allsides_bias", "among": ["left", "right"]}):
        _cluster_matches(conn, "abp", client, **view)
