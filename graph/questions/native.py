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
from typing import Any, NamedTuple

import neo4j
from neo4j import READ_ACCESS, Query
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.model import Node, Relationship
from graph.questions.dependencies import KINDS, DependenciesResult, Kind, RawRow, select, typed_result
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
        form = "_of_company" if company is not None else "_of_concession" if concession is not None else ""
        rows: list[tuple] = []
        for kind in kinds:
            for record in self.run(f"dependencies_{kind}{form}", **params):
                steps = tuple(
                    _Step(_Ref(rid), eid, bool(fwd))
                    for rid, eid, fwd in zip(record["ids"], record["eids"], record["forward"], strict=True)
                )
                rows.append((record["company"], record["concession"], record["kind"], steps))
        shown = select(rows, limit)
        # Only the rows shown need their records: read them once, by element id.
        wanted = sorted({step.eid for row in shown for step in row[3]})
        nodes: dict[str, Node] = {}
        rels: dict[str, Relationship] = {}
        for record in self.run("chain_records", eids=wanted) if wanted else []:
            ends = []
            for side in ("start", "end"):
                props = _props(record[f"{side}_props"])
                nodes.setdefault(props["id"], Node(props["id"], record[f"{side}_label"], props))
                ends.append(props["id"])
            props = _props(record["props"])
            rels[props["id"]] = Relationship(props["id"], record["type"], ends[0], ends[1], props)
        graph = QuestionGraph(nodes.values(), rels.values(), as_of)
        shown_rows: list[RawRow] = [
            (c, t, k, tuple((graph.relationship(step.rel.id), step.forward) for step in steps))  # type: ignore[misc]
            for c, t, k, steps in shown
        ]
        return typed_result(graph, shown_rows, rows, company, concession)


class _Ref(NamedTuple):
    id: str


class _Step(NamedTuple):
    """A hop of a chain as the query returns it, before its record is read (shaped like a
    (relationship, forward) step, so `sort_key` orders both alike)."""

    rel: _Ref
    eid: str
    forward: bool
