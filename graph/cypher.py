"""Every Cypher statement dealgraph sends to Neo4j, in one place.

Values always travel as parameters (``$ids``, ``$rows``, ``$q``...); nothing a user typed
is ever formatted into query text. Labels and relationship types, however, cannot be
parameters in Neo4j 5.26 (short of the new dynamic-label syntax, which the 5.26 planner
cannot serve from an index), so the per-label and per-type statements below are built
from names taken from graph/schema.yaml only: `_label` and `_type` refuse any name that is
not in the schema or is not a plain identifier, and no caller passes user input to them
(the API and CLI check labels and types against the schema before a store sees them).

The statements are built once per process (``functools.cache``) and are plain strings,
so `graph/neo4j_store.py` wraps each in ``neo4j.Query(text, timeout=...)``.
"""

from __future__ import annotations

import re
from functools import cache

from graph.schema import load_schema

_LABEL_RE = re.compile(r"[A-Z][A-Za-z0-9]*")
_TYPE_RE = re.compile(r"[A-Z][A-Z0-9_]*")

# Names of what ensure_schema creates; everything dealgraph owns starts with this prefix.
PREFIX = "dealgraph_"
SEARCH_INDEX = f"{PREFIX}search"
# The analyzer of the search index: lower-cases, folds accents to ASCII, splits words.
SEARCH_ANALYZER = "standard-folding"
# Lucene's English stop words, which SEARCH_ANALYZER leaves out of the index: a query word
# among them cannot be required of a candidate (see neo4j_store.search).
SEARCH_STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with",
    }
)  # fmt: skip


def _label(name: str) -> str:
    """`name` if it is a node label of the schema, else ValueError."""
    if name not in load_schema().labels or not _LABEL_RE.fullmatch(name):
        raise ValueError(f"not a schema label: {name!r}")
    return name


def _type(name: str) -> str:
    """`name` if it is a relationship type of the schema, else ValueError."""
    if name not in load_schema().relationships or not _TYPE_RE.fullmatch(name):
        raise ValueError(f"not a schema relationship type: {name!r}")
    return name


def labels() -> list[str]:
    return [_label(n) for n in load_schema().labels]


def types() -> list[str]:
    return [_type(t) for t in load_schema().relationships]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# --------------------------------------------------------------------------- schema


