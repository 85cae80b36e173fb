"""Pure rules of the operations centre's decisions (no database)."""

from .tree_risk import RISK_ORDER, TreeRules, estimated_risk, power_corridor_m, rank_trees

__all__ = ["RISK_ORDER", "TreeRules", "estimated_risk", "power_corridor_m", "rank_trees"]
