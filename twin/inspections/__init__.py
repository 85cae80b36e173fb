"""Inspections of assets: forms declared with the layers, condition from their rules.

The public face of the area: what the CLI and the web pages use.
"""

from .service import (
    Inspection,
    InspectionRecord,
    asset_inspections,
    form_of,
    forms_of,
    inspection_page,
    record_inspection,
)
from .tables import FORMS, form_table, inspection_model, table_name

__all__ = [
    "FORMS",
    "Inspection",
    "InspectionRecord",
    "asset_inspections",
    "form_of",
    "forms_of",
    "form_table",
    "inspection_model",
    "inspection_page",
    "record_inspection",
    "table_name",
]
