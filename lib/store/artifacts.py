"""Artifacts: heavy analysis results pickled under ``$FRAMESCOPE_HOME/artifacts/CORPUS/gGENERATION/REVISION/``,
keyed by their parameters, so each is computed once per corpus revision; a new revision prunes the older
ones of its generation. A corpus deleted and created again under its name is another generation
(``store.Version``), so it never reads the old corpus's results. A result's parameters hold the
``code_version`` of the code that computes it, so a result of changed code is never read.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import inspect
import json
import pickle
import re
import shutil
import tempfile
import types
from collections.abc import Callable
from pathlib import Path

from lib import config


def folder(home: Path | None = None) -> Path:
    """The artifacts folder under the data folder ``home`` (default ``$FRAMESCOPE_HOME``)."""
    return (home or config.home()) / "artifacts"


def slug(name: str) -> str:
    """``name`` safe as a folder name: every character but letters, digits, '.', '-' and '_' made '_'."""
    return re.sub(r"[^\w.-]", "_", name)


def path(corpus: str, generation: str, rev: int, params: dict, home: Path | None = None) -> Path:
    """Where a heavy result for (corpus, generation, revision, parameters) lives; parameters are hashed."""
    digest = hashlib.sha1(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return _generation(corpus, generation, home) / str(rev) / f"{digest}.pkl"


def _generation(corpus: str, generation: str, home: Path | None = None) -> Path:
    """The folder of one generation of a corpus (``g`` and the id: never a revision's number)."""
    return folder(home) / slug(corpus) / f"g{slug(generation)}"


def save(corpus: str, generation: str, rev: int, params: dict, value: object, home: Path | None = None) -> Path:
    """Pickle a result atomically (write to a file of its own, then rename: two writers of the same
    result, say the app and the CLI, never share a half-written file); the generation's older revisions
    are pruned, and so are results from before generations (a revision folder right under the corpus)."""
    file = path(corpus, generation, rev, params, home)
    file.parent.mkdir(parents=True, exist_ok=True)
    for old in file.parent.parent.iterdir():
        if old.name != str(rev):
            shutil.rmtree(old, ignore_errors=True)
    for old in file.parent.parent.parent.iterdir():
        if old.name.isdigit():
            shutil.rmtree(old, ignore_errors=True)
    with tempfile.NamedTemporaryFile(dir=file.parent, prefix=file.stem, suffix=".tmp", delete=False) as fh:
        try:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            Path(fh.name).unlink()
            raise
    Path(fh.name).replace(file)
    return file


def load(corpus: str, generation: str, rev: int, params: dict, home: Path | None = None) -> object | None:
    """The stored result, or None when there is none for this generation, revision and these parameters, or
    when it can no longer be read (written by code that has changed since: a class moved or renamed; it is
    then removed and computed again)."""
    file = path(corpus, generation, rev, params, home)
    if not file.exists():
        return None
    try:
        with file.open("rb") as fh:
            return pickle.load(fh)
    except (pickle.UnpicklingError, ImportError, AttributeError, EOFError, TypeError):
        file.unlink(missing_ok=True)
        return None


def delete(corpus: str, generation: str | None = None, home: Path | None = None) -> None:
    """Remove the artifacts of one generation of a corpus (every generation's when None); the corpus's
    folder goes once it holds nothing."""
    top = folder(home) / slug(corpus)
    shutil.rmtree(top if generation is None else _generation(corpus, generation, home), ignore_errors=True)
    try:
        top.rmdir()
    except OSError:  # absent, or another generation's (a corpus whose name has the same slug) are there
        pass


NOT_METHODS = ("lib.store", "lib.ui", "lib.config")  # modules that read, keep or show results, not compute them


def _is_method(name: str) -> bool:
    return name.split(".")[0] == "lib" and not any(name == m or name.startswith(m + ".") for m in NOT_METHODS)


@functools.cache
def _imports(module: str) -> frozenset[str]:
    """The ``lib`` modules ``module`` imports (at its top or inside a function), but ``NOT_METHODS``."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(importlib.import_module(module)))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            base = importlib.import_module(node.module) if _is_method(node.module) else None
            for alias in node.names:
                value = getattr(base, alias.name, None)
                found.add(value.__name__ if isinstance(value, types.ModuleType) else node.module)
    return frozenset(m for m in found if _is_method(m) and m != module)


def _named(function: Callable) -> set[str]:
    """The ``lib`` modules a function names: modules, and the modules of the functions and classes it names."""
    names, codes = set(), [function.__code__]
    while codes:
        code = codes.pop()
        names |= set(code.co_names)
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    found = set()
    for name in names:
        value = function.__globals__.get(name)
        module = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if isinstance(module, str) and _is_method(module) and module != function.__module__:
            found.add(module)
    return found


def code_modules(*parts: types.ModuleType | Callable) -> tuple[str, ...]:
    """The ``lib`` modules behind ``parts`` (modules, or functions: those they name), with every ``lib`` module
    these import, directly or not; the store, the UI and the settings aside (``NOT_METHODS``)."""
    todo = [p.__name__ if isinstance(p, types.ModuleType) else m for p in parts
            for m in ([p.__name__] if isinstance(p, types.ModuleType) else _named(p))]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module not in seen and _is_method(module):
            seen.add(module)
            todo += _imports(module)
    return tuple(sorted(seen))


@functools.cache
def code_version(*parts: types.ModuleType | Callable) -> str:
    """The version of the code that computes a result: a digest of the source of ``parts`` (modules, or
    functions: their own source) and of every module of ``code_modules(*parts)``. Put in a result's parameters,
    it makes a result computed by other code (a method changed, or a module it uses) another artifact.
    Computed once per process for each set of parts (``inspect.getsource``)."""
    digest = hashlib.sha1()
    for part in parts:
        digest.update(inspect.getsource(part).encode())
    for module in code_modules(*parts):
        digest.update(module.encode() + b"\0" + inspect.getsource(importlib.import_module(module)).encode())
    return digest.hexdigest()[:16]
