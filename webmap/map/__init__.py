"""The map page, its layer catalogue, tiles, panels and uploads (``/map``)."""
