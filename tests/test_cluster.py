"""Ingest on a Dask cluster (lib/ingest/cluster.py): the same articles, removed spans, metadata, segments and
problems as one machine, on a LocalCluster of two worker processes; a worker killed mid-run loses no article."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ABP, MIXED_LIMITS, NEWSWCL50, REPO, SEEDS

from lib import cluster as cluster_lib
from lib import ingest, store
from lib.cli import main
from lib.config import Limits
from lib.ingest import cluster, pipeline, web

BIG = Limits(max_file_bytes=2**31, max_zip_bytes=2**31)


@pytest.fixture(scope="module")
def client(local_cluster):
    """A client of a LocalCluster of two worker processes (``conftest.local_cluster``), for the module's tests."""
    return local_cluster


def same_as_one_machine(client, inputs: list, limits: Limits | None = None, workers: int = 1,
                        partition_size: int = cluster.PARTITION) -> list[store.Article]:
    """Prepare ``inputs`` on one machine (``pipeline.prepare``, as ``ingest_paths`` reads them) and on the cluster;
    assert that every article (text, removed spans, metadata, segments), problem, warning, manifest row and
    unmatched key is the same, in the same order; return the articles."""
    batch = web.expand_links(ingest.read_paths(inputs, limits), None)
    articles, unmatched, failed = pipeline.prepare(batch, workers=workers)
    got, prepared, got_unmatched = cluster.prepare_paths(client, inputs, limits, partition_size=partition_size)
    items = list(prepared)
    got_articles = [a for a in items if not isinstance(a, ingest.Problem)]
    got_failed = [a for a in items if isinstance(a, ingest.Problem)]
    assert got_articles == articles
    assert (got_unmatched, got_failed) == (unmatched, failed)
    assert (got.problems, got.warnings, got.manifest) == (batch.problems, batch.warnings, batch.manifest)
    return articles


def test_the_demo_gives_the_same_articles_in_partitions_of_two(client):
    articles = same_as_one_machine(client, [SEEDS], partition_size=2)
    assert len(articles) == 5 and any(a.spans for a in articles)  # the manifest's outlets, and spans removed


def test_bad_inputs_give_the_same_problems_in_the_same_order(client, mixed, tmp_path):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / ".draft.txt").write_text("A draft the folder hides.\n")
    (tmp_path / "links.txt").write_text("https://example.com/a\nhttps://example.com/b\n")
    inputs = [mixed.folder, tmp_path / "nowhere.txt", hidden, tmp_path / "links.txt"]
    same_as_one_machine(client, inputs, MIXED_LIMITS, partition_size=3)
    assert len(ingest.read_paths(inputs, MIXED_LIMITS).problems) == len(mixed.bad) + 2  # nowhere, nothing to read


def test_newswcl50_gives_the_same_articles(client):
    assert len(same_as_one_machine(client, [NEWSWCL50], partition_size=7)) == 50


@pytest.mark.slow
def test_five_thousand_allsides_articles_give_the_same_articles(client, tmp_path):
    sample = tmp_path / "abp5000.jsonl.gz"
    with gzip.open(ABP, "rt", encoding="utf-8") as f, gzip.open(sample, "wt", encoding="utf-8") as out:
        for _, line in zip(range(5000), f, strict=False):
            out.write(line)
    articles = same_as_one_machine(client, [sample], BIG, workers=2)
    assert len(articles) == 5000


SYLLABLES = ["ba", "de", "ki", "lo", "mu", "ra", "se", "ti", "vo", "zu", "an", "er", "in", "ol", "ur"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def paragraph(rng: random.Random) -> str:
    """Two sentences of invented words: no twelve words, sentence or opening alike in two articles."""
    w = ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(9)]
    return (f"{w[0].capitalize()} council members and the {w[1]} board said on {rng.choice(DAYS)} that the {w[2]} "
            f"plan for the {w[3]} valley would cost local families more than the budget allowed. {w[4].capitalize()} "
            f"critics warned that {w[5]} and {w[6]} residents had not been told why the {w[7]} bridge and the "
            f"{w[8]} road were left out of it.")


