"""Inspections on the web: an asset's forms and history, the API that records them."""
