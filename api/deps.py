"""Dependencies routes declare with Annotated aliases; the store is opened once, in the lifespan."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from api.errors import ApiError
from api.settings import Settings
from graph.embedded import EmbeddedStore
from graph.store import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The store the settings ask for. Neo4j's driver is created here, once."""
    if settings.store_kind() == "neo4j":
        from graph.neo4j_store import Neo4jStore  # imported lazily: the embedded path needs no driver

        return Neo4jStore.from_settings(settings)
    return EmbeddedStore(settings.data_dir)


# The dependencies that only read app.state are `async def`: FastAPI runs them on the event
# loop, where a plain `def` would cost a thread-pool round trip each (P5 in docs/benchmarks.md).
async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def require_write_token(request: Request, settings: SettingsDep) -> None:
    """Write endpoints need `Authorization: Bearer <DEALGRAPH_API_TOKEN>` (compared in constant time)."""
    expected = settings.api_token.get_secret_value()
    if not expected:
        raise ApiError(
            403, "writes are disabled: set DEALGRAPH_API_TOKEN on the server to enable them", "writes_disabled"
        )
    if not _matches(_bearer(request), expected):
        raise ApiError(
            401,
            "a valid bearer token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )


async def check_read_token(request: Request) -> None:
    """Reads are open unless DEALGRAPH_PROTECT_READS is on; then they need the same token."""
    settings: Settings = request.app.state.settings
    if settings.protect_reads and not _matches(_bearer(request), settings.api_token.get_secret_value()):
        raise ApiError(
            401,
            "a valid bearer token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
