"""The projection every question runs on: a store's nodes and relationships, indexed once.

A `QuestionGraph` is built from any GraphStore (`iter_nodes` and `iter_relationships`, so
both stores give the same projection) or from records directly. It indexes relationships
by type and, per node, by direction and type, so a question walks only the relationship
types it needs instead of traversing the graph.

Time is a view, not a copy: `graph.at(day)` shares the indexes and hides what was not in
force on `day`. A node or relationship counts on day D when ``valid_from <= D`` (or unset)
and ``D < valid_to`` (or unset); a relationship also needs both its ends to count. Without
a day (``as_of=None``) everything counts. `reported_on` never matters here.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from graph.model import Node, Relationship
from graph.store import GraphStore, gc_paused

DATE_KEYS = ("valid_from", "valid_to", "reported_on")
_DATE = dt.date(2000, 1, 1)
_FINE = (dt.date, type(None))
_EMPTY: list = []
_START, _END = operator.attrgetter("start"), operator.attrgetter("end")
_T = TypeVar("_T")


class UnknownEntity(LookupError):
    """An id a question was asked about is not in the graph (at any date)."""

    def __init__(self, entity_id: str, parameter: str, expected: str | None = None) -> None:
        what = f"no {expected} with id {entity_id!r}" if expected else f"no entity with id {entity_id!r}"
        super().__init__(what)
        self.entity_id = entity_id
        self.parameter = parameter


def _as_date(value: Any) -> Any:
    if value is None or isinstance(value, dt.date):
        return value
    if hasattr(value, "to_native"):  # neo4j.time.Date
        return value.to_native()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _normalised(props: dict[str, Any]) -> dict[str, Any]:
    """Props with their time keys as datetime.date (copied only when something changes)."""
    bad = [k for k in DATE_KEYS if type(props.get(k, _DATE)) not in _FINE]
    if not bad:
        return props
    out = dict(props)
    for key in bad:
        out[key] = _as_date(out[key])
    return out


def in_force(props: dict[str, Any], day: dt.date | None) -> bool:
    """Whether a record with these properties counts on `day` (always, when `day` is None).

    >>> import datetime as dt
    >>> d = dt.date(2026, 1, 1)
    >>> in_force({}, d), in_force({"valid_from": d}, d), in_force({"valid_to": d}, d)
    (True, True, False)
    """
    if day is None:
        return True
    start = props.get("valid_from")
    end = props.get("valid_to")
    return (start is None or start <= day) and (end is None or day < end)


class _Index:
    """What every dated view of one projection shares."""

    def __init__(self, nodes: Iterable[Node], relationships: Iterable[Relationship]) -> None:
        with gc_paused():
            self._build(nodes, relationships)

    def _build(self, nodes: Iterable[Node], relationships: Iterable[Relationship]) -> None:
        # One order everywhere, whatever order the records came in (both stores give them by
        # id, so these sorts are linear): answers must not depend on it.
        by_id = operator.attrgetter("id")
        self.nodes: dict[str, Node] = {}
        self.labels: dict[str, str] = {}
        self.by_label: dict[str, list[str]] = defaultdict(list)
        for node in sorted(nodes, key=by_id):
            props = _normalised(node.props)
            if props is not node.props:
                node = Node(node.id, node.label, props)
            self.nodes[node.id] = node
            self.labels[node.id] = node.label
            self.by_label[node.label].append(node.id)
        self.rels: dict[str, Relationship] = {}
        self.by_type: dict[str, list[Relationship]] = defaultdict(list)
        self.out: dict[str, dict[str, list[Relationship]]] = defaultdict(lambda: defaultdict(list))
        self.inn: dict[str, dict[str, list[Relationship]]] = defaultdict(lambda: defaultdict(list))
        known = self.nodes
        for rel in sorted(relationships, key=by_id):
            if rel.start not in known or rel.end not in known:
                continue
            props = _normalised(rel.props)
            if props is not rel.props:
                rel = Relationship(rel.id, rel.type, rel.start, rel.end, props)
            self.rels[rel.id] = rel
            self.by_type[rel.type].append(rel)
            self.out[rel.start][rel.type].append(rel)
            self.inn[rel.end][rel.type].append(rel)


class QuestionGraph:
    """A read-only projection of a graph for the questions, optionally as of a day.

    >>> from graph.model import Node, Relationship
    >>> import datetime as dt
    >>> g = QuestionGraph(
    ...     [Node("a", "Company", {"name": "A"}), Node("p", "Project", {"name": "P"})],
    ...     [Relationship("r1", "LEADS", "a", "p", {"valid_from": dt.date(2026, 1, 1)})])
    >>> [r.id for r in g.out("a", "LEADS")], [r.id for r in g.at(dt.date(2025, 6, 1)).out("a", "LEADS")]
    (['r1'], [])
    """

    def __init__(
        self,
        nodes: Iterable[Node] = (),
        relationships: Iterable[Relationship] = (),
        as_of: dt.date | None = None,
        *,
        _index: _Index | None = None,
    ) -> None:
        self._ix = _index if _index is not None else _Index(nodes, relationships)
        self.as_of = as_of
        self._live: set[str] | None = None

    @classmethod
    def from_store(cls, store: GraphStore, as_of: dt.date | None = None) -> QuestionGraph:
        """The projection of everything `store` holds (Source nodes included)."""
        return cls(store.iter_nodes(), store.iter_relationships(), as_of)

    def at(self, as_of: dt.date | None) -> QuestionGraph:
        """The same projection seen on another day (None: every fact, whatever its dates)."""
        if as_of == self.as_of:
            return self
        return QuestionGraph(as_of=as_of, _index=self._ix)

    # -- records, whatever the day ------------------------------------------------------

    def record(self, node_id: str) -> Node | None:
        """The node, whether or not it is in force on this view's day."""
        return self._ix.nodes.get(node_id)

    def relationship(self, rel_id: str) -> Relationship | None:
        return self._ix.rels.get(rel_id)

    def require(self, node_id: str, parameter: str, label: str | None = None) -> Node:
        """The node (at any date) or UnknownEntity naming the parameter; checks the label if given."""
        node = self._ix.nodes.get(node_id)
        if node is None or (label is not None and node.label != label):
            raise UnknownEntity(node_id, parameter, label)
        return node

    def label(self, node_id: str) -> str | None:
        return self._ix.labels.get(node_id)

    # -- the view on this day ---------------------------------------------------------------

    def node_ok(self, node_id: str) -> bool:
        node = self._ix.nodes.get(node_id)
        return node is not None and in_force(node.props, self.as_of)

    def rel_ok(self, rel: Relationship) -> bool:
        if self.as_of is None:
            return True
        return in_force(rel.props, self.as_of) and self.node_ok(rel.start) and self.node_ok(rel.end)

    def node(self, node_id: str) -> Node | None:
        """The node if it is in force on this view's day."""
        node = self._ix.nodes.get(node_id)
        return node if node is not None and in_force(node.props, self.as_of) else None

    def nodes(self, label: str | None = None) -> list[Node]:
        """Nodes in force, by id (of one label, or all)."""
        ids = self._ix.by_label.get(label, []) if label else sorted(self._ix.nodes)
        found = (self._ix.nodes[i] for i in ids)
        return [n for n in found if in_force(n.props, self.as_of)]

    def relationships(self, *types: str) -> list[Relationship]:
        """Relationships in force of these types (all types when none), by type then id."""
        chosen = types or tuple(sorted(self._ix.by_type))
        if self.as_of is None:
            return [r for t in chosen for r in self._ix.by_type.get(t, ())]
        live = self._live_nodes()
        day = self.as_of
        return [
            r
            for t in chosen
            for r in self._ix.by_type.get(t, ())
            if r.start in live and r.end in live and in_force(r.props, day)
        ]

    def relationships_by_id(self) -> Iterator[Relationship]:
        """Every relationship in force, by id: the projection's own order, so a full scan
        reads the records in the order they sit in memory (no copy, no sort)."""
        records = self._ix.rels.values()
        if self.as_of is None:
            return iter(records)
        live = self._live_nodes()
        day = self.as_of
        return (r for r in records if r.start in live and r.end in live and in_force(r.props, day))

    def _live_nodes(self) -> set[str]:
        """Ids of the nodes in force on this view's day, computed once per view (for scans)."""
        if self._live is None:
            day = self.as_of
            self._live = {i for i, n in self._ix.nodes.items() if in_force(n.props, day)}
        return self._live

    def out(self, node_id: str, *types: str) -> list[Relationship]:
        """Relationships in force leaving `node_id`, of these types (all when none)."""
        return self._walk(self._ix.out, node_id, types, _END)

    def inn(self, node_id: str, *types: str) -> list[Relationship]:
        """Relationships in force arriving at `node_id`, of these types (all when none)."""
        return self._walk(self._ix.inn, node_id, types, _START)

    def _walk(
        self, table, node_id: str, types: Sequence[str], far: Callable[[Relationship], str]
    ) -> list[Relationship]:
        per_type = table.get(node_id)
        if not per_type:
            return []
        chosen = types or tuple(sorted(per_type))
        if self.as_of is None:  # the fast path: no dates to check (the lists are not to be changed)
            if len(chosen) == 1:
                return per_type.get(chosen[0], _EMPTY)
            return [r for t in chosen for r in per_type.get(t, _EMPTY)]
        if not self.node_ok(node_id):
            return []
        # rel_ok, knowing that the near end (node_id) is in force: the relationship and its far end.
        day, node_ok = self.as_of, self.node_ok
        return [r for t in chosen for r in per_type.get(t, _EMPTY) if in_force(r.props, day) and node_ok(far(r))]

    def __len__(self) -> int:
        return len(self._ix.nodes)

    @property
    def size(self) -> tuple[int, int]:
        """(nodes, relationships) in the projection, whatever their dates."""
        return len(self._ix.nodes), len(self._ix.rels)

    # -- derived indexes, shared by every view of this projection ---------------------------

    def shared(self, key: str, build: Callable[[QuestionGraph], _T]) -> _T:
        """A value derived from the whole projection (every fact, whatever its dates), built by
        `build(whole projection)` on first use and shared by every dated view of it. For the
        indexes a question needs beyond the by-type adjacency (e.g. `in_force_index`).
        Two threads may both build it the first time; the last one is kept."""
        memo = self._ix.__dict__.setdefault("memo", {})
        if key not in memo:
            memo[key] = build(self.at(None))
        return memo[key]

    def in_force_index(self) -> InForceIndex:
        """When each record of this projection is in force, indexed by day (built on first use)."""
        return self.shared("in_force", InForceIndex)


