"""Analyst Cypher on the Neo4j store: read-only, bounded, and JSON-safe.

Guards come in layers, as datasette does for SQL and neo4j-graphrag for generated Cypher;
each would refuse a write on its own, and none trusts the others:

1. the text: at most MAX_QUERY_CHARS characters; no ``LOAD CSV`` (it reads files and URLs),
   no ``CALL {...} IN TRANSACTIONS`` or other transaction commands, no ``USE`` (only the
   configured database), no administration commands, and ``CALL`` only for procedures in
   READ_ONLY_PROCEDURES. The check looks at the query with comments, string literals and
   backquoted names taken apart, both as written and with ``\\uXXXX`` escapes decoded, so
   neither a comment, a string nor an escape hides a keyword from it;
2. ``EXPLAIN`` first: Neo4j plans the query without running it, and anything whose query
   type is not ``r`` (read-only) is refused;
3. the query runs in a READ session (a ``neo4j://`` cluster routes it to a reader and the
   server itself refuses writes), as ``neo4j.Query(text, timeout=...)`` so the server
   stops it at the time limit;
4. at most ``limit`` rows come back (``limit + 1`` are fetched, and ``truncated`` says so).

Values reach Neo4j only as parameters; this module formats nothing into query text except
the fixed ``EXPLAIN`` prefix. Results are plain JSON values: nodes, relationships and
paths as small objects (our ``id``, Neo4j's ``element_id``, labels or type, properties with
dates as ISO strings), plus the nodes and relationships met, as records (graph/model.py)
the API turns into a graph view.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import neo4j
import neo4j.graph
import neo4j.spatial
import neo4j.time
from neo4j import READ_ACCESS, Query
from neo4j.exceptions import (
    AuthError,
    ClientError,
    CypherSyntaxError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph.model import Node, Relationship
from graph.schema import load_schema
from graph.store import GraphStore, StoreError, StoreUnavailable

MAX_QUERY_CHARS = 10_000
# Most relationship ends looked up by element id when a query returns relationships
# without their nodes (the explorer needs both ends of an edge to draw it).
MAX_END_LOOKUPS = 10_000
# Procedures an analyst may CALL: they only read the graph or its schema. Anything else,
# including read-mode procedures that start work on the server (db.resampleIndex,
# db.prepareForReplanning, db.awaitIndexes), is refused.
READ_ONLY_PROCEDURES = frozenset(
    name.lower()
    for name in (
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.vector.queryNodes",
        "db.index.vector.queryRelationships",
        "db.ping",
    )
)

# The only Cypher this module sends besides the analyst's own: the query plan check, and the
# lookup of relationship ends a query did not return (element ids as a parameter).
EXPLAIN_PREFIX = "EXPLAIN\n"
END_NODES = (
    "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS element_id, labels(n) AS labels, n{.*} AS props"
)


# --------------------------------------------------------------------------- errors


class AnalystQueryError(Exception):
    """A query the endpoint will not or could not run; the message is for the user."""


class QueryRefused(AnalystQueryError):
    """Not read-only, or uses something the endpoint does not allow."""


class QueryTooLong(QueryRefused):
    """Over MAX_QUERY_CHARS."""


class QuerySyntaxError(AnalystQueryError):
    """Neo4j could not parse the query; line, column and offset are 1-, 1- and 0-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, offset: int | None = None):
        super().__init__(message)
        self.line, self.column, self.offset = line, column, offset


class QueryTimeout(AnalystQueryError):
    """The server stopped the query at its time limit."""


