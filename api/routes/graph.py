from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError, ErrorEnvelope
from api.limits import MAX_DEPTH
from api.models import GraphView, LegendEntry, RelationshipTypeInfo, SchemaInfo, graph_view
from api.routes.views import AsOf, view_subgraph
from graph.schema import load_schema
from graph.store import Subgraph

router = APIRouter(prefix="/api", tags=["graph"])


@router.get(
    "/graph",
    summary="A graph view: the neighbourhood of `center`, or the whole graph up to the node limit",
    responses={404: {"model": ErrorEnvelope}},
)
def graph(
    store: StoreDep,
    settings: SettingsDep,
    center: Annotated[str | None, Query(max_length=200, description="Entity id to centre on.")] = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the centre.")] = 2,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description="Most nodes to return.")] = None,
    as_of: AsOf = None,
) -> GraphView:
    cap = min(limit or settings.max_graph_nodes, settings.max_graph_nodes)
    if center and store.get_node(center) is None:
        raise ApiError(404, f"no entity with id {center!r}")
    if as_of is not None:
        return graph_view(store, view_subgraph(store, center, depth, None, cap, as_of))
    if center:
        return graph_view(store, store.neighbourhood(center, depth, None, cap))
    nodes, total = store.list_nodes(None, cap, 0)
    ids = [n.id for n in nodes]
    return graph_view(store, Subgraph(nodes, store.relationships_between(ids), total > cap))


@router.get("/schema", summary="Labels (with legend colours) and relationship types")
def schema() -> SchemaInfo:
    s = load_schema()
    return SchemaInfo(
        labels=[LegendEntry(**entry) for entry in s.legend()],
        relationship_types=[
            RelationshipTypeInfo(
                type=r.name, description=r.description, from_labels=list(r.from_labels), to_labels=list(r.to_labels)
            )
            for r in s.relationships.values()
        ],
    )
