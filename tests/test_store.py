"""The store: revisions, duplicates, replace, delete, artifacts, and that a failed or killed write
leaves every stored corpus as it was while readers keep reading."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import REPO, prose

from lib import store
from lib.analyses import coverage
from lib.cleaning import clean
from lib.ingest import pipeline
from lib.store import StoreError, artifacts, edits, reads
from lib.text import segment

TABLES = ("articles", "paragraphs", "sentences", "removed")


def article(text: str, source: str = "a.txt", outlet: str = "Valley Post") -> store.Article:
    cleaned, spans = clean.clean(text)
    meta = {"outlet": outlet, "outlet_src": "file", "title": "", "title_src": "missing", "language": "en",
            "language_src": "inferred"}
    return store.Article(source, source, text, cleaned, meta, spans, segment.split(cleaned))


def snapshot(conn: sqlite3.Connection, name: str) -> dict:
    """Everything stored for one corpus: its row and every row of every table."""
    cid = store.corpus_id(conn, name)
    out = {"corpus": conn.execute("SELECT * FROM corpora WHERE id = ?", (cid,)).fetchall()}
    for table in TABLES:
        out[table] = conn.execute(f"SELECT * FROM {table} WHERE corpus_id = ? ORDER BY 1, 2, 3", (cid,)).fetchall()
    return out


def count(conn: sqlite3.Connection, table: str, cid: int) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE corpus_id = ?", (cid,)).fetchone()[0]


@pytest.fixture
def conn(home):
    c = store.connect(home)
    yield c
    c.close()


def test_store_is_sqlite_in_wal_mode_in_the_data_folder(home, conn):
    assert (home / "framescope.db").exists()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_save_creates_revision_1_and_every_change_bumps_it(conn):
    result = store.save(conn, "c", [article(prose("canal"), "a.txt"), article(prose("lock gate"), "b.txt")],
                        created_by="test")
    assert (result.revision, result.added, result.duplicates) == (1, 2, [])
    assert store.revision(conn, "c") == 1
    assert store.save(conn, "c", [article(prose("weir"), "c.txt")]).revision == 2

    assert edits.update_metadata(conn, "c", {0: {"outlet": "Canal Times", "title": "Canal reopens"}}) == 3
    df = store.articles(conn, "c")
    row = df[df.id == 0].iloc[0]
    assert (row.outlet, row.outlet_src, row.title, row.title_src) == ("Canal Times", "user", "Canal reopens", "user")
    assert edits.update_metadata(conn, "c", {0: {"outlet": ""}}) == 4
    row = store.articles(conn, "c").iloc[0]
    assert (row.outlet, row.outlet_src) == ("", "missing")  # a cleared field is missing, not "user"

    assert edits.set_stopwords(conn, "c", ["canal", "lock"]) == 5
    assert conn.execute("SELECT stopwords FROM corpora WHERE name = 'c'").fetchone()[0] == "canal\nlock"

    with_junk = article(f"{prose('towpath')}\n© 2021 Valley Post. All rights reserved.\n", "d.txt")
    store.save(conn, "c", [with_junk])
    aid = int(store.articles(conn, "c").query("source_file == 'd.txt'").id.iloc[0])
    assert edits.set_restored(conn, "c", aid, {0: True}) == 7
    assert store.revision(conn, "c") == 7
    listed = store.list_corpora(conn).set_index("name").loc["c"]
    assert (listed.revision, listed.articles, listed.created_by) == (7, 4, "test")


def test_metadata_edit_rejects_fields_that_are_not_metadata(conn):
    store.save(conn, "c", [article(prose("canal"))])
    with pytest.raises(StoreError, match="cannot be edited"):
        edits.update_metadata(conn, "c", {0: {"text": "rewritten"}})
    assert store.revision(conn, "c") == 1


def test_retrieved_is_stored_edited_and_never_dates_an_article(conn):
    crawled = article(prose("canal"), "crawl.csv:2")
    crawled.meta |= {"retrieved": "2019-05-31T21:45:53Z", "retrieved_src": "file", "published_src": "missing"}
    store.save(conn, "c", [crawled])
    row = store.articles(conn, "c").iloc[0]
    assert (row.retrieved, row.retrieved_src, row.published, row.published_src) == (
        "2019-05-31T21:45:53Z", "file", "", "missing")
    stats = store.article_stats(conn, "c")
    assert "retrieved" not in stats.columns  # coverage and every view read ``published`` only
    assert list(coverage.undated(stats)["id"]) == [0]

    edits.update_metadata(conn, "c", {0: {"retrieved": "2019-06-01 10:00 +02:00"}})
    row = store.articles(conn, "c").iloc[0]
    assert (row.retrieved, row.retrieved_src, row.published, row.published_offset) == (
        "2019-06-01T08:00:00Z", "user", "", "")
    with pytest.raises(StoreError, match="retrieved"):
        edits.update_metadata(conn, "c", {0: {"retrieved": "soonish"}})


def test_a_database_without_the_newer_metadata_columns_gains_them(home):
    home.mkdir(parents=True)
    old = sqlite3.connect(store.db_path(home))
    old_schema = re.sub(r"retrieved TEXT, retrieved_src TEXT, ", "", store.SCHEMA)
    assert "retrieved" not in old_schema
    old.executescript(old_schema)
    old.execute("INSERT INTO corpora (name, created_at, updated_at) VALUES ('c', '', '')")
    old.execute("INSERT INTO articles (corpus_id, id, source_file, key, text_hash, words, outlet, raw_text, text) "
                "VALUES (1, 0, 'a.txt', 'a.txt', 'h', 3, 'Valley Post', 'raw', 'text')")
    old.commit()
    old.close()

    conn = store.connect(home)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    assert set(store.META_COLUMNS) <= columns
    row = store.articles(conn, "c").iloc[0]
    assert (row.outlet, row.retrieved) == ("Valley Post", None)  # old rows kept, the new field empty
    assert store.save(conn, "c", [article(prose("weir"), "b.txt")]).added == 1
    store.connect(home).close()  # a second connection finds nothing to do
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restoring_a_span_re_cleans_and_re_segments(conn):
    raw = f"{prose('towpath', 2)}\n© 2021 Valley Post. All rights reserved.\n"
    store.save(conn, "c", [article(raw)])
    spans = store.removed(conn, "c", 0)
    assert list(spans.kind) == ["copyright"] and list(spans.restored) == [0]
    assert spans.text.iloc[0] == "© 2021 Valley Post. All rights reserved."
    assert not store.sentences(conn, "c").text.str.contains("©").any()

    edits.set_restored(conn, "c", 0, {0: True})
    assert store.removed(conn, "c", 0).restored.tolist() == [1]
    text = store.articles(conn, "c", text=True).text.iloc[0]
    assert text.endswith("© 2021 Valley Post. All rights reserved.")
    assert store.sentences(conn, "c").text.str.contains("© 2021 Valley Post").any()

    edits.set_restored(conn, "c", 0, {0: False})  # and removed again
    assert "©" not in store.articles(conn, "c", text=True).text.iloc[0]
    with pytest.raises(StoreError):
        edits.set_restored(conn, "c", 99, {0: True})


def test_duplicates_are_stored_once(conn):
    text = prose("ferry")
    result = store.save(conn, "c", [article(text, "a.txt"), article(text, "copy.txt"),
                                    article(text + "\n\n", "spaced.txt")])  # same cleaned text
    assert result.added == 1
    assert result.duplicates == [("copy.txt", "a.txt"), ("spaced.txt", "a.txt")]
    again = store.save(conn, "c", [article(text, "later.txt"), article(prose("tram"), "new.txt")])
    assert again.added == 1 and again.duplicates == [("later.txt", "a.txt")]
    assert sorted(store.articles(conn, "c").source_file) == ["a.txt", "new.txt"]
    assert store.save(conn, "other", [article(text, "x.txt")]).added == 1  # per corpus


def test_replace_swaps_the_articles(conn):
    store.save(conn, "c", [article(prose("canal"), "a.txt"), article(prose("weir"), "b.txt")])
    cid = store.corpus_id(conn, "c")
    result = store.save(conn, "c", [article(prose("dock"), "new.txt")], replace=True)
    assert (result.revision, result.added) == (2, 1)
    df = store.articles(conn, "c")
    assert list(df.source_file) == ["new.txt"]
    assert count(conn, "paragraphs", cid) == 3 and count(conn, "articles", cid) == 1
    # replacing with the same text is not a duplicate of what it replaces
    assert store.save(conn, "c", [article(prose("dock"), "new.txt")], replace=True).added == 1


def test_bad_corpus_names_are_refused(conn):
    for name in ["", "../escape", "a/b", "x" * 65, ".hidden"]:
        with pytest.raises(StoreError):
            store.save(conn, name, [article(prose("canal"))])
    assert store.list_corpora(conn).empty


def test_unknown_corpus(conn):
    for call in (lambda: store.articles(conn, "nope"), lambda: store.revision(conn, "nope"),
                 lambda: store.delete(conn, "nope"), lambda: edits.update_metadata(conn, "nope", {})):
        with pytest.raises(StoreError, match="no corpus named 'nope'"):
            call()


def test_delete_removes_rows_and_artifacts(home, conn):
    store.save(conn, "gone", [article(prose("canal"), "a.txt"), article(prose("weir"), "b.txt")])
    store.save(conn, "stays", [article(prose("dock"))])
    cid = store.corpus_id(conn, "gone")
    assert all(count(conn, t, cid) for t in ("articles", "paragraphs", "sentences"))
    kept = snapshot(conn, "stays")
    path = artifacts.save("gone", store.version(conn, "gone").generation, 1, {"k": 5}, {"topics": [1, 2]})
    other = artifacts.save("stays", store.version(conn, "stays").generation, 1, {"k": 5}, "keep me")
    assert path.exists()

    store.delete(conn, "gone")
    assert list(store.list_corpora(conn).name) == ["stays"]
    assert all(count(conn, t, cid) == 0 for t in TABLES)
    assert not path.exists() and not (home / "artifacts" / "gone").exists()
    assert other.exists() and snapshot(conn, "stays") == kept
    # the name can be used again, from revision 1
    assert store.save(conn, "gone", [article(prose("canal"))]).revision == 1


def test_artifacts_keyed_by_corpus_revision_and_parameters(home):
    value = {"matrix": [[1, 2], [3, 4]]}
    path = artifacts.save("c", "g", 3, {"k": 10, "method": "nmf"}, value)
    assert path.is_relative_to(home / "artifacts")
    assert artifacts.load("c", "g", 3, {"method": "nmf", "k": 10}) == value  # parameter order does not matter
    assert artifacts.load("c", "g", 3, {"method": "nmf", "k": 11}) is None
    assert artifacts.load("c", "g", 4, {"method": "nmf", "k": 10}) is None
    assert artifacts.load("d", "g", 3, {"method": "nmf", "k": 10}) is None
    artifacts.save("c", "g", 3, {"k": 11, "method": "nmf"}, "second")
    assert artifacts.load("c", "g", 3, {"method": "nmf", "k": 10}) == value  # several per revision
    artifacts.save("c", "g", 4, {"k": 10, "method": "nmf"}, "newer")
    assert artifacts.load("c", "g", 4, {"method": "nmf", "k": 10}) == "newer"
    assert artifacts.load("c", "g", 3, {"method": "nmf", "k": 10}) is None  # older revisions are pruned
    assert not list((home / "artifacts").rglob("*.tmp"))


def test_a_corpus_created_again_is_a_new_generation(conn):
    first = store.save(conn, "c", [article(prose("canal"))])
    was = store.version(conn, "c")
    assert (first.revision, was.revision) == (1, 1) and len(was.generation) == 16
    store.save(conn, "c", [article(prose("weir"), "b.txt")], replace=True)  # a change: same corpus, next revision
    assert store.version(conn, "c") == store.Version(was.generation, 2)
    store.delete(conn, "c")
    store.save(conn, "c", [article(prose("weir"))])
    again = store.version(conn, "c")
    assert again.revision == 1 and again.generation != was.generation
    assert store.version(conn, "c") != was  # the key of every cache and artifact


def test_migration_gives_every_older_corpus_its_own_generation(home):
    conn = store.connect(home)
    for name in ("a", "b"):
        store.save(conn, name, [article(prose(name * 5))])
    conn.execute("ALTER TABLE corpora DROP COLUMN generation")  # as an older FrameScope made it
    conn.close()
    conn = store.connect(home)
    generations = [store.version(conn, name).generation for name in ("a", "b")]
    assert all(generations) and len(set(generations)) == 2
    assert store.version(store.connect(home), "a").generation == generations[0]  # given once, then kept


def test_a_late_result_for_a_deleted_corpus_is_not_read_by_its_successor(home, conn):
    """A server still computing for a corpus the CLI deleted writes its result after the delete: the corpus
    made again under the name (revision 1 again) must not read it."""
    store.save(conn, "c", [article(prose("canal"))])
    old = store.version(conn, "c")
    store.delete(conn, "c")
    artifacts.save("c", old.generation, old.revision, {"k": 1}, "the old corpus's result")
    store.save(conn, "c", [article(prose("weir"))])
    new = store.version(conn, "c")
    assert new.revision == old.revision
    assert artifacts.load("c", new.generation, new.revision, {"k": 1}) is None


def test_older_artifacts_without_a_generation_are_pruned(home):
    old = artifacts.folder(home) / "c" / "1"
    old.mkdir(parents=True)
    (old / "x.pkl").write_bytes(b"")
    artifacts.save("c", "0123456789", 1, {"k": 1}, "new")  # a generation of digits is no revision folder
    assert not old.exists() and artifacts.load("c", "0123456789", 1, {"k": 1}) == "new"


def _module(path, name: str, source: str):
    import importlib.util

    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_code_version_follows_the_source(tmp_path):
    one = _module(tmp_path / "one.py", "h3_one", "def score(x):\n    return x + 1\n")
    same = _module(tmp_path / "same.py", "h3_same", "def score(x):\n    return x + 1\n")
    changed = _module(tmp_path / "changed.py", "h3_changed", "def score(x):\n    return x + 2\n")
    assert artifacts.code_version(one.score) == artifacts.code_version(same.score)
    assert artifacts.code_version(one.score) != artifacts.code_version(changed.score)
    assert artifacts.code_version(one) != artifacts.code_version(changed)


def test_code_version_covers_the_modules_a_method_uses():
    from lib import service
    from lib.analyses import compare, stories, topics

    assert {"lib.analyses.topics", "lib.analyses.coherence", "lib.text.terms",
            "lib.analyses.coverage"} <= set(artifacts.code_modules(topics))
    assert {"lib.analyses.elements", "lib.analyses.quotes", "lib.analyses.tone"} <= set(artifacts.code_modules(compare))
    assert artifacts.code_modules(service.articles) == ("lib.analyses.coverage",)  # not the store: it reads
    assert not any(m.startswith(("lib.store", "lib.ui")) for m in artifacts.code_modules(service.topic_model))
    assert artifacts.code_version(stories, service.articles) == artifacts.code_version(stories, service.articles)


def test_an_artifact_of_changed_code_is_not_reused(home, conn, monkeypatch):
    from lib import service
    from lib.analyses import stories

    store.save(conn, "c", [article(prose("canal"), "a.txt"), article(prose("weir"), "b.txt")])
    runs = []
    cluster = stories.cluster
    monkeypatch.setattr(stories, "cluster", lambda *a, **k: runs.append(1) or cluster(*a, **k))
    service.story_result(conn, "c")
    service.story_result(conn, "c")
    assert len(runs) == 1  # kept, then read
    assert service.CODE["stories"] == artifacts.code_version(stories, service.articles, service.story_result)
    monkeypatch.setitem(service.CODE, "stories", "changed")  # as the code version of changed code would be
    service.story_result(conn, "c")
    assert len(runs) == 2


def test_two_writers_of_one_artifact_both_succeed(home):
    """The app and the CLI may compute the same result at once; neither may fail or half-write it."""
    import threading

    class Slow:  # pickles slowly, so the two writes overlap
        def __reduce__(self):
            time.sleep(0.2)
            return (str, ("done",))

    errors = []

    def write():
        try:
            artifacts.save("c", "g", 1, {"k": 1}, [Slow()])
        except Exception as e:  # noqa: BLE001 - the test reports any failure
            errors.append(e)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and artifacts.load("c", "g", 1, {"k": 1}) == ["done"]
    assert not list((home / "artifacts").rglob("*.tmp"))


def test_an_article_the_store_refuses_is_reported_and_the_rest_lands(conn):
    store.save(conn, "c", [article(prose("canal"), "a.txt"), article(prose("weir"), "b.txt")])
    edits.update_metadata(conn, "c", {1: {"title": "Weir"}})
    before = snapshot(conn, "c")
    broken = article(prose("lock"), "broken.txt")
    broken.segments = segment.Segments(paragraphs=[(0, object())], sentences=[])  # cannot be bound: insert raises
    result = store.save(conn, "c", [broken, article(prose("dock"), "ok.txt")])
    assert result.added == 1 and [source for source, _ in result.failed] == ["broken.txt"]
    assert "could not be stored" in result.failed[0][1]
    after = snapshot(conn, "c")
    assert [r for r in after["articles"] if r not in before["articles"]][0][2] == "ok.txt"
    assert not any("lock" in str(r) for table in after.values() for r in table)  # nothing of it half-written
    result = store.save(conn, "new", [broken])
    assert result.added == 0 and result.failed
    assert list(store.list_corpora(conn).name) == ["c"]  # a corpus that stored nothing is not created


def test_a_refused_article_among_others_leaves_their_duplicates_and_copies_counted_once(conn):
    # the articles are stored in groups under one savepoint; one that fails rolls its group back, and the group
    # is stored again article by article: what the first try found must not count twice
    broken = article(prose("lock"), "broken.txt")
    broken.segments = segment.Segments(paragraphs=[(0, object())], sentences=[])
    result = store.save(conn, "c", [article(prose("canal"), "a.txt"), article(prose("canal"), "again.txt"), broken,
                                    article(prose("canal"), "other.txt", outlet="Hill Times")])
    assert result.added == 2 and [source for source, _ in result.failed] == ["broken.txt"]
    assert result.duplicates == [("again.txt", "a.txt")] and result.copies == [("other.txt", "a.txt")]
    assert sorted(store.articles(conn, "c").source_file) == ["a.txt", "other.txt"]


def test_exception_inside_a_transaction_rolls_everything_back(conn):
    store.save(conn, "c", [article(prose("canal"))])
    before = snapshot(conn, "c")
    with pytest.raises(RuntimeError), store.transaction(conn):
        conn.execute("DELETE FROM articles")
        conn.execute("UPDATE corpora SET revision = 99")
        raise RuntimeError("boom")
    assert snapshot(conn, "c") == before
    assert not conn.in_transaction


def test_an_article_a_stage_fails_on_stores_nothing_of_it(tmp_path, home, conn, monkeypatch):
    store.save(conn, "c", [article(prose("canal"))])
    before = snapshot(conn, "c")
    (tmp_path / "x.txt").write_text(prose("weir"))

    def fail(*args, **kwargs):
        raise MemoryError("out of memory while segmenting")

    monkeypatch.setattr(segment, "split", fail)
    report = pipeline.ingest_paths(conn, "c", [tmp_path / "x.txt"])
    assert [(p.source, p.reason) for p in report.problems] == [
        (str(tmp_path / "x.txt"), "segment failed (MemoryError: out of memory while segmenting)")]
    assert snapshot(conn, "c") == before


def test_reading_while_another_connection_writes(home, conn):
    store.save(conn, "c", [article(prose("canal"), "a.txt")])
    seen = {}

    def articles_with_a_reader_in_the_middle():
        yield article(prose("weir"), "b.txt")
        # the dashboard opens the store and reads while the CLI's transaction is open
        reader = store.connect(home)
        started = time.perf_counter()
        seen["corpora"] = store.list_corpora(reader).set_index("name").loc["c"][["revision", "articles"]].tolist()
        seen["sources"] = list(store.articles(reader, "c").source_file)
        seen["seconds"] = time.perf_counter() - started
        reader.close()
        yield article(prose("dock"), "c.txt")

    assert store.save(conn, "c", articles_with_a_reader_in_the_middle()).revision == 2
    assert seen["corpora"] == [1, 1] and seen["sources"] == ["a.txt"]  # the old corpus, whole
    assert seen["seconds"] < 5  # not blocked by the writer
    reader = store.connect(home)
    assert list(store.articles(reader, "c").source_file) == ["a.txt", "b.txt", "c.txt"]


def test_killed_ingest_leaves_stored_corpora_unchanged(tmp_path, home):
    first = tmp_path / "first"
    first.mkdir()
    for i in range(3):
        (first / f"{i}.txt").write_text(prose(f"canal {i}"))
    conn = store.connect(home)
    assert pipeline.ingest_paths(conn, "keep", [first]).added == 3
    before = snapshot(conn, "keep")
    conn.close()

    many = tmp_path / "many"
    many.mkdir()
    for i in range(3000):
        (many / f"{i:05d}.txt").write_text(f"Report number {i}\n\n{prose(f'project {i}', 4)}")
    env = {**os.environ, "FRAMESCOPE_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "lib.cli", "ingest", str(many), "--corpus", "keep"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    probe = sqlite3.connect(store.db_path(home), timeout=0, isolation_level=None)
    killed, deadline = False, time.monotonic() + 120
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError:  # the ingest holds the write lock: it is storing the batch
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None and not killed:
            proc.kill()
        proc.wait()
        probe.close()
    assert killed, "the ingest ended before its store stage was seen"
    assert proc.returncode == -signal.SIGKILL

    conn = store.connect(home)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert snapshot(conn, "keep") == before
    assert list(store.list_corpora(conn).name) == ["keep"]
    assert store.save(conn, "keep", [article(prose("after the crash"), "z.txt")]).revision == 2


def test_articles_search_and_limit(home):
    conn = store.connect(home)
    pipeline.ingest_paths(conn, "demo", [REPO / "seeds"])
    assert len(store.articles(conn, "demo", limit=2)) == 2
    hits = store.articles(conn, "demo", search="press")
    assert set(hits["outlet"]) == {"Iran Press"} and len(hits) == 2
    assert len(store.articles(conn, "demo", search="100%_")) == 0  # LIKE wildcards are literal


def test_corpus_names_sorted(home):
    conn = store.connect(home)
    for name in ("zeta", "alpha"):
        pipeline.ingest_paths(conn, name, [REPO / "seeds" / "004_2ce101c8010756d4.txt"])
    assert store.corpus_names(conn) == ["alpha", "zeta"]


def test_sentences_of_some_articles_and_sentence_texts_by_key(conn):
    store.save(conn, "c", [article(prose("bridge"), "a.txt"), article(prose("school"), "b.txt", "Hill Times")])
    every = store.sentences(conn, "c")
    first = store.sentences(conn, "c", ids=[0])
    assert set(first["article_id"]) == {0} and len(first) == (every["article_id"] == 0).sum()
    assert store.sentences(conn, "c", ids=[]).empty
    articles = store.texts(conn, "c", [1])
    at = [(1, m.start()) for m in re.finditer("school", articles["text"].iloc[0])]  # each sentence once
    holding = store.sentences_at(conn, "c", articles, at + at[:1])
    assert len(at) > 1 and holding.equals(every[every["text"].str.contains("school") & (every["article_id"] == 1)]
                                          .reset_index(drop=True))
    assert store.sentences_at(conn, "c", articles, []).empty
    picked = store.sentence_texts(conn, "c", [(1, 2), (0, 0)])
    assert list(zip(picked["article_id"], picked["sentence"], strict=True)) == [(0, 0), (1, 2)]
    expected = every.set_index(["article_id", "sentence"]).loc[(1, 2), "text"]
    assert picked["text"].iloc[1] == expected and "school" in expected
    assert picked["outlet"].iloc[1] == "Hill Times"
    assert store.sentence_texts(conn, "c", []).empty


def test_containing_prefilters_articles_and_many_ids_still_work(conn, monkeypatch):
    store.save(conn, "c", [article(prose("bridge"), "a.txt"), article(prose("50%_school"), "b.txt")])
    assert store.containing(conn, "c", "BRIDGE") == [0]
    assert store.containing(conn, "c", "50%_sch") == [1] and store.containing(conn, "c", "5%") == []
    every = store.sentences(conn, "c")
    monkeypatch.setattr(reads, "MAX_PARAMS", 1)  # more ids than one query may bind
    both = store.sentences(conn, "c", ids=[0, 1])
    assert both.equals(every)
    assert set(store.sentences(conn, "c", ids=[1, 1])["article_id"]) == {1}