class QueryFailed(AnalystQueryError):
    """Neo4j refused the query for another reason (a missing parameter, a type error...)."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- the text check

_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u+([0-9a-fA-F]{4})")
# Line ends for `//` comments: every character any reader might take as one, so a comment
# never hides more from this check than it hides from Neo4j.
_LINE_ENDS = "\n\r\u2028\u2029\x85\x0b\x0c"
_KEYWORD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (r"\bLOAD\s+CSV\b", "LOAD CSV is not allowed (it reads files and URLs)"),
        (
            r"\bTRANSACTIONS?\b",
            "transaction commands and CALL {...} IN TRANSACTIONS are not allowed"
            " (backquote a variable named `transactions`)",
        ),
        (r"(?<![.$\w])USE\s+[\w`]", "USE is not allowed: queries run on the configured database"),
        (r"\bPERIODIC\s+COMMIT\b", "USING PERIODIC COMMIT is not allowed"),
        (
            r"\b(?:GRANT|DENY|REVOKE|TERMINATE|DEALLOCATE|REALLOCATE|DRYRUN|ENABLE)\s+[\w`$]",
            "administration commands are not allowed",
        ),
        (
            r"\b(?:START|STOP|CREATE|DROP|ALTER|RENAME)\s+(?:OR\s+REPLACE\s+)?(?:COMPOSITE\s+|STANDARD\s+)?"
            r"(?:DATABASE|ALIAS|USER|ROLE|SERVER|INDEX|CONSTRAINT|RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR|"
            r"BTREE|CURRENT)\b",
            "administration and schema commands are not allowed",
        ),
    )
)
_EXECUTION_MODE = re.compile(
    r"^\s*(?:CYPHER\b(?:\s+[^\s=]+\s*=\s*\S+|\s+\d+(?:\.\d+)?)*\s+)?(?:EXPLAIN|PROFILE)\b", re.IGNORECASE
)
_SHOW = re.compile(r"(?<![.$\w])SHOW\s+(?=[A-Za-z])", re.IGNORECASE)
_SHOW_ALLOWED = re.compile(
    r"(?:(?:ALL|RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR|UNIQUE|UNIQUENESS|EXIST|EXISTS|EXISTENCE|NODE|"
    r"RELATIONSHIP|REL|KEY|PROPERTY|TYPE|BUILT|IN|USER|DEFINED)\s+)*"
    r"(?:INDEX|INDEXES|CONSTRAINT|CONSTRAINTS|PROCEDURE|PROCEDURES|FUNCTION|FUNCTIONS)\b",
    re.IGNORECASE,
)
_CALL = re.compile(r"(?<![.$\w])CALL\s*", re.IGNORECASE)
_NAME_PART = re.compile(r"\s*(`(?:[^`]|``)*`|[^\W\d][\w$]*)\s*", re.UNICODE)
_PLACEHOLDER = "'\u0000'"


def _decode_escapes(text: str) -> str:
    r"""``\uXXXX`` escapes decoded (not after an odd number of backslashes), as Neo4j's reader does.

    >>> _decode_escapes(r"RETURN 'a\u0027 AS x") == "RETURN 'a' AS x"
    True
    >>> _decode_escapes(r"'\\u0027'") == r"'\\u0027'"
    True
    """
    return _UNICODE_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), text)


def code_only(text: str) -> tuple[str, str]:
    """The query with comments replaced by a space and each string literal by ``'\\0'``.

    Returns it twice: with backquoted names kept (procedure names may be backquoted), and
    with each backquoted name replaced by ``_`` (a keyword inside one is just a name).
    An unterminated string or comment runs to the end, as it would for Neo4j.

    >>> code_only("MATCH (n) // LOAD CSV\\nRETURN 'CREATE', `x y` /* DELETE */")[1]
    "MATCH (n)  \\nRETURN '\\x00', _  "
    """
    keep: list[str] = []
    plain: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == "/" and nxt == "/":
            j = i + 2
            while j < n and text[j] not in _LINE_ENDS:
                j += 1
            keep.append(" ")
            plain.append(" ")
            i = j
        elif ch == "/" and nxt == "*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            keep.append(" ")
            plain.append(" ")
            i = j
        elif ch in "'\"":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            keep.append(_PLACEHOLDER)
            plain.append(_PLACEHOLDER)
            i = j + 1
        elif ch == "`":
            j = i + 1
            while j < n:
                if text[j] == "`":
                    if j + 1 < n and text[j + 1] == "`":
                        j += 2
                        continue
                    break
                j += 1
            keep.append(text[i : j + 1])
            plain.append("_")
            i = j + 1
        else:
            keep.append(ch)
            plain.append(ch)
            i += 1
    return "".join(keep), "".join(plain)


def _procedure_names(code: str) -> Iterator[str]:
    """Names of the procedures a query CALLs (lower case, backquotes and spaces removed)."""
    for match in _CALL.finditer(code):
        pos = match.end()
        if pos >= len(code) or code[pos] in "{(":
            continue  # a CALL { ... } or CALL (...) { ... } subquery
        parts = []
        while True:
            part = _NAME_PART.match(code, pos)
            if not part:
                break
            name = part.group(1)
            parts.append(name[1:-1].replace("``", "`") if name.startswith("`") else name)
            pos = part.end()
            if pos < len(code) and code[pos] == ".":
                pos += 1
                continue
            break
        yield ".".join(parts).lower() or "?"


def check_text(query: str) -> None:
    """Refuse, before Neo4j sees it, a query this endpoint never runs.

    >>> check_text("MATCH (c:Company)-[:LEADS]->(p) RETURN c.name, p.name")
    >>> check_text("CALL db.labels() YIELD label RETURN label")
    >>> check_text("LOAD /* hidden */ csv FROM 'file:///etc/passwd' AS l RETURN l")
    Traceback (most recent call last):
    ...
    graph.analyst.QueryRefused: LOAD CSV is not allowed (it reads files and URLs)
    >>> check_text("CALL `db`.createLabel('X')")
    Traceback (most recent call last):
    ...
    graph.analyst.QueryRefused: procedure db.createlabel is not on the read-only list (see docs/cypher.md)
    """
    if not isinstance(query, str) or not query.strip():
        raise QueryFailed("the query is empty")
    if not _is_unicode(query):
        raise QueryFailed("the query is not valid Unicode (a lone surrogate?)")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"the query has {len(query)} characters; at most {MAX_QUERY_CHARS} are allowed")
    for text in dict.fromkeys((query, _decode_escapes(query))):
        with_names, code = code_only(text)
        if _EXECUTION_MODE.match(code):
            raise QueryRefused("EXPLAIN and PROFILE are not allowed: the endpoint plans every query itself")
        for pattern, reason in _KEYWORD_RULES:
            if pattern.search(code):
                raise QueryRefused(reason)
        for match in _SHOW.finditer(code):
            if not _SHOW_ALLOWED.match(code, match.end()):
                raise QueryRefused("only SHOW INDEXES, CONSTRAINTS, PROCEDURES and FUNCTIONS are allowed")
        for name in _procedure_names(with_names):
            if name not in READ_ONLY_PROCEDURES:
                raise QueryRefused(f"procedure {name} is not on the read-only list (see docs/cypher.md)")


# --------------------------------------------------------------------------- results


@dataclass
class Notice:
    """A notification from Neo4j about the query (a warning, a hint), position in the query."""

    code: str
    message: str
    severity: str
    line: int | None = None
    column: int | None = None


@dataclass
class CypherResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    query_type: str
    elapsed_ms: float
    notices: list[Notice] = field(default_factory=list)
    # Every node and relationship met in the rows, as records; relationship ends that the
    # rows did not hold are looked up so that each relationship has both its ends here.
    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)


def _label_of(labels: Any) -> str:
    known = load_schema().labels
    ordered = sorted(labels)
    return next((name for name in ordered if name in known), ordered[0] if ordered else "")


def _native(value: Any) -> Any:
    """A property value as a record holds it: neo4j dates become datetime.date, other temporal
    and spatial values their JSON form (dealgraph's schema has none), lists stay lists."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, (neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration, neo4j.spatial.Point)):
        return json_value(value)
    return value


def json_value(value: Any) -> Any:
    """A property or scalar as JSON: temporal values as ISO strings, NaN and infinities as text.

    >>> json_value([neo4j.time.Date(2025, 7, 22), float("nan"), b"ok"])
    ['2025-07-22', 'NaN', 'b2s=']
    """
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration)):
        return value.iso_format()
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return neo4j.time.Duration(seconds=value.total_seconds()).iso_format()
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, neo4j.spatial.Point):
        coords = dict(zip(("x", "y", "z"), value, strict=False))
        return {"srid": value.srid, **coords}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


