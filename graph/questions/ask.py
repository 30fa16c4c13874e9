"""The questions asked of a store: what the API and the CLI call, the same on both stores.

Each function projects the store (reused while an embedded store is unchanged, see
projection.py) and runs the shared implementation; `dependencies` on Neo4j runs its named
Cypher query instead (graph/questions/queries.cypher), which the parity suite proves gives
the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph.questions import conflicts as _conflicts
from graph.questions import critical as _critical
from graph.questions import deadlines as _deadlines
from graph.questions import dependencies as _dependencies
from graph.questions import diff as _diff
from graph.questions import ledger as _ledger
from graph.questions import paths as _paths
from graph.questions import whatif as _whatif
from graph.questions.projection import projection
from graph.store import GraphStore

# The questions with a native Cypher form on Neo4j.
NATIVE = ("dependencies",)


def dependencies(
    store: GraphStore,
    company: str | None = None,
    concession: str | None = None,
    as_of: dt.date | None = None,
    kinds: Iterable[_dependencies.Kind] = _dependencies.KINDS,
    limit: int | None = None,
    native: bool | None = None,
) -> _dependencies.DependenciesResult:
    """Dependencies; on Neo4j by its named Cypher query unless `native=False`."""
    if native is None:
        native = store.name == "neo4j"
    if native:
        from graph.questions.native import CypherQuestions

        return CypherQuestions.for_store(store).dependencies(company, concession, as_of, tuple(kinds), limit)
    return _dependencies.dependencies(projection(store), company, concession, as_of, kinds, limit)


def what_if(store: GraphStore, **kwargs) -> _whatif.WhatIfResult:
    return _whatif.what_if(projection(store), **kwargs)


def deadlines(store: GraphStore, **kwargs) -> _deadlines.DeadlinesResult:
    return _deadlines.deadlines(projection(store), **kwargs)


def diff(store: GraphStore, from_: dt.date | None = None, to: dt.date | None = None, **kwargs) -> _diff.DiffResult:
    return _diff.diff(projection(store), from_, to, **kwargs)


def path(store: GraphStore, source: str, target: str, **kwargs) -> _paths.PathResult:
    return _paths.path(projection(store), source, target, **kwargs)


def conflicts(store: GraphStore, **kwargs) -> _conflicts.ConflictsResult:
    return _conflicts.conflicts(projection(store), **kwargs)


def ledger(store: GraphStore, **kwargs) -> _ledger.LedgerResult:
    return _ledger.ledger(projection(store), **kwargs)


def critical(store: GraphStore, **kwargs) -> _critical.CriticalResult:
    return _critical.critical(projection(store), **kwargs)
