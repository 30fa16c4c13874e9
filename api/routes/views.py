"""Graph views for the explorer: as-of filtering, server-side layout, paged expansion, and
export of a view as one self-contained HTML file.

`view_subgraph` is the shared as-of helper of /api/graph, /api/entities/{id}/neighbors and
the routes here: a node or relationship counts on day D when ``valid_from <= D`` (or unset)
and ``D < valid_to`` (or unset) (graph.questions' `in_force`); a relationship also needs
both ends to count, and a neighbourhood is walked only through what counts, so the view is
the graph as it stood on D.

The routes here build their JSON as plain dicts (a 10,000-node view is 40,000 objects;
pydantic models would take most of a second): the response models below document the
shape in OpenAPI.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from api.dates import IsoDate
from api.deps import SettingsDep, StoreDep
from api.enums import RelType
from api.errors import ApiError, ErrorEnvelope
from api.limits import MAX_DEPTH, MAX_TEXT
from api.models import GraphEdge, GraphNode, public_props
from graph.model import Node, Relationship
from graph.questions.projection import in_force
from graph.schema import load_schema
from graph.store import GraphStore, Subgraph, gc_paused
from viz.export import render_export
from viz.layout import LayoutCache, layout, view_key

router = APIRouter(prefix="/api/views", tags=["views"])

LAYOUT_ABOVE = 300  # `layout=auto` lays out server-side above this many nodes; below, the browser runs brief physics
SOURCES_UP_TO = 1_000  # `sources=auto` sends relationship sources with views up to this size
_layouts = LayoutCache(64)

AsOf = Annotated[
    IsoDate | None,
    Query(
        description="Only what was in force on this day (YYYY-MM-DD): valid_from <= day < valid_to, unset ends open."
    ),
]
Types = Annotated[list[RelType] | None, Query(description="Only these relationship types (may repeat).")]
NOT_FOUND = {404: {"model": ErrorEnvelope, "description": "No entity has this id."}}


# -- as of a day ----------------------------------------------------------------------------


def _day(value: Any) -> Any:
    if value is None or isinstance(value, dt.date):
        return value
    if hasattr(value, "to_native"):  # neo4j.time.Date
        return value.to_native()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def counts_on(props: dict[str, Any], day: dt.date | None) -> bool:
    """Whether a record counts on `day` (always when `day` is None); dates may be strings.

    >>> d = dt.date(2025, 8, 7)
    >>> counts_on({}, d), counts_on({"valid_from": "2025-08-07"}, d), counts_on({"valid_to": d}, d)
    (True, True, False)
    """
    if day is None:
        return True
    return in_force({k: _day(props.get(k)) for k in ("valid_from", "valid_to")}, day)


def view_subgraph(
    store: GraphStore,
    center: str | None,
    depth: int,
    types: Sequence[str] | None,
    cap: int,
    day: dt.date | None,
    bare_above: int | None = None,
) -> Subgraph:
    """The view the graph routes return: the neighbourhood of `center` within `depth` hops
    (or the whole graph ordered by label, name and id), cut at `cap` nodes, as of `day`.

    Without a day this is exactly the store's own `neighbourhood` / `list_nodes`. With one,
    the walk goes only through nodes and relationships in force; a centre not in force
    gives an empty view. A whole-graph view of more than `bare_above` nodes (without a day)
    has its relationships without properties (the store's `relationship_ends`).
    """
    if day is None:
        if center:
            return store.neighbourhood(center, depth, types, cap)
        nodes, total = store.list_nodes(None, cap, 0)
        ids = [n.id for n in nodes]
        bare = bare_above is not None and len(ids) > bare_above
        rels = store.relationship_ends(ids) if bare else store.relationships_between(ids)
        if types:
            rels = [r for r in rels if r.type in types]
        return Subgraph(nodes, rels, total > cap)
    if not center:
        alive = [n for n in store.iter_nodes() if counts_on(n.props, day)]
        alive.sort(key=lambda n: (n.label, n.props.get("name", ""), n.id))
        nodes = alive[:cap]
        rels = _rels_on(store.relationships_between([n.id for n in nodes]), types, day)
        return Subgraph(nodes, rels, len(alive) > cap)
    root = store.get_node(center)
    if root is None or not counts_on(root.props, day):
        return Subgraph([], [], False)
    seen, seen_set, frontier, truncated = [center], {center}, [center], False
    for _ in range(depth):
        rels = _rels_on(store.relationships_of(frontier, types), None, day)
        candidates = sorted({end for r in rels for end in (r.start, r.end)} - seen_set)
        fresh = [n.id for n in store.get_nodes(candidates) if counts_on(n.props, day)]
        if not fresh:
            break
        room = cap - len(seen)
        if len(fresh) > room:
            fresh, truncated = fresh[:room], True
        seen.extend(fresh)
        seen_set.update(fresh)
        frontier = fresh
        if truncated:
            break
    rels = _rels_on(store.relationships_between(seen), types, day)
    return Subgraph(store.get_nodes(seen), sorted(rels, key=lambda r: r.id), truncated)


def _rels_on(rels: list[Relationship], types: Sequence[str] | None, day: dt.date | None) -> list[Relationship]:
    return [r for r in rels if (not types or r.type in types) and counts_on(r.props, day)]


# -- JSON, fast -----------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


def _refs(record: Node | Relationship, meta: dict[str, Node]) -> list[dict[str, Any]]:
    out = []
    for c in record.citations:
        src = meta.get(c.source)
        p = src.props if src else {}
        out.append(
            {
                "source": c.source,
                "title": p.get("title"),
                "url": p.get("url"),
                "publisher": p.get("publisher"),
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
            }
        )
    return out


def _source_meta(store: GraphStore, records: Sequence[Node | Relationship]) -> dict[str, Node]:
    wanted = sorted({c.source for r in records for c in r.citations})
    return {n.id: n for n in store.get_nodes(wanted)}


def node_json(node: Node, colors: dict[str, str], meta: dict[str, Node] | None = None) -> dict[str, Any]:
    """A node of a view: summary fields, its dates, and (with `meta`) properties and sources."""
    p = node.props
    out: dict[str, Any] = {
        "id": node.id,
        "label": node.label,
        "name": p.get("name", node.id),
        "aliases": list(p.get("aliases") or []),
        "status": p.get("status"),
        "color": colors.get(node.label, "#999999"),
    }
    for key in ("valid_from", "valid_to"):
        if p.get(key) is not None:
            out[key] = _json_value(p[key])
    if meta is not None:
        out["properties"] = {k: _json_value(v) for k, v in public_props(p).items()}
        out["sources"] = _refs(node, meta)
    return out


def edge_json(rel: Relationship, meta: dict[str, Node] | None) -> dict[str, Any]:
    """A relationship of a view; without `meta` (big views) only its id, type and ends:
    the explorer asks /api/views/relationships/{id} for the rest when it is clicked."""
    out: dict[str, Any] = {"id": rel.id, "type": rel.type, "source": rel.start, "target": rel.end}
    if meta is not None:
        out["properties"] = {k: _json_value(v) for k, v in public_props(rel.props).items()}
        out["sources"] = _refs(rel, meta)
    return out


def _colors() -> dict[str, str]:
    return {name: spec.color for name, spec in load_schema().labels.items()}


def _json(body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


# -- response models (documentation of the dict shapes above) ---------------------------------


class PlacedNode(GraphNode):
    x: float | None = Field(None, description="Position in pixels when the view was laid out server-side.")
    y: float | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    properties: dict[str, Any] | None = Field(None, description="With details=true: every other property.")
    sources: list[dict[str, Any]] | None = Field(None, description="With details=true: sources with quotes.")


class PlacedEdge(GraphEdge):
    sources: list[dict[str, Any]] | None = Field(  # type: ignore[assignment]
        None, description="Sources with quotes; left out of big views with `properties` (see `sources`)."
    )


class LayoutInfo(BaseModel):
    kind: Literal["server", "none"] = Field(description="server: x/y are set; none: the client lays it out.")
    cached: bool = False
    ms: float = Field(0.0, description="Time spent laying out (0 when cached or none).")


class PlacedView(BaseModel):
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]
    truncated: bool
    as_of: dt.date | None = None
    layout: LayoutInfo


class ExpandPage(BaseModel):
    center: PlacedNode | None = Field(description="The entity itself; null when it was not in force on the day.")
    nodes: list[PlacedNode] = Field(description="This page of neighbours.")
    edges: list[PlacedEdge] = Field(description="Relationships between the centre and this page, and within the page.")
    total: int = Field(description="How many neighbours the entity has (with these types, as of the day).")
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last one.")


class ExportRequest(BaseModel):
    ids: list[str] = Field(max_length=100_000, description="The nodes of the view.")
    positions: dict[str, tuple[float, float]] = Field(default_factory=dict, description="id -> [x, y] as drawn.")
    hidden_labels: list[str] = []
    hidden_types: list[str] = []
    selected: str | None = None
    as_of: IsoDate | None = None
    title: str = Field("dealgraph view", max_length=300)


# -- routes ---------------------------------------------------------------------------------


def _cap(settings, limit: int | None) -> int:
    return min(limit or settings.max_graph_nodes, settings.max_graph_nodes)


def _check(store: GraphStore, center: str | None) -> None:
    if center and store.get_node(center) is None:
        raise ApiError(404, f"no entity with id {center!r}")


def _placed(
    store: GraphStore, sub: Subgraph, mode: str, sources: bool | None, details: bool, day: dt.date | None
) -> dict[str, Any]:
    colors = _colors()
    with_sources = sources if sources is not None else len(sub.nodes) <= SOURCES_UP_TO
    meta = (
        _source_meta(store, [*sub.relationships, *(sub.nodes if details else [])]) if with_sources or details else None
    )
    nodes = [node_json(n, colors, meta if details else None) for n in sub.nodes]
    edges = [edge_json(r, meta if with_sources else None) for r in sub.relationships]
    info: dict[str, Any] = {"kind": "none", "cached": False, "ms": 0.0}
    if mode == "server" or (mode == "auto" and len(nodes) > LAYOUT_ABOVE):
        ends = [(r.start, r.end) for r in sub.relationships]
        ids = [n["id"] for n in nodes]
        key = view_key(ids, ends)
        positions = _layouts.get(key)
        info = {"kind": "server", "cached": positions is not None, "ms": 0.0}
        if positions is None:
            started = time.perf_counter()
            positions = layout(ids, ends)
            info["ms"] = round((time.perf_counter() - started) * 1000, 1)
            _layouts.put(key, positions)
        for n in nodes:
            n["x"], n["y"] = positions[n["id"]]
    return {
        "nodes": nodes,
        "edges": edges,
        "truncated": sub.truncated,
        "as_of": day.isoformat() if day else None,
        "layout": info,
    }


@router.get(
    "/graph",
    summary="A graph view for drawing: as of a day, laid out server-side when big",
    response_model=PlacedView,
    responses=NOT_FOUND,
)
def view_graph(
    store: StoreDep,
    settings: SettingsDep,
    center: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Entity id to centre on; none: the whole graph.")
    ] = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the centre.")] = 2,
    types: Types = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description="Most nodes (capped by settings).")] = None,
    as_of: AsOf = None,
    layout: Annotated[
        Literal["auto", "server", "none"],
        Query(description=f"server: x/y on every node; none: no positions; auto: server above {LAYOUT_ABOVE} nodes."),
    ] = "auto",
    sources: Annotated[
        bool | None,
        Query(description=f"Relationship sources with quotes; default: for views up to {SOURCES_UP_TO} nodes."),
    ] = None,
    details: Annotated[bool, Query(description="Node properties and sources too (as in an export).")] = False,
) -> Response:
    _check(store, center)
    type_names = [t.value for t in types] if types else None
    # Relationship properties are needed only with their sources (or details).
    bare_above = None if sources or details else (SOURCES_UP_TO if sources is None else 0)
    # A view's records and JSON dicts have no cycles: collections during it would only rescan
    # the store's records (a quarter to half of a 10,000-node view's time, measured).
    with gc_paused():
        sub = view_subgraph(store, center, depth, type_names, _cap(settings, limit), as_of, bare_above)
        return _json(_placed(store, sub, layout, sources, details, as_of))


@router.get(
    "/expand/{entity_id}",
    summary="A page of an entity's direct neighbours, to grow a drawn view step by step",
    response_model=ExpandPage,
    responses=NOT_FOUND,
)
def expand(
    entity_id: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)],
    store: StoreDep,
    settings: SettingsDep,
    types: Types = None,
    as_of: AsOf = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Neighbours per page (capped by settings).")] = 50,
) -> Response:
    node = store.get_node(entity_id)
    if node is None:
        raise ApiError(404, f"no entity with id {entity_id!r}")
    limit = min(limit, settings.max_graph_nodes)
    type_names = [t.value for t in types] if types else None
    ok = counts_on(node.props, as_of)
    rels = _rels_on(store.relationships_of([entity_id], type_names), None, as_of) if ok else []
    others = sorted({end for r in rels for end in (r.start, r.end)} - {entity_id})
    alive = [n for n in store.get_nodes(others) if counts_on(n.props, as_of)]
    alive.sort(key=lambda n: (n.label, n.props.get("name", ""), n.id))
    page = alive[offset : offset + limit]
    ids = {n.id for n in page}
    inside = _rels_on(store.relationships_between([entity_id, *ids]), type_names, as_of)
    edges = sorted((r for r in inside if r.start in ids or r.end in ids), key=lambda r: r.id)
    meta = _source_meta(store, edges)
    colors = _colors()
    end = offset + len(page)
    return _json(
        {
            "center": node_json(node, colors) if ok else None,
            "nodes": [node_json(n, colors) for n in page],
            "edges": [edge_json(r, meta) for r in edges],
            "total": len(alive),
            "offset": offset,
            "next_offset": end if end < len(alive) else None,
        }
    )


@router.get(
    "/relationships/{rel_id}",
    summary="One relationship with its sources (views of big graphs leave them out)",
    response_model=PlacedEdge,
    responses={404: {"model": ErrorEnvelope, "description": "No relationship with this id at `start`."}},
)
def relationship(
    rel_id: Annotated[str, Path(min_length=1, max_length=MAX_TEXT)],
    store: StoreDep,
    start: Annotated[
        str, Query(min_length=1, max_length=MAX_TEXT, description="Id of either end of the relationship.")
    ],
) -> Response:
    found = [r for r in store.relationships_of([start]) if r.id == rel_id]
    if not found:
        raise ApiError(404, f"no relationship {rel_id!r} at {start!r}")
    return _json(edge_json(found[0], _source_meta(store, found)))


def _export_payload(
    store: GraphStore,
    sub: Subgraph,
    positions: dict[str, tuple[float, float]],
    request: ExportRequest,
) -> dict[str, Any]:
    colors = _colors()
    schema = load_schema()
    meta = _source_meta(store, [*sub.nodes, *sub.relationships])
    nodes = []
    for n in sub.nodes:
        item = node_json(n, colors, meta)
        if n.id in positions:
            item["x"], item["y"] = positions[n.id]
        nodes.append(item)
    return {
        "title": request.title,
        "as_of": request.as_of.isoformat() if request.as_of else None,
        "exported": dt.date.today().isoformat(),
        "store": store.name,
        "selected": request.selected,
        "hidden_labels": request.hidden_labels,
        "hidden_types": request.hidden_types,
        "legend": [{"label": e["label"], "color": e["color"]} for e in schema.legend()],
        "nodes": nodes,
        "edges": [edge_json(r, meta) for r in sub.relationships],
    }


def _download(html: str, title: str) -> HTMLResponse:
    safe = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_" else "-" for ch in title.lower())
    safe = "-".join(part for part in safe.split("-") if part) or "dealgraph-view"
    return HTMLResponse(html, headers={"Content-Disposition": f'attachment; filename="{safe[:80]}.html"'})


_ENVELOPE = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
HTML_FILE: dict[int | str, dict[str, Any]] = {
    200: {"description": "One self-contained HTML file (an attachment).", "content": {"text/html": {}}},
    400: {"description": "The body cannot be read (not UTF-8 JSON).", "content": _ENVELOPE},
    422: {"description": "A parameter is invalid; details name it.", "content": _ENVELOPE},
    503: {"description": "The store cannot be reached.", "content": _ENVELOPE},
}


@router.post(
    "/export",
    summary="The drawn view (ids and positions) as one self-contained interactive HTML file",
    response_class=HTMLResponse,
    responses=HTML_FILE,
)
def export_view(store: StoreDep, request: Annotated[ExportRequest, Body()]) -> HTMLResponse:
    ids = list(dict.fromkeys(request.ids))
    nodes = [n for n in store.get_nodes(ids) if counts_on(n.props, request.as_of)]
    rels = _rels_on(store.relationships_between([n.id for n in nodes]), None, request.as_of)
    positions = dict(request.positions)
    if len(positions) < len(nodes):
        placed = layout([n.id for n in nodes], [(r.start, r.end) for r in rels])
        positions = {**placed, **positions}
    payload = _export_payload(store, Subgraph(nodes, rels, False), positions, request)
    return _download(render_export(payload), request.title)


@router.get(
    "/export",
    summary="A graph view as one self-contained interactive HTML file (laid out server-side)",
    response_class=HTMLResponse,
    responses={**HTML_FILE, 404: {"description": "No entity has this id.", "content": _ENVELOPE}},
)
def export_graph(
    store: StoreDep,
    settings: SettingsDep,
    center: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Entity id to centre on; none: the whole graph.")
    ] = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the centre.")] = 2,
    types: Types = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    as_of: AsOf = None,
    title: Annotated[str | None, Query(max_length=300)] = None,
) -> HTMLResponse:
    _check(store, center)
    type_names = [t.value for t in types] if types else None
    sub = view_subgraph(store, center, depth, type_names, _cap(settings, limit), as_of)
    ends = [(r.start, r.end) for r in sub.relationships]
    ids = [n.id for n in sub.nodes]
    key = view_key(ids, ends)
    positions = _layouts.get(key) or layout(ids, ends)
    _layouts.put(key, positions)
    if title is None:
        root = store.get_node(center) if center else None
        title = f"dealgraph: {root.name}" if root else "dealgraph: whole graph"
        if as_of:
            title += f" as of {as_of.isoformat()}"
    request = ExportRequest(ids=ids, as_of=as_of, title=title, selected=center)
    return _download(render_export(_export_payload(store, sub, positions, request)), title)