class _Collector:
    """Turns row values into JSON while gathering the nodes and relationships they hold."""

    def __init__(self) -> None:
        self.nodes: dict[str, neo4j.graph.Node] = {}
        self.rels: dict[str, neo4j.graph.Relationship] = {}
        # element id -> (labels, properties) of relationship ends found by END_NODES
        self.ends: dict[str, tuple[list[str], dict[str, Any]]] = {}

    def gather(self, value: Any) -> None:
        if isinstance(value, neo4j.graph.Node):
            self.nodes.setdefault(value.element_id, value)
        elif isinstance(value, neo4j.graph.Relationship):
            self.rels.setdefault(value.element_id, value)
            for end in (value.start_node, value.end_node):
                if end is not None and (end.labels or len(end)):
                    self.nodes.setdefault(end.element_id, end)
        elif isinstance(value, neo4j.graph.Path):
            for node in value.nodes:
                self.gather(node)
            for rel in value.relationships:
                self.gather(rel)
        elif isinstance(value, (list, tuple)):
            for v in value:
                self.gather(v)
        elif isinstance(value, dict):
            for v in value.values():
                self.gather(v)

    def missing_ends(self) -> list[str]:
        ids = {
            end.element_id
            for rel in self.rels.values()
            for end in (rel.start_node, rel.end_node)
            if end is not None and end.element_id not in self.nodes
        }
        return sorted(ids)[:MAX_END_LOOKUPS]

    def our_id(self, element_id: str | None) -> str | None:
        if element_id is None:
            return None
        node = self.nodes.get(element_id)
        if node is not None:
            return node.get("id", element_id)
        found = self.ends.get(element_id)
        return found[1].get("id", element_id) if found else None

    def to_json(self, value: Any) -> Any:
        if isinstance(value, neo4j.graph.Node):
            return {
                "kind": "node",
                "id": value.get("id"),
                "element_id": value.element_id,
                "labels": sorted(value.labels),
                "properties": json_value(dict(value.items())),
            }
        if isinstance(value, neo4j.graph.Relationship):
            start = value.start_node.element_id if value.start_node is not None else None
            end = value.end_node.element_id if value.end_node is not None else None
            return {
                "kind": "relationship",
                "id": value.get("id"),
                "element_id": value.element_id,
                "type": value.type,
                "start": self.our_id(start),
                "end": self.our_id(end),
                "start_element_id": start,
                "end_element_id": end,
                "properties": json_value(dict(value.items())),
            }
        if isinstance(value, neo4j.graph.Path):
            return {
                "kind": "path",
                "nodes": [self.to_json(n) for n in value.nodes],
                "relationships": [self.to_json(r) for r in value.relationships],
            }
        if type(value) in (list, tuple):  # not Duration or Point, which are tuples too
            return [self.to_json(v) for v in value]
        if isinstance(value, dict):
            return {str(k): self.to_json(v) for k, v in value.items()}
        return json_value(value)

    def records(self) -> tuple[list[Node], list[Relationship]]:
        nodes: dict[str, Node] = {}
        for element_id, node in self.nodes.items():
            props = {k: _native(v) for k, v in node.items()}
            nid = props.get("id", element_id)
            nodes.setdefault(nid, Node(nid, _label_of(node.labels), props))
        for element_id, (labels, raw) in self.ends.items():
            props = {k: _native(v) for k, v in raw.items()}
            nid = props.get("id", element_id)
            nodes.setdefault(nid, Node(nid, _label_of(labels), props))
        rels: dict[str, Relationship] = {}
        for element_id, rel in self.rels.items():
            start = self.our_id(rel.start_node.element_id if rel.start_node is not None else None)
            end = self.our_id(rel.end_node.element_id if rel.end_node is not None else None)
            if start is None or end is None:
                continue
            props = {k: _native(v) for k, v in rel.items()}
            rid = props.get("id", element_id)
            rels.setdefault(rid, Relationship(rid, rel.type, start, end, props))
        return list(nodes.values()), list(rels.values())


