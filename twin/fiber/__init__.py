"""Fibre rollout planning: which roads to trench to reach every village.

The pure planning (:mod:`.steiner`, :mod:`.trench_graph`, :mod:`.phasing`)
works on plain records; :mod:`.load` reads them from PostGIS, :mod:`.store`
keeps the plans, :mod:`.service` joins the two and :mod:`.jobs` queues a plan.
"""

from .jobs import KIND, queue_plan
from .load import existing_network_geojson
from .plan import PlanOptions
from .store import DOWNLOADS, check_plan_id, plan_file, read_summary
from .store import plans as saved_plans

__all__ = [
    "DOWNLOADS",
    "KIND",
    "PlanOptions",
    "check_plan_id",
    "existing_network_geojson",
    "plan_file",
    "queue_plan",
    "read_summary",
    "saved_plans",
]
