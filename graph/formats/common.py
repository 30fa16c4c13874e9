"""What every format shares: the property types (from the schema), the error, and the checks
that turn parsed values into validated records.

Readers produce plain (id, label, props) and (id, type, start, end, props) items with the
place each came from; `validate` checks them against graph/schema.py exactly as the dataset
loader does, and against the store (ends present, labels consistent), so that nothing is
written unless the whole file is good.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graph.ids import relationship_id
from graph.model import Node, Relationship
from graph.schema import SchemaError, load_schema
from graph.store import GraphStore

# Attribute names of the label and the relationship type in GraphML and GEXF (no schema
# property has these names), and the suffix of properties written as JSON text.
LABEL_ATTR = "labels"
TYPE_ATTR = "type"
JSON_SUFFIX = ":json"
# XML 1.0 cannot carry these characters at all, escaped or not.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class FormatError(ValueError):
    """A file to import is wrong at a known place (`where`: file:line, or an element)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


@cache
def property_types(kind: str) -> dict[str, str]:
    """Schema type of every property name of nodes (`kind` "node") or relationships ("relationship").

    One name has one type across labels (a test checks it); the order is the schema's.

    >>> property_types("node")["quote_starts"], property_types("relationship")["role"]
    ('list[integer]', 'string')
    """
    schema = load_schema()
    specs = schema.labels.values() if kind == "node" else schema.relationships.values()
    out: dict[str, str] = {}
    for spec in specs:
        for name, prop in spec.properties.items():
            if out.setdefault(name, prop.type) != prop.type:
                raise ValueError(f"property {name} has two types in the schema: {out[name]} and {prop.type}")
    return out


def used_properties(records: Sequence[Node] | Sequence[Relationship], kind: str) -> list[str]:
    """The property names the records use, in schema order (unknown names last, sorted), without `id`."""
    used = {k for r in records for k, v in r.props.items() if v is not None}
    used.discard("id")
    known = [name for name in property_types(kind) if name in used]
    return known + sorted(used - set(known))


def is_list(type_name: str) -> bool:
    return type_name.startswith("list[")


def iso(value: Any) -> Any:
    """Dates as YYYY-MM-DD, everything else as is (lists recursively)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [iso(v) for v in value]
    return value


@dataclass
class RawNode:
    id: str
    label: str
    props: dict[str, Any]
    where: str


@dataclass
class RawRelationship:
    id: str | None
    type: str
    start: str
    end: str
    props: dict[str, Any]
    where: str


@dataclass
class Parsed:
    nodes: list[RawNode] = field(default_factory=list)
    relationships: list[RawRelationship] = field(default_factory=list)


def validate(parsed: Parsed, store: GraphStore | None = None) -> tuple[list[Node], list[Relationship]]:
    """Records checked against the schema and (when given) the store; FormatError at the first fault.

    Relationship ends must be nodes of the file or of the store; a node already stored
    under another label is refused (a store would refuse it anyway, but without the line).
    """
    schema = load_schema()
    nodes: list[Node] = []
    labels: dict[str, str] = {}
    seen: dict[str, str] = {}
    for raw in parsed.nodes:
        if not isinstance(raw.id, str) or not raw.id:
            raise FormatError(raw.where, "a node needs a non-empty id")
        if raw.id in seen:
            raise FormatError(raw.where, f"node {raw.id!r} appears twice (first at {seen[raw.id]})")
        seen[raw.id] = raw.where
        if raw.props.get("id", raw.id) != raw.id:
            raise FormatError(raw.where, f"property id {raw.props['id']!r} differs from the node id {raw.id!r}")
        try:
            props = schema.validate_node(raw.label, {**raw.props, "id": raw.id})
        except SchemaError as exc:
            raise FormatError(f"{raw.where}: {exc.field or 'node'}", str(exc)) from None
        nodes.append(Node(raw.id, raw.label, props))
        labels[raw.id] = raw.label

    ends = {end for r in parsed.relationships for end in (r.start, r.end)}
    if store is not None:
        stored = {n.id: n.label for n in store.get_nodes(sorted(ends | set(labels)))}
        for raw in parsed.nodes:
            if raw.id in stored and stored[raw.id] != raw.label:
                raise FormatError(raw.where, f"{raw.id} is stored as a {stored[raw.id]}, not a {raw.label}")
        known = {**stored, **labels}
    else:
        known = labels

    relationships: list[Relationship] = []
    seen = {}
    for raw in parsed.relationships:
        for side, end in (("start", raw.start), ("end", raw.end)):
            if end not in known:
                where = "in this file or in the store" if store is not None else "in this file"
                raise FormatError(raw.where, f"{side} node {end!r} is not {where}")
        rid = raw.id or relationship_id(raw.type, raw.start, raw.end)
        if rid in seen:
            raise FormatError(raw.where, f"relationship {rid!r} appears twice (first at {seen[rid]})")
        seen[rid] = raw.where
        if raw.props.get("id", rid) != rid:
            raise FormatError(raw.where, f"property id {raw.props['id']!r} differs from the relationship id {rid!r}")
        try:
            props = schema.validate_relationship(raw.type, known[raw.start], known[raw.end], {**raw.props, "id": rid})
        except SchemaError as exc:
            raise FormatError(f"{raw.where}: {exc.field or 'relationship'}", str(exc)) from None
        relationships.append(Relationship(rid, raw.type, raw.start, raw.end, props))
    return nodes, relationships


def xml_text(value: str, where: str) -> str:
    """`value` escaped for XML text or a double-quoted attribute; carriage returns, tabs and
    newlines as character references so that no parser normalises them away."""
    if XML_ILLEGAL.search(value):
        raise FormatError(where, "holds a control character XML cannot carry; export as json or csv instead")
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )
