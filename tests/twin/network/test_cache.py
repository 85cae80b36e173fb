import pytest

from twin.errors import InvalidInput, NotFound
from twin.network.cache import GraphCache
from twin.network.segments import valve_segments

from .factories import water_line


def test_derived_results_are_dropped_after_an_edit():
    loads = []
    cache = GraphCache(lambda utility: loads.append(utility) or water_line())
    first = cache.derived("water", "segments", valve_segments)
    assert cache.derived("water", "segments", valve_segments) is first
    assert len(first) == 3
    version = cache.apply(
        "water", "upsert_node", {"code": "V3", "kind": "valve", "x": 0.0, "y": 0.0}
    )
    cache.apply("water", "remove_edge", {"code": "P4"})
    cache.apply("water", "upsert_edge", {"code": "P4a", "start_node": "J2", "end_node": "V3"})
    cache.apply("water", "upsert_edge", {"code": "P4b", "start_node": "V3", "end_node": "V2"})
    assert cache.version("water") == version + 3
    again = cache.derived("water", "segments", valve_segments)
    assert again is not first and len(again) == 4
    assert loads == ["water"]


def test_set_graph_and_errors():
    cache = GraphCache()
    with pytest.raises(NotFound):
        cache.graph("power")
    assert cache.set_graph("water", water_line()) == 0
    assert cache.set_graph("water", water_line()) == 1
    with pytest.raises(InvalidInput):
        cache.apply("water", "rename", {})
