"""Path loss (dB) between a base station and handsets, by band and setting.

* :func:`cost231_hata` — COST-231 Hata (COST Action 231 final report, 1999,
  §4.4.1): the empirical model for 1500-2000 MHz macro cells, used for 4G.
* :func:`uma` and :func:`rma` — 3GPP TR 38.901 V17.0.0 Table 7.4.1-1, urban
  and rural macro cells, line of sight and not, used for 5G (0.5-100 GHz).

Distances are metres on the ground (2D); heights metres above ground.
Each function takes numpy arrays and returns an array of the same shape.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cost231_hata", "rma", "uma"]

C = 299_792_458.0


def cost231_hata(d_m, f_mhz: float, h_bs: float, h_ue: float, *, metropolitan_db: float = 0.0):
    """COST-231 Hata loss; ``metropolitan_db`` is C_M (3 dB in city centres, else 0).

    >>> round(float(cost231_hata(1000.0, 1800.0, 30.0, 1.5)), 1)
    136.2
    """
    d_km = np.maximum(np.asarray(d_m, float), 20.0) / 1000.0
    lf = np.log10(f_mhz)
    a_hm = (1.1 * lf - 0.7) * h_ue - (1.56 * lf - 0.8)
    return (46.3 + 33.9 * lf - 13.82 * np.log10(h_bs) - a_hm
            + (44.9 - 6.55 * np.log10(h_bs)) * np.log10(d_km) + metropolitan_db)


def _d3d(d2d, h_bs, h_ut):
    return np.hypot(np.maximum(np.asarray(d2d, float), 10.0), h_bs - h_ut)


def uma(d2d, f_ghz: float, h_bs: float, h_ut: float, los):
    """3GPP UMa: LOS with its break point, NLOS as max(LOS, NLOS') where ``los`` is False.

    >>> round(float(uma(500.0, 3.5, 25.0, 1.5, True)), 1)
    98.3
    """
    d2d = np.maximum(np.asarray(d2d, float), 10.0)
    d3d = _d3d(d2d, h_bs, h_ut)
    d_bp = 4 * (h_bs - 1.0) * (h_ut - 1.0) * f_ghz * 1e9 / C
    near = 28.0 + 22 * np.log10(d3d) + 20 * np.log10(f_ghz)
    far = (28.0 + 40 * np.log10(d3d) + 20 * np.log10(f_ghz)
           - 9 * np.log10(d_bp**2 + (h_bs - h_ut) ** 2))
    pl_los = np.where(d2d <= d_bp, near, far)
    pl_nlos = 13.54 + 39.08 * np.log10(d3d) + 20 * np.log10(f_ghz) - 0.6 * (h_ut - 1.5)
    return np.where(los, pl_los, np.maximum(pl_los, pl_nlos))


def rma(d2d, f_ghz: float, h_bs: float, h_ut: float, los, *, h: float = 5.0, w: float = 20.0):
    """3GPP RMa with average building height ``h`` and street width ``w`` (m).

    >>> round(float(rma(2000.0, 0.7, 35.0, 1.5, False)), 1)
    128.1
    """
    d2d = np.maximum(np.asarray(d2d, float), 10.0)
    d3d = _d3d(d2d, h_bs, h_ut)
    d_bp = 2 * np.pi * h_bs * h_ut * f_ghz * 1e9 / C

    def pl1(d):
        return (20 * np.log10(40 * np.pi * d * f_ghz / 3) + min(0.03 * h**1.72, 10) * np.log10(d)
                - min(0.044 * h**1.72, 14.77) + 0.002 * np.log10(h) * d)

    pl_los = np.where(d2d <= d_bp, pl1(d3d), pl1(d_bp) + 40 * np.log10(d3d / d_bp))
    pl_nlos = (161.04 - 7.1 * np.log10(w) + 7.5 * np.log10(h)
               - (24.37 - 3.7 * (h / h_bs) ** 2) * np.log10(h_bs)
               + (43.42 - 3.1 * np.log10(h_bs)) * (np.log10(d3d) - 3)
               + 20 * np.log10(f_ghz) - (3.2 * np.log10(11.75 * h_ut) ** 2 - 4.97))
    return np.where(los, pl_los, np.maximum(pl_los, pl_nlos))
