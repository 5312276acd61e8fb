"""The ingest pipeline: one article never takes a batch down, and reprints by other outlets are articles."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest
from conftest import REPO, csv_bytes, prose

from lib import ingest, store
from lib.cleaning import clean, repeats
from lib.config import Limits
from lib.ingest import pipeline

PANICKING = "Catch the whole series on T\u00a0.\u00a0.\u00a0. " + prose("rail line", 1)


def _batch(rows: list[dict[str, str]]) -> ingest.Batch:
    return ingest.read_bytes("export.csv", csv_bytes(rows), Limits())


def _ingest(home, rows, corpus="c") -> pipeline.Report:
    return pipeline.store_batch(store.connect(home), corpus, _batch(rows))


def test_a_teaser_that_panics_the_sentence_splitter_loads_with_the_rest(home):
    rows = [{"id": "1", "outlet": "A", "text": PANICKING},
            {"id": "2", "outlet": "B", "text": prose("bridge")}]
    report = _ingest(home, rows)
    assert report.added == 2 and not report.problems
    texts = store.texts(store.connect(home), "c")["text"].tolist()
    assert any("whole series on T . . ." in t for t in texts)  # whitespace is collapsed in the cleaned text


@pytest.mark.parametrize("stage", ["clean", "metadata", "segment"])
def test_any_exception_in_a_stage_fails_that_article_only(home, monkeypatch, stage):
    target = {"clean": (clean, "clean"), "metadata": (pipeline.metadata, "resolve"),
              "segment": (pipeline.segment, "split")}[stage]
    real = getattr(*target)

    def fragile(*args):
        if any("BOOM" in a for a in args if isinstance(a, str)):
            raise BaseException("a native panic")  # what pyo3's PanicException derives from
        return real(*args)

    monkeypatch.setattr(*target, fragile)
    rows = [{"id": "1", "outlet": "A", "text": prose("bridge") + "BOOM."},
            {"id": "2", "outlet": "B", "text": prose("harbour")}]
    report = _ingest(home, rows)
    assert report.added == 1
    assert [(p.source, p.reason) for p in report.problems] == [("export.csv:2", f"{stage} failed (BaseException: "
                                                                                 "a native panic)")]


def test_an_article_that_breaks_the_repeat_counts_leaves_the_statistics_of_the_rest(home, monkeypatch):
    real = repeats.line_counts

    def fragile(raws, **options):
        raws = list(raws)
        if any("BOOM" in r for r in raws):
            raise RecursionError("deep")
        return real(raws, **options)

    monkeypatch.setattr(repeats, "line_counts", fragile)
    rows = [{"id": str(i), "outlet": "A", "text": prose(f"topic {i}") + "Sign up for our newsletter today\n"}
            for i in range(4)] + [{"id": "9", "outlet": "A", "text": prose("bridge") + "BOOM"}]
    report = _ingest(home, rows)
    assert report.added == 5  # counted without the failing article; it cleans and loads all the same
    removed = store.removed(store.connect(home), "c")
    assert (removed["kind"] == "corpus boilerplate").sum() == 4  # the sign-up line, in three or more articles


def test_an_article_the_store_cannot_take_is_reported_and_the_rest_lands(home):
    good = {"id": "1", "outlet": "A", "text": prose("bridge")}
    batch = _batch([good])
    batch.articles.append(ingest.RawArticle("bad.json:3", "bad", prose("ferry") + "\ud800"))  # a lone surrogate
    report = pipeline.store_batch(store.connect(home), "c", batch)
    assert report.added == 1
    assert [p.source for p in report.problems] == ["bad.json:3"]
    assert "could not be stored" in report.problems[0].reason


def test_a_reprint_by_another_outlet_is_stored_and_marked_a_copy(home):
    wire = prose("port strike", 4)
    rows = [{"id": "1", "outlet": "Wire", "text": wire}, {"id": "2", "outlet": "Daily", "text": wire},
            {"id": "3", "outlet": "Wire", "text": wire}]
    batch = _batch(rows)
    first, second, third = (a.source for a in batch.articles)
    report = pipeline.store_batch(store.connect(home), "c", batch)
    assert report.added == 2
    assert report.copies == [(second, first)]
    assert report.duplicates == [(third, first)]  # the same outlet's same text: stored once
    assert set(report.table()["status"]) == {"copy", "duplicate"}
    again = _ingest(home, [{"id": "4", "outlet": "Herald", "text": wire}])  # a later batch: a copy too
    assert again.added == 1 and again.copies == [("export.csv:2", first)]


def _mixed_batch() -> ingest.Batch:
    """Five outlets' articles, a reprint, a duplicate, an empty page and one the store refuses."""
    wire = prose("port strike", 4)
    rows = [{"id": str(i), "outlet": f"Outlet {i % 5}", "text": prose(f"topic {i}")} for i in range(10)]
    rows += [{"id": "w1", "outlet": "Wire", "text": wire}, {"id": "w2", "outlet": "Daily", "text": wire},
             {"id": "w3", "outlet": "Wire", "text": wire}, {"id": "e", "outlet": "Daily", "text": "   "}]
    batch = _batch(rows)
    batch.articles.append(ingest.RawArticle("bad.json:3", "bad", prose("ferry") + "\ud800"))  # a lone surrogate
    return batch


