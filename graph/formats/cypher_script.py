r"""A Cypher script of parameter-free MERGE statements, for `cypher-shell -f` (export only).

This is text generated for a person to run, not a query dealgraph sends with values, so
formatting literals is the point here; every literal is escaped:

- strings: single-quoted; `\` `'` and `"` get a backslash, newline, carriage return, tab,
  backspace and form feed their short escapes, and every other control or line-separator
  character (U+0000-U+001F, U+007F-U+009F, U+2028, U+2029) a `\uXXXX` escape, so each
  statement is exactly one line;
- dates: `date('YYYY-MM-DD')`; numbers as Python writes them (an exponent without `+`);
  booleans `true`/`false`; lists `[...]`;
- labels, types and property keys in backquotes (a backquote inside doubled).

The script first creates the constraints and indexes the Neo4j store uses (all `IF NOT
EXISTS`), then one `MERGE ... SET n += {...};` per node, then one `MATCH ... MATCH ...
MERGE ... SET r += {...};` per relationship. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

from graph import cypher
from graph.model import Node, Relationship

_SHORT = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile("[\\\\'\"\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def string_literal(text: str) -> str:
    r"""A Cypher string literal for `text`.

    >>> print(string_literal("it's a \\ \"test\"\nnext"))
    'it\'s a \\ \"test\"\nnext'
    >>> string_literal("\x00\u2028")
    "'\\u0000\\u2028'"
    """
    return "'" + _NEEDS_ESCAPE.sub(lambda m: _SHORT.get(m.group(), f"\\u{ord(m.group()):04x}"), text) + "'"


def name(text: str) -> str:
    """A label, type or property key, backquoted.

    >>> name("Company"), name("odd`name")
    ('`Company`', '`odd``name`')
    """
    return "`" + text.replace("`", "``") + "`"


def literal(value: Any) -> str:
    """A Cypher literal for a property value.

    >>> literal([1, 2]), literal(dt.date(2025, 7, 22)), literal(5.5e11), literal(1e22), literal(True)
    ('[1, 2]', "date('2025-07-22')", '550000000000.0', '1e22', 'true')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"{value} does not fit a Neo4j integer")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no Cypher literal")
        return repr(value).replace("e+", "e")
    if isinstance(value, dt.datetime):
        raise ValueError("timestamps are not dealgraph property values")
    if isinstance(value, dt.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise ValueError(f"no Cypher literal for {type(value).__name__}")


def _map(props: dict[str, Any]) -> str:
    items = sorted((k, v) for k, v in props.items() if k != "id" and v is not None)
    return "{" + ", ".join(f"{name(k)}: {literal(v)}" for k, v in items) + "}"


def statements(nodes: Sequence[Node], relationships: Sequence[Relationship]) -> Iterator[str]:
    """The statements, without the trailing semicolons."""
    for _, statement in cypher.schema_statements():
        yield statement
    for n in nodes:
        yield f"MERGE (n:{name(n.label)} {{id: {string_literal(n.id)}}}) SET n += {_map(n.props)}"
    labels = {n.id: n.label for n in nodes}
    for r in relationships:
        yield (
            f"MATCH (a:{name(labels[r.start])} {{id: {string_literal(r.start)}}}) "
            f"MATCH (b:{name(labels[r.end])} {{id: {string_literal(r.end)}}}) "
            f"MERGE (a)-[r:{name(r.type)} {{id: {string_literal(r.id)}}}]->(b) SET r += {_map(r.props)}"
        )


def dumps(nodes: Sequence[Node], relationships: Sequence[Relationship], comment: str = "") -> str:
    head = [f"// {line}" for line in (comment or "dealgraph export").splitlines() if line.strip()]
    head.append("// Run: cypher-shell -f THIS_FILE. One statement per line: constraints and indexes first")
    head.append("// (IF NOT EXISTS), then one MERGE per node and per relationship. Running it twice changes nothing.")
    body = [s + ";" for s in statements(nodes, relationships)]
    return "\n".join([*head, *body]) + "\n"