# Day ordinals standing for an unset valid_from / valid_to (every real day lies between).
_ALWAYS = 0
_FOREVER = dt.date.max.toordinal() + 1


class InForceIndex:
    """When each node and relationship is in force, as day ordinals ``[start, end)``.

    A node counts from its `valid_from` (or always) until its `valid_to` (or forever); a
    relationship the same, cut to the days both its ends count (exactly `rel_ok`). With the
    records sorted by start and by end, those in force on one day and not on another are
    found by two binary searches and one vectorised comparison, touching no other record.
    Positions refer to `node_ids` and `rel_ids` (the projection's order, by id).

    >>> from graph.model import Node, Relationship
    >>> d = dt.date.fromisoformat
    >>> g = QuestionGraph([Node("a", "Company", {"valid_from": d("2020-01-01")}), Node("b", "Company", {})],
    ...     [Relationship("r", "SUPPLIES", "a", "b", {})])
    >>> index = g.in_force_index()
    >>> (added, added_rels), (removed, _) = index.moved(d("2019-06-01"), d("2020-06-01"))
    >>> [index.node_ids[k] for k in added], [index.rel_ids[k] for k in added_rels], len(removed)
    (['a'], ['r'], 0)
    """

    def __init__(self, whole: QuestionGraph) -> None:
        import numpy as np

        ix = whole._ix
        self.node_ids: list[str] = list(ix.nodes)
        self.rel_ids: list[str] = list(ix.rels)
        node_start, node_end = self._spans(node.props for node in ix.nodes.values())
        rel_start, rel_end = self._spans(rel.props for rel in ix.rels.values())
        position = {node_id: k for k, node_id in enumerate(self.node_ids)}
        starts = np.fromiter((position[r.start] for r in ix.rels.values()), np.int64, len(self.rel_ids))
        ends = np.fromiter((position[r.end] for r in ix.rels.values()), np.int64, len(self.rel_ids))
        rel_start = np.maximum(rel_start, np.maximum(node_start[starts], node_start[ends]))
        rel_end = np.minimum(rel_end, np.minimum(node_end[starts], node_end[ends]))
        self._nodes = self._sorted(node_start, node_end)
        self._rels = self._sorted(rel_start, rel_end)

    @staticmethod
    def _spans(props: Iterable[dict[str, Any]]) -> tuple[Any, Any]:
        import numpy as np

        start, end = [], []
        for p in props:
            day = p.get("valid_from")
            start.append(_ALWAYS if day is None else day.toordinal())
            day = p.get("valid_to")
            end.append(_FOREVER if day is None else day.toordinal())
        return np.array(start, np.int32), np.array(end, np.int32)

    @staticmethod
    def _sorted(start: Any, end: Any) -> tuple[Any, ...]:
        import numpy as np

        by_start = np.argsort(start, kind="stable")
        by_end = np.argsort(end, kind="stable")
        return start, end, by_start, start[by_start], by_end, end[by_end]

    @staticmethod
    def _starting(table: tuple[Any, ...], lo: int, hi: int) -> Any:
        """Positions of the records starting in (lo, hi] and still in force on hi."""
        _, end, by_start, sorted_start, _, _ = table
        found = by_start[sorted_start.searchsorted(lo, "right") : sorted_start.searchsorted(hi, "right")]
        return found[end[found] > hi]

    @staticmethod
    def _ending(table: tuple[Any, ...], lo: int, hi: int) -> Any:
        """Positions of the records in force on lo and ending in (lo, hi]."""
        start, _, _, _, by_end, sorted_end = table
        found = by_end[sorted_end.searchsorted(lo, "right") : sorted_end.searchsorted(hi, "right")]
        return found[start[found] <= lo]

    def moved(self, day_a: dt.date, day_b: dt.date) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        """((nodes, relationships) in force on `day_b` and not on `day_a`, (the reverse)), as
        arrays of positions in `node_ids` and `rel_ids`, in no particular order."""
        a, b = day_a.toordinal(), day_b.toordinal()
        tables = (self._nodes, self._rels)
        if a <= b:
            came = tuple(self._starting(t, a, b) for t in tables)
            went = tuple(self._ending(t, a, b) for t in tables)
        else:
            came = tuple(self._ending(t, b, a) for t in tables)
            went = tuple(self._starting(t, b, a) for t in tables)
        return came, went  # type: ignore[return-value]