def _outcome(conn, corpus: str, report: pipeline.Report) -> tuple:
    texts = store.texts(conn, corpus)
    return (texts[["text", "outlet"]].to_dict("records"), report.added, report.duplicates, report.copies,
            [(p.source, p.reason) for p in report.problems])


def test_workers_store_what_one_thread_stores_as_they_prepare_it(home, monkeypatch, cli_main):
    """A command-line ingest stores each article its workers prepare as it comes, in the batch's order: the same
    corpus and report as an ingest in one thread (reprints, duplicates, empty and refused articles)."""
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    conn = store.connect(home)
    here = _outcome(conn, "here", pipeline.store_batch(conn, "here", _mixed_batch()))
    stored_while_preparing = []
    real = pipeline._finish

    def watched(*args):
        stored_while_preparing.append(conn.in_transaction)
        return real(*args)

    monkeypatch.setattr(pipeline, "_finish", watched)
    pooled = _outcome(conn, "pooled", pipeline.store_batch(conn, "pooled", _mixed_batch(), workers=2))
    assert pooled == here
    assert here[1] == 12 and len(here[4]) == 2  # 15 articles: a duplicate, an empty one, a refused one
    assert stored_while_preparing[-1]  # the last article was prepared while the store's transaction was open
    assert gc.get_freeze_count() == 0  # the batch, frozen for the collector while workers prepared it, is let go


def test_the_pipeline_loads_without_scikit_learn_and_cleans_with_its_stop_words():
    """The command line and the workers' fork server import the pipeline before an ingest: scikit-learn, a second
    to import, is not among what it loads, yet the stop words cleaning reads are scikit-learn's."""
    code = "import sys, lib.ingest.pipeline; print(any(m.split('.')[0] == 'sklearn' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from lib.text.stopwords import ENGLISH_STOP_WORDS as words

    assert words == ENGLISH_STOP_WORDS and isinstance(words, frozenset)


def test_workers_fork_server_starts_before_the_batch_is_read(home, monkeypatch, tmp_path):
    """With workers, the fork server starts loading its modules before the input is read (the workers are there
    when counting starts); in one thread, none is started."""
    calls, fork_server, read_paths = [], pipeline.fork_server, ingest.read_paths
    monkeypatch.setattr(pipeline, "fork_server", lambda: calls.append("fork server") or fork_server())
    monkeypatch.setattr(ingest, "read_paths", lambda *a, **k: calls.append("read") or read_paths(*a, **k))
    (tmp_path / "a.txt").write_text(prose("bridge"), encoding="utf-8")
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "one", [tmp_path / "a.txt"])
    assert calls == ["read"]
    report = pipeline.ingest_paths(conn, "two", [tmp_path / "a.txt"], workers=2)
    assert calls[1:] == ["fork server", "read"] and report.added == 1


def test_an_ingest_stopped_while_workers_prepare_leaves_the_corpus_as_it_was(home, monkeypatch, cli_main):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    conn = store.connect(home)
    _ingest(home, [{"id": "old", "outlet": "A", "text": prose("bridge")}])
    before = store.texts(conn, "c")["text"].tolist()
    batch, real = _mixed_batch(), pipeline._finish
    last = batch.articles[-1].source

    def stopped(a, *args):
        if a.source == last:
            raise KeyboardInterrupt
        return real(a, *args)

    monkeypatch.setattr(pipeline, "_finish", stopped)
    with pytest.raises(KeyboardInterrupt):
        pipeline.store_batch(conn, "c", batch, workers=2)
    assert not conn.in_transaction and gc.get_freeze_count() == 0
    assert store.texts(conn, "c")["text"].tolist() == before
    assert store.version(conn, "c").revision == 1


def test_a_manifest_value_that_cannot_be_read_is_a_warning_and_the_article_loads(tmp_path, home):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(prose("ferry"))
    (folder / "manifest.csv").write_text("file,outlet,published,timezone\na.txt,Harbour News,next tuesday-ish,"
                                         "Mars/Olympus\n")
    report = pipeline.ingest_paths(store.connect(home), "c", [folder])
    assert report.added == 1 and not report.problems
    warned = report.table().query("status == 'warning'")
    assert len(warned) == 2 and all("a.txt" in s for s in warned["source"])
    assert any("next tuesday-ish" in r for r in warned["reason"]) and any("Mars/Olympus" in r for r in warned["reason"])
    stored = store.articles(store.connect(home), "c")
    assert stored.loc[0, "outlet"] == "Harbour News" and not stored.loc[0, "published"]


def test_a_manifest_given_as_a_fifo_is_refused_without_waiting(tmp_path, home):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(prose("ferry"))
    fifo = tmp_path / "manifest.csv"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    report = pipeline.ingest_paths(store.connect(home), "c", [folder], manifest=fifo)
    assert report.added == 1
    assert [(p.source, p.reason) for p in report.problems] == [(str(fifo), "not a regular file (a FIFO)")]
