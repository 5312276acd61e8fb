"""Project rules: the library stays free of Streamlit (except the package lib/ui/) and of the demo's names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import REPO

UI = "lib/ui/"  # the only Streamlit code in lib: the package lib/ui
DEMO_NAMES = ("hatami", "shoigu", "jalali", "masdar", "urdupoint", "iran press", "s-400", "army-2020")


def lib_modules() -> list[Path]:
    return sorted(p for p in (REPO / "lib").rglob("*.py") if not p.relative_to(REPO).as_posix().startswith(UI))


def app_code() -> list[Path]:
    files = [*(REPO / "lib").rglob("*.py"), *(REPO / "pages").rglob("*.py")]
    if (REPO / "dashboard.py").exists():
        files.append(REPO / "dashboard.py")
    return sorted(files)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value).split(".")[0])
    return names


def test_the_checks_see_the_library():
    names = {p.relative_to(REPO / "lib").as_posix() for p in lib_modules()}
    assert {"ingest/__init__.py", "ingest/metadata.py", "cleaning/clean.py", "text/segment.py", "store/__init__.py",
            "cli.py"} <= names


STAGES = {"ingest", "cleaning", "text", "store", "analyses", "views", "ui"}  # DESIGN.md's layout
COMPOSER = "service"  # the one composer (DESIGN.md's service.py): its reads and its tables
LOOSE = {"__init__.py", "cli.py", "config.py", "access.py", "serve.py", "cluster.py"}


def test_the_library_is_packages_by_stage():
    lib = REPO / "lib"
    assert {p.name for p in lib.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == STAGES | {COMPOSER}
    assert {p.name for p in lib.glob("*.py")} <= LOOSE  # every other module lives in its stage's package


def test_import_finder_finds_streamlit(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import os\nif True:\n    from streamlit.runtime import caching\n"
                      "import importlib\nst = importlib.import_module('streamlit')\n")
    assert imported_modules(sample) == {"os", "streamlit", "importlib"}


@pytest.mark.parametrize("path", lib_modules(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_only_lib_ui_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


@pytest.mark.parametrize("path", app_code(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_demo_specific_names_in_code(path):
    text = path.read_text(encoding="utf-8").lower()
    found = [name for name in DEMO_NAMES if re.search(re.escape(name), text)]
    assert not found, f"{path.relative_to(REPO)} names the demo corpus: {found}"


def builtin_hash_calls(path: Path) -> list[int]:
    """The lines of ``path`` that call Python's ``hash``, which differs from one process to the next."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "hash"]


def test_the_hash_finder_finds_a_call(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import zlib\nkey = zlib.crc32(b'x')\nother = hash('x') % 7\n")
    assert builtin_hash_calls(sample) == [3]


@pytest.mark.parametrize("path", [*app_code(), *sorted((REPO / "benchmarks").glob("*.py"))],
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_per_process_hash(path):
    """Shingles, cache keys and anything counted in a worker process hash with zlib or hashlib: Python's ``hash``
    of a string is salted per process, so values from two processes (or two runs) would not agree."""
    assert builtin_hash_calls(path) == []


def lib_imports(path: Path) -> dict[str, str]:
    """The names ``path`` binds to modules of ``lib`` or to names imported from them -> the full dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound |= {(a.asname or a.name): a.name for a in node.names if a.name.split(".")[0] == "lib"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "lib":
            bound |= {(a.asname or a.name): f"{node.module}.{a.name}" for a in node.names}
    return bound


def is_constant_or_type(name: str) -> bool:
    """``WINDOW_DAYS`` or ``Settings``: a value to show or a type to build, not a computation."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z0-9_]*", name))


COMPUTING = ("lib.analyses", "lib.cleaning", "lib.text")  # where numbers are computed


def computations_called(path: Path) -> list[str]:
    """What ``path`` takes from the computing packages other than constants and types: ``keywords.distinctive``,
    or a function imported by name."""
    bound = {name: full for name, full in lib_imports(path).items() if full.startswith(COMPUTING)}
    found = [full for name, full in bound.items() if full.count(".") > 2 and not is_constant_or_type(name)]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                and not is_constant_or_type(node.attr)):
            found.append(f"{bound[node.value.id]}.{node.attr}")
    return sorted(set(found))


def test_the_computation_finder_finds_calls(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from lib.analyses import keywords, topics\nfrom lib.text.terms import tokens\n"
                      "from lib import ui\nx = keywords.distinctive(m)\ns = topics.Settings()\nn = keywords.FRAGILE\n")
    assert computations_called(sample) == ["lib.analyses.keywords.distinctive", "lib.text.terms.tokens"]


def pages() -> list[Path]:
    return sorted([*(REPO / "pages").glob("*.py"), REPO / "dashboard.py"])


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_pages_reach_the_library_only_through_lib_ui(path):
    """A page imports ``lib.ui`` (and ``lib.views`` to draw); from the analyses, only constants and types for its
    captions and settings. So every number on a page comes through ``lib/ui``."""
    reached = {full for full in lib_imports(path).values()}
    assert {m for m in reached if not m.startswith(("lib.ui", "lib.views", "lib.analyses"))} == set()
    assert computations_called(path) == []


