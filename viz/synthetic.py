"""Typed random deal graphs of any size, for the explorer's benchmark and browser tests.

Labels are drawn from the schema in rough real-world proportions; each relationship takes a
type from the schema and ends of the labels that type allows, so the legend, the filters
and the side panel see the same shapes as with real data. Every record cites one source.

>>> nodes, rels = synthetic_graph(50, edges_per_node=3, seed=1)
>>> len(nodes), len(rels) > 100
(51, True)
>>> len({n.id for n in nodes}) == len(nodes)
True
"""

from __future__ import annotations

import random

from graph.ids import relationship_id
from graph.model import Citation, Node, Relationship, provenance_props
from graph.schema import load_schema

SOURCE_ID = "source:synthetic"
WEIGHTS = {
    "Company": 30,
    "Project": 15,
    "Sector": 4,
    "Country": 3,
    "Official": 10,
    "Organization": 8,
    "Agreement": 4,
    "TariffConcession": 6,
    "Commitment": 8,
    "InvestmentVehicle": 2,
    "Event": 10,
}


def synthetic_graph(n: int, edges_per_node: int = 3, seed: int = 0) -> tuple[list[Node], list[Relationship]]:
    """`n` nodes (plus one Source) and about `n * edges_per_node` relationships."""
    rng = random.Random(seed)
    schema = load_schema()
    cite = provenance_props([Citation(SOURCE_ID, "synthetic record", 0, 16)])
    source = Node(
        SOURCE_ID, "Source", {"name": "Synthetic graph", "title": "Synthetic graph", "kind": "dataset", **cite}
    )
    labels = list(WEIGHTS)
    drawn = rng.choices(labels, weights=[WEIGHTS[x] for x in labels], k=n)
    by_label: dict[str, list[str]] = {label: [] for label in labels}
    nodes = [source]
    for i, label in enumerate(drawn):
        nid = f"{label.lower()}:synthetic-{i}"
        props = {"name": f"{label} {i}", **cite}
        if label == "Country":
            props["iso3"] = f"X{i:02d}"[:3]
        nodes.append(Node(nid, label, props))
        by_label[label].append(nid)
    types = [
        r
        for r in schema.relationships.values()
        if any(by_label.get(x) for x in r.from_labels) and any(by_label.get(x) for x in r.to_labels)
    ]
    # Ends are drawn with weights 1 / rank^0.8 within each label, so a few nodes become hubs
    # (one country, one sector, one big company), as in real deal graphs.
    cum: dict[str, list[float]] = {}
    for label, ids in by_label.items():
        total, acc = 0.0, []
        for rank in range(len(ids)):
            total += 1.0 / (rank + 1) ** 0.8
            acc.append(total)
        cum[label] = acc

    def pick(label: str) -> str:
        return rng.choices(by_label[label], cum_weights=cum[label])[0]

    rels: dict[str, Relationship] = {}
    for _ in range(n * edges_per_node):
        spec = rng.choice(types)
        a = rng.choice([x for x in spec.from_labels if by_label.get(x)])
        b = rng.choice([x for x in spec.to_labels if by_label.get(x)])
        start, end = pick(a), pick(b)
        if start == end:
            continue
        rid = relationship_id(spec.name, start, end)
        rels[rid] = Relationship(rid, spec.name, start, end, dict(cite))
    return nodes, list(rels.values())