def monitoring(folder: Path, n: int = 240) -> Path:
    """``n`` invented articles of four outlets, each outlet's with its own sign-off line (its template), in a
    JSON Lines file."""
    outlets = ["Valley Post", "Hill Herald", "River Times", "Coast Daily"]
    rng = random.Random(25)
    folder.mkdir()
    path = folder / "monitor.jsonl"
    rows = [{"id": str(i), "outlet": outlets[i % 4], "text": "\n\n".join(paragraph(rng) for _ in range(3))
             + f"\n\nRead more from the {outlets[i % 4]} newsroom every morning.\n"} for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_worker_killed_mid_run_loses_and_doubles_no_article(client, tmp_path, home):
    path = monitoring(tmp_path / "in")
    conn = store.connect(home)
    one = pipeline.ingest_paths(conn, "one", [path])
    pids = client.run(os.getpid)
    seen, killed = [], []

    def kill_once(stage: str, done: int, total: int) -> None:
        seen.append(stage)
        if stage == "count" and not killed:  # partitions and partial counts are on both workers now
            holding, keys = max(client.has_what().items(), key=lambda kv: len(kv[1]))
            os.kill(pids[holding], signal.SIGKILL)
            killed.append(len(keys))  # results of this run's tasks, lost with it

    two = pipeline.ingest_paths(conn, "two", [path], cluster=client.scheduler.address, partition_size=12,
                                progress=kill_once)
    assert killed[0] > 0 and "clean" not in seen[: seen.index("count") + 1]  # before any article was prepared
    client.wait_for_workers(2, timeout=60)
    assert client.run(os.getpid).keys() != pids.keys() or client.run(os.getpid) != pids  # the nanny started another
    assert two.added == one.added == 240 and not two.problems
    assert set(store.removed(conn, "one")["kind"])  # the sign-off lines: each outlet's template
    stored = store.articles(conn, "two", text=True)
    assert stored["source_file"].is_unique and len(stored) == 240
    assert stored["text"].tolist() == store.articles(conn, "one", text=True)["text"].tolist()
    assert store.removed(conn, "two")["text"].tolist() == store.removed(conn, "one")["text"].tolist()


_KEPT: list = []  # on a worker: what keeps its freed heap from shrinking at the top


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _fragment() -> float:
    """What counting leaves a worker: a large array freed (glibc then serves arrays of its size from the heap), 800
    MB of arrays in the heap, freed but for every tenth (so the heap cannot shrink from its top). The RSS."""
    import numpy as np

    np.ones(4_000_000).sum()
    arrays = [np.ones(500_000) for _ in range(200)]
    _KEPT[:] = arrays[::10]
    del arrays
    return _rss_mb()


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads a worker's RSS from /proc (Linux)")
def test_trim_gives_the_memory_a_worker_freed_back(client):
    before = client.run(_fragment)
    cluster_lib.trim(client)
    after = client.run(_rss_mb)
    client.run(_KEPT.clear)
    assert all(after[w] < before[w] - 400 for w in before), (before, after)


def test_the_cli_ingests_on_a_cluster_and_stores_here(client, home, capsys):
    assert main(["ingest", str(SEEDS), "--corpus", "demo", "--cluster", client.scheduler.address,
                 "--partition-size", "2"]) == 0
    assert "demo: 5 articles added" in capsys.readouterr().out
    assert store.article_count(store.connect(home), "demo") == 5


def test_a_link_is_fetched_only_without_a_cluster(client, home):
    report = pipeline.ingest_paths(store.connect(home), "c", [SEEDS, "https://example.com/feed.xml"],
                                   cluster=client.scheduler.address)
    assert report.added == 5 and [(p.source, p.reason) for p in report.problems] == [
        ("https://example.com/feed.xml", "fetched only without --cluster")]


def test_without_dask_the_cluster_option_is_a_one_line_error(monkeypatch, home, capsys):
    for name in ("dask", "dask.distributed", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    assert main(["ingest", str(SEEDS), "--corpus", "demo", "--cluster", "local:2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and 'pip install -e ".[scale]"' in err
    assert store.corpus_names(store.connect(home)) == []


def test_a_local_cluster_of_no_workers_is_refused(home, capsys):
    pytest.importorskip("dask.distributed", reason="needs Dask, the scale extra")
    assert main(["ingest", str(SEEDS), "--corpus", "demo", "--cluster", "local:0"]) == 2
    assert "one worker or more" in capsys.readouterr().err


def test_an_empty_partition_is_refused(client, home, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["ingest", str(SEEDS), "--corpus", "demo", "--cluster", client.scheduler.address, "--partition-size", "0"])
    assert exited.value.code == 2 and "not a number of 1 or more" in capsys.readouterr().err
    assert store.corpus_names(store.connect(home)) == []
    with pytest.raises(ValueError, match="one article or more"):
        cluster.prepare_paths(client, [SEEDS], partition_size=0)


def test_the_core_ingest_imports_no_dask():
    code = ("import sys; import lib.cli, lib.ingest.pipeline, lib.ingest.cluster; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
