"""The questions (graph/questions/), one route each under /api/questions.

Every route takes `as_of` (YYYY-MM-DD; omitted: every fact, whatever its dates — except
deadlines, which default to today), answers with the question's typed result and its
evidence, 404 in the error envelope for an id that is not in the graph, and 422 naming the
parameter for a bad date, calendar or combination of parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.errors import ApiError, ErrorEnvelope
from api.limits import MAX_PAGE_SIZE, MAX_TEXT
from graph.questions import ask
from graph.questions.conflicts import ConflictsResult
from graph.questions.critical import CriticalResult
from graph.questions.deadlines import CalendarError, DeadlinesResult
from graph.questions.dependencies import DependenciesResult
from graph.questions.diff import DiffResult
from graph.questions.ledger import LedgerResult
from graph.questions.paths import PathResult
from graph.questions.projection import UnknownEntity
from graph.questions.whatif import WhatIfResult

router = APIRouter(prefix="/api/questions", tags=["questions"])

MAX_HOPS = 6
ERRORS = {404: {"model": ErrorEnvelope, "description": "An id given is not in the graph."}}
T = TypeVar("T")

Id = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT)]
AsOf = Annotated[
    dt.date | None,
    Query(description="See the graph as it stood on this day (YYYY-MM-DD); omitted: every fact, whatever its dates."),
]


def _invalid(parameters: list[str], message: str) -> ApiError:
    return ApiError(422, message, details=[{"parameter": p, "in": "query", "message": message} for p in parameters])


@contextmanager
def _answering() -> Iterator[None]:
    """Turn a question's errors into the envelope: unknown ids 404, bad values 422."""
    try:
        yield
    except UnknownEntity as exc:
        raise ApiError(404, str(exc), details=[{"parameter": exc.parameter, "in": "query"}]) from None
    except CalendarError as exc:
        raise _invalid(["calendar"], str(exc)) from None


def _one_of(**given: str | None) -> None:
    named = [k for k, v in given.items() if v is not None]
    if len(named) != 1:
        names = " or ".join(given)
        raise _invalid(list(given), f"give exactly one of {names}")


def _run(question: Callable[..., T], *args, **kwargs) -> T:
    with _answering():
        return question(*args, **kwargs)


@router.get("/dependencies", summary="Which companies depend on which tariff concessions, and how", responses=ERRORS)
def dependencies(
    store: StoreDep,
    company: Annotated[Id, Query(description="Only this company (id).")] = None,
    concession: Annotated[Id, Query(description="Only this tariff concession (id).")] = None,
    as_of: AsOf = None,
    kind: Annotated[Literal["exposure", "fulfilment"] | None, Query(description="Only this kind.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Most rows; `total` counts them all.")] = 200,
) -> DependenciesResult:
    """Rows of (company, concession, kind, chain): **exposure** (the company sells into a
    sector the concession covers, from a country it benefits) and **fulfilment** (the
    company carries a project funded to fulfil the commitment the concession is
    conditional on). Each hop cites its sources with quotes."""
    kinds = (kind,) if kind else ("exposure", "fulfilment")
    return _run(ask.dependencies, store, company, concession, as_of, kinds, limit)


@router.get(
    "/what-if",
    summary="What falls, and who is exposed, if a concession is revoked or a commitment breached",
    responses=ERRORS,
)
def what_if(
    store: StoreDep,
    revoke: Annotated[Id, Query(description="A tariff concession to revoke (id).")] = None,
    breach: Annotated[
        Id, Query(description="A commitment to breach (id): every concession conditional on it falls.")
    ] = None,
    as_of: AsOf = None,
) -> WhatIfResult:
    _one_of(revoke=revoke, breach=breach)
    return _run(ask.what_if, store, revoke=revoke, breach=breach, as_of=as_of)


