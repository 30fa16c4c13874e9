"""Generation and embedded-store load times.

Rows:
- G1: `generate(n, seed)` in memory (records, no YAML); goal: well under a minute at 1M.
- E1: merging the generated records into an empty embedded store, file written;
  baseline: the previous embedded store (networkx MultiDiGraph, bench/_embedded_v0.py).
- E2: opening a store from its file (what `dealgraph serve` does on start); same baseline.

Each figure is a median over fresh processes-worth of work (the store is rebuilt each run).

    python bench/bench_load.py --quick     # 20k nodes
    python bench/bench_load.py             # 200k nodes
    python bench/bench_load.py --big       # 200k and 1M (the previous store only up to 200k)
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, print_table, record, row

CHILD = """
import gc, json, shutil, sys, tempfile, time
sys.path.insert(0, {root!r})
from loaders.generate import generate
import bench.stores, graph.embedded
kind, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cls = graph.embedded.EmbeddedStore if kind == "embedded" else bench.stores.v0_store_class()
t0 = time.perf_counter()
nodes, rels = generate(n, 1)
gen = time.perf_counter() - t0
merges, opens = [], []
for _ in range(runs):
    folder = tempfile.mkdtemp(prefix="dealgraph-load-")
    t0 = time.perf_counter()
    cls(folder).merge(nodes, rels)
    merges.append(time.perf_counter() - t0)
    gc.collect()
    t0 = time.perf_counter()
    store = cls(folder)
    opens.append(time.perf_counter() - t0)
    del store
    gc.collect()
    shutil.rmtree(folder)
print(json.dumps({{"generate": gen, "merge": merges, "open": opens, "nodes": len(nodes), "rels": len(rels)}}))
"""


def child(kind: str, n: int, runs: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), kind, str(n), str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    return __import__("json").loads(out.stdout.strip().splitlines()[-1])


def generation_time(n: int, runs: int) -> tuple[float, int, int]:
    from loaders.generate import generate

    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        nodes, rels = generate(n, 1)
        times.append(time.perf_counter() - t0)
        sizes = (len(nodes), len(rels))
        del nodes, rels
    return statistics.median(times), *sizes


def reference(rows: list[dict], rid: str, n: int) -> float | None:
    """The figure of row `rid` at size `n`: measured in this run, else in bench/results.json."""
    import json

    from bench.common import RESULTS

    for r in rows:
        if r["id"] == rid and r["size"] == n:
            return r["value"]
    try:
        for r in json.loads(RESULTS.read_text()):
            if r.get("id") == rid and r.get("size") == n:
                return r["value"]
    except (OSError, ValueError):
        pass
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--big", action="store_true", help="also 1M nodes")
    parser.add_argument("--sizes", help="comma-separated node counts (overrides --quick/--big)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = (
        [int(x) for x in args.sizes.split(",")]
        if args.sizes
        else [20_000]
        if args.quick
        else [200_000, 1_000_000]
        if args.big
        else [200_000]
    )
    rows = []
    for n in sizes:
        gen, n_nodes, n_rels = generation_time(n, args.runs)
        rows.append(
            row(
                "G1",
                "generate(n, seed) in memory",
                gen,
                "s",
                "none",
                None,
                "< 60",
                n,
                "memory",
                graph=f"{n_nodes} nodes / {n_rels} relationships",
            )
        )
        ours = child("embedded", n, args.runs)
        base = child("v0", n, 1) if n <= 200_000 else None  # the previous store: one run (it is slow)
        graph = f"{ours['nodes']} nodes / {ours['rels']} relationships"
        for rid, metric, key in (
            ("E1", "merge generated records into an empty embedded store (file written)", "merge"),
            ("E2", "open the embedded store from its file", "open"),
        ):
            value = statistics.median(ours[key])
            if base:
                baseline, base_value, goal, note = (
                    "previous embedded store (networkx MultiDiGraph of records)",
                    statistics.median(base[key]),
                    "<= 1",
                    None,
                )
            else:  # no previous store at this size: hold ours to linear scaling from 200k
                ref = reference(rows, rid, 200_000)
                baseline, base_value, goal, note = (
                    "the 200k-node figure scaled linearly (x n / 200k)",
                    None if ref is None else ref * n / 200_000,
                    "<= 1.5",
                    "the previous store was not run at this size (tens of GB)",
                )
            rows.append(
                row(rid, metric, value, "s", baseline, base_value, goal if base_value else "< 600", n, "embedded",
                    graph=graph, note=note)
            )  # fmt: skip
    print_table(rows)
    record(rows)
    shutil.rmtree(tempfile.gettempdir() + "/dealgraph-load-none", ignore_errors=True)


if __name__ == "__main__":
    main()