# --------------------------------------------------------------------------- running


_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


def _syntax_error(exc: Neo4jError) -> QuerySyntaxError:
    """Neo4j's syntax error with its position moved back over the EXPLAIN prefix."""
    message = (exc.message or str(exc)).strip()
    found = _POSITION.search(message)
    if not found:
        return QuerySyntaxError(message)
    line, column, offset = (int(g) for g in found.groups())
    if line > 1:  # the prefix is a line of its own
        line, offset = line - 1, max(offset - len(EXPLAIN_PREFIX), 0)
    fixed = f"(line {line}, column {column} (offset: {offset}))"
    return QuerySyntaxError(message[: found.start()] + fixed + message[found.end() :], line, column, offset)


def _notices(summary: neo4j.ResultSummary, shift: bool) -> list[Notice]:
    notices = []
    for status in summary.gql_status_objects:
        if not status.is_notification:
            continue
        line = column = None
        if status.position is not None:
            line, column = status.position.line, status.position.column
            if shift and line is not None and line > 1:
                line -= 1
        notices.append(
            Notice(
                code=status.gql_status,
                message=status.status_description,
                severity=str(status.raw_severity or ""),
                line=line,
                column=column,
            )
        )
    return notices


def _translate(exc: Exception, uri: str, during_explain: bool) -> Exception:
    """A driver error as an AnalystQueryError, StoreUnavailable or StoreError (else `exc` itself)."""
    if isinstance(exc, CypherSyntaxError) or (
        isinstance(exc, ClientError) and exc.code == "Neo.ClientError.Statement.SyntaxError"
    ):
        return _syntax_error(exc) if during_explain else QuerySyntaxError((exc.message or str(exc)).strip())
    if isinstance(exc, AuthError):
        return StoreUnavailable(f"Neo4j at {uri} refused the credentials: check DEALGRAPH_NEO4J_USER/PASSWORD")
    if isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
        return StoreUnavailable(
            f"cannot reach Neo4j at {uri}: start it with `dealgraph neo4j start`, "
            "or point DEALGRAPH_NEO4J_URI at a running server"
        )
    code = getattr(exc, "code", None) or ""
    if "TransactionTimedOut" in code or code.endswith("Transaction.Terminated"):
        return QueryTimeout("the query took longer than its time limit and was stopped by the server")
    if code in ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Security.Forbidden"):
        return QueryRefused("the query tried to write; this endpoint is read-only")
    if code == "Neo.ClientError.Statement.UnsupportedAdministrationCommand" or "Administration" in code:
        return QueryRefused("administration commands are not allowed")
    if isinstance(exc, TransientError):
        return StoreUnavailable(f"Neo4j at {uri} is busy ({(exc.message or '').strip()}); try again")
    if isinstance(exc, ClientError):
        return QueryFailed((exc.message or str(exc)).strip(), code or None)
    if isinstance(exc, (Neo4jError, DriverError)):
        return StoreError(f"Neo4j at {uri}: {(getattr(exc, 'message', None) or str(exc)).strip()}")
    return exc


