"""Shared fixtures: an isolated data folder, the demo seeds, the shared corpora, invented articles and a mixed batch of
good and bad inputs (every bad input of the ingest specification, next to files that must load).

Markers (README, "Tests"): ``corpus`` is put here on every test that reads ``../shared``: it uses the
``shared`` fixture, or its code, a fixture or a helper it calls names ``SHARED``, ``ABP``, ``NEWSWCL50`` or
``CRAWLS``, or a skip of its own names the folder. Without ``../shared/corpora`` each such test skips and says
why. ``slow`` (more than about ten seconds here) and ``browser`` are put by the test files."""

from __future__ import annotations

import csv
import inspect
import io
import json
import sys
import types
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from lib.config import Limits

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = Path(__file__).resolve().parents[2] / "shared"
NEWSWCL50 = SHARED / "corpora" / "newswcl50" / "newswcl50_articles.jsonl"
ABP = SHARED / "corpora" / "abp" / "abp_articles.jsonl.gz"
THINGS = ["bridge", "school", "canal", "road", "library", "harbour", "market", "tunnel", "park", "station"]


def story(i: int) -> str:
    """Two sentences of their own for each ``i`` (no sentence, opening or twelve words alike across them)."""
    a, b, c = (THINGS[i // 10**k % 10] for k in range(3))
    return (f"{a.capitalize()}, {b} and {c} plans passed after a long debate about the {a} crossing and its "
            f"cost. {c.capitalize()} residents near the {a} and {b} said the plans would change {a} for good and all.")


def article(i: int) -> str:
    """An invented outlet's article ``i``: a ``story`` of its own, and the outlet's furniture around it (a caption, a
    player label, a link's tail, a sign-up line)."""
    return (f"{story(i)}\nHide caption The {THINGS[i % 10]} at dawn on day {i}.\n"
            f"CLOSE The {THINGS[i % 10]} seen from the river on day {i}\n{story(i + 500)[:-1]}, read more.\n"
            "Sign up for the morning briefing from our newsroom today.")


SHARED_NAMES = frozenset({"SHARED", "ABP", "NEWSWCL50", "CRAWLS"})  # this module's paths into ../shared


def _names(code: types.CodeType) -> set[str]:
    """The global names (and ``from ... import`` names) a function's code uses, nested functions included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _reads_shared(func: object, module: types.ModuleType | None, depth: int = 2) -> bool:
    """Whether ``func`` names a path into ../shared, itself or through a function of its module it calls."""
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    names = _names(code)
    if names & SHARED_NAMES:
        return True
    helpers = [getattr(module, n, None) for n in names] if module is not None and depth > 0 else []
    return any(inspect.isfunction(h) and h is not func and _reads_shared(h, module, depth - 1) for h in helpers)


def needs_shared(item: pytest.Item) -> bool:
    """Whether a collected test reads ``../shared`` (see the module's docstring)."""
    if "shared" in getattr(item, "fixturenames", ()):
        return True
    if _reads_shared(getattr(item, "function", None), getattr(item, "module", None)):
        return True
    fixtures = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    if any(_reads_shared(d.func, inspect.getmodule(d.func)) for defs in fixtures.values() for d in defs):
        return True
    reasons = (str(m.kwargs.get("reason", "")) for m in item.iter_markers("skipif"))
    return any(str(SHARED) in r or "../shared" in r for r in reasons)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that reads ../shared ``corpus``; skip it, saying why, when the corpora are not there."""
    absent = not (SHARED / "corpora").is_dir()
    for item in items:
        if item.get_closest_marker("corpus") or needs_shared(item):
            item.add_marker(pytest.mark.corpus)
            if absent:
                item.add_marker(pytest.mark.skip(reason=f"needs the shared corpora in {SHARED / 'corpora'}, absent "
                                                        "here (a fresh clone); run the rest with -m 'not corpus'"))


MAIN = sys.modules["__main__"]  # pytest's own; AppTest leaves the last page it ran there


@pytest.fixture(scope="module")
def local_cluster():
    """A ``dask.distributed`` client of a LocalCluster of two worker processes (``lib.cluster.connect``). Workers
    start by "spawn", which runs the parent's ``__main__`` again: pytest's, not a page an AppTest test left there."""
    pytest.importorskip("distributed", reason='the cluster tests need Dask: pip install -e ".[scale]"')
    from lib import cluster

    left = sys.modules["__main__"]
    sys.modules["__main__"] = MAIN
    try:
        with cluster.connect("local:2") as client:
            yield client
    finally:
        sys.modules["__main__"] = left


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder: ``FRAMESCOPE_HOME`` points at it for the test."""
    path = tmp_path / "home"
    monkeypatch.setenv("FRAMESCOPE_HOME", str(path))
    return path


@pytest.fixture
def cli_main(monkeypatch: pytest.MonkeyPatch) -> None:
    """``__main__`` as in the command line: a worker imports the caller's main module first, and AppTest (run by
    other tests in this process) leaves a page script there, which a worker cannot run."""
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


@pytest.fixture
def seeds() -> Path:
    """The demo corpus folder (five articles and manifest.csv)."""
    return SEEDS


@pytest.fixture
def shared() -> Path:
    """``../shared`` next to the repository (corpora, seeds notes); may be absent on a fresh clone."""
    return SHARED


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    """Rows as a UTF-8 CSV file with a header (the first row's keys)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def prose(topic: str, n: int = 3) -> str:
    """A small invented article about ``topic``: ``n`` paragraphs of ordinary news prose."""
    paragraphs = [
        f"The regional council debated the {topic} on Tuesday evening, and members voted to approve "
        f"the plan after a long public hearing.",
        f"Supporters said the {topic} would help families across the valley, while critics warned "
        f"that the costs had not been explained.",
        f"Officials expect work on the {topic} to begin next spring, once the final budget has been "
        f"signed by the mayor.",
        f"A second vote on the {topic} is planned for the autumn session, the council's clerk said "
        f"in a statement on Wednesday.",
    ]
    return "\n\n".join(paragraphs[:n]) + "\n"


# Limits small enough to trip with small files; the same values as FRAMESCOPE_* variables for the CLI.
MIXED_LIMITS = Limits(max_file_bytes=64 * 1024, max_zip_entries=5, max_zip_bytes=200 * 1024)
MIXED_ENV = {"FRAMESCOPE_MAX_FILE_MB": str(64 / 1024), "FRAMESCOPE_MAX_ZIP_ENTRIES": "5",
             "FRAMESCOPE_MAX_ZIP_MB": str(200 / 1024)}


@dataclass
class Mixed:
    folder: Path
    good_sources: set[str]  # sources of the articles that must load
    bad: dict[str, str]  # source of each problem -> a word its reason must contain


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def mixed(tmp_path: Path) -> Mixed:
    """A folder ``batch/`` mixing good files with every bad input (use with ``MIXED_LIMITS``)."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(prose("bridge repair"), encoding="utf-8")
    (folder / "good.csv").write_text(
        "headline,body,source\n"
        f'Library plan,"{prose("library extension", 2)}",Valley Post\n'
        f'Road plan,"{prose("ring road", 2)}",Hill Herald\n', encoding="utf-8")
    lines = [json.dumps({"text": prose("school meals")}), "{this line is not json",
             json.dumps({"text": prose("flood barrier")})]
    (folder / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "big.txt").write_text(prose("stadium") * 300, encoding="utf-8")  # > 64 KB
    (folder / "many.zip").write_bytes(_zip({f"a{i}.txt": prose(f"park number {i}").encode() for i in range(8)}))
    (folder / "bomb.zip").write_bytes(_zip({f"b{i}.txt": b"a" * 60_000 for i in range(4)}))  # 240 KB > 200 KB
    (folder / "escape.zip").write_bytes(_zip({"../evil.txt": prose("evil plan").encode(),
                                              "inside/ok.txt": prose("tram line").encode()}))
    (folder / "broken.csv").write_text('text,outlet\n"fine row about the tram",Post\n"unclosed quote,Post\nmore\n',
                                       encoding="utf-8")
    (folder / "broken.json").write_text('[{"text": "a story"}, {"text": ', encoding="utf-8")
    (folder / "notext.csv").write_text("headline,outlet\nA headline,Valley Post\n", encoding="utf-8")
    good = {"batch/good.txt", "batch/good.csv:2", "batch/good.csv:6", "batch/lines.jsonl:1",
            "batch/lines.jsonl:3", "batch/escape.zip/inside/ok.txt"}
    bad = {
        "batch/binary.txt": "binary",
        "batch/empty.txt": "empty",
        "batch/big.txt": "too large",
        "batch/many.zip": "entries",
        "batch/bomb.zip": "expand",
        "batch/escape.zip/../evil.txt": "escapes",
        "batch/broken.csv": "line 3",
        "batch/broken.json": "malformed JSON",
        "batch/notext.csv": "no text column",
        "batch/lines.jsonl:2": "invalid JSON",
    }
    return Mixed(folder, good, bad)
