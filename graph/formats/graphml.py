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
from dataclasses import dataclass, field
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
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def parse_xml(data: bytes, name: str) -> Element:
    """A small element tree with line numbers (expat); DOCTYPEs and entities are refused."""
    parser = expat.ParserCreate(namespace_separator=" ")
    root: list[Element] = []
    stack: list[Element] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(" ", 1)[-1]
        element = Element(local, {k.rsplit(" ", 1)[-1]: v for k, v in attrs.items()}, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(_: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].text.append(text)

    def refuse(*_: Any) -> None:
        raise FormatError(f"{name}:{parser.CurrentLineNumber}", "DOCTYPE and entity declarations are not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise FormatError(f"{name}:{exc.lineno}", f"not well-formed XML ({expat.ErrorString(exc.code)})") from None
    return root[0]


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


def loads(data: bytes, name: str) -> Parsed:
    root = parse_xml(data, name)
    if root.tag != "graphml":
        raise FormatError(f"{name}:{root.line}", f"expected <graphml>, found <{root.tag}>")
    keys: dict[str, _Key] = {}
    graphs = []
    for child in root.children:
        where = f"{name}:{child.line}: <{child.tag}>"
        if child.tag == "key":
            key_id, attr_name = child.attrs.get("id"), child.attrs.get("attr.name")
            if not key_id or not attr_name:
                raise FormatError(where, "a <key> needs id and attr.name")
            defaults = [c for c in child.children if c.tag == "default"]
            default = "".join(defaults[0].text) if defaults else None
            keys[key_id] = _Key(
                attr_name, child.attrs.get("attr.type", "string"), default, child.attrs.get("for", "all")
            )
        elif child.tag == "graph":
            graphs.append(child)
    if len(graphs) != 1:
        raise FormatError(f"{name}:{root.line}", f"expected one <graph>, found {len(graphs)}")
    parsed = Parsed()
    for element in graphs[0].children:
        where = f"{name}:{element.line}: <{element.tag} id={element.attrs.get('id')!r}>"
        if element.tag not in ("node", "edge"):
            continue
        values: dict[str, Any] = {}
        for data_el in element.children:
            if data_el.tag != "data":
                continue
            key = keys.get(data_el.attrs.get("key", ""))
            if key is None:
                raise FormatError(f"{name}:{data_el.line}", f"<data key={data_el.attrs.get('key')!r}> has no <key>")
            prop, value = _decode(key, "".join(data_el.text), f"{name}:{data_el.line}")
            values[prop] = value
        kind = element.tag
        for key in keys.values():
            if key.default is not None and key.applies_to in (kind, "all"):
                prop, value = _decode(key, key.default, where)
                values.setdefault(prop, value)
        if kind == "node":
            label = values.pop(LABEL_ATTR, None)
            if not isinstance(label, str) or not label:
                raise FormatError(where, f"a node needs a `{LABEL_ATTR}` data value (its label)")
            parsed.nodes.append(RawNode(element.attrs.get("id", ""), label.strip().lstrip(":"), values, where))
        else:
            rel_type = values.pop(TYPE_ATTR, None)
            if not isinstance(rel_type, str) or not rel_type:
                raise FormatError(where, f"an edge needs a `{TYPE_ATTR}` data value (its relationship type)")
            start, end = element.attrs.get("source"), element.attrs.get("target")
            if not start or not end:
                raise FormatError(where, "an edge needs source and target")
            parsed.relationships.append(
                RawRelationship(element.attrs.get("id"), rel_type.strip(), start, end, values, where)
            )
    return parsed
