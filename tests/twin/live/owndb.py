"""A migrated database of its own in the test cluster, for tests whose code commits."""

from __future__ import annotations

from tests.databases import scratch_database

own_database = scratch_database
