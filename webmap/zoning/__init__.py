"""The planner page: plans, the reconciliation check, conflicts and decisions."""
