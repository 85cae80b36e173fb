"""Interface strings used by the page scripts, translated on the server.

The scripts receive them once with the page (``Twin.t(key)``), so every
message the user reads goes through the same gettext catalogues as the
templates.
"""

from __future__ import annotations

from flask_babel import gettext as _

__all__ = ["script_messages"]


def script_messages() -> dict[str, str]:
    """Key -> message in the user's language; ``{name}`` marks a value filled in later."""
    return {
        "loading": _("Loading…"),
        "sim_heading": _("Water simulation"),
        "sim_layer": _("Pressure and flow of the latest run"),
        "sim_hour": _("Hour"),
        "sim_run": _("Run {id} ({scenario}) at {hour}"),
        "sim_no_run": _("No water run yet: run “twin simulate water” first."),
        "sim_zoom_in": _("Zoom in to level {zoom} to see pressures."),
        "sim_pressure_below": _("below {m} m (under the service minimum)"),
        "sim_pressure_range": _("{from} to {to} m"),
        "sim_pressure_above": _("{m} m and more"),
        "sim_flow": _("Direction of flow in pipes"),
        "run_heading_drainage": _("Drainage simulation"),
        "run_layer_drainage": _("Flooding and pipe fullness of the latest storm"),
        "run_none_drainage": _("No drainage run yet: run “twin simulate drainage” first."),
        "run_drainage": _("Run {id}, {years}-year storm"),
        "run_flooded": _("Flooded node (size: volume lost)"),
        "run_full_below": _("under {pct} % full"),
        "run_full_range": _("{from} to {to} % full"),
        "run_full_surcharged": _("full or surcharged"),
        "run_heading_power": _("Power simulation"),
        "run_layer_power": _("Line loading and voltage of the latest load flow"),
        "run_none_power": _("No power run yet: run “twin simulate power” first."),
        "run_power": _("Load flow {id}"),
        "run_loading_below": _("loaded under {pct} %"),
        "run_loading_range": _("loaded {from} to {to} %"),
        "run_loading_over": _("overloaded, over {pct} %"),
        "run_voltage_below": _("voltage below {pu} p.u."),
        "run_voltage_range": _("voltage {from} to {to} p.u."),
        "run_voltage_above": _("voltage above {pu} p.u."),
        "run_zoom_in": _("Zoom in to level {zoom} to see pipes and lines."),
        "no_feature_here": _("Nothing here. Zoom in or switch more layers on."),
        "no_results": _("No results"),
        "search_kind_asset": _("Asset"),
        "search_kind_road": _("Road"),
        "search_kind_commune": _("Commune / ward"),
        "search_kind_village": _("Village"),
        "search_kind_address": _("Address"),
        "visible_from_zoom": _("visible from zoom {zoom}"),
        "details_from_zoom": _("{what} only from zoom {zoom}"),
        "saved": _("Saved {code} (version {version})."),
        "created": _("Created {code}."),
        "deleted": _("Deleted {code}."),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "delete": _("Delete"),
        "confirm_delete": _("Delete {code}? This is recorded in the history."),
        "invalid": _("The feature breaks {count} rule(s); see the marked fields."),
        "required": _("required"),
        "choose": _("— choose —"),
        "yes": _("yes"),
        "no": _("no"),
        "new_feature": _("New {type}"),
        "edit_feature": _("Edit {code}"),
        "pick_type": _("Feature type to draw"),
        "draw_hint": _(
            "Click on the map to place the feature; finish lines and "
            "polygons by clicking their last point or pressing Enter."
        ),
        "line_unconnected": _(
            "Warning: the {end} end of this line is not connected to "
            "any node of its network (nearest node further than the "
            "snapping tolerance)."
        ),
        "line_connected": _("The {end} end was connected to {node} ({distance} m)."),
        "end_start": _("start"),
        "end_end": _("end"),
        "conflict_title": _("Someone else changed this feature"),
        "conflict_body": _(
            "{code} was changed by {user} (now version {version}) while "
            "you were editing. Their values are shown next to yours."
        ),
        "conflict_field": _("Field"),
        "conflict_theirs": _("Their value"),
        "conflict_mine": _("Your value"),
        "reload": _("Reload their version"),
        "reapply": _("Re-apply my changes"),
        "forbidden": _("Your role may not do this."),
        "login_needed": _("Log in to do this."),
        "error": _("Error: {detail}"),
        "network_error": _("The server could not be reached."),
        "move_vertices": _("Move vertices"),
        "move_hint": _("Drag the vertices, then save."),
        "split": _("Split line"),
        "split_hint": _("Click the point of the line where it should be split."),
        "split_done": _("Split {code} into {code} and {other}."),
        "undo": _("Undo my last edit"),
        "undo_done": _("Undone: {what}."),
        "nothing_to_undo": _("Nothing to undo."),
        "select_add": _("Add to selection"),
        "selection": _("{count} selected"),
        "selection_clear": _("Clear selection"),
        "bulk_edit": _("Edit the selection"),
        "bulk_field": _("Attribute"),
        "bulk_value": _("New value"),
        "bulk_apply": _("Apply to {count} features"),
        "bulk_done": _("Changed {done} of {count} features."),
        "bulk_failed": _("{code}: {detail}"),
        "select_box": _("Select in a rectangle"),
        "select_box_hint": _("Drag a rectangle over the features of the chosen type."),
        "revert": _("Revert to this version"),
        "reverted": _("{code} reverted to version {version}."),
        "upload": _("Import a file"),
        "upload_checking": _("Checking the file…"),
        "upload_committing": _("Importing…"),
        "upload_ready": _("Check passed: {count} feature(s) ready to import."),
        "upload_problems": _(
            "{count} problem(s) found: nothing can be imported until the file is fixed."
        ),
        "upload_done": _("Imported {count} feature(s) into {table}."),
        "upload_failed": _("Import failed: {detail}"),
        "commit": _("Import now"),
        "rule_required": _("A value is required."),
        "rule_minimum": _("{value} is below the minimum, {limit} {unit}."),
        "rule_maximum": _("{value} is above the maximum, {limit} {unit}."),
        "rule_allowed_values": _("{value} is not one of the allowed values."),
        "rule_type": _("{value} is not a valid {kind}."),
        "rule_ambiguous_number": _(
            "{value} can be read two ways: write it without a thousands separator, "
            "with the decimal sign of the page's language."
        ),
        "rule_unique": _("{value} is already used by another feature."),
        "rule_valid_geometry": _("The geometry is not valid (for example, it crosses itself)."),
        "rule_geometry_type": _("The geometry has the wrong type for this feature type."),
        "kind_integer": _("whole number"),
        "kind_float": _("number"),
        "kind_date": _("date"),
        "kind_boolean": _("yes/no value"),
        "kind_text": _("text"),
        "pm_place": _("Click to place the feature"),
        "pm_first_vertex": _("Click to place the first vertex"),
        "pm_continue_line": _("Click to continue drawing"),
        "pm_finish_line": _("Click the last vertex again to finish"),
        "pm_finish_poly": _("Click the first vertex to close the polygon"),
        "pm_finish_rect": _("Click to finish the rectangle"),
        "pm_finish": _("Finish"),
        "pm_remove_last": _("Remove the last vertex"),
    }
