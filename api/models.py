"""Response models, layered by role (summary, detail, pages, graph views), and the
conversions from store records. Dates leave as ISO strings; provenance leaves as a list of
sources with their quotes, so a client never has to zip the flat lists itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from graph.model import PROVENANCE_KEYS, Node, Relationship
from graph.schema import load_schema
from graph.store import GraphStore, Subgraph

HIDDEN_PROPS = {"id", "name", "aliases", "status", *PROVENANCE_KEYS}


class SourceRef(BaseModel):
    source: str = Field(description="Source id.")
    title: str | None = Field(None, description="The source's title, when it is in the graph.")
    url: str | None = None
    publisher: str | None = None
    quote: str = Field("", description="The sentence the fact comes from (empty for non-text sources).")
    start: int = Field(-1, description="Start offset of the quote in the source text, -1 when none.")
    end: int = Field(-1, description="End offset (exclusive), -1 when none.")


class EntitySummary(BaseModel):
    id: str
    label: str
    name: str
    aliases: list[str] = []
    status: str | None = None


class Entity(EntitySummary):
    properties: dict[str, Any] = Field(description="Every other property; dates as YYYY-MM-DD.")
    sources: list[SourceRef]


class EntityPage(BaseModel):
    items: list[EntitySummary]
    total: int
    limit: int
    offset: int


class GraphNode(EntitySummary):
    color: str


class GraphEdge(BaseModel):
    id: str
    type: str
    source: str = Field(description="Start node id.")
    target: str = Field(description="End node id.")
    properties: dict[str, Any] = {}
    sources: list[SourceRef] = []


class GraphView(BaseModel):
    """Node-link JSON, the form the explorer draws."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="True when the view was cut at the node limit.")


class Stats(BaseModel):
    store: str
    nodes: int
    relationships: int
    labels: dict[str, int]
    types: dict[str, int]


class LegendEntry(BaseModel):
    label: str
    color: str
    description: str


class RelationshipTypeInfo(BaseModel):
    type: str
    description: str
    from_labels: list[str]
    to_labels: list[str]


class SchemaInfo(BaseModel):
    labels: list[LegendEntry]
    relationship_types: list[RelationshipTypeInfo]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def public_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _json_value(v) for k, v in sorted(props.items()) if k not in HIDDEN_PROPS}


def source_refs(record: Node | Relationship, sources: dict[str, Node]) -> list[SourceRef]:
    refs = []
    for cite in record.citations:
        src = sources.get(cite.source)
        meta = src.props if src else {}
        refs.append(
            SourceRef(
                source=cite.source,
                title=meta.get("title"),
                url=meta.get("url"),
                publisher=meta.get("publisher"),
                quote=cite.quote,
                start=cite.start,
                end=cite.end,
            )
        )
    return refs


def source_nodes(store: GraphStore, records: list[Node] | list[Relationship]) -> dict[str, Node]:
    wanted = sorted({c.source for r in records for c in r.citations})
    return {n.id: n for n in store.get_nodes(wanted)}


def summary(node: Node) -> EntitySummary:
    p = node.props
    return EntitySummary(
        id=node.id, label=node.label, name=p.get("name", node.id), aliases=p.get("aliases", []), status=p.get("status")
    )


def entity(node: Node, sources: dict[str, Node]) -> Entity:
    return Entity(**summary(node).model_dump(), properties=public_props(node.props), sources=source_refs(node, sources))


def graph_view(store: GraphStore, sub: Subgraph) -> GraphView:
    labels = load_schema().labels
    sources = source_nodes(store, sub.relationships)
    nodes = [GraphNode(**summary(n).model_dump(), color=labels[n.label].color) for n in sub.nodes]
    edges = [
        GraphEdge(
            id=r.id,
            type=r.type,
            source=r.start,
            target=r.end,
            properties=public_props(r.props),
            sources=source_refs(r, sources),
        )
        for r in sub.relationships
    ]
    return GraphView(nodes=nodes, edges=edges, truncated=sub.truncated)
