"""The coverage curve of a plan as a PNG: sites added against households covered."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_curve"]


def write_curve(path: Path, plan: dict, *, title: str) -> None:
    """Draw households covered (%) after each added site, the target as a line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    steps = plan["steps"]
    x = list(range(len(steps) + 1))
    y = [plan["start_pct"], *[s["covered_pct"] for s in steps]]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    ax.plot(x, y, marker="o", markersize=3, color="#2c7fb8")
    ax.axhline(plan["target_pct"], color="#d95f0e", linestyle="--", linewidth=1,
               label=f"target {plan['target_pct']:g} %")
    ax.set_xlabel("new sites added")
    ax.set_ylabel("households covered (%)")
    cost = steps[-1]["cost_vnd"] / 1e9 if steps else 0.0
    ax.set_title(f"{title}: {len(steps)} sites, {cost:,.1f} billion VND")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
