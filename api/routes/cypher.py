"""POST /api/cypher: an analyst's read-only Cypher on the Neo4j store (guards: graph/analyst.py).

The request may lower the row limit and the time limit, never raise them past the settings
(DEALGRAPH_MAX_GRAPH_NODES rows, DEALGRAPH_QUERY_TIMEOUT_S seconds): a higher ask gets the
setting, and the answer's `limit` and `timeout_ms` say what applied. The answer has the
rows as JSON values and a graph view of every node and relationship they hold, for the
explorer to draw. Saved queries (api/routes/queries.py) run through `run_guarded` too.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError, ErrorEnvelope
from api.models import GraphEdge, GraphNode, GraphView, public_props, source_nodes, source_refs, summary
from api.settings import Settings
from graph import analyst
from graph.schema import load_schema
from graph.store import GraphStore

router = APIRouter(prefix="/api", tags=["cypher"])

DEFAULT_COLOR = "#9e9e9e"
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorEnvelope, "description": "Syntax error (with line, column, offset) or another Cypher error."},
    403: {"model": ErrorEnvelope, "description": "The query writes or uses what the read-only endpoint refuses."},
    408: {"model": ErrorEnvelope, "description": "The query ran past its time limit and was stopped."},
    413: {"model": ErrorEnvelope, "description": "The query text is over the length limit."},
    501: {"model": ErrorEnvelope, "description": "The store is not Neo4j; the message says how to start one."},
}


# The widest limits any settings allow (DEALGRAPH_MAX_GRAPH_NODES <= 100,000 and
# DEALGRAPH_QUERY_TIMEOUT_S <= 300); a request's own are lowered to the server's settings.
MAX_ROWS = 100_000
MAX_TIMEOUT_MS = 300_000


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, description="Read-only Cypher. Values go in `params`, referenced as $name.")
    params: dict[str, Any] = Field(default_factory=dict, description="Query parameters (JSON values).")
    limit: int | None = Field(
        None, ge=1, le=MAX_ROWS, description="Most rows to return; lowered to DEALGRAPH_MAX_GRAPH_NODES."
    )
    timeout_ms: int | None = Field(
        None, ge=1, le=MAX_TIMEOUT_MS, description="Time limit in milliseconds; lowered to DEALGRAPH_QUERY_TIMEOUT_S."
    )


class Notice(BaseModel):
    code: str = Field(description="Neo4j's GQL status code of the notification.")
    message: str
    severity: str
    line: int | None = None
    column: int | None = None


class CypherResponse(BaseModel):
    columns: list[str]
    rows: list[list[Any]] = Field(
        description="One list per row. Nodes, relationships and paths are objects with `kind`, our `id`, "
        "`element_id`, `labels` or `type` (and `start`/`end`), and `properties`; dates are ISO strings."
    )
    truncated: bool = Field(description="True when the query had more rows than `limit`.")
    limit: int = Field(description="The row limit that applied.")
    timeout_ms: int = Field(description="The time limit that applied, in milliseconds.")
    elapsed_ms: float
    query_type: str = Field(description="Neo4j's query type from EXPLAIN; always `r` (read-only) here.")
    notices: list[Notice] = Field(description="Neo4j's warnings and hints about the query.")
    graph: GraphView = Field(description="Every node and relationship in the rows, as the explorer draws them.")


def bounds(settings: Settings, limit: int | None, timeout_ms: int | None) -> tuple[int, int]:
    """The row limit and time limit (ms) of a request: its own when lower than the settings',
    else the settings' (DEALGRAPH_MAX_GRAPH_NODES rows, DEALGRAPH_QUERY_TIMEOUT_S). The answer
    states the limits that applied."""
    max_rows = settings.max_graph_nodes
    max_ms = max(int(settings.query_timeout_s * 1000), 1)
    return min(limit or max_rows, max_rows), min(timeout_ms or max_ms, max_ms)


def api_error(exc: Exception) -> ApiError:
    """The envelope for an analyst query that did not run."""
    if isinstance(exc, analyst.NeedsNeo4j):
        return ApiError(501, str(exc), "neo4j_required")
    if isinstance(exc, analyst.QueryTooLong):
        return ApiError(413, str(exc), "query_too_long")
    if isinstance(exc, analyst.QueryRefused):
        return ApiError(403, f"the Cypher endpoint is read-only: {exc}", "read_only")
    if isinstance(exc, analyst.QuerySyntaxError):
        details = {"line": exc.line, "column": exc.column, "offset": exc.offset}
        return ApiError(400, str(exc), "cypher_syntax_error", details=details)
    if isinstance(exc, analyst.QueryTimeout):
        return ApiError(408, str(exc), "timeout")
    if isinstance(exc, analyst.QueryFailed):
        return ApiError(400, str(exc), "cypher_error", details={"neo4j_code": exc.code} if exc.code else None)
    raise exc


def graph_of(store: GraphStore, result: analyst.CypherResult, max_nodes: int) -> GraphView:
    labels = load_schema().labels
    nodes = result.nodes[:max_nodes]
    kept = {n.id for n in nodes}
    rels = [r for r in result.relationships if r.start in kept and r.end in kept]
    sources = source_nodes(store, rels)
    return GraphView(
        nodes=[
            GraphNode(**summary(n).model_dump(), color=labels[n.label].color if n.label in labels else DEFAULT_COLOR)
            for n in nodes
        ],
        edges=[
            GraphEdge(
                id=r.id,
                type=r.type,
                source=r.start,
                target=r.end,
                properties=public_props(r.props),
                sources=source_refs(r, sources),
            )
            for r in rels
        ],
        truncated=len(result.nodes) > max_nodes,
    )


def run_guarded(
    store: GraphStore, settings: Settings, query: str, params: dict[str, Any], limit: int, timeout_ms: int
) -> dict[str, Any]:
    """Run through every guard; the fields of CypherResponse, or an ApiError."""
    try:
        handle = analyst.neo4j_handle(store)
        result = analyst.run_read_query(
            handle.driver,
            handle.database,
            query,
            params,
            limit=limit,
            timeout_s=timeout_ms / 1000,
            uri=handle.uri,
        )
    except analyst.AnalystQueryError as exc:
        raise api_error(exc) from None
    return {
        "columns": result.columns,
        "rows": result.rows,
        "truncated": result.truncated,
        "limit": limit,
        "timeout_ms": timeout_ms,
        "elapsed_ms": result.elapsed_ms,
        "query_type": result.query_type,
        "notices": [Notice(**vars(n)) for n in result.notices],
        "graph": graph_of(store, result, settings.max_graph_nodes),
    }


@router.post("/cypher", summary="Run read-only Cypher on the Neo4j store", responses=ERRORS)
def run_cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> CypherResponse:
    """EXPLAIN first (anything but a read-only plan is refused), then the query in a read
    transaction with a server-side time limit, returning at most `limit` rows."""
    limit, timeout_ms = bounds(settings, body.limit, body.timeout_ms)
    return CypherResponse(**run_guarded(store, settings, body.query, body.params, limit, timeout_ms))
