"""The GraphStore interface both stores implement, and the value types it returns.

Every store answers the same operations with the same results (the parity suite in
tests/ checks this), so questions, the API and the CLI never care which store they hold.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from graph.errors import StoreError, StoreUnavailable
from graph.ids import normalise
from graph.model import Node, Relationship, merge_node, merge_relationship

__all__ = ["Counts", "GraphStore", "StoreError", "StoreUnavailable", "Subgraph", "WriteSummary"]


@dataclass
class Subgraph:
    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    truncated: bool = False


@dataclass
class Counts:
    labels: dict[str, int]
    types: dict[str, int]

    @property
    def nodes(self) -> int:
        return sum(self.labels.values())

    @property
    def relationships(self) -> int:
        return sum(self.types.values())


@dataclass
class WriteSummary:
    nodes_created: int = 0
    nodes_updated: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    claims: int = 0


def stage_nodes(
    nodes: Sequence[Node],
    stored_node: Callable[[str], Node | None],
    stored_rel: Callable[[str], Relationship | None],
    summary: WriteSummary,
) -> tuple[dict[str, Node], dict[str, Relationship]]:
    """Merge incoming nodes against what a store holds, the same way in every store.

    `stored_node`/`stored_rel` look a record up in the store. Returns the staged nodes
    (Claim nodes included) and the staged DISPUTES relationships; counts go into `summary`.
    """
    staged_nodes: dict[str, Node] = {}
    staged_rels: dict[str, Relationship] = {}
    for incoming in nodes:
        current = staged_nodes.get(incoming.id) or stored_node(incoming.id)
        result = merge_node(current, incoming)
        if current is None:
            summary.nodes_created += 1
        elif result.node.props != current.props:
            summary.nodes_updated += 1
        staged_nodes[incoming.id] = result.node
        for claim in result.claims:
            staged_nodes[claim.id] = merge_node(staged_nodes.get(claim.id) or stored_node(claim.id), claim).node
            summary.claims += 1
        for rel in result.disputes:
            staged_rels[rel.id] = merge_relationship(staged_rels.get(rel.id) or stored_rel(rel.id), rel)
    return staged_nodes, staged_rels


def stage_relationship(
    incoming: Relationship,
    staged_rels: dict[str, Relationship],
    stored_rel: Callable[[str], Relationship | None],
    has_node: Callable[[str], bool],
    summary: WriteSummary,
) -> None:
    """Merge one incoming relationship into `staged_rels`, the same way in every store.

    `has_node` says whether an end exists (staged or stored); a missing end is a StoreError.
    """
    for end in (incoming.start, incoming.end):
        if not has_node(end):
            raise StoreError(f"relationship {incoming.type} {incoming.id}: no node {end!r}")
    current = staged_rels.get(incoming.id) or stored_rel(incoming.id)
    merged = merge_relationship(current, incoming)
    if current is None:
        summary.relationships_created += 1
    elif merged.props != current.props:
        summary.relationships_updated += 1
    staged_rels[incoming.id] = merged


def search_rank(query: str, name: str, aliases: Sequence[str] = ()) -> int | None:
    """How well a name (or alias) matches a search, lower is better; None if it does not.

    0: exact, 1: a name starts with it, 2: a word starts with it, 3: contains it.

    >>> search_rank("softbank", "SoftBank Group"), search_rank("bank", "SoftBank Group")
    (1, 3)
    >>> search_rank("group", "SoftBank Group"), search_rank("toyota", "SoftBank Group") is None
    (2, True)
    """
    q = normalise(query)
    if not q:
        return None
    best = None
    for candidate in (name, *aliases):
        text = normalise(candidate)
        if text == q:
            rank = 0
        elif text.startswith(q):
            rank = 1
        elif f" {q}" in f" {text}":
            rank = 2
        elif q in text:
            rank = 3
        else:
            continue
        best = rank if best is None else min(best, rank)
    return best


def sort_hits(query: str, nodes: Sequence[Node]) -> list[Node]:
    """Search hits in the one order both stores use: rank, then name, then id."""
    ranked = []
    for node in nodes:
        rank = search_rank(query, node.props.get("name", ""), node.props.get("aliases", ()))
        if rank is not None:
            ranked.append((rank, normalise(node.props.get("name", "")), node.id, node))
    ranked.sort(key=lambda t: t[:3])
    return [t[3] for t in ranked]


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects without cycles are made
    (a merge staging records, a big view's JSON): collections would only rescan them, and
    the store's records, again and again.

    The API runs such work in several threads at once, so pauses are counted: the collector
    comes back when the last one ends, and only if it was on when the first one began.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


class GraphStore(ABC):
    """What every store offers. Writes are all-or-nothing and idempotent."""

    name: str

    @abstractmethod
    def merge(self, nodes: Sequence[Node], relationships: Sequence[Relationship]) -> WriteSummary:
        """Merge records in one transaction (graph/model.py's rules). Relationship ends
        must exist in the store or among `nodes`; otherwise StoreError and nothing is written."""

    @abstractmethod
    def counts(self) -> Counts: ...

    @abstractmethod
    def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        """The nodes that exist among `ids`, in the given order."""

    def get_node(self, node_id: str) -> Node | None:
        found = self.get_nodes([node_id])
        return found[0] if found else None

    @abstractmethod
    def search(self, text: str, label: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[Node], int]:
        """Nodes whose name or an alias matches, best first (see sort_hits), and the total."""

    @abstractmethod
    def list_nodes(self, label: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[Node], int]:
        """Nodes ordered by label then name then id, and the total."""

    @abstractmethod
    def relationships_of(self, node_ids: Sequence[str], types: Sequence[str] | None = None) -> list[Relationship]:
        """Every relationship touching any of `node_ids` (either direction), optionally of `types`."""

    @abstractmethod
    def relationships_between(self, node_ids: Sequence[str]) -> list[Relationship]:
        """Every relationship whose two ends are both in `node_ids`."""

    def relationship_ends(self, node_ids: Sequence[str]) -> list[Relationship]:
        """The relationships between `node_ids`, ordered by id, with id, type and ends only (no
        properties): what drawing a big view needs. Stores may answer this faster."""
        bare = [Relationship(r.id, r.type, r.start, r.end) for r in self.relationships_between(node_ids)]
        return sorted(bare, key=lambda r: r.id)

    @abstractmethod
    def iter_nodes(self) -> Iterator[Node]: ...

    @abstractmethod
    def iter_relationships(self) -> Iterator[Relationship]: ...

    def ping(self) -> None:  # noqa: B027 - optional hook, only remote stores can be down
        """Raise StoreUnavailable when the backend cannot be reached."""

    def close(self) -> None:  # noqa: B027 - optional hook, most stores hold nothing
        """Release what the store holds."""

    def neighbourhood(
        self, center: str, depth: int = 1, types: Sequence[str] | None = None, max_nodes: int = 500
    ) -> Subgraph:
        """Nodes within `depth` hops of `center` (either direction) and the relationships among them.

        Breadth-first, closest first; when `max_nodes` would be passed the result stops there
        and says `truncated`. Ordering is by hop, then id, so both stores cut at the same place.
        """
        seen = [center]
        seen_set = {center}
        frontier = [center]
        truncated = False
        for _ in range(depth):
            nxt: set[str] = set()
            for rel in self.relationships_of(frontier, types):
                for end in (rel.start, rel.end):
                    if end not in seen_set:
                        nxt.add(end)
            if not nxt:
                break
            room = max_nodes - len(seen)
            ordered = sorted(nxt)
            if len(ordered) > room:
                ordered, truncated = ordered[:room], True
            seen.extend(ordered)
            seen_set.update(ordered)
            frontier = ordered
            if truncated:
                break
        nodes = self.get_nodes(seen)
        rels = [r for r in self.relationships_between(seen) if types is None or r.type in types]
        rels.sort(key=lambda r: r.id)
        return Subgraph(nodes, rels, truncated)
