"""Embedded store files of generated graphs, built once per (size, seed) and reused.

Also the straightforward baselines the embedded store is measured against: a networkx
MultiDiGraph holding the same data as plain dicts, and the previous embedded store
(bench/_embedded_v0.py, the networkx-based store as it was before issue #8).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR

WORK = Path(os.environ.get("DEALGRAPH_BENCH_DIR", "/tmp/dealgraph-bench"))


def store_dir(n: int, seed: int = 1) -> Path:
    """A data dir holding the embedded store of `generate(n, seed)`; built on first use."""
    from graph.embedded import EmbeddedStore
    from loaders.generate import generate

    folder = WORK / f"store-n{n}-s{seed}"
    if not (folder / "graph.json").exists():
        nodes, rels = generate(n, seed)
        t0 = time.perf_counter()
        EmbeddedStore(folder).merge(nodes, rels)
        print(f"built {folder} in {time.perf_counter() - t0:.1f} s", flush=True)
    return folder


def v0_store_class() -> Any:
    """The previous embedded store (networkx MultiDiGraph of Node/Relationship objects)."""
    spec = importlib.util.spec_from_file_location("_embedded_v0", BENCH_DIR / "_embedded_v0.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.EmbeddedStore


DATE_KEYS = ("valid_from", "valid_to", "reported_on", "published_on", "retrieved_on", "starts_on")


def networkx_from_file(path: Path) -> Any:
    """The baseline: a networkx MultiDiGraph with every property as plain dict attributes."""
    import networkx as nx

    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    g = nx.MultiDiGraph()
    for item in raw["nodes"]:
        props = item["props"]
        for key in DATE_KEYS:
            if key in props:
                props[key] = dt.date.fromisoformat(props[key])
        g.add_node(item["id"], label=item["label"], **props)
    for item in raw["relationships"]:
        props = item["props"]
        for key in DATE_KEYS:
            if key in props:
                props[key] = dt.date.fromisoformat(props[key])
        props.pop("id", None)
        g.add_edge(item["start"], item["end"], key=item["id"], type=item["type"], **props)
    del raw
    return g
