"""`dealgraph cypher`, `query`, `export` and `import` (registered in api/cli.py).

The store helpers of api/cli.py (`opened`, `make_settings`, `print_json`, `fail`) are
imported inside the commands, so that api/cli.py can import this module at its top.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.status import Status
from rich.table import Table

from api.cli_common import DataDirOption, JsonOption, StoreOption, err, fail, make_settings, opened, out, print_json
from graph import analyst, formats
from graph.saved_queries import ParameterError, QueryFileError, SavedQuery, load_queries
from graph.store import GraphStore

ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter as NAME=VALUE (repeatable).", metavar="NAME=VALUE"),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", min=1, help="Most rows (lowered to DEALGRAPH_MAX_GRAPH_NODES).")
]
TimeoutOption = Annotated[
    int | None, typer.Option("--timeout-ms", min=1, help="Time limit in ms (lowered to DEALGRAPH_QUERY_TIMEOUT_S).")
]
CommitEveryOption = Annotated[
    int | None,
    typer.Option(
        "--commit-every",
        min=1,
        metavar="N",
        help="Neo4j only: a bulk load committing every N records (nodes first), NOT all or nothing; "
        "if it stops, running the same command again completes it.",
    ),
]


class BulkLoad:
    """--commit-every of `load` and `import`: refused at once unless the store is Neo4j, then
    the merge options, with each commit shown on the status line."""

    def __init__(self, graph_store: GraphStore, commit_every: int | None) -> None:
        if commit_every is not None and graph_store.name != "neo4j":
            raise fail(
                f"--commit-every: only the neo4j store commits in batches; the {graph_store.name} store writes "
                "a load all or nothing"
            )
        self.commit_every = commit_every

    def options(self, status: Status) -> dict[str, Any]:
        if self.commit_every is None:
            return {}
        base = str(status.status)
        return {"commit_every": self.commit_every, "on_commit": lambda done: status.update(f"{base} {done.describe()}")}

    def note(self) -> str:
        return "" if self.commit_every is None else f" (committed every {self.commit_every:,} records)"


def _pairs(params: list[str] | None) -> dict[str, str]:

    pairs: dict[str, str] = {}
    for item in params or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise fail(f"--param {item!r}: expected NAME=VALUE")
        pairs[name.strip()] = value
    return pairs


def _json_or_text(value: str) -> Any:
    """A --param value of `dealgraph cypher`: JSON when it parses (2, true, "x", [..]), else text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def _cell(value: Any) -> str:
    if isinstance(value, dict) and value.get("kind") == "node":
        return f"({':'.join(['', *value['labels']])} {value.get('id') or value['element_id']})"
    if isinstance(value, dict) and value.get("kind") == "relationship":
        return f"({value.get('start')})-[:{value['type']}]->({value.get('end')})"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _run(
    query: str,
    params: dict[str, Any],
    limit: int | None,
    timeout_ms: int | None,
    data_dir: Path | None,
    store: str | None,
    title: str,
    extra: dict[str, Any],
    as_json: bool,
) -> None:

    settings = make_settings(data_dir, store)
    max_rows, max_ms = settings.max_graph_nodes, max(int(settings.query_timeout_s * 1000), 1)
    if (limit or 0) > max_rows or (timeout_ms or 0) > max_ms:
        err.print(f"note: limits lowered to the settings: {max_rows} rows, {max_ms} ms", highlight=False)
    limit, timeout_ms = min(limit or max_rows, max_rows), min(timeout_ms or max_ms, max_ms)
    with opened(settings) as graph_store:
        try:
            handle = analyst.neo4j_handle(graph_store)
            result = analyst.run_read_query(
                handle.driver, handle.database, query, params, limit=limit, timeout_s=timeout_ms / 1000, uri=handle.uri
            )
        except analyst.QueryRefused as exc:
            raise fail(f"refused, the Cypher command is read-only: {exc}") from None
        except analyst.AnalystQueryError as exc:
            raise fail(str(exc)) from None
    if as_json:
        print_json(
            {
                **extra,
                "columns": result.columns,
                "rows": result.rows,
                "truncated": result.truncated,
                "limit": limit,
                "timeout_ms": timeout_ms,
                "elapsed_ms": result.elapsed_ms,
                "notices": [vars(n) for n in result.notices],
            }
        )
        return
    shown = f"{len(result.rows)} row(s)" + (f", truncated at --limit {limit}" if result.truncated else "")
    table = Table(*result.columns, title=f"{title}: {shown}, {result.elapsed_ms:g} ms")
    for row in result.rows:
        table.add_row(*(_cell(v) for v in row))
    out.print(table)
    for notice in result.notices:
        where = f" (line {notice.line}, column {notice.column})" if notice.line else ""
        err.print(f"[yellow]note:[/] {notice.message}{where}", highlight=False)


