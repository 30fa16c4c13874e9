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
from collections import Counter, defaultdict

import networkx as nx
from pydantic import BaseModel, Field

from graph.questions.dependencies import Evidence, RawChain, dependency_rows
from graph.questions.evidence import EntityRef, Hop
from graph.questions.projection import QuestionGraph, as_graph, paused_gc
from graph.store import GraphStore

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
    """Nodes (other than the pair's ends) and relationships every chain goes through."""
    nodes: set[str] | None = None
    rels: set[str] | None = None
    for chain in chains:
        n = {x for rel, _ in chain for x in (rel.start, rel.end)} - set(ends)
        r = {rel.id for rel, _ in chain}
        nodes = n if nodes is None else nodes & n
        rels = r if rels is None else rels & r
    return nodes or set(), rels or set()


def centrality(graph: QuestionGraph, top: int = 5) -> tuple[list[LabelCentrality], int | None]:
    """Degree and betweenness centrality of the nodes in force, the `top` per label."""
    simple = nx.Graph()
    nodes = [n for n in graph.nodes() if n.label != "Source"]
    simple.add_nodes_from(n.id for n in nodes)
    simple.add_edges_from((r.start, r.end) for r in graph.relationships() if r.start != r.end)
    degree = nx.degree_centrality(simple) if len(simple) > 1 else dict.fromkeys(simple, 0.0)
    sample = None
    if len(simple) > EXACT_BETWEENNESS:
        sample = max(8, min(64, 1_000_000 // len(simple)))
        between = nx.betweenness_centrality(simple, k=sample, seed=SAMPLE_SEED)
    else:
        between = nx.betweenness_centrality(simple)
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
    with paused_gc():
        return _critical(graph, limit, top, with_centrality)


def _critical(graph: QuestionGraph, limit: int, top: int, with_centrality: bool) -> CriticalResult:
    evidence = Evidence(graph)
    chains: dict[tuple[str, str], list[RawChain]] = defaultdict(list)
    rows = dependency_rows(graph, ordered=False)
    for company, concession, _, chain in rows:
        chains[(company, concession)].append(chain)
    node_pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rel_pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair, found in sorted(chains.items()):
        nodes, rels = _shared(found, pair)
        for node in nodes:
            node_pairs[node].append(pair)
        for rel in rels:
            rel_pairs[rel].append(pair)
    node_counts = Counter({k: len(v) for k, v in node_pairs.items()})
    rel_counts = Counter({k: len(v) for k, v in rel_pairs.items()})

    def pairs(found: list[tuple[str, str]]) -> list[Pair]:
        return [Pair(company=evidence.ref(c), concession=evidence.ref(t)) for c, t in found]

    top_nodes = sorted(node_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    top_rels = sorted(rel_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    cent, sample = centrality(graph, top) if with_centrality else ([], None)
    return CriticalResult(
        as_of=graph.as_of,
        dependencies=len(chains),
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
