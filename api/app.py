"""The FastAPI app: JSON API under /api, the explorer at /, OpenAPI at /docs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api.deps import check_read_token, open_store
from api.errors import ErrorEnvelope, install_error_handlers
from api.routes import cypher, entities, export, graph, health, ingest, queries, questions, views
from api.settings import Settings, get_settings
from loaders.dataset import load_dataset

STATIC_DIR = Path(__file__).resolve().parent.parent / "viz" / "static"
log = logging.getLogger("dealgraph.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings`. Refuses a non-loopback bind without an API token."""
    settings = settings or get_settings()
    if not settings.is_loopback() and not settings.api_token.get_secret_value():
        raise ValueError(f"refusing to serve on {settings.host} without DEALGRAPH_API_TOKEN")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        if store.name == "embedded" and store.counts().nodes == 0:
            load_dataset(store)
            log.info("empty store: loaded the bundled dataset")
        app.state.store = store
        app.state.settings = settings
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="dealgraph",
        summary="A graph-based relationship explorer for trade and investment deals.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(check_read_token)],
        responses={
            422: {"model": ErrorEnvelope, "description": "A parameter is invalid; details name it."},
            503: {"model": ErrorEnvelope, "description": "The store cannot be reached."},
        },
    )
    install_error_handlers(app)
    for module in (health, entities, graph, ingest, views, cypher, queries, export, questions):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def explorer() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    return app
