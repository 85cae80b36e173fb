"""The fibre rollout plan page (``/fiber``)."""
