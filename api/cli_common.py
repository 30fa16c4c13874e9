"""What every `dealgraph` command shares: consoles, common options, one-line failures and
opening the store. Its own module, so command modules import it without a cycle."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from api.deps import open_store
from api.settings import Settings
from graph.store import GraphStore, StoreError
from loaders.dataset import DatasetError

out = Console(soft_wrap=True)
err = Console(stderr=True)

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Folder of the embedded store (env DEALGRAPH_DATA_DIR).")
]
StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="embedded or neo4j (env DEALGRAPH_STORE; default: neo4j if configured)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def make_settings(data_dir: Path | None, store: str | None, **extra: Any) -> Settings:
    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if store is not None:
        if store not in ("embedded", "neo4j", "auto"):
            raise fail(f"--store: {store!r} is not one of embedded, neo4j")
        overrides["store"] = store
    try:
        return Settings(**overrides)
    except ValueError as exc:
        raise fail(f"settings: {exc}") from None


@contextmanager
def opened(settings: Settings) -> Iterator[GraphStore]:
    """Open the store; turn store and dataset errors into one line and exit code 1."""
    try:
        store = open_store(settings)
    except StoreError as exc:
        raise fail(str(exc)) from None
    try:
        yield store
    except (StoreError, DatasetError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