@router.get("/deadlines", summary="Due dates of deadline rules in working days, and their status", responses=ERRORS)
def deadlines(
    store: StoreDep,
    as_of: Annotated[dt.date | None, Query(description="Status as of this day (YYYY-MM-DD); default: today.")] = None,
    calendar: Annotated[
        str,
        Query(
            min_length=2,
            max_length=20,
            pattern=r"^[A-Za-z]{2}(\+[A-Za-z]{2})*$",
            description="Holiday calendar: US, JP, or a union such as US+JP.",
        ),
    ] = "US",
    selected_on: Annotated[
        dt.date | None, Query(description="Evaluate a hypothetical project selection on this day (day 0).")
    ] = None,
    commitment: Annotated[Id, Query(description="Only this rule (a commitment id).")] = None,
) -> DeadlinesResult:
    """The selection day is day 0; day 1 is the next working day. Where sources disagree on
    the rule (a Claim disputes its unit or amount), both readings are returned, flagged."""
    return _run(ask.deadlines, store, as_of=as_of, calendar=calendar, selected_on=selected_on, commitment=commitment)


@router.get("/diff", summary="Facts added, removed and changed between two days, or under a what-if", responses=ERRORS)
def diff(
    store: StoreDep,
    from_: Annotated[dt.date | None, Query(alias="from", description="The earlier day (YYYY-MM-DD).")] = None,
    to: Annotated[dt.date | None, Query(description="The later day (YYYY-MM-DD).")] = None,
    revoke: Annotated[Id, Query(description="Scenario: the baseline against revoking this concession.")] = None,
    breach: Annotated[Id, Query(description="Scenario: the baseline against breaching this commitment.")] = None,
    as_of: Annotated[dt.date | None, Query(description="Scenario: the day of the baseline.")] = None,
) -> DiffResult:
    """Give `from` and `to`, or one of `revoke` / `breach` (optionally with `as_of`). Uses
    valid_from / valid_to only, never reported_on."""
    scenario = revoke is not None or breach is not None
    if scenario:
        if from_ is not None or to is not None:
            raise _invalid(["from", "to"], "give either from and to, or a scenario (revoke or breach)")
        _one_of(revoke=revoke, breach=breach)
    elif from_ is None or to is None:
        raise _invalid([p for p, v in (("from", from_), ("to", to)) if v is None], "give both from and to")
    elif as_of is not None:
        raise _invalid(["as_of"], "as_of is for the scenario form; the date form takes from and to")
    return _run(ask.diff, store, from_, to, revoke=revoke, breach=breach, as_of=as_of)


@router.get("/path", summary="Shortest paths and every relationship chain up to N hops", responses=ERRORS)
def path(
    store: StoreDep,
    source: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Entity id to start from.")],
    target: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Entity id to reach.")],
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description="Longest chain, in relationships.")] = 4,
    directed: Annotated[bool, Query(description="Follow stored directions only.")] = False,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Most chains to return.")] = 100,
) -> PathResult:
    return _run(ask.path, store, source, target, max_hops=max_hops, directed=directed, as_of=as_of, limit=limit)


@router.get("/conflicts", summary="Where sources disagree: both values side by side, with sources", responses=ERRORS)
def conflicts(
    store: StoreDep,
    entity: Annotated[Id, Query(description="Only conflicts about this entity (id).")] = None,
    as_of: AsOf = None,
) -> ConflictsResult:
    return _run(ask.conflicts, store, entity=entity, as_of=as_of)


@router.get("/ledger", summary="An agreement's reciprocity, or a vehicle's pledged/selected/funded", responses=ERRORS)
def ledger(
    store: StoreDep,
    agreement: Annotated[Id, Query(description="An agreement (id): each side's concessions and commitments.")] = None,
    vehicle: Annotated[Id, Query(description="An investment vehicle (id): its projects by stage.")] = None,
    as_of: AsOf = None,
) -> LedgerResult:
    _one_of(agreement=agreement, vehicle=vehicle)
    return _run(ask.ledger, store, agreement=agreement, vehicle=vehicle, as_of=as_of)


@router.get("/critical", summary="Nodes and relationships whose removal breaks the most dependencies; centrality")
def critical(
    store: StoreDep,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=100, description="How many critical nodes and relationships.")] = 10,
    top: Annotated[int, Query(ge=1, le=50, description="How many nodes per label in the centrality table.")] = 5,
    centrality: Annotated[bool, Query(description="Compute degree and betweenness centrality.")] = True,
) -> CriticalResult:
    return _run(ask.critical, store, as_of=as_of, limit=limit, top=top, with_centrality=centrality)
