"""`dealgraph ingest FILE|-`: an article in, cited claims out (registered in api/cli.py).

The store helpers of api/cli.py are imported inside the command, so that api/cli.py can
import this module at its top without a cycle.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli_common import fail, make_settings, opened, out, print_json
from loaders.news.pipeline import MAX_BYTES, Analysis, IngestError, analyse, ingest, read_text


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    with file.open("rb") as fh:
        return fh.read(MAX_BYTES + 1)


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--published: {value!r} is not a date (YYYY-MM-DD)") from None


def _print_human(analysis: Analysis, data: dict[str, Any], written: Any, dry_run: bool) -> None:
    source = data["source"]
    out.print(f"[bold]{source['title']}[/]  ({source['id']})", highlight=False)
    if source.get("published_on"):
        exact = "" if source["published_exact"] else f" (approximate: {source['note']})"
        out.print(f"published: {source['published_on']}{exact}", highlight=False)
    table = Table("status", "label", "name", "id", title=f"{len(data['entities'])} entities")
    for e in data["entities"]:
        status = e["status"] + (" (new)" if e["new"] else "")
        table.add_row(status, e["label"], e["name"], e["id"])
    out.print(table)
    claims = Table("relation", "subject", "object", "conf.", "quote span", title=f"{len(data['claims'])} claims")
    for c in data["claims"]:
        claims.add_row(c["relation"], c["subject"], c["object"], f"{c['confidence']:.2f}", f"{c['start']}-{c['end']}")
    out.print(claims)
    for c in data["conflicts"]:
        out.print(
            f"[yellow]conflict:[/] {c['entity']} {c['property']}: stored {c['stored']!r}, this article "
            f"{c['article']!r}",
            highlight=False,
        )
    for w in data["warnings"]:
        out.print(f"[dim]warning:[/] {w}", highlight=False)
    if dry_run:
        out.print("dry run: nothing written", highlight=False)
    else:
        out.print(
            f"written: {written.nodes_created} nodes and {written.relationships_created} relationships created, "
            f"{written.nodes_updated + written.relationships_updated} updated, {written.claims} conflicting "
            "claims kept beside stored values",
            highlight=False,
        )


def ingest_command(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="Article text (UTF-8), or - for standard input.")],
    source_url: Annotated[str | None, typer.Option("--source-url", help="Where the article can be read.")] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date YYYY-MM-DD (relative dates resolve to it).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what the article adds; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    store: Annotated[
        str | None,
        typer.Option("--store", help="embedded or neo4j (env DEALGRAPH_STORE; default: neo4j if configured)."),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Folder of the embedded store (env DEALGRAPH_DATA_DIR).")
    ] = None,
) -> None:
    """Read a news article: entities (known or candidate), claims citing their sentences, conflicts.

    Without --dry-run the claims are merged into the store (idempotent: the same article twice
    changes nothing); a value that contradicts a stored one is kept beside it as a Claim.
    """

    try:
        day = _published(published)
        text = read_text(_read(file))
    except (IngestError, ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    settings = make_settings(data_dir, store)
    with opened(settings) as graph_store:
        try:
            analysis = analyse(text, graph_store, source_url=source_url, published=day)
        except IngestError as exc:
            raise fail(str(exc)) from None
        written = None if dry_run else ingest(graph_store, analysis)
    data = analysis.to_json()
    if as_json:
        data["dry_run"] = dry_run
        data["written"] = written.__dict__ if written else None
        print_json(data)
        return
    _print_human(analysis, data, written, dry_run)
