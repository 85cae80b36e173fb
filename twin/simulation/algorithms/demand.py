"""Demands of service connections: households × per-capita demand, or per connection.

>>> from twin.simulation.standards import standards
>>> round(connection_demand_m3s("residential", 4, standards()) * 1000, 4)
0.0288
"""

from __future__ import annotations

__all__ = ["DAILY_PATTERN", "connection_demand_m3s"]

#: Name of the daily demand pattern every service connection follows.
DAILY_PATTERN = "daily"


def connection_demand_m3s(category: str | None, households: int | None, standards) -> float:
    """Mean demand of one service connection, m³/s, with the network's losses added.

    A residential connection asks ``households`` × persons per household ×
    per-capita demand; other categories a demand per connection (both from
    :mod:`twin.simulation.standards`).
    """
    if category in (None, "residential"):
        litres = (households or 1) * standards["persons_per_household"] * standards[
            "per_capita.urban"]
        m3_day = litres / 1000.0
    else:
        m3_day = standards.values.get(f"per_connection.{category}", 0.0)
    return m3_day * (1.0 + standards["non_revenue_share"]) / 86400.0
