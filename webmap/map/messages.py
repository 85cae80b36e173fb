"""Interface strings used by the page scripts, translated on the server.

The scripts receive them once with the page (``Twin.t(key)``), so every
message the user reads goes through the same gettext catalogues as the
templates.
"""

from __future__ import annotations

from flask_babel import gettext as _

from twin.i18n import N_

__all__ = ["MESSAGES", "script_messages"]

#: ``(key, message)``; ``{name}`` in a message marks a value filled in later.
MESSAGES = (
    ("loading", N_("Loading…")),
    ("sim_heading", N_("Water simulation")),
    ("sim_layer", N_("Pressure and flow of the latest run")),
    ("sim_hour", N_("Hour")),
    ("sim_run", N_("Run {id} ({scenario}) at {hour}")),
    ("sim_no_run", N_("No water run yet: run “twin simulate water” first.")),
    ("sim_zoom_in", N_("Zoom in to level {zoom} to see pressures.")),
    ("sim_pressure_below", N_("below {m} m (under the service minimum)")),
    ("sim_pressure_range", N_("{from} to {to} m")),
    ("sim_pressure_above", N_("{m} m and more")),
    ("sim_flow", N_("Direction of flow in pipes")),
    ("run_heading_drainage", N_("Drainage simulation")),
    ("run_layer_drainage", N_("Flooding and pipe fullness of the latest storm")),
    ("run_none_drainage", N_("No drainage run yet: run “twin simulate drainage” first.")),
    ("run_drainage", N_("Run {id}, {years}-year storm")),
    ("run_flooded", N_("Flooded node (size: volume lost)")),
    ("run_full_below", N_("under {pct} % full")),
    ("run_full_range", N_("{from} to {to} % full")),
    ("run_full_surcharged", N_("full or surcharged")),
    ("run_heading_power", N_("Power simulation")),
    ("run_layer_power", N_("Line loading and voltage of the latest load flow")),
    ("run_none_power", N_("No power run yet: run “twin simulate power” first.")),
    ("run_power", N_("Load flow {id}")),
    ("run_loading_below", N_("loaded under {pct} %")),
    ("run_loading_range", N_("loaded {from} to {to} %")),
    ("run_loading_over", N_("overloaded, over {pct} %")),
    ("run_voltage_below", N_("voltage below {pu} p.u.")),
    ("run_voltage_range", N_("voltage {from} to {to} p.u.")),
    ("run_voltage_above", N_("voltage above {pu} p.u.")),
    ("run_zoom_in", N_("Zoom in to level {zoom} to see pipes and lines.")),
    ("no_feature_here", N_("Nothing here. Zoom in or switch more layers on.")),
    ("no_results", N_("No results")),
    ("search_kind_asset", N_("Asset")),
    ("search_kind_road", N_("Road")),
    ("search_kind_commune", N_("Commune / ward")),
    ("search_kind_village", N_("Village")),
    ("search_kind_address", N_("Address")),
    ("visible_from_zoom", N_("visible from zoom {zoom}")),
    ("details_from_zoom", N_("{what} only from zoom {zoom}")),
    ("saved", N_("Saved {code} (version {version}).")),
    ("created", N_("Created {code}.")),
    ("deleted", N_("Deleted {code}.")),
    ("save", N_("Save")),
    ("cancel", N_("Cancel")),
    ("delete", N_("Delete")),
    ("confirm_delete", N_("Delete {code}? This is recorded in the history.")),
    ("invalid", N_("The feature breaks {count} rule(s); see the marked fields.")),
    ("required", N_("required")),
    ("choose", N_("— choose —")),
    ("yes", N_("yes")),
    ("no", N_("no")),
    ("new_feature", N_("New {type}")),
    ("edit_feature", N_("Edit {code}")),
    ("pick_type", N_("Feature type to draw")),
    ("draw_hint", N_(
        "Click on the map to place the feature; finish lines and "
        "polygons by clicking their last point or pressing Enter."
    )),
    ("line_unconnected", N_(
        "Warning: the {end} end of this line is not connected to "
        "any node of its network (nearest node further than the "
        "snapping tolerance)."
    )),
    ("line_connected", N_("The {end} end was connected to {node} ({distance} m).")),
    ("end_start", N_("start")),
    ("end_end", N_("end")),
    ("conflict_title", N_("Someone else changed this feature")),
    ("conflict_body", N_(
        "{code} was changed by {user} (now version {version}) while "
        "you were editing. Their values are shown next to yours."
    )),
    ("conflict_field", N_("Field")),
    ("conflict_theirs", N_("Their value")),
    ("conflict_mine", N_("Your value")),
    ("reload", N_("Reload their version")),
    ("reapply", N_("Re-apply my changes")),
    ("forbidden", N_("Your role may not do this.")),
    ("login_needed", N_("Log in to do this.")),
    ("error", N_("Error: {detail}")),
    ("network_error", N_("The server could not be reached.")),
    ("move_vertices", N_("Move vertices")),
    ("move_hint", N_("Drag the vertices, then save.")),
    ("split", N_("Split line")),
    ("split_hint", N_("Click the point of the line where it should be split.")),
    ("split_done", N_("Split {code} into {code} and {other}.")),
    ("undo", N_("Undo my last edit")),
    ("undo_done", N_("Undone: {what}.")),
    ("nothing_to_undo", N_("Nothing to undo.")),
    ("select_add", N_("Add to selection")),
    ("selection", N_("{count} selected")),
    ("selection_clear", N_("Clear selection")),
    ("bulk_edit", N_("Edit the selection")),
    ("bulk_field", N_("Attribute")),
    ("bulk_value", N_("New value")),
    ("bulk_apply", N_("Apply to {count} features")),
    ("bulk_done", N_("Changed {done} of {count} features.")),
    ("bulk_failed", N_("{code}: {detail}")),
    ("select_box", N_("Select in a rectangle")),
    ("select_box_hint", N_("Drag a rectangle over the features of the chosen type.")),
    ("revert", N_("Revert to this version")),
    ("reverted", N_("{code} reverted to version {version}.")),
    ("upload", N_("Import a file")),
    ("upload_checking", N_("Checking the file…")),
    ("upload_committing", N_("Importing…")),
    ("upload_ready", N_("Check passed: {count} feature(s) ready to import.")),
    ("upload_problems", N_(
        "{count} problem(s) found: nothing can be imported until the file is fixed."
    )),
    ("upload_done", N_("Imported {count} feature(s) into {table}.")),
    ("upload_failed", N_("Import failed: {detail}")),
    ("commit", N_("Import now")),
    ("rule_required", N_("A value is required.")),
    ("rule_minimum", N_("{value} is below the minimum, {limit} {unit}.")),
    ("rule_maximum", N_("{value} is above the maximum, {limit} {unit}.")),
    ("rule_allowed_values", N_("{value} is not one of the allowed values.")),
    ("rule_type", N_("{value} is not a valid {kind}.")),
    ("rule_ambiguous_number", N_(
        "{value} can be read two ways: write it without a thousands separator, "
        "with the decimal sign of the page's language."
    )),
    ("rule_unique", N_("{value} is already used by another feature.")),
    ("rule_valid_geometry", N_("The geometry is not valid (for example, it crosses itself).")),
    ("rule_geometry_type", N_("The geometry has the wrong type for this feature type.")),
    ("kind_integer", N_("whole number")),
    ("kind_float", N_("number")),
    ("kind_date", N_("date")),
    ("kind_boolean", N_("yes/no value")),
    ("kind_text", N_("text")),
    ("pm_place", N_("Click to place the feature")),
    ("pm_first_vertex", N_("Click to place the first vertex")),
    ("pm_continue_line", N_("Click to continue drawing")),
    ("pm_finish_line", N_("Click the last vertex again to finish")),
    ("pm_finish_poly", N_("Click the first vertex to close the polygon")),
    ("pm_finish_rect", N_("Click to finish the rectangle")),
    ("pm_finish", N_("Finish")),
    ("pm_remove_last", N_("Remove the last vertex")),
)


def script_messages() -> dict[str, str]:
    """Key -> message in the user's language."""
    return {key: _(message) for key, message in MESSAGES}
