"""Maintenance work: work orders for planned work and repairs, recurring plans.

The public face of the area: what the CLI and the web pages use.
"""

from .service import close_repairs_of, create_order, plan_recurring, set_status, work_orders
from .tables import KINDS, OPEN, STATUSES, WorkOrder

__all__ = ["KINDS", "OPEN", "STATUSES", "close_repairs_of", "create_order", "plan_recurring",
           "set_status", "work_orders", "WorkOrder"]
