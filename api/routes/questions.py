"""The questions (graph/questions/), one route each under /api/questions.

Every route takes `as_of` (YYYY-MM-DD; omitted: every fact, whatever its dates — except
deadlines, which default to today), answers with the question's typed result and its
evidence, 404 in the error envelope for an id that is not in the graph, and 422 naming the
parameter for a bad date, calendar or combination of parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Literal, TypeVar

import holidays
from fastapi import APIRouter, Query

from api.dates import IsoDate
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
from graph.store import GraphStore

router = APIRouter(prefix="/api/questions", tags=["questions"])

MAX_HOPS = 6
# ISO alpha-2 codes the holidays library has a calendar for, alone or joined by +, space or comma.
_CODES = "|".join(sorted(code for code in holidays.list_supported_countries() if len(code) == 2))
CALENDAR_PATTERN = rf"^({_CODES})([+ ,]({_CODES})){{0,3}}$"
ERRORS = {404: {"model": ErrorEnvelope, "description": "An id given is not in the graph."}}
T = TypeVar("T")

Id = Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT)]


Day = IsoDate
AsOf = Annotated[
    Day | None,
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


def _scenario(store: GraphStore, entity_id: str, by_label: dict[str, str]) -> str:
    """What to do with `entity_id`, from its label; 404 naming `id` when it has none of them."""
    node = store.get_node(entity_id)
    if node is None or node.label not in by_label:
        labels = " or ".join(by_label)
        raise ApiError(404, f"no {labels} with id {entity_id!r}", details=[{"parameter": "id", "in": "query"}])
    return by_label[node.label]


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
    id: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            description="A tariff concession (revoked) or a commitment (breached: every concession conditional "
            "on it falls).",
        ),
    ],
    as_of: AsOf = None,
) -> WhatIfResult:
    """The scenario follows from the id's label: a TariffConcession is revoked, a Commitment
    breached (the CLI's `--revoke` and `--breach`)."""
    scenario = _scenario(store, id, {"TariffConcession": "revoke", "Commitment": "breach"})
    return _run(ask.what_if, store, **{scenario: id}, as_of=as_of)


@router.get("/deadlines", summary="Due dates of deadline rules in working days, and their status", responses=ERRORS)
def deadlines(
    store: StoreDep,
    as_of: Annotated[Day | None, Query(description="Status as of this day (YYYY-MM-DD); default: today.")] = None,
    calendar: Annotated[
        str,
        Query(
            max_length=40,
            pattern=CALENDAR_PATTERN,
            description="Holiday calendar: a country code such as US or JP, or a union such as US+JP (in a URL, "
            "`US%2BJP`, `US,JP` or `US JP`).",
        ),
    ] = "US",
    selected_on: Annotated[
        Day | None, Query(description="Evaluate a hypothetical project selection on this day (day 0).")
    ] = None,
    commitment: Annotated[Id, Query(description="Only this rule (a commitment id).")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Most rows; `total` counts them all.")] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows (by due date) to skip.")] = 0,
) -> DeadlinesResult:
    """The selection day is day 0; day 1 is the next working day. Where sources disagree on
    the rule (a Claim disputes its unit or amount), both readings are returned, flagged.
    Rows come by due date, a page at a time (`total`, `next_offset`)."""
    return _run(
        ask.deadlines,
        store,
        as_of=as_of,
        calendar=calendar,
        selected_on=selected_on,
        commitment=commitment,
        limit=limit,
        offset=offset,
    )


@router.get("/diff", summary="Facts added, removed and changed between two days", responses=ERRORS)
def diff(
    store: StoreDep,
    from_: Annotated[Day, Query(alias="from", description="The earlier day (YYYY-MM-DD).")],
    to: Annotated[Day, Query(description="The later day (YYYY-MM-DD).")],
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="Most facts in `added` and in `removed` (totals count all).")
    ] = 200,
) -> DiffResult:
    """Facts in force on `to` and not on `from` (added), the reverse (removed), and applied
    tariff rates or relationship values that changed; by valid_from / valid_to only, never
    reported_on."""
    return _run(ask.diff, store, from_, to, limit=limit)


@router.get(
    "/diff/what-if",
    summary="Facts removed and changed if a concession is revoked or a commitment breached",
    responses=ERRORS,
)
def diff_what_if(
    store: StoreDep,
    id: Annotated[
        str,
        Query(
            min_length=1, max_length=MAX_TEXT, description="A tariff concession (revoked) or a commitment (breached)."
        ),
    ],
    as_of: Annotated[Day | None, Query(description="The day of the baseline (YYYY-MM-DD).")] = None,
) -> DiffResult:
    """The baseline (the graph on `as_of`) against the same graph after the what-if."""
    scenario = _scenario(store, id, {"TariffConcession": "revoke", "Commitment": "breach"})
    return _run(ask.diff, store, **{scenario: id}, as_of=as_of)


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
    id: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            description="An agreement (each side's concessions and commitments) or an investment vehicle (its "
            "projects by stage).",
        ),
    ],
    as_of: AsOf = None,
) -> LedgerResult:
    """The ledger follows from the id's label: an Agreement or an InvestmentVehicle (the
    CLI's `--agreement` and `--vehicle`)."""
    kind = _scenario(store, id, {"Agreement": "agreement", "InvestmentVehicle": "vehicle"})
    return _run(ask.ledger, store, **{kind: id}, as_of=as_of)


@router.get("/critical", summary="Nodes and relationships whose removal breaks the most dependencies; centrality")
def critical(
    store: StoreDep,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=100, description="How many critical nodes and relationships.")] = 10,
    top: Annotated[int, Query(ge=1, le=50, description="How many nodes per label in the centrality table.")] = 5,
    centrality: Annotated[bool, Query(description="Compute degree and betweenness centrality.")] = True,
) -> CriticalResult:
    return _run(ask.critical, store, as_of=as_of, limit=limit, top=top, with_centrality=centrality)
