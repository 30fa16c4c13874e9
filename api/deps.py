"""Dependencies routes declare with Annotated aliases; the store is opened once, in the lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from graph.embedded import EmbeddedStore
from graph.store import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store the settings ask for. Neo4j's driver is created here, once."""
    if settings.store_kind() == "neo4j":
        from graph.neo4j_store import Neo4jStore  # imported lazily: the embedded path needs no driver

        return Neo4jStore.from_settings(settings)
    return EmbeddedStore(settings.data_dir)


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
