"""Received power of a cell site over a grid: antenna pattern, path loss, terrain.

A site is plain data (:class:`Site`); the radio constants (:class:`Radio`)
come from ``twin/coverage/data/radio.csv``.  The line of sight is the
viewshed from the antenna to a handset 1.5 m above ground: 5G takes the
3GPP LOS or NLOS formula by it, 4G adds a diffraction loss where hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.coverage.algorithms.pathloss import cost231_hata, rma, uma
from twin.coverage.algorithms.viewshed import Observer, viewshed

__all__ = ["Radio", "Site", "received_power_dbm"]


@dataclass(frozen=True)
class Site:
    """One cell site: grid cell, tower height (m), technology, band (MHz), sectors."""

    row: int
    col: int
    height_m: float
    technology: str = "4g"
    band_mhz: float = 1800.0
    urban: bool = False
    sectors: int = 3
    azimuth_deg: float = 0.0
    tilt_deg: float = 4.0
    power_w: float = 40.0


@dataclass(frozen=True)
class Radio:
    """Constants of the link budget (see the data file for their sources)."""

    values: dict[str, float]

    def __getitem__(self, key: str) -> float:
        return self.values[key]


def _pattern_db(off_azimuth, off_elevation, radio: Radio):
    """TR 38.901 Table 7.3-1 pattern attenuation (<= 0 dB) of one sector."""
    limit = radio["antenna.front_back_db"]
    horizontal = np.minimum(12 * (off_azimuth / radio["antenna.hpbw_h_deg"]) ** 2, limit)
    vertical = np.minimum(12 * (off_elevation / radio["antenna.hpbw_v_deg"]) ** 2, limit)
    return -np.minimum(horizontal + vertical, limit)


def received_power_dbm(z: np.ndarray, site: Site, radio: Radio, *, cell_m: float,
                       max_distance_m: float) -> np.ndarray:
    """RSRP (dBm) of the best sector in every cell; ``-inf`` beyond ``max_distance_m``."""
    h_ue = radio["ue.height_m"]
    los = viewshed(z, Observer(site.row, site.col, site.height_m), cell_m=cell_m,
                   target_height_m=h_ue, max_distance_m=max_distance_m)
    rows, cols = z.shape
    dy = ((site.row - np.arange(rows))[:, None] * cell_m).astype(np.float32)
    dx = ((np.arange(cols) - site.col)[None, :] * cell_m).astype(np.float32)
    d2d = np.maximum(np.hypot(dx, dy), 1.0)
    loss = _path_loss(d2d, site, radio, los)
    drop = (z[site.row, site.col] + site.height_m) - (z + h_ue)
    elevation = np.degrees(np.arctan2(drop, d2d)) - site.tilt_deg
    bearing = np.degrees(np.arctan2(dx, dy))
    # The best sector is the one pointing nearest the cell: the pattern grows with the offset.
    width = 360.0 / site.sectors
    off = (bearing - site.azimuth_deg + width / 2) % width - width / 2
    gain = _pattern_db(off, elevation, radio)
    carriers = radio["nr.subcarriers"] if site.technology == "5g" else radio["lte.subcarriers"]
    p_dbm = 10 * np.log10(site.power_w * 1000.0) - 10 * np.log10(carriers)
    rsrp = p_dbm + radio["antenna.gain_dbi"] + gain - loss
    return np.where(d2d <= max_distance_m, rsrp, -np.inf)


def _path_loss(d2d, site: Site, radio: Radio, los):
    h_ue = radio["ue.height_m"]
    if site.technology == "5g":
        f_ghz = site.band_mhz / 1000.0
        if site.urban:
            return uma(d2d, f_ghz, site.height_m, h_ue, los)
        return rma(d2d, f_ghz, site.height_m, h_ue, los, h=radio["rma.building_height_m"],
                   w=radio["rma.street_width_m"])
    metro = radio["hata.metropolitan_db"] if site.urban else 0.0
    loss = cost231_hata(d2d, site.band_mhz, site.height_m, h_ue, metropolitan_db=metro)
    return loss + np.where(los, 0.0, radio["terrain_shadow_db"])
