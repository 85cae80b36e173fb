"""What an ingest run counted: messages, batches, incidents, latencies.

The counters are read by the command line at the end of a run and, while it
runs, from a small JSON file that tools and tests poll.
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["IngestStats", "percentile", "write_summary"]


def percentile(values, q: float) -> float | None:
    """The ``q`` quantile (0–1) of ``values`` by the nearest-rank method."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


@dataclass
class IngestStats:
    """Counters of one ingest run; latencies are commit time − device timestamp (s)."""

    received: int = 0
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    batches: int = 0
    incidents: int = 0
    database_outages: int = 0
    started: float = field(default_factory=time.monotonic)
    latencies: deque = field(default_factory=lambda: deque(maxlen=200_000), repr=False)

    def summary(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k not in ("latencies", "started")}
        out["elapsed_s"] = round(time.monotonic() - self.started, 3)
        lat = list(self.latencies)
        out["latency_p50_s"] = percentile(lat, 0.50)
        out["latency_p95_s"] = percentile(lat, 0.95)
        return out


def write_summary(stats: IngestStats, path: Path) -> None:
    """Replace ``path`` with the summary of ``stats`` as JSON, in one step (a reader
    never sees half a file)."""
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(json.dumps(stats.summary()))
    tmp.replace(path)
