"""The `dealgraph` command. Every command opens the store once and closes it; errors are one
clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli_common import DataDirOption, JsonOption, StoreOption, err, fail, make_settings, opened, out, print_json
from api.commands_ask import ask_app
from api.commands_data import (
    BulkLoad,
    CommitEveryOption,
    cypher_command,
    export_command,
    import_command,
    query_command,
)
from api.models import entity, source_nodes, summary
from graph.schema import load_schema
from loaders.dataset import BUNDLED_DATASET, DatasetError, load_dataset, parse_dataset
from loaders.generate import generate_command
from loaders.news.cli import ingest_command

app = typer.Typer(
    name="dealgraph",
    help="A graph-based relationship explorer for trade and investment deals.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
neo4j_app = typer.Typer(help="Run a local Neo4j server (downloaded from Maven Central) for development and tests.")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(ask_app, name="ask")
app.command("generate")(generate_command)
app.command("ingest")(ingest_command)
app.command("cypher")(cypher_command)
app.command("query")(query_command)
app.command("export")(export_command)
app.command("import")(import_command)


@app.command()
def load(
    path: Annotated[Path | None, typer.Argument(help="Dataset YAML (default: the bundled seed dataset).")] = None,
    commit_every: CommitEveryOption = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Validate a dataset file completely, then merge it into the store (all or nothing; on Neo4j with
    --commit-every N, committed every N records)."""
    settings = make_settings(data_dir, store)
    target = path or BUNDLED_DATASET
    with opened(settings) as graph_store:
        bulk = BulkLoad(graph_store, commit_every)
        with err.status(f"validating {target} ..."):
            try:
                dataset = parse_dataset(target)
            except DatasetError as exc:
                raise fail(str(exc)) from None
        records = len(dataset.nodes) + len(dataset.relationships)
        with err.status(f"writing {records} records to the {graph_store.name} store ...") as status:
            result = load_dataset(graph_store, target, **bulk.options(status))
        counts = graph_store.counts()
    out.print(
        f"loaded {target.name}: {result.nodes_created} nodes and {result.relationships_created} relationships created, "
        f"{result.nodes_updated + result.relationships_updated} updated{bulk.note()}; "
        f"the {graph_store.name} store now holds {counts.nodes} nodes and {counts.relationships} relationships",
        highlight=False,
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (env DEALGRAPH_HOST; default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (env DEALGRAPH_PORT; default 8000).")] = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Serve the explorer and the API. An empty embedded store is filled from the bundled dataset."""
    import uvicorn

    from api.app import create_app

    settings = make_settings(data_dir, store, host=host, port=port)
    try:
        application = create_app(settings)
    except ValueError as exc:
        raise fail(f"{exc} (write endpoints need it)") from None
    with opened(settings) as probe:
        probe.ping()
    url_host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104 - display only
    base = f"http://{url_host}:{settings.port}"
    out.print(f"dealgraph explorer on the {settings.store_kind()} store: {base}/", highlight=False)
    out.print(f"API docs: {base}/docs", highlight=False)
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning")


@app.command()
def stats(data_dir: DataDirOption = None, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Counts per label and relationship type."""
    with opened(make_settings(data_dir, store)) as graph_store:
        counts = graph_store.counts()
    if as_json:
        print_json(
            {
                "store": graph_store.name,
                "nodes": counts.nodes,
                "relationships": counts.relationships,
                "labels": counts.labels,
                "types": counts.types,
            }
        )
        return
    table = Table("label / type", "count", title=f"{graph_store.name} store")
    for name, n in counts.labels.items():
        table.add_row(name, str(n))
    table.add_row("[bold]nodes[/]", f"[bold]{counts.nodes}[/]")
    for name, n in counts.types.items():
        table.add_row(name, str(n))
    table.add_row("[bold]relationships[/]", f"[bold]{counts.relationships}[/]")
    out.print(table)


@app.command()
def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id (see `dealgraph search`).")],
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """One entity: properties, aliases and sources with their quotes."""
    with opened(make_settings(data_dir, store)) as graph_store:
        node = graph_store.get_node(entity_id)
        if node is None:
            hits, _ = graph_store.search(entity_id, limit=5)
            hint = f"; did you mean {', '.join(h.id for h in hits)}?" if hits else ""
            raise fail(f"no entity with id {entity_id!r}{hint}")
        detail = entity(node, source_nodes(graph_store, [node]))
    if as_json:
        print_json(detail.model_dump())
        return
    out.print(f"[bold]{detail.name}[/]  ({detail.label}, {detail.id})", highlight=False)
    if detail.aliases:
        out.print(f"aliases: {', '.join(detail.aliases)}", highlight=False)
    if detail.status:
        out.print(f"status: {detail.status}", highlight=False)
    for key, value in detail.properties.items():
        out.print(f"{key}: {value}", highlight=False)
    for ref in detail.sources:
        out.print(f"[dim]source:[/] {ref.title or ref.source}", highlight=False)
        if ref.quote:
            out.print(f'  "{ref.quote}" [dim][{ref.start}:{ref.end}][/]', highlight=False)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Text to find in names and aliases.")],
    label: Annotated[str | None, typer.Option(help="Only this label.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many hits.")] = 20,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find entities by name or alias, best match first."""
    if label is not None and label not in load_schema().labels:
        raise fail(f"--label: unknown label {label!r}; known: {', '.join(load_schema().labels)}")
    with opened(make_settings(data_dir, store)) as graph_store:
        hits, total = graph_store.search(text, label, limit)
    rows = [summary(n) for n in hits]
    if as_json:
        print_json({"total": total, "items": [r.model_dump() for r in rows]})
        return
    table = Table("id", "label", "name", "aliases", title=f"{total} match(es) for {text!r}")
    for r in rows:
        table.add_row(r.id, r.label, r.name, ", ".join(r.aliases))
    out.print(table)


@neo4j_app.command("start")
def neo4j_start(port: Annotated[int, typer.Option(help="Bolt port.")] = 7687) -> None:
    """Download (once) and start a local Neo4j Community server; print the URI to export."""
    from graph import neo4j_local

    try:
        with err.status("starting Neo4j (the first start downloads it from Maven Central) ..."):
            uri = neo4j_local.start(port=port)
    except neo4j_local.Neo4jLocalError as exc:
        raise fail(str(exc)) from None
    out.print(f"Neo4j {neo4j_local.NEO4J_VERSION} is up: export DEALGRAPH_NEO4J_URI={uri}", highlight=False)


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j server started by `dealgraph neo4j start`."""
    from graph import neo4j_local

    try:
        neo4j_local.stop()
    except neo4j_local.Neo4jLocalError as exc:
        raise fail(str(exc)) from None
    out.print("Neo4j stopped", highlight=False)


@neo4j_app.command("status")
def neo4j_status(as_json: JsonOption = False) -> None:
    """Whether the local Neo4j server runs, with its pid and URI."""
    from graph import neo4j_local

    info = neo4j_local.status()
    if as_json:
        print_json(info)
        return
    out.print(", ".join(f"{k}: {v}" for k, v in info.items()), highlight=False)
