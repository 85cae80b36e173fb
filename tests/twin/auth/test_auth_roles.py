"""Role rules: who reads, who writes what, and how refusals are worded."""

import pytest

from layers import feature_type
from twin.auth.roles import (
    ANONYMOUS,
    Principal,
    default_anonymous_layers,
    is_device,
    require,
    require_read,
    require_write,
    sees_personal,
)
from twin.errors import Forbidden, Unauthorized

OPEN = default_anonymous_layers()


def test_open_data_layers_are_the_declared_ones():
    assert OPEN == {"trees", "base"}


def test_anonymous_reads_open_layers_only():
    require_read(ANONYMOUS, feature_type("trees_tree"), anonymous_layers=OPEN)
    with pytest.raises(Unauthorized, match="reading water_pipe"):
        require_read(ANONYMOUS, feature_type("water_pipe"), anonymous_layers=OPEN)


def test_every_role_reads_every_layer():
    for role in ("viewer", "crew", "editor", "planner", "admin"):
        require_read(Principal("u", role), feature_type("power_customer"), anonymous_layers=())


def test_only_admins_see_personal_data():
    assert [
        r
        for r in ("viewer", "crew", "editor", "planner", "admin")
        if sees_personal(Principal("u", r))
    ] == ["admin"]
    assert not sees_personal(ANONYMOUS)


def test_editor_writes_assets_but_not_base_layers():
    editor = Principal("e", "editor")
    require_write(editor, feature_type("water_pipe"), "delete")
    with pytest.raises(Forbidden, match="create on base_road: role 'editor' may not"):
        require_write(editor, feature_type("base_road"), "create")


def test_planner_writes_base_layers_only():
    planner = Principal("p", "planner")
    require_write(planner, feature_type("base_road"), "update", fields=["name"])
    with pytest.raises(Forbidden, match="needs one of: editor, admin"):
        require_write(planner, feature_type("water_valve"), "update", fields=["normal_state"])


def test_crew_sets_device_state_and_nothing_else():
    crew = Principal("c", "crew")
    valve = feature_type("water_valve")
    assert is_device(valve) and is_device(feature_type("power_switch"))
    assert not is_device(feature_type("water_pipe"))
    require_write(crew, valve, "update", fields=["normal_state", "status"])
    with pytest.raises(Forbidden, match="only normal_state, status, not diameter_mm"):
        require_write(crew, valve, "update", fields=["normal_state", "diameter_mm"])
    with pytest.raises(Forbidden, match="not geometry"):
        require_write(crew, valve, "update", fields=["normal_state"], geometry=True)
    with pytest.raises(Forbidden, match="delete on water_valve"):
        require_write(crew, valve, "delete")
    with pytest.raises(Forbidden, match="update on water_pipe"):
        require_write(crew, feature_type("water_pipe"), "update", fields=["status"])


def test_viewer_and_anonymous_are_refused_with_401_and_403():
    valve = feature_type("water_valve")
    with pytest.raises(Forbidden) as err:
        require_write(Principal("v", "viewer"), valve, "update", fields=["normal_state"])
    assert err.value.status == 403
    with pytest.raises(Unauthorized) as err:
        require_write(ANONYMOUS, valve, "update", fields=["normal_state"])
    assert err.value.status == 401


def test_revert_needs_admin():
    require(Principal("a", "admin"), "revert", "revert")
    with pytest.raises(Forbidden, match="revert water_pipe X: role 'editor'"):
        require(Principal("e", "editor"), "revert", "revert water_pipe X")
