"""A cache bounded by the memory its values hold, not by their number: the server's shared term matrices,
a few hundred KB for a small corpus and hundreds of MB for a large one, so a count of entries either
wastes memory or evicts small corpora for nothing. Plain Python (no Streamlit): ``lib.ui.data`` holds one
per server with ``st.cache_resource``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SizedCache:
    """Values by key, least recently used first, evicted when their sizes add up to more than ``budget``
    bytes (the newest value is kept even alone over it). A value missing is built once: the sessions
    that ask for it meanwhile wait for that build, and other keys are served in the meantime."""

    def __init__(self, budget: int, size: Callable[[Any], int]):
        self.budget, self._size = budget, size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value of ``key``, built with ``build()`` when it is not held."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._values:  # built by another session while this one waited
                    self._values.move_to_end(key)
                    return self._values[key]
            try:
                value = build()
                size = self._size(value)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self._values[key], self._sizes[key] = value, size
                self._values.move_to_end(key)
                while sum(self._sizes.values()) > self.budget and len(self._values) > 1:
                    old, _ = self._values.popitem(last=False)
                    del self._sizes[old]
        return value

    def drop(self, keep: Callable[[Hashable], bool]) -> None:
        """Forget the values whose key ``keep`` refuses (say, those of a deleted corpus)."""
        with self._lock:
            for key in [k for k in self._values if not keep(k)]:
                del self._values[key], self._sizes[key]

    def sizes(self) -> dict[Hashable, int]:
        """The size of each value held, least recently used first."""
        with self._lock:
            return {key: self._sizes[key] for key in self._values}