def check_parameters(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters as Neo4j takes them: a map of names to JSON values (dates may be datetime.date).

    >>> check_parameters({"id": "JPN", "n": 2})
    {'id': 'JPN', 'n': 2}
    """
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise QueryFailed("params must be a JSON object of name: value")

    def ok(value: Any, depth: int) -> bool:
        if depth > 16:
            return False
        if value is None or isinstance(value, (bool, dt.date)):
            return True
        if isinstance(value, str):
            return _is_unicode(value)
        if isinstance(value, int):
            return -(2**63) <= value < 2**63  # a Neo4j integer
        if isinstance(value, float):
            return math.isfinite(value)
        if isinstance(value, (list, tuple)):
            return all(ok(v, depth + 1) for v in value)
        if isinstance(value, Mapping):
            return all(isinstance(k, str) and _is_unicode(k) and ok(v, depth + 1) for k, v in value.items())
        return False

    out = {}
    for key, value in params.items():
        if not isinstance(key, str) or not key or not _is_unicode(key):
            raise QueryFailed("parameter names must be non-empty text")
        if not ok(value, 0):
            raise QueryFailed(
                f"parameter {key}: only JSON values (text, finite numbers, integers of 64 bits, booleans, null, "
                "lists and maps, at most 16 deep)"
            )
        out[key] = value
    return out


def _is_unicode(text: str) -> bool:
    """False for text Neo4j cannot receive (lone surrogates, from JSON escapes such as \\ud800)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def run_read_query(
    driver: neo4j.Driver,
    database: str,
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    limit: int,
    timeout_s: float,
    uri: str = "the configured Neo4j server",
) -> CypherResult:
    """Run an analyst's query through every guard and return at most `limit` rows.

    Raises QueryRefused (not read-only or not allowed), QueryTooLong, QuerySyntaxError,
    QueryTimeout, QueryFailed, or StoreUnavailable when Neo4j cannot be reached.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    check_text(query)
    values = check_parameters(params)
    started = time.perf_counter()

    def remaining() -> float:  # the run and the end lookup share one time budget
        return max(timeout_s - (time.perf_counter() - started), 0.001)

    explained = False
    try:
        with driver.session(database=database, default_access_mode=READ_ACCESS, fetch_size=limit + 1) as session:
            plan = session.run(Query(EXPLAIN_PREFIX + query, timeout=timeout_s), values).consume()
            explained = True
            if plan.query_type != "r":
                kind = {"w": "writes", "rw": "reads and writes", "s": "changes the schema"}.get(
                    plan.query_type or "", f"is of type {plan.query_type!r}"
                )
                raise QueryRefused(f"the query {kind}; this endpoint is read-only")
            notices = _notices(plan, shift=True)
            collector = _Collector()
            rows: list[list[Any]] = []
            truncated = False
            result = session.run(Query(query, timeout=remaining()), values)
            columns = list(result.keys())
            for record in result:
                if len(rows) == limit:
                    truncated = True
                    break
                values_ = list(record.values())
                collector.gather(values_)
                rows.append(values_)
            if not truncated:
                notices += _notices(result.consume(), shift=False)
            missing = collector.missing_ends()
            if missing:
                found = session.run(Query(END_NODES, timeout=remaining()), ids=missing)
                for row in found:
                    collector.ends[row["element_id"]] = (row["labels"], row["props"])
    except AnalystQueryError:
        raise
    except Exception as exc:
        translated = _translate(exc, uri, during_explain=not explained)
        if translated is exc:
            raise
        raise translated from None
    notices = list({(n.code, n.message, n.line, n.column): n for n in notices}.values())
    json_rows = [[collector.to_json(v) for v in row] for row in rows]
    nodes, rels = collector.records()
    return CypherResult(
        columns=columns,
        rows=json_rows,
        truncated=truncated,
        query_type="r",
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        notices=notices,
        nodes=nodes,
        relationships=rels,
    )


# --------------------------------------------------------------------------- the store's driver


class NeedsNeo4j(AnalystQueryError):
    """The store is not Neo4j; analyst Cypher needs it."""


NEEDS_NEO4J = (
    "analyst Cypher needs the Neo4j store: run `dealgraph neo4j start`, export DEALGRAPH_NEO4J_URI=<the URI it "
    "prints> (e.g. bolt://127.0.0.1:7687), load your data (`dealgraph load`) and restart `dealgraph serve`"
)


@dataclass
class Neo4jHandle:
    driver: neo4j.Driver
    database: str
    uri: str


def neo4j_handle(store: GraphStore) -> Neo4jHandle:
    """The driver and database of a Neo4j store, or NeedsNeo4j for any other store."""
    if store.name != "neo4j":
        raise NeedsNeo4j(NEEDS_NEO4J)
    driver = getattr(store, "driver", None)
    if driver is None:
        raise NeedsNeo4j(NEEDS_NEO4J)
    return Neo4jHandle(driver, getattr(store, "database", "neo4j"), getattr(store, "uri", "Neo4j"))
