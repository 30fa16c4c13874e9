"""P6: memory of the embedded store holding a generated graph, against networkx.

Each measurement runs in a fresh process: import what the store needs, note the RSS, open
the store from its file (or build the baseline from the same file), collect garbage, note
the RSS again. The figure is the process's RSS with the graph loaded (interpreter and
imports included, the same for both); the growth alone is reported beside it.

Baseline: a networkx MultiDiGraph with the same data as plain dict attributes (what a
straightforward networkx store holds). Also shown, for reference: the previous embedded
store (networkx + Node/Relationship objects, bench/_embedded_v0.py).

    python bench/bench_memory.py --quick        # 20k nodes
    python bench/bench_memory.py                # 200k nodes (~750k relationships)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, print_table, record, row
from bench.stores import store_dir

CHILD = """
import gc, json, sys, time
sys.path.insert(0, {root!r})
import networkx, graph.embedded, bench.stores
from bench.common import rss_mb, peak_rss_mb
gc.collect()
before = rss_mb()
t0 = time.perf_counter()
kind, folder = sys.argv[1], sys.argv[2]
if kind == "embedded":
    held = graph.embedded.EmbeddedStore(folder)
    size = held.counts()
    size = (size.nodes, size.relationships)
elif kind == "projection":
    from graph.questions.projection import projection
    held = graph.embedded.EmbeddedStore(folder)
    graph_ = projection(held)
    size = graph_.size
elif kind == "networkx-records":
    from loaders.generate import generate
    nodes, rels = generate(int(sys.argv[3]), 1)
    held = networkx.MultiDiGraph()
    for n in nodes:
        held.add_node(n.id, label=n.label, **n.props)
    for r in rels:
        held.add_edge(r.start, r.end, key=r.id, type=r.type, **{{k: v for k, v in r.props.items() if k != "id"}})
    del nodes, rels, n, r
    size = (held.number_of_nodes(), held.number_of_edges())
    gc.collect()
elif kind == "v0":
    held = bench.stores.v0_store_class()(folder)
    size = (held.graph.number_of_nodes(), held.graph.number_of_edges())
else:
    held = bench.stores.networkx_from_file(__import__("pathlib").Path(folder) / "graph.json")
    size = (held.number_of_nodes(), held.number_of_edges())
seconds = time.perf_counter() - t0
gc.collect()
after = rss_mb()
print(json.dumps({{"rss": after, "growth": after - before, "peak": peak_rss_mb(), "seconds": seconds,
                  "nodes": size[0], "relationships": size[1]}}))
"""


def measure(kind: str, folder: Path, runs: int, n: int = 0) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(root=str(ROOT)), kind, str(folder), str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20k nodes instead of 200k")
    parser.add_argument("--size", type=int, help="nodes (overrides --quick)")
    parser.add_argument("--runs", type=int, default=3, help="processes per variant (median)")
    parser.add_argument("--no-v0", action="store_true", help="skip the previous embedded store")
    args = parser.parse_args()
    n = args.size or (20_000 if args.quick else 200_000)
    folder = store_dir(n)
    ours = measure("embedded", folder, args.runs)
    base = measure("networkx", folder, args.runs)
    v0 = None if args.no_v0 else measure("v0", folder, 1)
    with_projection = measure("projection", folder, 1)
    from_records = measure("networkx-records", folder, 1, n)
    size = f"{int(ours['nodes'])} nodes / {int(ours['relationships'])} relationships"
    rows = [
        row(
            "P6",
            "RSS with the graph loaded",
            ours["rss"],
            "MB",
            "networkx MultiDiGraph, same data as plain dict attributes",
            base["rss"],
            "<= 0.5",
            n,
            "embedded",
            growth_mb=round(ours["growth"], 1),
            baseline_growth_mb=round(base["growth"], 1),
            growth_ratio=round(ours["growth"] / base["growth"], 4),
            peak_mb=round(ours["peak"], 1),
            baseline_peak_mb=round(base["peak"], 1),
            open_seconds=round(ours["seconds"], 2),
            baseline_build_seconds=round(base["seconds"], 2),
            previous_store_rss_mb=None if v0 is None else round(v0["rss"], 1),
            with_question_projection_rss_mb=round(with_projection["rss"], 1),
            baseline_from_shared_records_rss_mb=round(from_records["rss"], 1),
            ratio_to_baseline_from_shared_records=round(ours["rss"] / from_records["rss"], 4),
            previous_store_open_seconds=None if v0 is None else round(v0["seconds"], 2),
            graph=size,
        )
    ]
    print(f"P6 at {size}")
    print_table(rows)
    print(
        f"growth: {ours['growth']:.0f} MB vs {base['growth']:.0f} MB; "
        f"peak {ours['peak']:.0f} MB vs {base['peak']:.0f} MB"
        + ("" if v0 is None else f"; previous embedded store: {v0['rss']:.0f} MB RSS, opened in {v0['seconds']:.1f} s")
    )
    record(rows)


if __name__ == "__main__":
    main()
