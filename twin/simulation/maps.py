"""Maps of simulation results: a folium page of hydrants by fire flow, pictures of
pressures and of the nodes a storm floods.

A file for people to open (or attach to a report), not a page of the web
app: hydrants that give the required flow are green, those below it red,
each with its code and flow in the tooltip.
"""

from __future__ import annotations

__all__ = ["fire_flow_map", "flooding_picture", "pressure_picture", "save_picture"]

_MEETS, _SHORT = "#33a02c", "#e31a1c"


def fire_flow_map(result: dict):
    """A ``folium.Map`` of the hydrants of :func:`twin.simulation.hydrant_fire_flows`."""
    import folium

    placed = [h for h in result["hydrants"] if h["lonlat"] and None not in h["lonlat"]]
    if not placed:
        return folium.Map(tiles="OpenStreetMap")
    lons = [h["lonlat"][0] for h in placed]
    lats = [h["lonlat"][1] for h in placed]
    m = folium.Map(tiles="OpenStreetMap")
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    for h in placed:
        folium.CircleMarker(
            location=[h["lonlat"][1], h["lonlat"][0]],
            radius=6 if h["meets"] else 8,
            color=_MEETS if h["meets"] else _SHORT,
            fill=True,
            fill_opacity=0.9,
            tooltip=f"{h['code']}: {h['available_lps']:.1f} L/s "
            f"(required {result['required_lps']:g} L/s at {result['residual_m']:g} m)",
        ).add_to(m)
    return m


def pressure_picture(model, pressure_m: dict, path, *, hydrants: dict | None = None,
                     title: str = "") -> None:
    """A PNG of the network: pipes in grey, junctions coloured by pressure (m), and
    hydrants (``{code: meets}``) as green or red triangles when given."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    xy = {n.code: n.xy for n in [*model.junctions, *model.reservoirs, *model.tanks] if n.xy}
    lines = [(xy[p.start], xy[p.end]) for p in model.pipes if p.start in xy and p.end in xy]
    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    ax.add_collection(LineCollection(lines, colors="#9e9e9e", linewidths=0.5))
    shown = [c for c in pressure_m if c in xy and ":" not in c]
    dots = ax.scatter([xy[c][0] for c in shown], [xy[c][1] for c in shown],
                      c=[pressure_m[c] for c in shown], cmap="viridis_r", s=4, zorder=2)
    fig.colorbar(dots, ax=ax, label="pressure (m)", shrink=0.7)
    for sources, marker in ((model.reservoirs, "s"), (model.tanks, "o")):
        placed = [s.xy for s in sources if s.xy]
        ax.scatter([p[0] for p in placed], [p[1] for p in placed], marker=marker, s=60,
                   c="#08306b", zorder=3)
    for code, meets in (hydrants or {}).items():
        if code in xy:
            ax.scatter(*xy[code], marker="^", s=30, zorder=4,
                       c=_MEETS if meets else _SHORT, edgecolors="black", linewidths=0.3)
    ax.autoscale()
    save_picture(fig, ax, path, title)


def flooding_picture(snapshot: dict, path, *, title: str = "") -> None:
    """A PNG of a drainage run (:func:`twin.simulation.drainage_snapshot`): every node a
    grey dot, outfalls blue triangles, flooded nodes red discs sized by their volume."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nodes = {c: v for c, v in snapshot["nodes"].items() if None not in v["lonlat"]}
    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    ax.scatter([v["lonlat"][0] for v in nodes.values()], [v["lonlat"][1] for v in nodes.values()],
               s=1, c="#9e9e9e", zorder=1)
    outfalls = [nodes[c]["lonlat"] for c in snapshot["outfalls"] if c in nodes]
    ax.scatter([p[0] for p in outfalls], [p[1] for p in outfalls], marker="v", s=50,
               c="#08519c", zorder=2, label="outfall")
    wet = [v for v in nodes.values() if (v["flood_volume_m3"] or 0) >= 1.0]
    if wet:
        top = max(v["flood_volume_m3"] for v in wet)
        ax.scatter([v["lonlat"][0] for v in wet], [v["lonlat"][1] for v in wet],
                   s=[12 + 240 * v["flood_volume_m3"] / top for v in wet], c=_SHORT, alpha=0.7,
                   edgecolors="black", linewidths=0.3, zorder=3,
                   label=f"flooded node (largest {top:,.0f} m³)")
    ax.legend(loc="lower right")
    save_picture(fig, ax, path, title)


def save_picture(fig, ax, path, title: str) -> None:
    """Lon/lat axes in proportion, the title, the PNG written and the figure closed."""
    import matplotlib.pyplot as plt

    ax.set_aspect(1 / 0.93)  # degrees of longitude are shorter at 21° N
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
