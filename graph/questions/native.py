"""Native Cypher for the questions that have one (today: dependencies), run on Neo4j.

The queries live in graph/questions/queries.cypher, one "// name:" section each, with
their values as parameters. `CypherQuestions` receives a driver and a database name (it
never builds a driver), runs each query in a READ session with a time limit, and turns
the rows into the same typed result as the shared Python implementation: the chain's
records become a small projection, rows are sorted by the same key, and evidence is built
by the same code. tests/questions/test_parity.py checks the answers are equal.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any

import neo4j
from neo4j import READ_ACCESS, Query
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.model import Node, Relationship
from graph.questions.dependencies import KINDS, DependenciesResult, Kind, RawRow, build_result
from graph.questions.projection import QuestionGraph, UnknownEntity
from graph.store import GraphStore, StoreError, StoreUnavailable

QUERIES_PATH = Path(__file__).with_name("queries.cypher")
_NAME = re.compile(r"^// name: (\w+)\s*$", re.MULTILINE)


@cache
def queries() -> dict[str, str]:
    """The named queries of queries.cypher: {name: text} (comments kept, they are Cypher too)."""
    text = QUERIES_PATH.read_text(encoding="utf-8")
    marks = list(_NAME.finditer(text))
    return {
        m.group(1): text[m.end() : nxt.start() if nxt else len(text)].strip()
        for m, nxt in zip(marks, [*marks[1:], None], strict=True)
    }


def _native(value: Any) -> Any:
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _props(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: _native(v) for k, v in raw.items()}


class CypherQuestions:
    """The questions that have a named Cypher query, answered by Neo4j itself."""

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j", timeout_s: float = 10.0) -> None:
        self._driver = driver
        self.database = database
        self.timeout_s = timeout_s

    @classmethod
    def for_store(cls, store: GraphStore) -> CypherQuestions:
        """The runner for a Neo4jStore, sharing its driver, database and time limit."""
        driver = getattr(store, "driver", None) or getattr(store, "_driver", None)
        if driver is None or store.name != "neo4j":
            raise TypeError(f"not a Neo4j store: {store.name}")
        return cls(driver, getattr(store, "database", "neo4j"), getattr(store, "timeout_s", 10.0))

    def run(self, name: str, **params: Any) -> list[neo4j.Record]:
        """Run the named query in a READ session with the time limit."""
        try:
            with self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
                return list(session.run(Query(queries()[name], timeout=self.timeout_s), params))
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"cannot reach Neo4j to run {name}: {exc}") from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j could not run {name}: {exc}") from None

    def _exists(self, query: str, node_id: str) -> bool:
        rows = self.run(query, id=node_id)
        return bool(rows and rows[0]["n"])

    def dependencies(
        self,
        company: str | None = None,
        concession: str | None = None,
        as_of: dt.date | None = None,
        kinds: tuple[Kind, ...] = KINDS,
        limit: int | None = None,
    ) -> DependenciesResult:
        """`graph.questions.dependencies.dependencies`, answered by the named queries."""
        for value, label, parameter in (
            (company, "Company", "company"),
            (concession, "TariffConcession", "concession"),
        ):
            if value is not None and not self._exists(f"{parameter}_exists", value):
                raise UnknownEntity(value, parameter, label)
        params = {"company": company, "concession": concession, "as_of": as_of}
        records = []
        for kind in kinds:
            records += self.run(f"dependencies_{kind}", **params)
        nodes: dict[str, Node] = {}
        rels: dict[str, Relationship] = {}
        chains = []
        for record in records:
            for item in record["nodes"]:
                props = _props(item["props"])
                nodes.setdefault(props["id"], Node(props["id"], item["label"], props))
            chain = []
            for item, forward in zip(record["rels"], record["forward"], strict=True):
                props = _props(item["props"])
                rel = rels.setdefault(
                    props["id"], Relationship(props["id"], item["type"], item["start"], item["end"], props)
                )
                chain.append((rel, bool(forward)))
            chains.append((record["company"], record["concession"], record["kind"], tuple(chain)))
        graph = QuestionGraph(nodes.values(), rels.values(), as_of)
        # The projection's normalised records, so evidence is built from the same values.
        rows: list[RawRow] = [
            (c, t, k, tuple((graph.relationship(r.id), fwd) for r, fwd in chain))  # type: ignore[misc]
            for c, t, k, chain in chains
        ]
        return build_result(graph, rows, company, concession, limit)
