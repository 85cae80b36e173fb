"""Files kept under one folder within a byte budget, the oldest dropped first.

The hillshade keeps its tiles on disk so that a restart does not shade them
again; without a bound, anyone asking for tiles could fill the disk.  The
store knows what it holds (it lists the folder once, oldest first by
modification time, then follows its own writes and reads), and drops the
least recently used files when a write goes past ``max_bytes``.  Several
processes sharing a folder each keep their own count: the folder stays
within the budget times the number of processes.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

__all__ = ["BoundedFiles"]


class BoundedFiles:
    """A folder of files named by relative paths, at most ``max_bytes`` in all."""

    def __init__(self, root: Path, max_bytes: int):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._sizes: OrderedDict[Path, int] | None = None
        self._total = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """Bytes held now."""
        with self._lock:
            self._index()
            return self._total

    def read(self, relative: str | Path) -> bytes | None:
        """The file's bytes, or None when it is not kept (any more)."""
        path = self.root / relative
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        with self._lock:
            index = self._index()
            if path in index:
                index.move_to_end(path)
            else:  # written by another process
                index[path] = len(data)
                self._total += len(data)
        return data

    def write(self, relative: str | Path, data: bytes) -> None:
        """Keep ``data`` under ``relative``, dropping the oldest files beyond the budget."""
        if len(data) > self.max_bytes:
            return
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
        with self._lock:
            index = self._index()
            self._total += len(data) - index.pop(path, 0)
            index[path] = len(data)
            while self._total > self.max_bytes:
                old, size = index.popitem(last=False)
                old.unlink(missing_ok=True)
                self._total -= size

    def _index(self) -> OrderedDict[Path, int]:
        """Every kept file with its size, least recently used first (built once)."""
        if self._sizes is None:
            found = []
            for folder, _, names in os.walk(self.root):
                for name in names:
                    path = Path(folder) / name
                    try:
                        stat = path.stat()
                    except FileNotFoundError:
                        continue
                    found.append((stat.st_mtime_ns, path, stat.st_size))
            self._sizes = OrderedDict((path, size) for _, path, size in sorted(found))
            self._total = sum(self._sizes.values())
        return self._sizes
