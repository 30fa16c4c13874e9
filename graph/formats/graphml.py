"""GraphML out and in (networkx's `read_graphml` reads what this writes).

Each node is `<node id="ID">` with a `labels` data value (the label, e.g. `Company`); each
relationship is `<edge id="ID" source=".." target="..">` with a `type` data value. Every
property is a `<key>` (`for="node"` or `"edge"`) named by its property name and typed from
the schema: integer -> `long`, float -> `double`, boolean -> `boolean`, text and dates
(YYYY-MM-DD) -> `string`. GraphML has no lists, so list properties (aliases, provenance)
are keys named `<property>:json` whose values are JSON arrays, e.g.
`<data key="n_sources">["source:..."]</data>` under `attr.name="sources:json"`.

Reading takes the same shape (attr.type long/int/double/float/boolean/string, `:json` for
JSON-encoded values), reports errors with the line of the element at fault, and refuses a
DOCTYPE (no entities, no external resources).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from graph.formats.common import (
    JSON_SUFFIX,
    LABEL_ATTR,
    TYPE_ATTR,
    FormatError,
    Parsed,
    RawNode,
    RawRelationship,
    is_list,
    iso,
    property_types,
    used_properties,
    xml_text,
)
from graph.model import Node, Relationship

NS = "http://graphml.graphdrawing.org/xmlns"
XML_TYPES = {"integer": "long", "float": "double", "boolean": "boolean"}


def attribute_of(name: str, type_name: str) -> tuple[str, str]:
    """(attr.name, attr.type) of a property."""
    if is_list(type_name):
        return name + JSON_SUFFIX, "string"
    return name, XML_TYPES.get(type_name, "string")


def value_text(value: Any, type_name: str, where: str) -> str:
    if is_list(type_name):
        return xml_text(json.dumps(iso(value), ensure_ascii=False), where)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FormatError(where, f"{value} cannot be written")
        return repr(value)
    return xml_text(str(iso(value)), where)


def dumps(nodes: Sequence[Node], relationships: Sequence[Relationship], comment: str = "") -> str:
    node_types, rel_types = property_types("node"), property_types("relationship")
    node_props, rel_props = used_properties(nodes, "node"), used_properties(relationships, "relationship")
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if comment:
        out.append(f"<!-- {comment.replace('--', '- -')} -->")
    out.append(
        f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
    )
    out.append(f'  <key id="n_{LABEL_ATTR}" for="node" attr.name="{LABEL_ATTR}" attr.type="string"/>')
    for name in node_props:
        attr_name, attr_type = attribute_of(name, node_types.get(name, "string"))
        out.append(f'  <key id="n_{name}" for="node" attr.name="{attr_name}" attr.type="{attr_type}"/>')
    out.append(f'  <key id="e_{TYPE_ATTR}" for="edge" attr.name="{TYPE_ATTR}" attr.type="string"/>')
    for name in rel_props:
        attr_name, attr_type = attribute_of(name, rel_types.get(name, "string"))
        out.append(f'  <key id="e_{name}" for="edge" attr.name="{attr_name}" attr.type="{attr_type}"/>')
    out.append('  <graph id="dealgraph" edgedefault="directed">')
    for n in nodes:
        where = f"node {n.id}"
        out.append(f'    <node id="{xml_text(n.id, where)}">')
        out.append(f'      <data key="n_{LABEL_ATTR}">{n.label}</data>')
        for name in node_props:
            value = n.props.get(name)
            if value is not None:
                text = value_text(value, node_types.get(name, "string"), f"{where}: {name}")
                out.append(f'      <data key="n_{name}">{text}</data>')
        out.append("    </node>")
    for r in relationships:
        where = f"relationship {r.id}"
        out.append(
            f'    <edge id="{xml_text(r.id, where)}" source="{xml_text(r.start, where)}" '
            f'target="{xml_text(r.end, where)}">'
        )
        out.append(f'      <data key="e_{TYPE_ATTR}">{r.type}</data>')
        for name in rel_props:
            value = r.props.get(name)
            if value is not None:
                text = value_text(value, rel_types.get(name, "string"), f"{where}: {name}")
                out.append(f'      <data key="e_{name}">{text}</data>')
        out.append("    </edge>")
    out.append("  </graph>")
    out.append("</graphml>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- reading


@dataclass
class _Key:
    name: str
    type: str
    default: str | None
    applies_to: str  # node, edge or all


def _decode(key: _Key, text: str, where: str) -> tuple[str, Any]:
    name = key.name
    if name.endswith(JSON_SUFFIX):
        try:
            return name[: -len(JSON_SUFFIX)], json.loads(text)
        except ValueError as exc:
            raise FormatError(where, f"{name}: not valid JSON ({exc})") from None
    try:
        if key.type in ("long", "int", "integer"):
            return name, int(text.strip())
        if key.type in ("double", "float"):
            return name, float(text.strip())
        if key.type == "boolean":
            lowered = text.strip().lower()
            if lowered not in ("true", "false", "1", "0"):
                raise ValueError(f"{text!r} is not true or false")
            return name, lowered in ("true", "1")
    except ValueError as exc:
        raise FormatError(where, f"{name}: cannot read {text!r} as {key.type} ({exc})") from None
    return name, text


class _Reader:
    """Streams a GraphML document (expat): records are built as their elements close, so a
    large file never becomes a tree. Errors name the line of the element at fault."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parsed = Parsed()
        self.keys: dict[str, _Key] = {}
        self.path: list[str] = []  # local names of the open elements
        self.graphs = 0
        self.record: tuple[str, dict[str, str], int] | None = None  # tag, attributes, line
        self.values: dict[str, Any] = {}
        self.data: tuple[str, int] | None = None  # key id, line
        self.key: tuple[dict[str, str], int] | None = None
        self.text: list[str] = []
        p = self.parser
        p.buffer_text = True
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text.append
        p.StartDoctypeDeclHandler = self.refuse
        p.EntityDeclHandler = self.refuse

    def where(self, line: int | None = None) -> str:
        return f"{self.name}:{line or self.parser.CurrentLineNumber}"

    def refuse(self, *_: Any) -> None:
        raise FormatError(self.where(), "DOCTYPE and entity declarations are not allowed")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rpartition(" ")[2]
        if any(" " in k for k in attrs):  # namespaced attributes: keep their local names
            attrs = {k.rpartition(" ")[2]: v for k, v in attrs.items()}
        parent = self.path[-1] if self.path else None
        self.path.append(tag)
        if parent is None:
            if tag != "graphml":
                raise FormatError(self.where(), f"expected <graphml>, found <{tag}>")
        elif parent == "graphml" and tag == "key":
            self.key = (attrs, self.parser.CurrentLineNumber)
        elif parent == "key" and tag == "default":
            self.text.clear()
        elif parent == "graphml" and tag == "graph":
            self.graphs += 1
            if self.graphs > 1:
                raise FormatError(self.where(), "expected one <graph>, found another")
        elif parent == "graph" and tag in ("node", "edge"):
            self.record = (tag, attrs, self.parser.CurrentLineNumber)
            self.values = {}
        elif parent in ("node", "edge") and tag == "data" and self.record is not None:
            self.data = (attrs.get("key", ""), self.parser.CurrentLineNumber)
            self.text.clear()

    def end(self, _: str) -> None:
        tag = self.path.pop()
        if tag == "default" and self.key is not None:
            self.key[0]["\0default"] = "".join(self.text)
        elif tag == "key" and self.key is not None:
            attrs, line = self.key
            key_id, attr_name = attrs.get("id"), attrs.get("attr.name")
            if not key_id or not attr_name:
                raise FormatError(f"{self.where(line)}: <key>", "a <key> needs id and attr.name")
            self.keys[key_id] = _Key(
                attr_name, attrs.get("attr.type", "string"), attrs.get("\0default"), attrs.get("for", "all")
            )
            self.key = None
        elif tag == "data" and self.data is not None:
            key_id, line = self.data
            key = self.keys.get(key_id)
            if key is None:
                raise FormatError(self.where(line), f"<data key={key_id!r}> has no <key>")
            prop, value = _decode(key, "".join(self.text), self.where(line))
            self.values[prop] = value
            self.data = None
        elif tag in ("node", "edge") and self.record is not None and self.path and self.path[-1] == "graph":
            self.close_record()

    def close_record(self) -> None:
        assert self.record is not None
        kind, attrs, line = self.record
        values = self.values
        where = f"{self.where(line)}: <{kind} id={attrs.get('id')!r}>"
        for key in self.keys.values():
            if key.default is not None and key.applies_to in (kind, "all"):
                prop, value = _decode(key, key.default, where)
                values.setdefault(prop, value)
        if kind == "node":
            label = values.pop(LABEL_ATTR, None)
            if not isinstance(label, str) or not label:
                raise FormatError(where, f"a node needs a `{LABEL_ATTR}` data value (its label)")
            self.parsed.nodes.append(RawNode(attrs.get("id", ""), label.strip().lstrip(":"), values, where))
        else:
            rel_type = values.pop(TYPE_ATTR, None)
            if not isinstance(rel_type, str) or not rel_type:
                raise FormatError(where, f"an edge needs a `{TYPE_ATTR}` data value (its relationship type)")
            start, end = attrs.get("source"), attrs.get("target")
            if not start or not end:
                raise FormatError(where, "an edge needs source and target")
            self.parsed.relationships.append(
                RawRelationship(attrs.get("id"), rel_type.strip(), start, end, values, where)
            )
        self.record = None

    def read(self, data: bytes) -> Parsed:
        try:
            self.parser.Parse(data, True)
        except expat.ExpatError as exc:
            raise FormatError(
                f"{self.name}:{exc.lineno}", f"not well-formed XML ({expat.ErrorString(exc.code)})"
            ) from None
        if self.graphs != 1:
            raise FormatError(f"{self.name}:1", "expected one <graph>")
        return self.parsed


def loads(data: bytes, name: str) -> Parsed:
    """Parse GraphML bytes into records to validate; FormatError names the line at fault."""
    return _Reader(name).read(data)
