"""Recent outage analyses, kept until an edit changes one of their networks.

The crew's page asks for a summary, then for pages of lists and for the
highlight of the same outage: each request finds the analysis here instead
of running it again.  The key holds the graph versions of the networks the
analysis read, so an edit (which bumps a version, see
:class:`twin.network.cache.GraphCache`) makes the old entry unreachable; the
oldest entries are dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Analysed", "OutageMemo"]


@dataclass
class Analysed:
    """One analysis and the parts of its report computed so far (by name)."""

    outcome: Any
    parts: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def part(self, name: str, compute: Callable[[], Any]):
        """The part ``name``, computed once by ``compute()``."""
        with self._lock:
            if name not in self.parts:
                self.parts[name] = compute()
            return self.parts[name]


class OutageMemo:
    """The last ``size`` analyses by key, least recently used dropped first.

    >>> memo = OutageMemo(size=1)
    >>> memo.get(("a", 1), lambda: "first").outcome
    'first'
    >>> memo.get(("a", 1), lambda: "again").outcome
    'first'
    >>> memo.get(("a", 2), lambda: "edited").outcome
    'edited'
    >>> len(memo)
    1
    """

    def __init__(self, size: int = 16):
        self.size = size
        self._entries: OrderedDict[Hashable, Analysed] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, analyse: Callable[[], Any]) -> Analysed:
        """The entry of ``key``, made with ``analyse()`` when missing."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry
        entry = Analysed(analyse())
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def __len__(self) -> int:
        return len(self._entries)
