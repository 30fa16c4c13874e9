"""The embedded store: a networkx MultiDiGraph in memory, persisted to one JSON file.

No server needed, so `dealgraph serve` shows the whole product on a fresh machine. The
file is replaced atomically (write a temp file, fsync, rename), so a crash mid-write
leaves the old state or the new one, never a torn file. Another process (e.g. `dealgraph
load` while `serve` runs) may replace the file; readers pick the new state up on their
next call.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph.model import Node, Relationship, merge_node, merge_relationship
from graph.schema import load_schema
from graph.store import Counts, GraphStore, StoreError, WriteSummary, sort_hits

FILE_FORMAT = "dealgraph-embedded"
FILE_VERSION = 1
FILE_NAME = "graph.json"


def _date_properties() -> frozenset[str]:
    schema = load_schema()
    specs = [*schema.node_properties.values(), *schema.relationship_properties.values()]
    for spec in [*schema.labels.values(), *schema.relationships.values()]:
        specs.extend(spec.properties.values())
    return frozenset(s.name for s in specs if s.type == "date")


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


class EmbeddedStore(GraphStore):
    """A GraphStore held in memory and saved to `<data_dir>/graph.json`.

    >>> import tempfile
    >>> from graph.model import Node, provenance_props, Citation
    >>> store = EmbeddedStore(tempfile.mkdtemp())
    >>> _ = store.merge([Node("JPN", "Country", {"name": "Japan", "iso3": "JPN",
    ...                  **provenance_props([Citation("source:seed")])})], [])
    >>> store.counts().labels
    {'Country': 1}
    """

    name = "embedded"

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / FILE_NAME
        self._lock = threading.RLock()
        self._dates = _date_properties()
        self._file_stamp: tuple[int, int] | None = None
        self._reset()
        self._load_if_changed()

    # -- state -------------------------------------------------------------------------

    def _reset(self) -> None:
        self.graph = nx.MultiDiGraph()
        self._by_label: dict[str, set[str]] = defaultdict(set)
        self._by_type: dict[str, set[str]] = defaultdict(set)
        self._rel_ends: dict[str, tuple[str, str]] = {}

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _load_if_changed(self) -> None:
        stamp = self._stamp()
        if stamp == self._file_stamp:
            return
        with self._lock:
            if stamp is None:
                self._reset()
                self._file_stamp = None
                return
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise StoreError(f"{self.path}: cannot read the store file ({exc})") from exc
            if raw.get("format") != FILE_FORMAT or raw.get("version") != FILE_VERSION:
                raise StoreError(f"{self.path}: not a dealgraph store file (format/version mismatch)")
            self._reset()
            for item in raw["nodes"]:
                self._put_node(Node(item["id"], item["label"], self._decode(item["props"])))
            for item in raw["relationships"]:
                self._put_rel(
                    Relationship(item["id"], item["type"], item["start"], item["end"], self._decode(item["props"]))
                )
            self._file_stamp = stamp

    def _decode(self, props: dict[str, Any]) -> dict[str, Any]:
        for key in self._dates.intersection(props):
            props[key] = dt.date.fromisoformat(props[key])
        return props

    def _put_node(self, node: Node) -> None:
        self.graph.add_node(node.id, node=node)
        self._by_label[node.label].add(node.id)

    def _put_rel(self, rel: Relationship) -> None:
        self.graph.add_edge(rel.start, rel.end, key=rel.id, rel=rel)
        self._by_type[rel.type].add(rel.id)
        self._rel_ends[rel.id] = (rel.start, rel.end)

    def _save(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "nodes": [{"id": n.id, "label": n.label, "props": n.props} for n in self.iter_nodes()],
            "relationships": [
                {"id": r.id, "type": r.type, "start": r.start, "end": r.end, "props": r.props}
                for r in self.iter_relationships()
            ],
        }
        fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=self.data_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, default=_encode, ensure_ascii=False, separators=(",", ":"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._file_stamp = self._stamp()

    # -- writes --------------------------------------------------------------------------

    def merge(self, nodes: Sequence[Node], relationships: Sequence[Relationship]) -> WriteSummary:
        with self._lock:
            self._load_if_changed()
            summary = WriteSummary()
            staged_nodes: dict[str, Node] = {}
            staged_rels: dict[str, Relationship] = {}
            for incoming in nodes:
                current = staged_nodes.get(incoming.id) or self._node(incoming.id)
                result = merge_node(current, incoming)
                if current is None:
                    summary.nodes_created += 1
                elif result.node.props != current.props:
                    summary.nodes_updated += 1
                staged_nodes[incoming.id] = result.node
                for claim in result.claims:
                    staged_nodes[claim.id] = merge_node(staged_nodes.get(claim.id) or self._node(claim.id), claim).node
                    summary.claims += 1
                for rel in result.disputes:
                    staged_rels[rel.id] = merge_relationship(staged_rels.get(rel.id) or self._rel(rel.id), rel)
            for incoming in relationships:
                for end in (incoming.start, incoming.end):
                    if end not in staged_nodes and not self.graph.has_node(end):
                        raise StoreError(f"relationship {incoming.type} {incoming.id}: no node {end!r}")
                current = staged_rels.get(incoming.id) or self._rel(incoming.id)
                merged = merge_relationship(current, incoming)
                if current is None:
                    summary.relationships_created += 1
                elif merged.props != current.props:
                    summary.relationships_updated += 1
                staged_rels[incoming.id] = merged
            if not staged_nodes and not staged_rels:
                return summary
            backup = (
                self.graph.copy(),
                {k: set(v) for k, v in self._by_label.items()},
                {k: set(v) for k, v in self._by_type.items()},
                dict(self._rel_ends),
            )
            try:
                for node in staged_nodes.values():
                    self._put_node(node)
                for rel in staged_rels.values():
                    self._put_rel(rel)
                self._save()
            except BaseException:
                self.graph, by_label, by_type, self._rel_ends = backup
                self._by_label = defaultdict(set, by_label)
                self._by_type = defaultdict(set, by_type)
                raise
            return summary

    # -- reads ---------------------------------------------------------------------------

    def _node(self, node_id: str) -> Node | None:
        data = self.graph.nodes.get(node_id)
        return data["node"] if data else None

    def _rel(self, rel_id: str) -> Relationship | None:
        ends = self._rel_ends.get(rel_id)
        return self.graph.edges[ends[0], ends[1], rel_id]["rel"] if ends else None

    def counts(self) -> Counts:
        with self._lock:
            self._load_if_changed()
            labels = {k: len(v) for k, v in sorted(self._by_label.items()) if v}
            types = {k: len(v) for k, v in sorted(self._by_type.items()) if v}
            return Counts(labels, types)

    def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        with self._lock:
            self._load_if_changed()
            return [n for n in (self._node(i) for i in ids) if n is not None]

    def search(self, text: str, label: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[Node], int]:
        with self._lock:
            self._load_if_changed()
            pool = [self._node(i) for i in self._by_label.get(label, ())] if label else list(self.iter_nodes())
            hits = sort_hits(text, pool)
            return hits[offset : offset + limit], len(hits)

    def list_nodes(self, label: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[Node], int]:
        with self._lock:
            self._load_if_changed()
            pool = [self._node(i) for i in self._by_label.get(label, ())] if label else list(self.iter_nodes())
            pool.sort(key=lambda n: (n.label, n.props.get("name", ""), n.id))
            return pool[offset : offset + limit], len(pool)

    def relationships_of(self, node_ids: Sequence[str], types: Sequence[str] | None = None) -> list[Relationship]:
        with self._lock:
            self._load_if_changed()
            wanted = set(types) if types else None
            found: dict[str, Relationship] = {}
            for node_id in node_ids:
                if not self.graph.has_node(node_id):
                    continue
                for edges in (self.graph.out_edges(node_id, data="rel"), self.graph.in_edges(node_id, data="rel")):
                    for _, _, rel in edges:
                        if wanted is None or rel.type in wanted:
                            found[rel.id] = rel
            return sorted(found.values(), key=lambda r: r.id)

    def relationships_between(self, node_ids: Sequence[str]) -> list[Relationship]:
        with self._lock:
            self._load_if_changed()
            inside = set(node_ids)
            return sorted(
                (rel for u, v, rel in self.graph.subgraph(inside).edges(data="rel")),
                key=lambda r: r.id,
            )

    def iter_nodes(self) -> Iterator[Node]:
        with self._lock:
            self._load_if_changed()
            nodes = [data["node"] for _, data in self.graph.nodes(data=True)]
        return iter(sorted(nodes, key=lambda n: n.id))

    def iter_relationships(self) -> Iterator[Relationship]:
        with self._lock:
            self._load_if_changed()
            rels = [rel for _, _, rel in self.graph.edges(data="rel")]
        return iter(sorted(rels, key=lambda r: r.id))
