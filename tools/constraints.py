"""Print ``constraints.txt``: the exact version this environment has of every package the core install of
FrameScope needs (pyproject's ``dependencies``, their extras and markers, followed transitively).

    .venv/bin/python tools/constraints.py > constraints.txt   (or: make constraints)
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def closure(requirements: list[str]) -> dict[str, str]:
    """Canonical name -> installed version of ``requirements`` and everything they need here."""
    found: dict[str, str] = {}
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        dist = metadata.distribution(req.name)
        for wanted in ["", *req.extras]:
            key = (name, wanted)
            if key in found:
                continue
            found[key] = dist.version
            todo += [(Requirement(r), wanted) for r in dist.requires or []]
    return {name: version for (name, _), version in found.items()}


def main() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    print("# The exact versions FrameScope was tested with (tools/constraints.py); the Dockerfile installs with them.")
    for name, version in sorted(closure(deps).items()):
        print(f"{name}=={version}")


if __name__ == "__main__":
    main()
