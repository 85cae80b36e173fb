"""A picture of a load flow: every line coloured by its loading, for reports and the docs."""

from __future__ import annotations

from .maps import save_picture

__all__ = ["loading_picture"]


def loading_picture(model, flow, path, *, title: str = "") -> None:
    """A PNG of ``model``'s lines coloured by loading (% of rating) in ``flow``;
    22 kV lines drawn thicker than 0.4 kV ones, substations as squares, lines
    without supply in grey."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize

    xy = {c: n.xy for c, n in model.nodes.items() if n.xy and None not in n.xy}
    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    norm = Normalize(0, 100, clip=True)
    cmap = plt.get_cmap("plasma_r")
    for medium, width in ((False, 0.4), (True, 1.2)):
        drawn = [ln for ln in model.lines if (ln.vn_kv >= 1) == medium
                 and ln.start in xy and ln.end in xy]
        loading = [flow.lines.get(ln.code, {}).get("loading_percent") for ln in drawn]
        colors = ["#cfcfcf" if v is None else cmap(norm(v)) for v in loading]
        ax.add_collection(LineCollection([(xy[ln.start], xy[ln.end]) for ln in drawn],
                                         colors=colors, linewidths=width))
    subs = [xy[s] for s in model.sources if s in xy]
    ax.scatter([p[0] for p in subs], [p[1] for p in subs], marker="s", s=70, c="#08306b",
               zorder=3)
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax,
                 label="line loading (% of rating)", shrink=0.7)
    ax.autoscale()
    save_picture(fig, ax, path, title)
