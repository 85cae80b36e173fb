"""What the map benchmark (:mod:`benchmarks.map_bench`) reads in the browser.

Scripts evaluated in the page by Playwright, all from the Performance API
and the page's own marks (``twin-ready``, ``twin-tiles-drawn``), and the
printing of a cold load's breakdown.
"""

from __future__ import annotations

__all__ = ["BREAKDOWN", "FETCH_BOTH_WAYS", "MEASURE", "REDRAW", "print_breakdown"]

#: The page's milestones, from navigation start.
MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const mark = (name) => performance.getEntriesByName(name)[0].startTime;
  return {
    html: nav.responseEnd, dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    ready: mark("twin-ready"), drawn: mark("twin-tiles-drawn"),
  };
}"""

#: Once drawn: move the view (half a window sideways, or one zoom in) and time it to the
#: next moment the map is drawn again, every new tile fetched, decoded and drawn.
REDRAW = """async (action) => {
  const map = Twin.state.map, el = map.getContainer(), before = el.dataset.tilesDrawn;
  const t0 = performance.now();
  if (action === "pan") map.panBy([700, 0], { animate: false });
  else map.setZoom(map.getZoom() + 1, { animate: false });
  await new Promise((resolve) => {
    const check = () => (el.dataset.tilesDrawn !== before ? resolve() : setTimeout(check, 10));
    check();
  });
  return performance.now() - t0;
}"""

FETCH_BOTH_WAYS = """async () => {
  const map = Twin.state.map;
  const z = map.getZoom();
  const px = map.getPixelBounds();
  const tiles = (size) => {
    const coords = [];
    for (let x = Math.floor(px.min.x / size); x <= Math.floor(px.max.x / size); x++)
      for (let y = Math.floor(px.min.y / size); y <= Math.floor(px.max.y / size); y++)
        coords.push([x, y]);
    return coords;
  };
  const source = Object.values(Twin.layers.glMap().getStyle().sources)[0].tiles[0];
  const layers = Twin.state.catalog.layers.map((l) => l.name);
  const combined = tiles(512).map(([x, y]) => source.replace("{z}", z - 1)
    .replace("{x}", x).replace("{y}", y));
  const perLayer = layers.flatMap((name) =>
    tiles(256).map(([x, y]) => `/tiles/${name}/${z}/${x}/${y}.mvt`));
  const fetchAll = async (urls) => {
    const t0 = performance.now();
    const sizes = await Promise.all(urls.map((u) =>
      fetch(u, { cache: "no-store" }).then((r) => r.arrayBuffer()).then((b) => b.byteLength)));
    return { ms: performance.now() - t0, requests: urls.length,
             kib: sizes.reduce((a, b) => a + b, 0) / 1024 };
  };
  const one = await fetchAll(combined);
  const seven = await fetchAll(perLayer);
  return { combined: one, perLayer: seven };
}"""


#: Where a cold load's time went, from the resource timings: one row per kind of request.
BREAKDOWN = r"""() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const mark = (name) => (performance.getEntriesByName(name)[0] || {}).startTime;
  const kinds = { script: [], style: [], catalogue: [], tiles: [], other: [] };
  performance.getEntriesByType("resource").forEach((r) => {
    const path = new URL(r.name).pathname;
    const kind = path.includes("/map/tiles/") ? "tiles" : path.endsWith("layers.json")
      ? "catalogue" : path.endsWith(".css") ? "style"
      : /\.m?js$/.test(path) ? "script" : "other";
    kinds[kind].push(r);
  });
  const rows = Object.fromEntries(Object.entries(kinds).map(([kind, list]) => [kind, {
    count: list.length,
    kib: list.reduce((a, r) => a + r.encodedBodySize, 0) / 1024,
    first: list.length ? Math.min(...list.map((r) => r.startTime)) : null,
    last: list.length ? Math.max(...list.map((r) => r.responseEnd)) : null,
  }]));
  rows.html = { count: 1, kib: nav.encodedBodySize / 1024, first: 0, last: nav.responseEnd };
  return { rows, parsed: nav.domInteractive, ready: mark("twin-ready"),
           drawn: mark("twin-tiles-drawn") };
}"""


def print_breakdown(figures: dict) -> None:
    """Where the first cold load's time went (see :data:`BREAKDOWN`)."""
    print("  where the first load's time went (ms from navigation start):")
    for kind in ("html", "style", "script", "catalogue", "tiles", "other"):
        row = figures["rows"][kind]
        if row["count"]:
            print(
                f"    {kind:10} {row['count']:3} requests {row['kib']:8.1f} KiB, asked from "
                f"{row['first']:6.0f}, last received {row['last']:6.0f}"
            )
    print(
        f"    parsed (every classic script run) {figures['parsed']:.0f}, interactive "
        f"{figures['ready']:.0f}, drawn {figures['drawn']:.0f}"
    )
