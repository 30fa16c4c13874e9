"""GEXF 1.2 out (for Gephi; networkx's `read_gexf` reads it). Export only.

Nodes carry their name as the GEXF `label` (what Gephi shows) and their dealgraph label as
the attribute `labels`; edges carry their relationship type as the GEXF `label` and as the
attribute `type`. Properties are typed attributes as in GraphML (integer -> `long`,
float -> `double`, boolean -> `boolean`, text and dates -> `string`), and list properties
are attributes titled `<property>:json` holding JSON arrays. Attribute ids are the titles.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.formats.common import LABEL_ATTR, TYPE_ATTR, property_types, used_properties, xml_text
from graph.formats.graphml import attribute_of, value_text
from graph.model import Node, Relationship

NS = "http://www.gexf.net/1.2draft"


def dumps(nodes: Sequence[Node], relationships: Sequence[Relationship], comment: str = "") -> str:
    node_types, rel_types = property_types("node"), property_types("relationship")
    node_props, rel_props = used_properties(nodes, "node"), used_properties(relationships, "relationship")
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(
        f'<gexf xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NS} http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">'
    )
    out.append("  <meta>")
    out.append("    <creator>dealgraph</creator>")
    if comment:
        out.append(f"    <description>{xml_text(comment, 'description')}</description>")
    out.append("  </meta>")
    out.append('  <graph mode="static" defaultedgetype="directed">')
    for cls, props, types, reserved in (
        ("node", node_props, node_types, LABEL_ATTR),
        ("edge", rel_props, rel_types, TYPE_ATTR),
    ):
        out.append(f'    <attributes class="{cls}">')
        out.append(f'      <attribute id="{reserved}" title="{reserved}" type="string"/>')
        for name in props:
            title, xml_type = attribute_of(name, types.get(name, "string"))
            out.append(f'      <attribute id="{title}" title="{title}" type="{xml_type}"/>')
        out.append("    </attributes>")
    out.append("    <nodes>")
    for n in nodes:
        where = f"node {n.id}"
        out.append(f'      <node id="{xml_text(n.id, where)}" label="{xml_text(str(n.name), where)}">')
        out.append("        <attvalues>")
        out.append(f'          <attvalue for="{LABEL_ATTR}" value="{n.label}"/>')
        for name in node_props:
            value = n.props.get(name)
            if value is not None:
                title, _ = attribute_of(name, node_types.get(name, "string"))
                text = value_text(value, node_types.get(name, "string"), f"{where}: {name}")
                out.append(f'          <attvalue for="{title}" value="{text}"/>')
        out.append("        </attvalues>")
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for r in relationships:
        where = f"relationship {r.id}"
        out.append(
            f'      <edge id="{xml_text(r.id, where)}" source="{xml_text(r.start, where)}" '
            f'target="{xml_text(r.end, where)}" label="{r.type}">'
        )
        out.append("        <attvalues>")
        out.append(f'          <attvalue for="{TYPE_ATTR}" value="{r.type}"/>')
        for name in rel_props:
            value = r.props.get(name)
            if value is not None:
                title, _ = attribute_of(name, rel_types.get(name, "string"))
                text = value_text(value, rel_types.get(name, "string"), f"{where}: {name}")
                out.append(f'          <attvalue for="{title}" value="{text}"/>')
        out.append("        </attvalues>")
        out.append("      </edge>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    return "\n".join(out) + "\n"
