"""Native Cypher for the questions that have one (today: dependencies), run on Neo4j.

The queries live in graph/questions/queries.cypher, one "// name:" section each, with
their values as parameters. `CypherQuestions` receives a driver and a database name (it
never builds a driver) and answers a request with ONE statement in a READ session with a
time limit, so one round trip whatever the size of the answer: Neo4j checks that the ids
given exist, counts every chain, sorts and cuts them to the page (in the order of
`graph.questions.dependencies.sort_key`), and returns the records of the chains shown.
Python turns those into the same typed result as the shared implementation, with the same
evidence code. tests/questions/test_parity.py checks the answers are equal.
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
from graph.questions.dependencies import KINDS, DependenciesResult, Kind, RawRow, typed_result
from graph.questions.projection import QuestionGraph, UnknownEntity
from graph.store import GraphStore, StoreError, StoreUnavailable

QUERIES_PATH = Path(__file__).with_name("queries.cypher")
_NAME = re.compile(r"^// name: (\w+)\s*$", re.MULTILINE)
# Where a dependencies wrapper takes the bodies of the kinds asked for.
BODY = "//> body"
# LIMIT and list slices need a number: "no limit" is the largest slice bound (2**31 - 1).
ALL = 2**31 - 1


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

    def run(self, name: str, text: str, params: dict[str, Any]) -> list[neo4j.Record]:
        """Run a statement made of named sections (`name` says which, in errors) in a READ
        session with the time limit."""
        try:
            with self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
                return list(session.run(Query(text, timeout=self.timeout_s), params))
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"cannot reach Neo4j to run {name}: {exc}") from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j could not run {name}: {exc}") from None

    def dependencies(
        self,
        company: str | None = None,
        concession: str | None = None,
        as_of: dt.date | None = None,
        kinds: tuple[Kind, ...] = KINDS,
        limit: int | None = None,
    ) -> DependenciesResult:
        """`graph.questions.dependencies.dependencies`, answered by one Cypher statement."""
        anchor = "company" if company is not None else "concession" if concession is not None else None
        statement = dependencies_statement(anchor, tuple(kinds))
        # Without a limit every chain is shown (as `select` does); a negative one shows none.
        page = ALL if limit is None else min(max(limit, 0), ALL)
        params = {"company": company, "concession": concession, "as_of": as_of, "limit": page}
        (found,) = self.run("dependencies", statement, params)
        if not found["company_known"]:
            raise UnknownEntity(str(company), "company", "Company")
        if not found["concession_known"]:
            raise UnknownEntity(str(concession), "concession", "TariffConcession")
        nodes = [Node(props["id"], n["label"], props) for n in found["nodes"] for props in [_props(n["props"])]]
        rels = [
            Relationship(props["id"], r["type"], r["start"], r["end"], props)
            for r in found["rels"]
            for props in [_props(r["props"])]
        ]
        graph = QuestionGraph(nodes, rels, as_of)
        shown: list[RawRow] = [
            (
                row["company"],
                row["concession"],
                row["kind"],
                tuple((graph.relationship(i), bool(f)) for i, f in zip(row["ids"], row["forward"], strict=True)),  # type: ignore[misc]
            )
            for row in found["page"]
        ]
        result = typed_result(graph, shown, shown, company, concession)
        total = found["total"]
        return result.model_copy(update={"total": total, "pairs": found["pairs"], "truncated": len(shown) < total})


@cache
def dependencies_statement(anchor: str | None, kinds: tuple[Kind, ...]) -> str:
    """The one statement that answers a dependencies request: the wrapper for the anchor
    (`company`, `concession` or None: the whole graph) with the bodies of `kinds` in place
    of its `//> body` line, then the evidence section.

    >>> text = dependencies_statement("company", ("fulfilment",))
    >>> text.count("MATCH (c:Company {id: $company})"), "(t:TariffConcession {id: $concession})" in text
    (2, False)
    """
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kind(s) {sorted(unknown)}; expected some of {list(KINDS)}")
    form = f"_of_{anchor}" if anchor else ""
    bodies = [queries()[f"dependencies_{kind}{form}"] for kind in KINDS if kind in kinds]
    body = "\nUNION ALL\n".join(bodies) or queries()["dependencies_none"]
    wrapper = queries()["dependencies_anchored" if anchor else "dependencies_all"]
    return wrapper.replace(BODY, body) + "\n" + queries()["dependencies_evidence"]
