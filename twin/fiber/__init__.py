"""Fibre rollout planning: which roads to trench to reach every village.

The pure planning (:mod:`.steiner`, :mod:`.trench_graph`, :mod:`.phasing`)
works on plain records; :mod:`.load` reads them from PostGIS, :mod:`.store`
keeps the plans, :mod:`.service` joins the two and :mod:`.jobs` queues a plan.
"""

from .jobs import KIND, queue_plan
from .load import existing_network_geojson
from .plan import PlanOptions

__all__ = ["KIND", "PlanOptions", "existing_network_geojson", "queue_plan"]
