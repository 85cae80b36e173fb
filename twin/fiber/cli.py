"""``twin fiber``: fibre rollout planning commands."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import click

from twin.errors import TwinError
from twin.fiber.plan_cli import plan

__all__ = ["fiber", "known_optimum"]


@click.group(name="fiber")
def fiber():
    """Fibre rollout planning: Steiner trees joining villages over roads."""


@fiber.command(name="steiner")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds after which the search returns its best tree.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--optima",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV of known optima (columns filename, opt); default: optima.csv "
    "beside the file or in its parent folder.",
)
def steiner_command(file: Path, time_limit: float | None, seed: int, optima: Path | None):
    """Solve the Steiner problem in a SteinLib STP FILE.

    Prints the tree's cost, a certified lower bound on the optimum, the gap
    between them (the tree costs at most that much more than the cheapest
    one; 0 when proven optimal) and the time.
    """
    from tqdm import tqdm

    from twin.fiber.steiner import MOST_STARTS, steiner_tree
    from twin.fiber.stp import read_stp

    try:
        instance = read_stp(file)
        started = time.perf_counter()
        with tqdm(total=MOST_STARTS, desc=f"solving {file.name}", unit="start", leave=False) as bar:

            def on_start(done: int, best: float) -> None:
                bar.set_postfix_str(f"best {best:g}", refresh=False)
                bar.update(done - bar.n)

            result = steiner_tree(
                instance.graph,
                instance.terminals,
                time_limit=time_limit,
                seed=seed,
                on_start=on_start,
            )
        elapsed = time.perf_counter() - started
    except TwinError as exc:
        raise click.ClickException(exc.message) from exc
    graph = instance.graph
    click.echo(f"instance:    {instance.name} ({file.name})")
    click.echo(f"graph:       {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    click.echo(f"terminals:   {len(instance.terminals)}")
    click.echo(f"cost:        {result.cost:g}")
    click.echo(f"lower bound: {result.lower_bound:g}")
    click.echo(f"gap:         {result.gap:.2f} %")
    click.echo(f"proven:      {'optimal' if result.gap == 0 else 'no'} ({result.stats['method']})")
    click.echo(f"time:        {elapsed:.2f} s")
    optimum = known_optimum(file, optima)
    if optimum is not None:
        gap = 100.0 * (result.cost - optimum) / optimum if optimum else 0.0
        click.echo(f"optimum:     {optimum:g}")
        click.echo(f"optimum gap: {gap:.2f} %")


def known_optimum(file: Path, optima: Path | None = None) -> float | None:
    """Known optimal cost of an STP file from an optima CSV, if listed.

    The CSV needs columns ``filename`` and ``opt``; without ``optima`` the
    file ``optima.csv`` beside ``file`` or in its parent folder is read.
    """
    candidates = (
        [optima] if optima else [file.parent / "optima.csv", file.parent.parent / "optima.csv"]
    )
    for path in candidates:
        if path is not None and path.is_file():
            with path.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    if row.get("filename") == file.name and row.get("opt"):
                        return float(row["opt"])
    return None


fiber.add_command(plan)
