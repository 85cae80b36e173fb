"""Key performance indicators of the city, per commune and per province.

Each :class:`Kpi` carries its definition and formula in words, shown next to
the figure on the dashboard.  Every KPI is a ratio ``numerator /
denominator`` (times ``scale``) computed per commune by one SQL query; a
province's value is the ratio of its communes' summed numerators and
denominators, never an average of percentages.  Counts (``denominator``
None) are summed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.i18n import N_

__all__ = ["KPIS", "Kpi", "areas", "kpi_rows"]

UNASSIGNED = N_("(no commune)")
#: Interruptions are counted over this window (SAIDI/SAIFI are yearly indices).
YEAR = "interval '365 days'"


@dataclass(frozen=True)
class Kpi:
    key: str
    title: str
    unit: str
    definition: str
    formula: str
    sql: str
    scale: float = 100.0
    target: float | None = None
    group: str = "lighting"
    #: False for counts: the query's denominator is NULL and the numerator is summed.
    ratio: bool = True


def _interruptions(utility: str, customers_table: str, minutes: bool) -> str:
    value = (
        "i.customers * extract(epoch FROM coalesce(i.closed_at, now()) - i.opened_at) / 60"
        if minutes
        else "i.customers"
    )
    return f"""
        SELECT commune, sum(n), sum(d) FROM (
            SELECT i.commune, {value} AS n, NULL::bigint AS d
            FROM (SELECT commune, coalesce((details ->> 'customers_affected')::int, 0) AS customers,
                         opened_at, closed_at FROM live.incident
                  WHERE outage ->> 'utility' = '{utility}' AND opened_at >= now() - {YEAR}) i
            UNION ALL
            SELECT commune, 0, 1 FROM assets.{customers_table} WHERE status = 'in_service'
        ) u GROUP BY commune"""


_LIGHTS = "FROM assets.lighting_light l WHERE l.status = 'in_service' GROUP BY l.commune"

KPIS: tuple[Kpi, ...] = (
    Kpi(
        "lights_operational",
        N_("Street lights operational"),
        "%",
        N_(
            "Lights in service whose live state is not a fault (lights without a controller "
            "count as operational)."
        ),
        N_("100 × (lights in service − lights in fault) / lights in service"),
        "SELECT l.commune, count(*) FILTER (WHERE coalesce(s.status, '') <> 'fault'), count(*) "
        "FROM assets.lighting_light l LEFT JOIN live.asset_state s ON s.asset_code = l.code "
        "WHERE l.status = 'in_service' GROUP BY l.commune",
        target=98,
    ),
    Kpi(
        "lights_remote",
        N_("Street lights under remote management"),
        "%",
        N_("Lights flagged as remotely managed or carrying a registered luminaire controller."),
        N_("100 × lights remotely managed / lights in service"),
        "SELECT l.commune, count(*) FILTER (WHERE l.remote_managed OR EXISTS (SELECT 1 FROM "
        "live.device d WHERE d.asset_code = l.code AND d.kind = 'luminaire' AND d.active)), "
        "count(*) " + _LIGHTS,
    ),
    Kpi(
        "led_share",
        N_("LED share"),
        "%",
        N_("Lights in service with an LED lamp."),
        N_("100 × lights with lamp_type = LED / lights in service"),
        "SELECT l.commune, count(*) FILTER (WHERE l.lamp_type = 'led'), count(*) " + _LIGHTS,
    ),
    Kpi(
        "lighting_energy",
        N_("Lighting energy per lamp"),
        N_("kWh/lamp/day"),
        N_(
            "Mean power reported by each luminaire controller over the last 7 days, as daily "
            "energy (readings are evenly spaced, so their mean is the time mean)."
        ),
        N_("Σ_lamps mean(power_w) × 24 h / 1000 ÷ lamps reporting"),
        "WITH p AS (SELECT asset_code, avg((readings ->> 'power_w')::float) AS w "
        "FROM live.reading WHERE kind = 'luminaire' AND ts >= now() - interval '7 days' "
        "GROUP BY asset_code) SELECT l.commune, sum(p.w) * 24 / 1000, count(*) FROM p "
        "JOIN assets.lighting_light l ON l.code = p.asset_code GROUP BY l.commune",
        scale=1.0,
    ),
    Kpi(
        "fiber_villages",
        N_("Villages with fiber"),
        "%",
        N_("Villages (thôn, tổ dân phố) with a fiber access node; the national target is 100 %."),
        N_("100 × villages with an access node / villages"),
        "SELECT v.commune, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "
        "assets.telecom_access_node a WHERE a.village = v.code AND a.status = 'in_service')), "
        "count(*) FROM base.base_village v GROUP BY v.commune",
        target=100,
        group="fiber",
    ),
    Kpi(
        "fiber_households",
        N_("Households with fiber"),
        "%",
        N_("Households able to take a fiber connection; the national target is 80 %."),
        N_("100 × Σ fiber_households / Σ households (villages)"),
        "SELECT v.commune, sum(coalesce(v.fiber_households, 0)), sum(v.households) "
        "FROM base.base_village v GROUP BY v.commune",
        target=80,
        group="fiber",
    ),
    Kpi(
        "cameras_online",
        N_("Cameras online"),
        "%",
        N_(
            "Cameras in service whose last heartbeat, less than 10 minutes old, says they "
            "stream (a camera never heard from counts as offline)."
        ),
        N_("100 × cameras online / cameras in service"),
        "SELECT c.commune, count(*) FILTER (WHERE s.status = 'ok' AND s.last_ts > now() - "
        "interval '10 minutes'), count(*) FROM assets.video_camera c LEFT JOIN live.asset_state "
        "s ON s.asset_code = c.code WHERE c.status = 'in_service' GROUP BY c.commune",
        target=98,
        group="service",
    ),
    Kpi(
        "water_saifi",
        N_("Water SAIFI"),
        N_("interruptions/customer/year"),
        N_(
            "System average interruption frequency of water supply over the last 365 days, from "
            "incidents whose outage analysis counted the customers cut off."
        ),
        N_("Σ customers interrupted / customers served (water service connections)"),
        _interruptions("water", "water_service_connection", False),
        scale=1.0,
        group="service",
    ),
    Kpi(
        "water_saidi",
        N_("Water SAIDI"),
        N_("min/customer/year"),
        N_(
            "System average interruption duration of water supply over the last 365 days "
            "(customer-minutes lost per customer served; open incidents count until now)."
        ),
        N_("Σ (customers interrupted × minutes until closed) / customers served"),
        _interruptions("water", "water_service_connection", True),
        scale=1.0,
        group="service",
    ),
    Kpi(
        "power_saifi",
        N_("Power SAIFI"),
        N_("interruptions/customer/year"),
        N_("As water SAIFI, for electricity customers."),
        N_("Σ customers interrupted / customers served (power customers)"),
        _interruptions("power", "power_customer", False),
        scale=1.0,
        group="service",
    ),
    Kpi(
        "power_saidi",
        N_("Power SAIDI"),
        N_("min/customer/year"),
        N_("As water SAIDI, for electricity customers."),
        N_("Σ (customers interrupted × minutes until closed) / customers served"),
        _interruptions("power", "power_customer", True),
        scale=1.0,
        group="service",
    ),
    Kpi(
        "trees_good",
        N_("Trees in good condition"),
        "%",
        N_("Trees whose last survey found them good."),
        N_("100 × trees with condition = good / trees with a condition"),
        "SELECT commune, count(*) FILTER (WHERE condition = 'good'), count(condition) "
        "FROM assets.trees_tree WHERE status = 'in_service' GROUP BY commune",
        group="trees",
    ),
    Kpi(
        "trees_hazardous",
        N_("Hazardous trees"),
        N_("trees"),
        N_("Trees with a high risk level or found dead: to be made safe first."),
        N_("count(trees with risk_level = high or extreme, or condition = dead)"),
        "SELECT commune, "
        "count(*) FILTER (WHERE risk_level IN ('high', 'extreme') OR condition = 'dead'), "
        "NULL::bigint FROM assets.trees_tree WHERE status = 'in_service' GROUP BY commune",
        scale=1.0,
        group="trees",
        ratio=False,
    ),
    Kpi(
        "canopy_cover",
        N_("Canopy cover (street trees)"),
        "%",
        N_("Ground covered by the crowns of registered trees, against the commune's area."),
        N_("100 × Σ π (crown_diameter_m / 2)² / commune area (m²)"),
        "WITH c AS (SELECT commune, sum(pi() * power(crown_diameter_m / 2, 2)) AS a "
        "FROM assets.trees_tree WHERE status = 'in_service' GROUP BY commune) "
        "SELECT u.code, c.a, u.area_m2 FROM base.base_admin_unit u "
        "JOIN c ON c.commune = u.code WHERE u.level = 'commune' AND u.valid_to IS NULL",
        group="trees",
    ),
)


def areas(session: Session) -> dict[str, tuple[str, str | None]]:
    """Current communes and provinces: ``code -> (name, parent code)``."""
    rows = session.execute(
        text(
            "SELECT code, name, parent_code, level FROM base.base_admin_unit "
            "WHERE valid_to IS NULL AND level IN ('commune', 'province')"
        )
    )
    return {r.code: (r.name, r.parent_code if r.level == "commune" else None) for r in rows}


def _ratio(kpi: Kpi, num, den):
    if not kpi.ratio:
        return None if num is None else round(float(num), 2)
    return round(kpi.scale * float(num or 0) / float(den), 2) if den else None


def kpi_rows(session: Session, *, level: str = "commune") -> list[dict]:
    """One row per area (``level`` commune or province) with every KPI value.

    Rows are ``{"code", "name", "province", <kpi key>: value or None}``,
    with a last row ``code = "total"`` for the whole city.
    """
    known = areas(session)
    sums: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0.0, None]))
    for kpi in KPIS:
        for commune, num, den in session.execute(text(kpi.sql)):
            area = commune or UNASSIGNED
            if level == "province":
                area = known.get(commune, (None, None))[1] or UNASSIGNED
            for key in (area, "total"):
                cell = sums[key][kpi.key]
                cell[0] += float(num or 0)
                if den is not None:
                    cell[1] = (cell[1] or 0.0) + float(den)
    rows = []
    if level == "commune":  # every current commune, with data or not
        for code, (_, parent) in known.items():
            if parent is not None:
                sums.setdefault(code, defaultdict(lambda: [0.0, None]))
    for code in sorted(sums, key=lambda c: (c == "total", c == UNASSIGNED, c)):
        name, parent = known.get(code, (code if code != "total" else N_("All areas"), None))
        row = {"code": code, "name": name, "province": known.get(parent, (parent,))[0]}
        for kpi in KPIS:
            num, den = sums[code].get(kpi.key, (None, None))
            row[kpi.key] = _ratio(kpi, num, den)
        rows.append(row)
    return rows
