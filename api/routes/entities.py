from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import SettingsDep, StoreDep
from api.enums import LabelName, RelType
from api.errors import ApiError, ErrorEnvelope
from api.limits import MAX_DEPTH, MAX_PAGE_SIZE
from api.models import Entity, EntityPage, GraphView, entity, graph_view, source_nodes, summary
from api.routes.views import AsOf, view_subgraph

router = APIRouter(prefix="/api/entities", tags=["entities"])

NOT_FOUND = {404: {"model": ErrorEnvelope, "description": "No entity has this id."}}
EntityId = Annotated[str, Path(min_length=1, max_length=200, description="Entity id, e.g. company:softbank-group")]


@router.get("", summary="Search or list entities")
def list_entities(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str | None, Query(max_length=200, description="Text to find in names and aliases.")] = None,
    label: Annotated[LabelName | None, Query(description="Only this label.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EntityPage:
    label_name = label.value if label else None
    if q and q.strip():
        items, total = store.search(q, label_name, limit, offset)
    else:
        items, total = store.list_nodes(label_name, limit, offset)
    return EntityPage(items=[summary(n) for n in items], total=total, limit=limit, offset=offset)


@router.get("/{entity_id}", summary="One entity with its properties and sources", responses=NOT_FOUND)
def get_entity(entity_id: EntityId, store: StoreDep) -> Entity:
    node = store.get_node(entity_id)
    if node is None:
        raise ApiError(404, f"no entity with id {entity_id!r}")
    return entity(node, source_nodes(store, [node]))


@router.get("/{entity_id}/neighbors", summary="The entity's neighbourhood as a graph view", responses=NOT_FOUND)
def neighbors(
    entity_id: EntityId,
    store: StoreDep,
    settings: SettingsDep,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the entity.")] = 1,
    types: Annotated[list[RelType] | None, Query(description="Only these relationship types.")] = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description="Most nodes to return.")] = None,
    as_of: AsOf = None,
) -> GraphView:
    if store.get_node(entity_id) is None:
        raise ApiError(404, f"no entity with id {entity_id!r}")
    cap = min(limit or settings.max_graph_nodes, settings.max_graph_nodes)
    sub = view_subgraph(store, entity_id, depth, [t.value for t in types] if types else None, cap, as_of)
    return graph_view(store, sub)
