"""The sewer design on a hand-checked network: two branches joining a main to an outlet.

    a ──100 m──┐
               c ──200 m── o (outlet)
    b ──100 m──┘

Ground falls 0.1 m per 100 m; a and b drain 1 ha each (ψ 0.8), c 0.5 ha (ψ 0.6).
Rain: a constant 150 mm/h (1/24,000 m/s), whatever the return period and duration.
"""

import math

import pytest

from twin.simulation.algorithms.drainage_design import (
    DesignRules,
    depth_ratio,
    design_sewers,
    full_capacity_m3s,
    self_cleansing_slope,
)

RULES = DesignRules((300, 400, 500, 600, 800, 1000, 1200), manning_n=0.013, cover_m=0.7,
                    max_depth_ratio=0.8, self_cleansing_ms=0.9, drop_m=0.02,
                    inlet_time_min=5.0, branch_years=2.0, main_years=5.0, main_area_m2=20_000.0)
CONDUITS = [("a", "c", 100.0), ("b", "c", 100.0), ("c", "o", 200.0)]
GROUND = {"a": 10.0, "b": 10.0, "c": 9.9, "o": 9.7}
CATCHMENTS = {"a": (10_000.0, 0.8), "b": (10_000.0, 0.8), "c": (5_000.0, 0.6)}


def _design(**changes):
    years_asked = []

    def rain(years, minutes):
        years_asked.append(years)
        return 150.0

    rules = DesignRules(**{**RULES.__dict__, **changes})
    return design_sewers(CONDUITS, GROUND, CATCHMENTS, rain, rules=rules), years_asked


def test_manning_by_hand():
    # 0.3 m full at 0.5 %: A = 0.070686 m², R = 0.075 m.
    assert full_capacity_m3s(0.3, 0.005, 0.013) == pytest.approx(
        0.070686 * 0.075 ** (2 / 3) * 0.005**0.5 / 0.013, rel=1e-4)
    assert full_capacity_m3s(0.3, 0.005, 0.013) == pytest.approx(0.06838, rel=1e-3)
    # Half full carries half the full flow (same R, half the area).
    half = full_capacity_m3s(0.3, 0.005, 0.013) / 2
    assert depth_ratio(half, 0.3, 0.005, 0.013) == pytest.approx(0.5, abs=1e-6)
    assert depth_ratio(1.0, 0.3, 0.005, 0.013) == math.inf
    # Full at the self-cleansing slope, the pipe runs at that velocity.
    s = self_cleansing_slope(0.6, 0.9, 0.013)
    assert full_capacity_m3s(0.6, s, 0.013) / (math.pi * 0.09) == pytest.approx(0.9)


def test_flows_are_the_rational_method():
    design, years = _design()
    a, b, c = design.conduits
    assert a.flow_m3s == pytest.approx(10_000 * 0.8 / 24_000)          # 0.3333 m³/s
    assert b.flow_m3s == pytest.approx(a.flow_m3s)
    assert c.flow_m3s == pytest.approx((20_000 * 0.8 + 5_000 * 0.6) / 24_000)  # 0.7917
    assert design.node_flow_m3s["o"] == pytest.approx(c.flow_m3s)
    # The branches drain 1 ha (branch rain), the main 2.5 ha (main rain).
    assert (a.return_period_years, c.return_period_years) == (2.0, 5.0)
    assert 5.0 in years and 2.0 in years


def test_sizes_by_hand():
    design, _ = _design()
    a, _, c = design.conduits
    # Branch: 0.4 m needs 0.295 % to self-clean, carries 0.113 m³/s full: too small.
    # 0.5 m: least slope 0.228 %, full 0.18 m³/s: too small.  0.6 m: the ground's 0.1 %
    # is flatter than the least 0.172 %, so 0.172 % and 0.253 m³/s full: too small.
    # 0.8 m at 0.117 % (least; ground 0.1 %): 0.452 m³/s full, 0.333 is 0.74 of it.
    assert a.diameter_mm == 800
    assert a.slope == pytest.approx(self_cleansing_slope(0.8, 0.9, 0.013), rel=1e-6)
    assert a.depth_ratio == pytest.approx(depth_ratio(a.flow_m3s, 0.8, a.slope, 0.013))
    assert a.depth_ratio <= 0.8
    # Main: never smaller than 0.8 m.  1.0 m follows the ground (0.092 %, steeper than its
    # least 0.087 %) and carries 0.726 m³/s full: too small for 0.79.  1.2 m at the same
    # fall carries 1.18 m³/s full.
    assert c.diameter_mm == 1200
    assert c.slope == pytest.approx((min(7.983, 8.383 + 0.8 - 1.2) - (9.7 - 0.7 - 1.2)) / 200,
                                    abs=1e-5)
    assert c.depth_ratio <= 0.8


def test_inverts_by_hand():
    design, _ = _design()
    a, b, c = design.conduits
    # The branch starts 0.7 m + 0.8 m under the ground and falls at its least slope.
    assert a.invert_up_m == pytest.approx(10.0 - 0.7 - 0.8)
    assert a.invert_down_m == pytest.approx(8.5 - 100 * a.slope)
    # The main's crown is no higher than the branches' (crowns matched: 0.4 m lower invert),
    # and under the cover at c.
    assert c.invert_up_m == pytest.approx(min(9.9 - 0.7 - 1.2, a.invert_down_m + 0.8 - 1.2))
    assert design.node_invert_m["c"] == c.invert_up_m
    assert design.node_invert_m["o"] == c.invert_down_m
    for x in design.conduits:
        assert x.invert_up_m > x.invert_down_m
        for node, invert in ((x.up, x.invert_up_m), (x.down, x.invert_down_m)):
            assert GROUND[node] - invert - x.diameter_mm / 1000 >= 0.7 - 1e-9


def test_a_pipe_too_large_for_the_list_is_steepened():
    design, _ = _design(diameters_mm=(300, 400))
    a, _, c = design.conduits
    assert (a.diameter_mm, c.diameter_mm) == (400, 400)
    assert a.slope > self_cleansing_slope(0.4, 0.9, 0.013)
    assert c.depth_ratio == pytest.approx(0.8, abs=1e-3)


def test_not_a_tree_is_refused():
    with pytest.raises(ValueError, match="more than one conduit leaving"):
        design_sewers([("a", "b", 1.0), ("a", "c", 1.0)], {}, {}, lambda p, t: 1.0,
                      rules=RULES)
    with pytest.raises(ValueError, match="loop"):
        design_sewers([("a", "b", 1.0), ("b", "a", 1.0)], {"a": 1, "b": 1}, {},
                      lambda p, t: 1.0, rules=RULES)
