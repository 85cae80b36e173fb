"""The fibre plan's scratch demo database (see :mod:`tests.twin.fiber.plan_db`)."""

from tests.twin.fiber.plan_db import fiber_demo, fiber_engine  # noqa: F401
