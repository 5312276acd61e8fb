"""scikit-learn's English stop words (the Glasgow Information Retrieval Group's list, ``ENGLISH_STOP_WORDS``), read
from the file of scikit-learn that holds them without importing scikit-learn: that takes a second, which the ingest's
processes, whose cleaning reads the list, need not spend (the analyses import scikit-learn all the same)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _english() -> frozenset[str]:
    """The list, from scikit-learn's module file; from scikit-learn, imported, should that file not be there."""
    found = importlib.util.find_spec("sklearn")  # a top-level package is found, not imported
    path = Path(found.origin).parent / "feature_extraction" / "_stop_words.py" if found and found.origin else None
    spec = importlib.util.spec_from_file_location("_sklearn_stop_words", path) if path and path.is_file() else None
    if spec is None or spec.loader is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as words

        return words
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ENGLISH_STOP_WORDS


ENGLISH_STOP_WORDS = _english()
