"""The demo generator: deterministic, every layer, valid features (no database)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import shapely

from layers import LAYERS, feature_type
from twin.demo.generate import generate_city
from twin.demo.geo import to_wgs84
from twin.demo.records import codes_of
from twin.validation import validate_feature


def _fingerprint(city) -> str:
    digest = hashlib.sha256()
    for batch in city.batches:
        digest.update(batch.table.encode())
        digest.update("|".join(codes_of(batch.table, batch.ids)).encode())
        digest.update(b"".join(shapely.to_wkb(shapely.set_precision(batch.geoms, 0.001))))
    return digest.hexdigest()


def test_same_seed_gives_the_same_city(small_city):
    again = generate_city("small", seed=1)
    assert again.counts() == small_city.counts()
    assert _fingerprint(again) == _fingerprint(small_city)


def test_another_seed_gives_another_city(small_city):
    assert _fingerprint(generate_city("small", seed=2)) != _fingerprint(small_city)


def test_every_layer_is_populated(small_city):
    counts = small_city.counts()
    for lyr in LAYERS:
        assert sum(counts.get(ft.table, 0) for ft in lyr.feature_types) > 0, lyr.name
    assert 2000 <= small_city.count() <= 6000


def test_local_ids_are_unique(small_city):
    ids = np.concatenate([b.ids for b in small_city.batches])
    assert len(np.unique(ids)) == len(ids) == small_city.id_count


def _sample_features(city, table, k=5):
    for batch in city.of(table):
        rows = range(0, len(batch), max(1, len(batch) // k))
        geoms = to_wgs84(batch.geoms[list(rows)])
        for n, row in enumerate(rows):
            props = {
                name: batch.column(name)[row]
                for name in batch.columns
                if name not in ("start_node", "end_node")
            }
            yield props, geoms[n]


@pytest.mark.parametrize("table", sorted({ft.table for lyr in LAYERS for ft in lyr.feature_types}))
def test_generated_features_pass_validation(small_city, table):
    ft = feature_type(table)
    checked = 0
    for props, geom in _sample_features(small_city, table):
        props = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in props.items()}
        _, _, problems = validate_feature(ft, props, geom, feature=table)
        assert problems == [], problems
        checked += 1
    assert checked, f"no {table} generated"
