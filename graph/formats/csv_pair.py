r"""CSV in neo4j-admin import shape: `nodes.csv` and `relationships.csv`.

Headers (the same file `neo4j-admin database import full --nodes=nodes.csv
--relationships=relationships.csv` takes)::

    nodes.csv:          id:ID,:LABEL,name,aliases:string[],valid_from:date,amount_usd:double,...
    relationships.csv:  :START_ID,:END_ID,:TYPE,id,role,valid_from:date,quote_starts:int[],...

Column types from the schema: text -> plain column, integer -> `int`, float -> `double`,
boolean -> `boolean`, date -> `date` (YYYY-MM-DD), list[string] -> `string[]`,
list[integer] -> `int[]`. An empty cell is no value.

Lists are joined with `;` (neo4j-admin's default array delimiter). Inside an item of a
`string[]` cell a backslash escapes: `\;` is a semicolon that does not split, `\\` a
backslash, and an item written `\e` is the empty string (e.g. the empty quote of a
non-text source). neo4j-admin knows none of these escapes: a file whose list items hold no
`;`, `\` or empty strings is read the same by both; otherwise only dealgraph reads it back
exactly. Reading also accepts `long`, `short`, `byte`, `float` and `string` column types,
`:ID(space)` headers, several labels (one must be a schema label) and a missing
relationship `id` (derived from type and ends).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import Any

from graph.formats.common import FormatError, Parsed, RawNode, RawRelationship, property_types, used_properties
from graph.model import Node, Relationship
from graph.schema import load_schema

NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"
ADMIN_TYPES = {
    "string": "",
    "text": "",
    "integer": "int",
    "float": "double",
    "boolean": "boolean",
    "date": "date",
    "list[string]": "string[]",
    "list[integer]": "int[]",
}
_INT_TYPES = {"int", "long", "short", "byte"}
_FLOAT_TYPES = {"double", "float"}


# --------------------------------------------------------------------------- writing


def _escape_item(item: str) -> str:
    if item == "":
        return "\\e"
    return item.replace("\\", "\\\\").replace(";", "\\;")


def _cell(value: Any, type_name: str, where: str) -> str:
    if value is None:
        return ""
    if type_name == "list[string]":
        return ";".join(_escape_item(v) for v in value)
    if type_name == "list[integer]":
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FormatError(where, f"{value} cannot be written")
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _header(name: str, type_name: str) -> str:
    suffix = ADMIN_TYPES.get(type_name, "")
    return f"{name}:{suffix}" if suffix else name


def dumps(nodes: Sequence[Node], relationships: Sequence[Relationship]) -> dict[str, str]:
    """{"nodes.csv": text, "relationships.csv": text}."""
    node_types, rel_types = property_types("node"), property_types("relationship")
    node_props, rel_props = used_properties(nodes, "node"), used_properties(relationships, "relationship")

    out_nodes = io.StringIO()
    writer = csv.writer(out_nodes, lineterminator="\n")
    writer.writerow(["id:ID", ":LABEL", *(_header(p, node_types.get(p, "string")) for p in node_props)])
    for n in nodes:
        cells = [_cell(n.props.get(p), node_types.get(p, "string"), f"node {n.id}: {p}") for p in node_props]
        writer.writerow([n.id, n.label, *cells])

    out_rels = io.StringIO()
    writer = csv.writer(out_rels, lineterminator="\n")
    writer.writerow(
        [":START_ID", ":END_ID", ":TYPE", "id", *(_header(p, rel_types.get(p, "string")) for p in rel_props)]
    )
    for r in relationships:
        cells = [_cell(r.props.get(p), rel_types.get(p, "string"), f"relationship {r.id}: {p}") for p in rel_props]
        writer.writerow([r.start, r.end, r.type, r.id, *cells])
    return {NODES_FILE: out_nodes.getvalue(), RELATIONSHIPS_FILE: out_rels.getvalue()}


# --------------------------------------------------------------------------- reading


def split_items(cell: str) -> list[str]:
    r"""The items of a `string[]` cell, escapes undone.

    >>> split_items(r"a\;b;c\\;\e")
    ['a;b', 'c\\', '']
    """
    items, current, i = [], [], 0
    while i < len(cell):
        ch = cell[i]
        if ch == "\\" and i + 1 < len(cell):
            nxt = cell[i + 1]
            if nxt in "\\;":
                current.append(nxt)
                i += 2
                continue
            if nxt == "e" and not current and (i + 2 == len(cell) or cell[i + 2] == ";"):
                i += 2
                continue  # the empty item: nothing to add
        if ch == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    items.append("".join(current))
    return items


def _column(header: str, where: str) -> tuple[str, str, bool]:
    """(property name or special column such as `:ID`, base type or id property name, is_array)."""
    header = header.strip()
    if ":" not in header:
        return header, "string", False
    name, _, type_name = header.rpartition(":")
    special = type_name.split("(", 1)[0]
    if special in ("ID", "START_ID", "END_ID", "LABEL", "TYPE", "IGNORE"):
        return ":" + special, name, False
    is_array = type_name.endswith("[]")
    base = type_name[:-2] if is_array else type_name
    if base.lower() not in _INT_TYPES | _FLOAT_TYPES | {"string", "boolean", "date"}:
        raise FormatError(where, f"column {header!r}: unsupported type {type_name!r}")
    if not name:
        raise FormatError(where, f"column {header!r}: a property column needs a name")
    return name, base.lower(), is_array


def _value(text: str, base: str, where: str) -> Any:
    try:
        if base in _INT_TYPES:
            return int(text.strip())
        if base in _FLOAT_TYPES:
            return float(text.strip())
        if base == "boolean":
            lowered = text.strip().lower()
            if lowered not in ("true", "false"):
                raise ValueError("expected true or false")
            return lowered == "true"
        if base == "date":
            return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise FormatError(where, f"cannot read {text!r} as {base} ({exc})") from None
    return text


def _rows(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        for row in reader:
            if header is None:
                header = row
            elif any(cell != "" for cell in row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"{name}:{reader.line_num}", f"not valid CSV ({exc})") from None
    if header is None:
        raise FormatError(f"{name}:1", "the file is empty (expected a header row)")
    return header, rows


def _record(name: str, columns: list[tuple[str, str, bool]], line: int, row: list[str]) -> dict[str, Any]:
    if len(row) != len(columns):
        raise FormatError(f"{name}:{line}", f"{len(row)} cells, but the header has {len(columns)} columns")
    out: dict[str, Any] = {}
    for (column, base, is_array), cell in zip(columns, row, strict=True):
        if column == ":IGNORE" or cell == "":
            continue
        where = f"{name}:{line}: {column}"
        if column.startswith(":"):
            out[column] = cell
        elif is_array:
            items = split_items(cell) if base == "string" else cell.split(";")
            out[column] = [_value(item, base, where) if base != "string" else item for item in items]
        else:
            out[column] = _value(cell, base, where)
    return out


def loads(nodes_text: str, relationships_text: str, nodes_name: str, relationships_name: str) -> Parsed:
    parsed = Parsed()
    schema = load_schema()
    header, rows = _rows(nodes_text, nodes_name)
    columns = [_column(h, f"{nodes_name}:1") for h in header]
    names = [c[0] for c in columns]
    for needed in (":ID", ":LABEL"):
        if needed not in names:
            raise FormatError(f"{nodes_name}:1", f"the header needs a {needed} column (e.g. id:ID,:LABEL,name)")
    id_name = columns[names.index(":ID")][1] or "id"
    for line, row in rows:
        record = _record(nodes_name, columns, line, row)
        where = f"{nodes_name}:{line}"
        labels = [label for label in record.pop(":LABEL", "").split(";") if label]
        known = [label for label in labels if label in schema.labels]
        if len(known) != 1:
            raise FormatError(f"{where}: :LABEL", f"expected one label of the schema, got {labels or 'none'}")
        node_id = record.pop(":ID", "")
        if id_name != "id":
            record[id_name] = node_id
        parsed.nodes.append(RawNode(node_id, known[0], record, f"{where} (id {node_id!r})"))

    header, rows = _rows(relationships_text, relationships_name)
    columns = [_column(h, f"{relationships_name}:1") for h in header]
    for needed in (":START_ID", ":END_ID", ":TYPE"):
        if needed not in [c[0] for c in columns]:
            raise FormatError(f"{relationships_name}:1", f"the header needs a {needed} column")
    for line, row in rows:
        record = _record(relationships_name, columns, line, row)
        where = f"{relationships_name}:{line}"
        start, end, rel_type = record.pop(":START_ID", ""), record.pop(":END_ID", ""), record.pop(":TYPE", "")
        if not start or not end or not rel_type:
            raise FormatError(where, ":START_ID, :END_ID and :TYPE must not be empty")
        rid = record.get("id")
        parsed.relationships.append(RawRelationship(rid, rel_type, start, end, record, f"{where} (id {rid!r})"))
    return parsed