@pytest.mark.parametrize("path", sorted([*(REPO / "lib" / "ui").glob("*.py"), REPO / "lib" / "cli.py"]),
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_lib_ui_and_the_cli_compute_only_through_the_service(path):
    """``lib/ui`` and the CLI call no analysis, cleaning or text function themselves: ``lib/service`` composes
    every table, so a page and ``framescope analyze`` cannot drift apart (pages/ -> lib/ui -> lib/service ->
    lib/analyses)."""
    assert computations_called(path) == []


SQL_CALLS = {"execute", "executemany", "executescript"}


def sql_lines(path: Path) -> list[int]:
    """The lines of ``path`` that import sqlite3 or run a statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted({node.lineno for node in ast.walk(tree)
                   if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                       and node.func.attr in SQL_CALLS)
                   or (isinstance(node, ast.Import) and any(a.name == "sqlite3" for a in node.names))})


def test_the_sql_finder_finds_a_statement(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import sqlite3\nc = sqlite3.connect(':memory:')\nc.execute('SELECT 1')\n")
    assert sql_lines(sample) == [1, 3]


@pytest.mark.parametrize("path", [p for p in app_code() if not p.relative_to(REPO).as_posix().startswith("lib/store/")],
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_sql_lives_only_in_the_store(path):
    assert sql_lines(path) == []


PROSE = "The minister’s state-run agency said, in 2024, that talks would resume."
# Word patterns outside lib/text/tokeniser.py that deliberately find another unit; each is explained in
# docs/tokens.md under its module and name.
OTHER_UNITS = {
    ("lib/analyses/entities.py", "_LOWER"),  # lower-case word forms, counted against capitalised ones (names)
    ("lib/analyses/sources.py", "_names"),  # a shape test: a candidate name holds no lower-case word
    ("lib/cleaning/blocks.py", "letter_runs"),  # letter runs: story words, a title's words (news, metadata)
    ("lib/cleaning/features.py", "WORDS"),  # words of an outlet's label keys (template shapes)
    ("lib/cleaning/features.py", "LOWER_WORD"),  # lower-case words of a sentence skeleton
}


def word_patterns(path: Path) -> list[tuple[int, str, str]]:
    """(line, name, pattern) of each string literal of ``path`` that, as a regular expression, splits prose
    into its words: five or more matches, each a whole word (or the letters of one) of ``PROSE``, that
    cover most of its letters. The name is that of the constant or function it is assigned or used in."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    letters = sum(c.isalnum() for c in PROSE)
    names: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.FunctionDef)):
            target = node.name if isinstance(node, ast.FunctionDef) else getattr(node.targets[0], "id", "")
            for child in ast.walk(node):
                names.setdefault(id(child), target)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and 1 < len(node.value) < 300):
            continue
        try:
            spans = [m.span() for m in re.finditer(node.value, PROSE) if m.end() > m.start()]
        except (re.error, RecursionError, ValueError, TypeError, OverflowError):
            continue
        whole = [(a, b) for a, b in spans if re.fullmatch(r"[\w'’-]+", PROSE[a:b])
                 and not (a and PROSE[a - 1].isalnum()) and not (b < len(PROSE) and PROSE[b].isalnum())]
        if len(spans) >= 5 and len(whole) == len(spans) and sum(b - a for a, b in whole) >= 0.7 * letters:
            found.append((node.lineno, names.get(id(node), ""), node.value))
    return found


def test_the_word_pattern_finder_finds_word_patterns(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('import re\nWORD = re.compile(r"\\w+")\nPAIR = re.compile(r"[A-Za-z]{2}")\n'
                      'NAME = re.compile(r"[A-Z][\\w.\'’-]*")\n'
                      'def f(t):\n    return re.findall(r"[^\\W\\d_]{3,}", t)\n')
    assert [(line, name) for line, name, _ in word_patterns(sample)] == [(2, "WORD"), (6, "f")]


@pytest.mark.parametrize("path", [p for p in sorted((REPO / "lib").rglob("*.py")) if p.name != "tokeniser.py"],
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_word_pattern_outside_the_tokeniser(path):
    """Analyses split text into words with ``lib.text.tokeniser`` only; a pattern for another unit is listed in
    ``OTHER_UNITS`` and explained in docs/tokens.md."""
    rel = path.relative_to(REPO).as_posix()
    own = [(line, name, p) for line, name, p in word_patterns(path) if (rel, name) not in OTHER_UNITS]
    assert not own, f"{rel} defines its own word pattern(s) {own}: use lib.text.tokeniser"


def test_every_other_unit_is_explained_in_docs():
    doc = (REPO / "docs" / "tokens.md").read_text(encoding="utf-8")
    for module, name in OTHER_UNITS:
        assert f"`{name}`" in doc and module in doc, f"docs/tokens.md does not explain {module} {name}"