def cypher_command(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="Read-only Cypher; values as $name with --param.")],
    param: ParamOption = None,
    limit: LimitOption = None,
    timeout_ms: TimeoutOption = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run read-only Cypher on the Neo4j store (guarded: EXPLAIN check, read transaction, time limit, row cap).

    --param values are JSON when they parse (2, true, "text", ["a","b"]), else text.
    """
    params = {name: _json_or_text(value) for name, value in _pairs(param).items()}
    _run(query, params, limit, timeout_ms, data_dir, store, "cypher", {}, as_json)


def _saved() -> dict[str, SavedQuery]:

    try:
        return load_queries(make_settings(None, None).queries_file)
    except QueryFileError as exc:
        raise fail(f"saved queries: {exc}") from None


def query_command(
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="A saved query; omit to list them.")] = None,
    param: ParamOption = None,
    limit: LimitOption = None,
    timeout_ms: TimeoutOption = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a saved query (graph/queries.yaml, DEALGRAPH_QUERIES_FILE) by name; without NAME, list them."""

    queries = _saved()
    if name is None:
        if as_json:
            print_json({"items": [q.describe() for q in queries.values()], "total": len(queries)})
            return
        table = Table("name", "parameters", "description", title=f"{len(queries)} saved queries")
        for q in queries.values():
            params = ", ".join(f"{p.name}: {p.type}" + ("" if p.required else "?") for p in q.params)
            table.add_row(q.name, params, q.description)
        out.print(table)
        return
    if name not in queries:
        raise fail(f"no saved query named {name!r}; known: {', '.join(queries)}")
    query = queries[name]
    try:
        values = query.bind(_pairs(param), from_text=True)
    except ParameterError as exc:
        raise fail(f"--param {exc}") from None
    shown = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}
    _run(query.cypher, values, limit, timeout_ms, data_dir, store, name, {"name": name, "parameters": shown}, as_json)


def export_command(
    format: Annotated[str, typer.Option("--format", "-f", help="graphml, gexf, json, csv or cypher.")] = "json",
    center: Annotated[str | None, typer.Option(help="Export only the neighbourhood of this entity id.")] = None,
    depth: Annotated[int, typer.Option(min=1, max=10, help="Hops from --center.")] = 1,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (CSV: a folder, or a .zip); default: standard output."),
    ] = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Export the graph (or a neighbourhood) as GraphML, GEXF, node-link JSON, CSV or a Cypher script."""

    if format not in formats.EXPORT_FORMATS:
        raise fail(f"--format: {format!r} is not one of {', '.join(formats.EXPORT_FORMATS)}")
    if format == "csv" and output is None:
        raise fail("--format csv writes two files: give -o FOLDER (or -o FILE.zip)")
    with opened(make_settings(data_dir, store)) as graph_store:
        try:
            if format == "csv" and output is not None and output.suffix.lower() == ".zip":
                files = {}
                data = formats.export_bytes(graph_store, format, center, depth)
            else:
                files = formats.export_files(graph_store, format, center, depth)
                data = b""
        except KeyError:
            hits, _ = graph_store.search(center or "", limit=5)
            hint = f"; did you mean {', '.join(h.id for h in hits)}?" if hits else ""
            raise fail(f"--center: no entity with id {center!r}{hint}") from None
        except ValueError as exc:
            raise fail(f"cannot export as {format}: {exc}") from None
    try:
        if output is None:
            sys.stdout.write(next(iter(files.values())))
            return
        if data:
            output.write_bytes(data)
            written = [output]
        elif format == "csv":
            output.mkdir(parents=True, exist_ok=True)
            written = []
            for file_name, text in files.items():
                (output / file_name).write_text(text, encoding="utf-8")
                written.append(output / file_name)
        else:
            output.write_text(next(iter(files.values())), encoding="utf-8")
            written = [output]
    except OSError as exc:
        raise fail(f"{output}: cannot write ({exc.strerror or exc})") from None
    err.print(f"wrote {', '.join(str(p) for p in written)}", highlight=False)


def import_command(
    path: Annotated[Path, typer.Argument(help="A .graphml or .json file, or a CSV folder or .zip.")],
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="graphml, json or csv (default: from the name).")
    ] = None,
    commit_every: CommitEveryOption = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Import a GraphML, node-link JSON or CSV export: validated completely, then merged all or nothing
    (or, on Neo4j with --commit-every N, committed every N records)."""

    if format is not None and format not in formats.IMPORT_FORMATS:
        raise fail(f"--format: {format!r} is not one of {', '.join(formats.IMPORT_FORMATS)}")
    with opened(make_settings(data_dir, store)) as graph_store:
        bulk = BulkLoad(graph_store, commit_every)
        with err.status(f"importing {path} into the {graph_store.name} store ...") as status:
            try:
                result = formats.import_path(graph_store, path, format, **bulk.options(status))
            except formats.FormatError as exc:
                raise fail(str(exc)) from None
        counts = graph_store.counts()
    s = result.summary
    out.print(
        f"imported {path.name}: {result.nodes} nodes and {result.relationships} relationships read; "
        f"{s.nodes_created} nodes and {s.relationships_created} relationships created, "
        f"{s.nodes_updated + s.relationships_updated} updated{bulk.note()}; the {graph_store.name} "
        f"store now holds {counts.nodes} nodes and {counts.relationships} relationships",
        highlight=False,
    )
