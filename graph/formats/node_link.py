"""Node-link JSON, the shape networkx's `node_link_graph(data, edges="edges")` reads.

    {"directed": true, "multigraph": true,
     "graph": {"format": "dealgraph-node-link", "version": 1},
     "nodes": [{"id": "JPN", "label": "Country", "properties": {"name": "Japan", ...}}],
     "edges": [{"id": "rel:...", "key": "rel:...", "type": "PARTY_TO", "source": "JPN",
                "target": "agreement:...", "properties": {...}}]}

Properties keep their JSON types; lists (provenance included) stay lists; dates are
"YYYY-MM-DD" strings, turned back into dates by the schema on import. `id` is not repeated
inside `properties`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graph.formats.common import FormatError, Parsed, RawNode, RawRelationship, iso
from graph.model import Node, Relationship

FORMAT = "dealgraph-node-link"
VERSION = 1


def dumps(nodes: Sequence[Node], relationships: Sequence[Relationship], meta: dict[str, Any] | None = None) -> str:
    data = {
        "directed": True,
        "multigraph": True,
        "graph": {"format": FORMAT, "version": VERSION, **(meta or {})},
        "nodes": [
            {"id": n.id, "label": n.label, "properties": {k: iso(v) for k, v in n.props.items() if k != "id"}}
            for n in nodes
        ],
        "edges": [
            {
                "id": r.id,
                "key": r.id,
                "type": r.type,
                "source": r.start,
                "target": r.end,
                "properties": {k: iso(v) for k, v in r.props.items() if k != "id"},
            }
            for r in relationships
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def loads(text: str, name: str) -> Parsed:
    """Parse node-link JSON; errors name the line (syntax) or the element (`nodes[3]`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"{name}:{exc.lineno}", f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise FormatError(name, "expected an object with `nodes` and `edges` lists (node-link JSON)")
    edges = data.get("edges", data.get("links", []))
    if not isinstance(edges, list):
        raise FormatError(name, "`edges` must be a list")
    parsed = Parsed()
    for i, item in enumerate(data["nodes"]):
        where = f"{name}: nodes[{i}]"
        if not isinstance(item, dict):
            raise FormatError(where, "expected an object with id, label and properties")
        where = f"{where} (id {item.get('id')!r})"
        props = _props(where, item)
        parsed.nodes.append(RawNode(item.get("id"), item.get("label"), props, where))
    for i, item in enumerate(edges):
        where = f"{name}: edges[{i}]"
        if not isinstance(item, dict):
            raise FormatError(where, "expected an object with id, type, source, target and properties")
        where = f"{where} (id {item.get('id')!r})"
        for key in ("type", "source", "target"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise FormatError(where, f"`{key}` must be a non-empty string")
        rid = item.get("id", item.get("key"))
        if rid is not None and not isinstance(rid, str):
            raise FormatError(where, "`id` must be a string")
        parsed.relationships.append(
            RawRelationship(rid, item["type"], item["source"], item["target"], _props(where, item), where)
        )
    return parsed


def _props(where: str, item: dict[str, Any]) -> dict[str, Any]:
    props = item.get("properties", {})
    if not isinstance(props, dict):
        raise FormatError(where, "`properties` must be an object")
    return dict(props)
