"""The design storm: TCVN 7957:2023's intensity formula and the alternating-block hyetograph."""

from __future__ import annotations

import pytest

from twin.simulation import IdfParameters, design_storm, idf_parameters, intensity_mm_h

DELTA = IdfParameters(5890, 0.65, 20, 0.84)


def test_intensity_follows_the_formula():
    # q = A (1 + C lg P) / (t + b)^n in L/s/ha; 1 L/s/ha = 0.36 mm/h.
    q = 5890 * (1 + 0.65 * 1.0) / (30 + 20) ** 0.84
    assert intensity_mm_h(DELTA, 10, 30) == pytest.approx(q * 0.36)


def test_rarer_and_shorter_rain_is_more_intense():
    assert intensity_mm_h(DELTA, 10, 60) > intensity_mm_h(DELTA, 5, 60)
    assert intensity_mm_h(DELTA, 5, 10) > intensity_mm_h(DELTA, 5, 60)
    with pytest.raises(ValueError):
        intensity_mm_h(DELTA, 0, 60)


def test_every_window_around_the_peak_holds_the_formulas_depth():
    storm = design_storm(DELTA, 5, duration_min=120, step_min=5)
    blocks = storm.intensities_mm_h
    assert len(blocks) == 24 and storm.duration_min == 120
    peak = blocks.index(max(blocks))
    # The whole storm's depth is the 120-minute rain's.
    assert storm.depth_mm == pytest.approx(intensity_mm_h(DELTA, 5, 120) * 2)
    # The peak block alone is the 5-minute rain, the three around it the 15-minute rain.
    assert blocks[peak] == pytest.approx(intensity_mm_h(DELTA, 5, 5))
    three = sum(blocks[peak - 1: peak + 2]) * 5 / 60
    assert three == pytest.approx(intensity_mm_h(DELTA, 5, 15) * 15 / 60)


def test_the_peak_sits_where_asked():
    early = design_storm(DELTA, 5, duration_min=100, step_min=5, peak_fraction=0.25)
    blocks = early.intensities_mm_h
    assert blocks.index(max(blocks)) == 5


def test_the_citys_region_is_in_the_table():
    idf = idf_parameters()
    assert idf.region == "bac_giang" and idf.n > 0 and idf.a > 0