@cache
def schema_statements() -> tuple[tuple[str, str], ...]:
    """(name, statement) of every constraint and index dealgraph needs, all idempotent.

    A uniqueness constraint on `id` per label and per relationship type (each comes with
    the range index that MERGE and the id look-ups use), a range index on `name` per label
    (analysts' `{name: ...}` look-ups and list ordering), and one full-text index over
    `name` and `aliases` of every label for search.
    """
    out = []
    for label in labels():
        name = f"{PREFIX}{_snake(label)}_id"
        out.append((name, f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"))
    for rel_type in types():
        name = f"{PREFIX}{rel_type.lower()}_id"
        out.append((name, f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR ()-[r:{rel_type}]-() REQUIRE r.id IS UNIQUE"))
    for label in labels():
        name = f"{PREFIX}{_snake(label)}_name"
        out.append((name, f"CREATE RANGE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.name)"))
    out.append(
        (
            SEARCH_INDEX,
            f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS FOR (n:{'|'.join(labels())}) "
            f"ON EACH [n.name, n.aliases] OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{SEARCH_ANALYZER}'}}}}",
        )
    )
    return tuple(out)


# The search index's labels, to notice a schema that gained a label since it was created.
SEARCH_INDEX_LABELS = "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes WHERE name = $name RETURN labelsOrTypes"
DROP_SEARCH_INDEX = f"DROP INDEX {SEARCH_INDEX} IF EXISTS"
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
# What exists, for tests and `docs/neo4j.md`'s checks.
SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties RETURN *"
SHOW_INDEXES = "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state RETURN *"

PING = "RETURN 1 AS ok"
# One row when the database holds any node, none when it is empty (a write then skips reading back).
ANY_NODE = "MATCH (n) RETURN 1 AS one LIMIT 1"
# Empties the database but keeps constraints and indexes (tests only).
DELETE_ALL = "MATCH (n) DETACH DELETE n"


# --------------------------------------------------------------------------- reads


def _union(parts: list[str]) -> str:
    return "\nUNION ALL\n".join(parts)


@cache
def nodes_by_id() -> str:
    """Nodes whose id is in $ids: one index seek per label. Columns: label, props."""
    return _union(
        [
            f"MATCH (n:{label}) WHERE n.id IN $ids RETURN '{label}' AS label, properties(n) AS props"
            for label in labels()
        ]
    )


def _nodes_subquery() -> str:
    """A CALL block yielding `n` for each node whose id is in $ids (index seeks)."""
    inner = "\n  UNION ALL\n".join(f"  MATCH (n:{label}) WHERE n.id IN $ids RETURN n" for label in labels())
    return f"CALL () {{\n{inner}\n}}"


@cache
def relationships_by_id() -> str:
    """Relationships whose id is in $ids: one index seek per type. Columns: type, start, end, props."""
    return _union(
        [
            f"MATCH (a)-[r:{rel_type}]->(b) WHERE r.id IN $ids "
            f"RETURN '{rel_type}' AS type, a.id AS start, b.id AS end, properties(r) AS props"
            for rel_type in types()
        ]
    )


@cache
def relationships_of() -> str:
    """Relationships touching a node whose id is in $ids, of a type in $types (either direction)."""
    return (
        f"{_nodes_subquery()}\n"
        "MATCH (n)-[r]-()\n"
        "WHERE type(r) IN $types AND r.id IS NOT NULL\n"
        "WITH DISTINCT r\n"
        "RETURN type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, properties(r) AS props"
    )


@cache
def relationships_between() -> str:
    """Relationships of a type in $types whose two ends both have an id in $ids."""
    return (
        f"{_nodes_subquery()}\n"
        "MATCH (n)-[r]->(m)\n"
        "WHERE m.id IN $ids AND type(r) IN $types AND r.id IS NOT NULL\n"
        "RETURN type(r) AS type, n.id AS start, m.id AS end, properties(r) AS props"
    )


@cache
def count_labels() -> str:
    """Node count per schema label (served from the count store). Columns: name, n."""
    return _union([f"MATCH (n:{label}) RETURN '{label}' AS name, count(n) AS n" for label in labels()])


@cache
def count_types() -> str:
    """Relationship count per schema type (served from the count store). Columns: name, n."""
    return _union([f"MATCH ()-[r:{rel_type}]->() RETURN '{rel_type}' AS name, count(r) AS n" for rel_type in types()])


@cache
def count_label(label: str) -> str:
    return f"MATCH (n:{_label(label)}) RETURN count(n) AS n"


@cache
def list_label(label: str) -> str:
    """One page of a label's nodes, by name then id. Columns: label, props."""
    label = _label(label)
    return (
        f"MATCH (n:{label}) RETURN '{label}' AS label, properties(n) AS props "
        "ORDER BY n.name, n.id SKIP $offset LIMIT $limit"
    )


@cache
def list_all() -> str:
    """One page of all nodes, by label then name then id. Columns: label, props."""
    inner = "\n  UNION ALL\n".join(f"  MATCH (n:{label}) RETURN '{label}' AS label, n" for label in labels())
    return (
        f"CALL () {{\n{inner}\n}}\n"
        "RETURN label, properties(n) AS props ORDER BY label, n.name, n.id SKIP $offset LIMIT $limit"
    )


@cache
def nodes_after() -> str:
    """The next $limit nodes by id after $after (keyset paging). Columns: label, props."""
    inner = "\n  UNION ALL\n".join(
        f"  MATCH (n:{label}) WHERE n.id > $after RETURN '{label}' AS label, n ORDER BY n.id LIMIT $limit"
        for label in labels()
    )
    return f"CALL () {{\n{inner}\n}}\nRETURN label, properties(n) AS props ORDER BY n.id LIMIT $limit"


@cache
def relationships_after() -> str:
    """The next $limit relationships by id after $after (keyset paging). Columns: type, start, end, props."""
    inner = "\n  UNION ALL\n".join(
        f"  MATCH (a)-[r:{rel_type}]->(b) WHERE r.id > $after RETURN '{rel_type}' AS type, a, r, b "
        "ORDER BY r.id LIMIT $limit"
        for rel_type in types()
    )
    return (
        f"CALL () {{\n{inner}\n}}\n"
        "RETURN type, a.id AS start, b.id AS end, properties(r) AS props ORDER BY r.id LIMIT $limit"
    )


# Search candidates: $q is a Lucene query built by neo4j_store from the normalised words
# of the search text (only [a-z0-9*] and AND), $labels the labels to keep.
SEARCH_CANDIDATES = (
    f"CALL db.index.fulltext.queryNodes('{SEARCH_INDEX}', $q) YIELD node AS n\n"
    "WITH n, [l IN labels(n) WHERE l IN $labels] AS hit WHERE size(hit) > 0\n"
    "RETURN n.id AS id, hit[0] AS label, n.name AS name, n.aliases AS aliases"
)


@cache
def search_scan(label: str | None) -> str:
    """Every node (of `label`, or of any label) with its name and aliases: the fallback when
    the search text has no word the index can require (e.g. only stop words)."""
    chosen = [_label(label)] if label else labels()
    inner = "\n  UNION ALL\n".join(f"  MATCH (n:{name}) RETURN '{name}' AS label, n" for name in chosen)
    return f"CALL () {{\n{inner}\n}}\nRETURN n.id AS id, label, n.name AS name, n.aliases AS aliases"


# --------------------------------------------------------------------------- writes


@cache
def merge_nodes(label: str) -> str:
    """Upsert a batch of one label's nodes: $rows is [{id, props}], props the complete record."""
    return f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}}) SET n = row.props RETURN count(n) AS n"


@cache
def create_nodes(label: str) -> str:
    """Create a batch of one label's nodes known to be new (a load into an empty database):
    no lookup per row; the uniqueness constraint on `id` refuses one that exists after all."""
    return f"UNWIND $rows AS row CREATE (n:{_label(label)}) SET n = row.props RETURN count(n) AS n"


@cache
def merge_relationships(rel_type: str, start_label: str, end_label: str) -> str:
    """Upsert a batch of relationships of one type between two labels: $rows is [{id, start, end, props}].

    Returns how many rows found both ends; fewer than sent means an end is missing.
    """
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{_label(start_label)} {{id: row.start}})\n"
        f"MATCH (b:{_label(end_label)} {{id: row.end}})\n"
        f"MERGE (a)-[r:{_type(rel_type)} {{id: row.id}}]->(b)\n"
        "SET r = row.props\n"
        "RETURN count(r) AS n"
    )


@cache
def create_relationships(rel_type: str, start_label: str, end_label: str) -> str:
    """Create a batch of relationships known to be new, as merge_relationships returns it
    (how many rows found both ends), without MERGE's search among the ends' relationships."""
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{_label(start_label)} {{id: row.start}})\n"
        f"MATCH (b:{_label(end_label)} {{id: row.end}})\n"
        f"CREATE (a)-[r:{_type(rel_type)}]->(b)\n"
        "SET r = row.props\n"
        "RETURN count(r) AS n"
    )


# The stop words of an analyzer, to check SEARCH_STOP_WORDS against the server (tests).
ANALYZER_STOP_WORDS = (
    "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer, stopwords "
    "WHERE analyzer = $analyzer RETURN stopwords"
)
