"""What a reader gives: ``RawArticle`` rows, ``Problem`` lines naming an input that did not load (the file, the
line, the reason), and the ``Batch`` that holds both."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawArticle:
    """One article as read: where it came from, its text, and the metadata the file supplies."""

    source: str  # shown to the user: "folder/a.txt", "export.csv:12", "batch.zip/a.txt"
    key: str  # what a manifest row matches: the file name, or the row's id
    text: str
    given: dict[str, str] = field(default_factory=dict)  # fields the file states (provenance "file")
    extra: dict[str, str] = field(default_factory=dict)  # other columns, kept as they are


@dataclass(frozen=True)
class Problem:
    """An input that did not load, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Batch:
    """What one ingest read: articles, problems (inputs that did not load), warnings (inputs that loaded
    with something left out or repaired, said why), and manifest rows."""

    articles: list[RawArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    manifest: list[dict[str, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.articles += other.articles
        self.problems += other.problems
        self.manifest += other.manifest
        self.warnings += other.warnings
