"""Critical nodes: what, if removed, breaks the most company-concession dependencies; and
degree and betweenness centrality per label (networkx, on the projection of either store).

A dependency (company, concession) holds while at least one of its chains (see
dependencies.py) does. Removing a node or relationship breaks it exactly when every one of
its chains goes through that node or relationship, so the count per node is the number of
pairs whose chains all share it. The pair's own company and concession are not counted
(removing them trivially ends it).

Centrality is computed on the projection as an undirected simple graph (parallel and
opposite relationships count once). Betweenness is exact up to `EXACT_BETWEENNESS`
nodes; above, it is estimated from a fixed, seeded sample of pivots (`betweenness_sample`
in the result), so both stores still give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, Field

from graph.questions.dependencies import Evidence, RawChain, dependency_rows
from graph.questions.evidence import EntityRef, Hop
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore, gc_paused

EXACT_BETWEENNESS = 2_000
SAMPLE_SEED = 0


class Pair(BaseModel):
    company: EntityRef
    concession: EntityRef


class CriticalNode(BaseModel):
    entity: EntityRef
    breaks: int = Field(description="How many (company, concession) dependencies its removal breaks.")
    pairs: list[Pair]


class CriticalRelationship(BaseModel):
    relationship: Hop
    breaks: int
    pairs: list[Pair]


class Centrality(BaseModel):
    entity: EntityRef
    degree: float
    betweenness: float


class LabelCentrality(BaseModel):
    label: str
    nodes: list[Centrality]


class CriticalResult(BaseModel):
    as_of: dt.date | None
    dependencies: int = Field(description="Distinct (company, concession) pairs.")
    chains: int = Field(description="Chains that support them.")
    nodes: list[CriticalNode]
    relationships: list[CriticalRelationship]
    centrality: list[LabelCentrality]
    betweenness_sample: int | None = Field(description="Pivots sampled for betweenness; null when exact.")


def _shared(chains: list[RawChain], ends: tuple[str, str]) -> tuple[set[str], set[str]]:
    """Nodes (other than the pair's ends) and relationships every chain goes through.

    A chain is a walk: its nodes are where it starts and where each hop leaves off."""
    nodes: set[str] | None = None
    rels: set[str] | None = None
    for chain in chains:
        n = _walked(chain)
        n.difference_update(ends)
        r = {rel.id for rel, _ in chain}
        nodes = n if nodes is None else nodes & n
        rels = r if rels is None else rels & r
    return nodes or set(), rels or set()


def _walked(chain: RawChain) -> set[str]:
    """The nodes of a walk: where it starts, and where each hop leaves off."""
    first, forward = chain[0]
    nodes = {rel.end if forward else rel.start for rel, forward in chain}
    nodes.add(first.start if forward else first.end)
    return nodes


def breaking(rows: list) -> tuple[int, dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    """From dependency rows in any order: how many (company, concession) pairs there are,
    and per node and per relationship the pairs whose every chain goes through it (each
    list in the order the pairs first appear). One pass over the rows: a candidate's
    impact is read off its lists, never recomputed by removing it."""
    chains: dict[tuple[str, str], list[RawChain]] = {}
    for company, concession, _, chain in rows:
        found = chains.get((company, concession))
        if found is None:
            chains[(company, concession)] = [chain]
        else:
            found.append(chain)
    node_pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rel_pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair, found in chains.items():
        if len(found) > 1:
            nodes, rels = _shared(found, pair)
            for node in nodes:
                node_pairs[node].append(pair)
            for rel_id in rels:
                rel_pairs[rel_id].append(pair)
            continue
        # Most pairs have one chain: its own nodes and relationships, read hop by hop (a
        # node or relationship met twice is listed once: its list already ends with the pair).
        company, concession = pair
        chain = found[0]
        first, forward = chain[0]
        walked = [first.start if forward else first.end]
        for rel, forward in chain:
            walked.append(rel.end if forward else rel.start)
            listed = rel_pairs[rel.id]
            if not listed or listed[-1] is not pair:
                listed.append(pair)
        for node in walked:
            if node != company and node != concession:
                listed = node_pairs[node]
                if not listed or listed[-1] is not pair:
                    listed.append(pair)
    return len(chains), node_pairs, rel_pairs


class _Simple:
    """The projection as an undirected simple graph in compressed rows (numpy), laid out
    exactly as `networkx.Graph` would hold it: nodes in force (Source nodes aside) by id,
    then any other node as relationships first reach it; each node's neighbours in the
    order their first relationship comes, relationships by type then id. Betweenness
    sums in that order, so the figures are networkx's to the last bit (see `betweenness`).
    """

    def __init__(self, graph: QuestionGraph) -> None:
        import numpy as np

        self.ids = [n.id for n in graph.nodes() if n.label != "Source"]
        position = {node_id: k for k, node_id in enumerate(self.ids)}
        rels = [r for r in graph.relationships() if r.start != r.end]
        if not all(r.start in position and r.end in position for r in rels):
            for rel in rels:  # a node only relationships reach (a Source): placed as networkx would
                for node_id in (rel.start, rel.end):
                    if node_id not in position:
                        position[node_id] = len(self.ids)
                        self.ids.append(node_id)
        n = self.n = len(self.ids)
        u = np.fromiter((position[r.start] for r in rels), np.int64, len(rels))
        v = np.fromiter((position[r.end] for r in rels), np.int64, len(rels))
        _, first = np.unique(np.minimum(u, v) * n + np.maximum(u, v), return_index=True)
        kept = np.sort(first)  # each pair once, where it first comes
        source = np.concatenate((u[kept], v[kept]))
        order = np.lexsort((np.concatenate((kept, kept)), source))
        self.indices = np.concatenate((v[kept], u[kept]))[order]
        self.degree = np.bincount(source, minlength=n)
        self.indptr = np.concatenate(([0], np.cumsum(self.degree)))

    def _neighbours(self, frontier: Any) -> tuple[Any, Any]:
        """(node, neighbour) for every neighbour of the frontier's nodes, in order."""
        import numpy as np

        counts = self.degree[frontier]
        offsets = np.cumsum(counts) - counts
        at = np.arange(counts.sum()) - np.repeat(offsets - self.indptr[frontier], counts)
        return np.repeat(frontier, counts), self.indices[at]

    def betweenness(self, pivots: list[int]) -> Any:
        """Unscaled betweenness from these pivots: Brandes' algorithm, one breadth-first
        level at a time, adding each node's dependencies in the order networkx does (the
        nodes of the next level latest found first), so the sums round alike."""
        import numpy as np

        n = self.n
        total = np.zeros(n)
        for s in pivots:
            dist = np.full(n, -1, np.int64)
            sigma = np.zeros(n)
            dist[s], sigma[s] = 0, 1.0
            frontier, level, found = np.array([s]), 0, 1
            steps = []  # per level: (predecessor, node) on shortest paths, the node's order found
            order = np.zeros(n, np.int64)
            while len(frontier):
                nodes, neighbours = self._neighbours(frontier)
                fresh = neighbours[dist[neighbours] == -1]
                _, first = np.unique(fresh, return_index=True)
                reached = fresh[np.sort(first)]
                dist[reached] = level + 1
                order[reached] = np.arange(found, found + len(reached))
                found += len(reached)
                on_path = dist[neighbours] == level + 1
                pred, node = nodes[on_path], neighbours[on_path]
                sigma += np.bincount(node, weights=sigma[pred], minlength=n)
                steps.append((pred, node))
                frontier, level = reached, level + 1
            delta = np.zeros(n)
            for pred, node in reversed(steps):
                latest_first = np.argsort(-order[node], kind="stable")
                pred, node = pred[latest_first], node[latest_first]
                coeff = (1 + delta[node]) / sigma[node]
                delta += np.bincount(pred, weights=sigma[pred] * coeff, minlength=n)
            delta[s] = 0.0
            total += delta
        return total


def sample_size(n: int) -> int | None:
    """Pivots to sample for betweenness on `n` nodes; None: exact (every node a pivot)."""
    return max(8, min(64, 1_000_000 // n)) if n > EXACT_BETWEENNESS else None


def _betweenness(simple: _Simple, sample: int | None) -> dict[str, float]:
    """Normalised betweenness per node id, as `networkx.betweenness_centrality` gives it:
    exact when `sample` is None, else from `sample` pivots drawn with
    `random.Random(SAMPLE_SEED)` (networkx's `seed=`) and rescaled as networkx 3.6 does."""
    n = simple.n
    if sample == n:  # as networkx: every node a pivot is the exact figure
        sample = None
    pivots = list(range(n)) if sample is None else random.Random(SAMPLE_SEED).sample(range(n), sample)
    raw = simple.betweenness(pivots)
    reach = n - 1  # (s, t) pairs through v: v is never the target
    if reach < 2:
        return dict(zip(simple.ids, raw.tolist(), strict=True))
    if sample is None:
        scaled = raw * (1 / (reach * (reach - 1)))
    else:  # a pivot is never its own target: its share is over one source fewer
        scaled = raw * (1 / (sample * (reach - 1)))
        scaled[pivots] = raw[pivots] * (1 / ((sample - 1) * (reach - 1)) if sample > 1 else math.nan)
    return dict(zip(simple.ids, scaled.tolist(), strict=True))


def centrality(graph: QuestionGraph, top: int = 5) -> tuple[list[LabelCentrality], int | None]:
    """Degree and betweenness centrality of the nodes in force, the `top` per label."""
    simple = _Simple(graph)
    nodes = [n for n in graph.nodes() if n.label != "Source"]
    if simple.n > 1:
        degree = dict(zip(simple.ids, (simple.degree * (1.0 / (simple.n - 1.0))).tolist(), strict=True))
    else:
        degree = dict.fromkeys(simple.ids, 0.0)
    sample = sample_size(simple.n)
    between = _betweenness(simple, sample)
    by_label: dict[str, list[Centrality]] = defaultdict(list)
    evidence = Evidence(graph)
    ranked = sorted(nodes, key=lambda n: (n.label, -between.get(n.id, 0.0), -degree.get(n.id, 0.0), n.id))
    for node in ranked:
        if len(by_label[node.label]) < top:
            by_label[node.label].append(
                Centrality(
                    entity=evidence.ref(node.id),
                    degree=round(degree.get(node.id, 0.0), 12),
                    betweenness=round(between.get(node.id, 0.0), 12),
                )
            )
    return [LabelCentrality(label=label, nodes=items) for label, items in sorted(by_label.items())], sample


def critical(
    graph: QuestionGraph | GraphStore,
    as_of: dt.date | None = None,
    limit: int = 10,
    top: int = 5,
    with_centrality: bool = True,
) -> CriticalResult:
    """The nodes and relationships whose removal breaks the most dependencies, and centrality.

    Examples
    --------
    >>> from graph.model import Node, Relationship
    >>> n = lambda i, label: Node(i, label, {"name": i})
    >>> r = lambda i, t, a, b: Relationship(i, t, a, b, {})
    >>> g = QuestionGraph(
    ...     [n("a", "Company"), n("b", "Company"), n("p", "Project"), n("q", "Project"),
    ...      n("fund", "InvestmentVehicle"), n("invest", "Commitment"), n("cut", "TariffConcession")],
    ...     [r("r1", "LEADS", "a", "p"), r("r2", "LEADS", "b", "q"), r("r3", "FUNDS", "fund", "p"),
    ...      r("r4", "FUNDS", "fund", "q"), r("r5", "FULFILS", "fund", "invest"),
    ...      r("r6", "CONDITIONAL_ON", "cut", "invest")])
    >>> result = critical(g, with_centrality=False)
    >>> [(c.entity.id, c.breaks) for c in result.nodes]
    [('fund', 2), ('invest', 2), ('p', 1), ('q', 1)]
    """
    graph = as_graph(graph, as_of)
    with gc_paused():
        return _critical(graph, limit, top, with_centrality)


def _critical(graph: QuestionGraph, limit: int, top: int, with_centrality: bool) -> CriticalResult:
    evidence = Evidence(graph)
    rows = dependency_rows(graph, ordered=False)
    dependencies, node_pairs, rel_pairs = breaking(rows)
    shown: dict[tuple[str, str], Pair] = {}  # one Pair per pair, shared by every list it is in

    def pairs(found: list[tuple[str, str]]) -> list[Pair]:
        out = []
        for pair in sorted(found):
            item = shown.get(pair)
            if item is None:
                item = shown[pair] = Pair(company=evidence.ref(pair[0]), concession=evidence.ref(pair[1]))
            out.append(item)
        return out

    def most(table: dict[str, list[tuple[str, str]]]) -> list[tuple[str, int]]:
        return heapq.nsmallest(limit, ((k, len(v)) for k, v in table.items()), key=lambda kv: (-kv[1], kv[0]))

    top_nodes, top_rels = most(node_pairs), most(rel_pairs)
    cent, sample = centrality(graph, top) if with_centrality else ([], None)
    return CriticalResult(
        as_of=graph.as_of,
        dependencies=dependencies,
        chains=len(rows),
        nodes=[CriticalNode(entity=evidence.ref(k), breaks=v, pairs=pairs(node_pairs[k])) for k, v in top_nodes],
        relationships=[
            CriticalRelationship(
                relationship=evidence.chain(((graph.relationship(k), True),))[0],  # type: ignore[arg-type]
                breaks=v,
                pairs=pairs(rel_pairs[k]),
            )
            for k, v in top_rels
        ],
        centrality=cent,
        betweenness_sample=sample,
    )
