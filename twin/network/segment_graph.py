"""The segment graph: segments joined by the devices that are not closed.

Which segments still reach a source once some segments are cut out and
some devices closed is a connected-components question on this small graph,
answered with :mod:`scipy.sparse.csgraph` in a few milliseconds even for a
network of 100,000 pipes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import combinations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from twin.network.segments import Segmentation

__all__ = ["SegmentGraph"]


class SegmentGraph:
    """Segments as vertices, devices that are not closed as links.

    Parameters
    ----------
    segmentation : Segmentation
    source_segments : iterable of int
        Segments holding a source (treatment plant, tank, substation ...).

    Attributes
    ----------
    baseline : numpy.ndarray of bool
        Segments supplied with every device in its present state.
    """

    def __init__(self, segmentation: Segmentation, source_segments: Iterable[int]):
        self.segmentation = segmentation
        self.size = len(segmentation)
        self.device_codes = list(segmentation.devices)
        self.device_index = {c: i for i, c in enumerate(self.device_codes)}
        links = []
        for i, device in enumerate(segmentation.devices.values()):
            if not device.closed:
                links.extend((a, b, i) for a, b in combinations(device.segments, 2))
        table = np.array(links, dtype=np.int64).reshape(-1, 3)
        self.link_u, self.link_v, self.link_device = table.T
        self.sources = np.zeros(self.size, dtype=bool)
        self.sources[list(source_segments)] = True
        # Links sorted by their first segment once, so each query only masks
        # them into a CSR matrix instead of sorting a new one.
        order = np.argsort(self.link_u, kind="stable")
        self._sorted = (self.link_u[order], self.link_v[order], self.link_device[order])
        self.baseline = self.supplied()

    def supplied(self, *, removed: Collection[int] = (), closed: Iterable[str] = ()) -> np.ndarray:
        """Mask of segments connected to a source.

        Parameters
        ----------
        removed : collection of int, keyword-only
            Segments cut out (isolated, faulted); they are never supplied.
        closed : iterable of str, keyword-only
            Codes of devices closed (valves) or opened (switches) on top of
            their present state.
        """
        removed_mask = np.zeros(self.size + 1, dtype=bool)
        removed_mask[list(removed)] = True
        closed_mask = np.zeros(len(self.device_codes), dtype=bool)
        closed_mask[[self.device_index[c] for c in closed if c in self.device_index]] = True
        link_u, link_v, link_device = self._sorted
        keep = ~(closed_mask[link_device] | removed_mask[link_u] | removed_mask[link_v])
        root = self.size
        fed = np.flatnonzero(self.sources & ~removed_mask[:-1])
        # Rows are already in order; the root's links to the sources come last.
        counts = np.bincount(link_u[keep], minlength=root + 1)
        counts[root] = len(fed)
        indptr = np.concatenate([[0], np.cumsum(counts)])
        indices = np.concatenate([link_v[keep], fed])
        matrix = csr_matrix(
            (np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(root + 1, root + 1)
        )
        labels = connected_components(matrix, directed=False)[1]
        return (labels[:-1] == labels[root]) & ~removed_mask[:-1]

    def cut_off(self, *, removed: Collection[int] = (), closed: Iterable[str] = ()) -> np.ndarray:
        """Ids of segments supplied at baseline that lose their supply, not
        counting the ``removed`` ones."""
        now = self.supplied(removed=removed, closed=closed)
        lost = self.baseline & ~now
        lost[list(removed)] = False
        return np.flatnonzero(lost)
