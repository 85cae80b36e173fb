"""Pure rules of inspections: answers in, an asset's condition out (no database)."""

from .condition import rule_result, traq_likelihood, traq_rating, worst_grade

__all__ = ["rule_result", "traq_likelihood", "traq_rating", "worst_grade"]
