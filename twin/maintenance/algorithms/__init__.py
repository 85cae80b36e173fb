"""Pure maintenance rules: recurring plans (no database)."""

from .recurrence import add_months, due_assets

__all__ = ["add_months", "due_assets"]
