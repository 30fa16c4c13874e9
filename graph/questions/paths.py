"""Paths: how two entities are connected — the shortest chains, and every distinct
relationship chain up to N hops.

A chain is a simple path (no node twice); parallel relationships make distinct chains.
Undirected by default (a hop may walk against the stored direction, shown by `forward`);
`directed=True` follows stored directions only. Chains come shortest first, then by their
relationship ids; `limit` caps how many are returned (`truncated` says when it did).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from graph.model import Relationship
from graph.questions.dependencies import Evidence
from graph.questions.evidence import EntityRef, Hop, chain_text
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore, gc_paused

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


def _step_order(item: tuple[Step, str]) -> tuple[str, bool]:
    (rel, forward), _ = item
    return (rel.id, not forward)


def _distances(graph: QuestionGraph, target: str, reach: int, directed: bool) -> dict[str, int]:
    """Hops to `target` (walking towards it) of every node at most `reach` hops from it."""
    dist = {target: 0}
    frontier = [target]
    for here in range(1, reach + 1):
        found = []
        for node in frontier:
            others = [r.start for r in graph.inn(node)]
            if not directed:
                others += [r.end for r in graph.out(node)]
            for other in others:
                if other not in dist:
                    dist[other] = here
                    found.append(other)
        frontier = found
    return dist


class _Walker:
    """Enumerates simple chains from `source` to `target` of one length at a time, in the
    answer's order (each node's steps by relationship id), stopping at `room` chains.

    A step is taken only towards a node that can still reach the target in the hops left.
    Distances to the target are known up to `reach` hops (`reach` = max_hops - 2: the only
    step that needs more is the first one of the longest chains, which is then taken
    untested), so the breadth-first search never sweeps the hubs' far neighbourhoods; each
    node's steps are filtered by those distances before they are sorted, once per hops left.
    """

    def __init__(self, graph: QuestionGraph, source: str, target: str, max_hops: int, directed: bool) -> None:
        self.graph, self.source, self.target, self.directed = graph, source, target, directed
        self.reach = max(max_hops - 2, 0)
        self.dist = _distances(graph, target, self.reach, directed)
        self._steps: dict[tuple[str, int], list[tuple[Step, str]]] = {}

    def shortest_possible(self) -> int:
        """A lower bound of the shortest chain's length (exact when within `reach`)."""
        return self.dist.get(self.source, self.reach + 1)

    def steps(self, node: str, left: int) -> list[tuple[Step, str]]:
        """(step, next node) from `node` that may lead to the target in `left` - 1 more hops
        (the target itself only as the last one), by relationship id, forward first."""
        key = (node, left)
        if key not in self._steps:
            dist, target, reach, within = self.dist, self.target, self.reach, left - 1

            def fits(other: str) -> bool:
                if other == target:
                    return within == 0
                hops = dist.get(other)
                return within > reach if hops is None else hops <= within  # beyond reach: may do

            steps = [((r, True), r.end) for r in self.graph.out(node) if fits(r.end)]
            if not self.directed:
                steps += [((r, False), r.start) for r in self.graph.inn(node) if fits(r.start)]
            steps.sort(key=_step_order)
            self._steps[key] = steps
        return self._steps[key]

    def chains(self, k: int, room: int) -> list[list[Step]]:
        found: list[list[Step]] = []
        path: list[Step] = []
        on_path = {self.source}

        def walk(node: str, left: int) -> None:
            if len(found) >= room:
                return
            if left == 0:
                if node == self.target:
                    found.append(list(path))
                return
            for step, other in self.steps(node, left):
                if other in on_path:
                    continue
                path.append(step)
                on_path.add(other)
                walk(other, left - 1)
                on_path.discard(other)
                path.pop()
                if len(found) >= room:
                    return

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
    with gc_paused():  # the projection's millions of objects are not walked while chains are built
        return _path(graph, source, target, max_hops, directed, limit)


def _path(graph: QuestionGraph, source: str, target: str, max_hops: int, directed: bool, limit: int) -> PathResult:
    evidence = Evidence(graph)
    raw: list[list[Step]] = []
    truncated = False
    if source != target and graph.node_ok(source) and graph.node_ok(target):
        walker = _Walker(graph, source, target, max_hops, directed)
        for k in range(walker.shortest_possible(), max_hops + 1):
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
