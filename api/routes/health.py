from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import StoreDep
from api.models import Stats

router = APIRouter(prefix="/api", tags=["meta"])


class Health(BaseModel):
    status: str
    store: str


@router.get("/health", summary="Is the API up and its store reachable?")
def health(store: StoreDep) -> Health:
    store.ping()
    return Health(status="ok", store=store.name)


@router.get("/stats", summary="Node counts per label and relationship counts per type")
def stats(store: StoreDep) -> Stats:
    counts = store.counts()
    return Stats(
        store=store.name,
        nodes=counts.nodes,
        relationships=counts.relationships,
        labels=counts.labels,
        types=counts.types,
    )
