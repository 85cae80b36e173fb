"""Fibre rollout planning: which roads to trench to reach every village."""