def as_graph(source: QuestionGraph | GraphStore, as_of: dt.date | None = None) -> QuestionGraph:
    """A projection of `source` (a store, or a projection already) seen on `as_of`.

    With `as_of` None, a projection keeps its own day and a store is seen whole. A store's
    projection is reused while the store is unchanged (see `projection`).
    """
    if isinstance(source, QuestionGraph):
        return source if as_of is None else source.at(as_of)
    if isinstance(source, GraphStore):
        return projection(source).at(as_of)
    raise TypeError(f"expected a QuestionGraph or a GraphStore, got {type(source).__name__}")


_CACHE: weakref.WeakKeyDictionary[GraphStore, tuple[object, QuestionGraph]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _version(store: GraphStore) -> object | None:
    """A token that changes whenever the store's content may have: the embedded store's
    file stamp (every write replaces the file). None for stores that have no cheap one."""
    path = getattr(store, "path", None)
    if store.name != "embedded" or path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return ("missing",)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def projection(store: GraphStore) -> QuestionGraph:
    """The projection of `store`, reused while the store is unchanged (embedded store only;
    other stores are projected on every call)."""
    token = _version(store)
    if token is None:
        return QuestionGraph.from_store(store)
    with _CACHE_LOCK:
        hit = _CACHE.get(store)
        if hit is not None and hit[0] == token:
            return hit[1]
    graph = QuestionGraph.from_store(store)
    if _version(store) == token:
        with _CACHE_LOCK:
            _CACHE[store] = (token, graph)
    return graph
