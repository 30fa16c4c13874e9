"""Paths: how two entities are connected — the shortest chains, and every distinct
relationship chain up to N hops.

A chain is a simple path (no node twice); parallel relationships make distinct chains.
Undirected by default (a hop may walk against the stored direction, shown by `forward`);
`directed=True` follows stored directions only. Chains come shortest first, then by their
relationship ids; `limit` caps how many are returned (`truncated` says when it did).
"""

from __future__ import annotations

import datetime as dt
from collections import deque

from pydantic import BaseModel, Field

from graph.model import Relationship
from graph.questions.dependencies import Evidence
from graph.questions.evidence import EntityRef, Hop, chain_text
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore

Step = tuple[Relationship, bool]


class Chain(BaseModel):
    length: int
    nodes: list[EntityRef] = Field(description="The nodes along the chain, from the source to the target.")
    summary: str
    hops: list[Hop]


class PathResult(BaseModel):
    source: EntityRef
    target: EntityRef
    as_of: dt.date | None
    max_hops: int
    directed: bool
    shortest_hops: int | None = Field(description="Length of the shortest chain; null when none within max_hops.")
    shortest: list[Chain] = Field(description="Every chain of the shortest length (within the limit).")
    chains: list[Chain] = Field(description="Every chain up to max_hops, shortest first (within the limit).")
    truncated: bool


def _steps(graph: QuestionGraph, node: str, directed: bool) -> list[tuple[Step, str]]:
    """(step, next node) from `node`, by relationship id (forward before backward)."""
    steps = [((r, True), r.end) for r in graph.out(node)]
    if not directed:
        steps += [((r, False), r.start) for r in graph.inn(node)]
    steps.sort(key=_step_order)
    return steps


def _step_order(item: tuple[Step, str]) -> tuple[str, bool]:
    (rel, forward), _ = item
    return (rel.id, not forward)


def _distances(graph: QuestionGraph, target: str, max_hops: int, directed: bool) -> dict[str, int]:
    """Hops from each node within reach to `target` (breadth-first, walking towards it)."""
    dist = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        here = dist[node]
        if here >= max_hops:
            continue
        others = [r.start for r in graph.inn(node)]
        if not directed:
            others += [r.end for r in graph.out(node)]
        for other in others:
            if other not in dist:
                dist[other] = here + 1
                queue.append(other)
    return dist


class _Walker:
    """Enumerates simple chains from `source` to `target`, one length at a time; each node's
    sorted steps are worked out once for all lengths."""

    def __init__(self, graph: QuestionGraph, source: str, target: str, dist: dict[str, int], directed: bool) -> None:
        self.graph, self.source, self.target, self.dist, self.directed = graph, source, target, dist, directed
        self._steps: dict[str, list[tuple[Step, str]]] = {}

    def steps(self, node: str) -> list[tuple[Step, str]]:
        if node not in self._steps:
            self._steps[node] = _steps(self.graph, node, self.directed)
        return self._steps[node]

    def chains(self, k: int, room: int) -> list[list[Step]]:
        found: list[list[Step]] = []
        path: list[Step] = []
        on_path = {self.source}
        dist, target = self.dist, self.target

        def walk(node: str, left: int) -> None:
            if len(found) >= room:
                return
            if left == 0:
                if node == target:
                    found.append(list(path))
                return
            for step, other in self.steps(node):
                if other in on_path or dist.get(other, left + 1) > left - 1:
                    continue
                if other == target and left != 1:
                    continue
                path.append(step)
                on_path.add(other)
                walk(other, left - 1)
                on_path.discard(other)
                path.pop()

        walk(self.source, k)
        return found


def path(
    graph: QuestionGraph | GraphStore,
    source: str,
    target: str,
    max_hops: int = 4,
    directed: bool = False,
    as_of: dt.date | None = None,
    limit: int = 100,
) -> PathResult:
    """Shortest chains and every distinct chain up to `max_hops` between two entities.

    Examples
    --------
    >>> from graph.model import Node, Relationship
    >>> g = QuestionGraph([Node(i, "Company", {"name": i}) for i in "abc"],
    ...     [Relationship("r1", "SUPPLIES", "a", "b", {}), Relationship("r2", "SUBSIDIARY_OF", "b", "c", {}),
    ...      Relationship("r3", "COMPETES_WITH", "a", "c", {})])
    >>> r = path(g, "a", "c", max_hops=2)
    >>> r.shortest_hops, [c.summary for c in r.chains]
    (1, ['a -COMPETES_WITH-> c', 'a -SUPPLIES-> b -SUBSIDIARY_OF-> c'])
    >>> path(g, "c", "a", max_hops=2, directed=True).shortest_hops is None
    True
    """
    graph = as_graph(graph, as_of)
    graph.require(source, "source")
    graph.require(target, "target")
    evidence = Evidence(graph)
    raw: list[list[Step]] = []
    truncated = False
    if source != target and graph.node_ok(source) and graph.node_ok(target):
        dist = _distances(graph, target, max_hops, directed)
        walker = _Walker(graph, source, target, dist, directed)
        for k in range(1, max_hops + 1):
            if dist.get(source, max_hops + 1) > k:
                continue
            room = limit - len(raw)
            got = walker.chains(k, room + 1)
            if len(got) > room:
                raw += got[:room]
                truncated = True
                break
            raw += got

    def chain(steps: list[Step]) -> Chain:
        hops = evidence.chain(tuple(steps))
        return Chain(
            length=len(hops),
            nodes=[evidence.ref(source), *(h.exit for h in hops)],
            summary=chain_text(hops),
            hops=hops,
        )

    chains = [chain(s) for s in raw]
    shortest = min((c.length for c in chains), default=None)
    return PathResult(
        source=evidence.ref(source),
        target=evidence.ref(target),
        as_of=graph.as_of,
        max_hops=max_hops,
        directed=directed,
        shortest_hops=shortest,
        shortest=[c for c in chains if c.length == shortest],
        chains=chains,
        truncated=truncated,
    )
