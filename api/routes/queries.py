"""Saved queries: GET /api/queries lists them with their parameters; GET or POST
/api/queries/{name} runs one (graph/queries.yaml, plus DEALGRAPH_QUERIES_FILE).

GET takes the parameters as query-string values (`?vehicle=...&limit=10`; a list[string]
parameter repeats or takes commas); POST takes `{"params": {...}, "limit", "timeout_ms"}`.
Values are checked against each parameter's type before the query runs; a wrong one is
422 naming it. Runs go through the same guards as POST /api/cypher.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError, ErrorEnvelope
from api.routes.cypher import ERRORS, MAX_ROWS, MAX_TIMEOUT_MS, CypherResponse, bounds, run_guarded
from api.settings import Settings
from graph.saved_queries import RESERVED_NAMES, ParameterError, QueryFileError, SavedQuery, load_queries
from graph.store import GraphStore

router = APIRouter(prefix="/api/queries", tags=["cypher"])

QueryName = Annotated[str, Path(max_length=63, description="Name of a saved query, e.g. projects_funded_by.")]
RUN_ERRORS = {**ERRORS, 404: {"model": ErrorEnvelope, "description": "No saved query has this name."}}


class QueryParameter(BaseModel):
    name: str
    type: str = Field(description="string, integer, float, boolean, date (YYYY-MM-DD) or list[string].")
    required: bool
    default: Any = Field(None, description="Used when the parameter is not given.")
    description: str = ""
    enum: list[str] | None = None


class SavedQueryInfo(BaseModel):
    name: str
    description: str
    parameters: list[QueryParameter]
    cypher: str


class SavedQueryList(BaseModel):
    items: list[SavedQueryInfo]
    total: int


class SavedQueryRun(BaseModel):
    params: dict[str, Any] = Field(default_factory=dict, description="Parameter values by name.")
    limit: int | None = Field(None, ge=1, le=MAX_ROWS, description="Most rows; lowered to DEALGRAPH_MAX_GRAPH_NODES.")
    timeout_ms: int | None = Field(
        None, ge=1, le=MAX_TIMEOUT_MS, description="Time limit in ms; lowered to DEALGRAPH_QUERY_TIMEOUT_S."
    )


class SavedQueryResponse(CypherResponse):
    name: str
    parameters: dict[str, Any] = Field(description="The values the query ran with, defaults filled in.")


def _queries(settings: Settings) -> dict[str, SavedQuery]:
    try:
        return load_queries(settings.queries_file)
    except QueryFileError as exc:
        raise ApiError(500, f"saved queries: {exc}", "queries_file_error") from None


def _query(settings: Settings, name: str) -> SavedQuery:
    queries = _queries(settings)
    if name not in queries:
        raise ApiError(404, f"no saved query named {name!r}; GET /api/queries lists them")
    return queries[name]


def _run(
    store: GraphStore,
    settings: Settings,
    query: SavedQuery,
    given: dict[str, Any],
    from_text: bool,
    where: str,
    **limits: Any,
) -> SavedQueryResponse:
    limit, timeout_ms = bounds(settings, limits.get("limit"), limits.get("timeout_ms"))
    try:
        values = query.bind(given, from_text=from_text)
    except ParameterError as exc:
        raise ApiError(
            422,
            f"invalid parameter: {exc}",
            "invalid_parameter",
            details=[{"parameter": exc.name, "in": where, "message": str(exc)}],
        ) from None
    shown = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    result = run_guarded(store, settings, query.cypher, values, limit, timeout_ms)
    return SavedQueryResponse(name=query.name, parameters=shown, **result)


def _int(request: Request, name: str, most: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= most:
        raise ApiError(
            422,
            f"invalid parameter: {name}",
            details=[{"parameter": name, "in": "query", "message": f"a whole number from 1 to {most}"}],
        )
    return value


@router.get("", summary="Saved queries with their parameters")
def list_queries(settings: SettingsDep) -> SavedQueryList:
    items = [SavedQueryInfo(**q.describe()) for q in _queries(settings).values()]
    return SavedQueryList(items=items, total=len(items))


@router.get(
    "/{name}",
    summary="Run a saved query with query-string parameters (`?name=value`; plus `limit`, `timeout_ms`)",
    responses=RUN_ERRORS,
)
def run_query_get(name: QueryName, request: Request, store: StoreDep, settings: SettingsDep) -> SavedQueryResponse:
    query = _query(settings, name)
    types = {p.name: p.type for p in query.params}
    given: dict[str, Any] = {}
    for key in request.query_params:
        if key in RESERVED_NAMES:
            continue
        values = request.query_params.getlist(key)
        if types.get(key) == "list[string]":
            given[key] = [item for v in values for item in v.split(",") if item] if len(values) > 1 else values[0]
        else:
            given[key] = values[-1]
    return _run(
        store,
        settings,
        query,
        given,
        True,
        "query",
        limit=_int(request, "limit", MAX_ROWS),
        timeout_ms=_int(request, "timeout_ms", MAX_TIMEOUT_MS),
    )


@router.post("/{name}", summary="Run a saved query with a JSON body of parameters", responses=RUN_ERRORS)
def run_query_post(name: QueryName, body: SavedQueryRun, store: StoreDep, settings: SettingsDep) -> SavedQueryResponse:
    query = _query(settings, name)
    return _run(store, settings, query, body.params, False, "body", limit=body.limit, timeout_ms=body.timeout_ms)
