"""The feature API (OGC API – Features) and vector tiles as thin Flask blueprints over ``twin.api``."""
