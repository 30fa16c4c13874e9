"""Getting data in and out: GraphML, GEXF, node-link JSON, CSV (neo4j-admin shape) and a
Cypher script. docs/formats.md describes each encoding.

Everything goes through the GraphStore interface (iter_nodes, iter_relationships,
neighbourhood, merge), so both stores export and import the same way. An import reads the
whole file, validates every record against the schema and the store, and only then merges
it in one all-or-nothing `store.merge`; importing the same file twice changes nothing.

>>> import tempfile
>>> from graph.embedded import EmbeddedStore
>>> from loaders.dataset import load_dataset
>>> store = EmbeddedStore(tempfile.mkdtemp()); _ = load_dataset(store)
>>> text = export_bytes(store, "json").decode()
>>> copy = EmbeddedStore(tempfile.mkdtemp())
>>> summary = import_records(copy, parse_bytes("json", text.encode(), "export.json"))
>>> (copy.counts().nodes, copy.counts().relationships) == (store.counts().nodes, store.counts().relationships)
True
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.formats import csv_pair, cypher_script, gexf, graphml, node_link
from graph.formats.common import FormatError, Parsed, validate
from graph.model import Node, Relationship
from graph.store import GraphStore, Subgraph, WriteSummary, gc_paused

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "FormatError",
    "Parsed",
    "export_bytes",
    "export_files",
    "guess_format",
    "import_path",
    "import_records",
    "parse_bytes",
    "read_path",
    "select",
]

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "cypher")
IMPORT_FORMATS = ("graphml", "json", "csv")
# What an HTTP download of each format is: media type and file extension (CSV is a zip).
MEDIA_TYPES = {
    "graphml": ("application/graphml+xml", ".graphml"),
    "gexf": ("application/gexf+xml", ".gexf"),
    "json": ("application/json", ".json"),
    "csv": ("application/zip", ".zip"),
    "cypher": ("text/plain; charset=utf-8", ".cypher"),
}
# The most nodes a neighbourhood export holds; a whole-graph export holds everything.
MAX_EXPORT_NODES = 1_000_000


def select(store: GraphStore, center: str | None = None, depth: int = 1) -> Subgraph:
    """What to export: the whole graph, or the neighbourhood of `center` within `depth` hops.

    Nodes and relationships come sorted by id, so an export of the same graph is the same file.
    """
    if center is None:
        return Subgraph(list(store.iter_nodes()), list(store.iter_relationships()))
    if store.get_node(center) is None:
        raise KeyError(center)
    sub = store.neighbourhood(center, depth, None, MAX_EXPORT_NODES)
    return Subgraph(sorted(sub.nodes, key=lambda n: n.id), sorted(sub.relationships, key=lambda r: r.id), sub.truncated)


def _comment(store: GraphStore, sub: Subgraph, center: str | None, depth: int) -> str:
    what = f"the neighbourhood of {center} within {depth} hop(s)" if center else "the whole graph"
    return (
        f"dealgraph export of {what} from the {store.name} store: {len(sub.nodes)} nodes, "
        f"{len(sub.relationships)} relationships. Encoding: docs/formats.md"
    )


def _texts(fmt: str, nodes: list[Node], rels: list[Relationship], comment: str) -> dict[str, str]:
    """File name -> text of an export (one file, or nodes.csv and relationships.csv)."""
    if fmt == "graphml":
        return {"dealgraph.graphml": graphml.dumps(nodes, rels, comment)}
    if fmt == "gexf":
        return {"dealgraph.gexf": gexf.dumps(nodes, rels, comment)}
    if fmt == "json":
        return {"dealgraph.json": node_link.dumps(nodes, rels, {"description": comment})}
    if fmt == "csv":
        return csv_pair.dumps(nodes, rels)
    if fmt == "cypher":
        return {"dealgraph.cypher": cypher_script.dumps(nodes, rels, comment)}
    raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")


def export_files(store: GraphStore, fmt: str, center: str | None = None, depth: int = 1) -> dict[str, str]:
    """File name -> text of an export of `store` (see `select`)."""
    sub = select(store, center, depth)
    return _texts(fmt, sub.nodes, sub.relationships, _comment(store, sub, center, depth))


def export_bytes(store: GraphStore, fmt: str, center: str | None = None, depth: int = 1) -> bytes:
    """An export as one download: the file, or for CSV a zip of nodes.csv and relationships.csv."""
    files = export_files(store, fmt, center, depth)
    if fmt != "csv":
        return next(iter(files.values())).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, text in files.items():
            archive.writestr(file_name, text)
    return buffer.getvalue()


def guess_format(path: Path) -> str | None:
    """The import format a path's name suggests: a folder or .zip is CSV."""
    if path.is_dir() or path.suffix.lower() == ".zip":
        return "csv"
    return {".graphml": "graphml", ".xml": "graphml", ".json": "json"}.get(path.suffix.lower())


def parse_bytes(fmt: str, data: bytes, name: str) -> Parsed:
    """Parse one file's bytes (GraphML or JSON; CSV needs two, see read_path)."""
    if fmt == "graphml":
        return graphml.loads(data, name)
    if fmt == "json":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(name, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
        return node_link.loads(text, name)
    raise ValueError(f"unknown import format {fmt!r}; known: {', '.join(IMPORT_FORMATS)}")


def _csv_texts(path: Path) -> tuple[str, str, str, str]:
    names = (csv_pair.NODES_FILE, csv_pair.RELATIONSHIPS_FILE)
    texts = []
    if path.is_dir():
        for file_name in names:
            member = path / file_name
            if not member.is_file():
                raise FormatError(str(path), f"a CSV import folder needs {' and '.join(names)}")
            texts.append((member.read_bytes(), str(member)))
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                members = {Path(m).name: m for m in archive.namelist() if not m.endswith("/")}
                for file_name in names:
                    if file_name not in members:
                        raise FormatError(str(path), f"a CSV import zip needs {' and '.join(names)}")
                    texts.append((archive.read(members[file_name]), f"{path}!{members[file_name]}"))
        except zipfile.BadZipFile as exc:
            raise FormatError(str(path), f"not a zip file ({exc})") from None
    decoded = []
    for data, name in texts:
        try:
            decoded.append((data.decode("utf-8-sig"), name))
        except UnicodeDecodeError as exc:
            raise FormatError(name, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    (nodes_text, nodes_name), (rels_text, rels_name) = decoded
    return nodes_text, rels_text, nodes_name, rels_name


def read_path(path: str | Path, fmt: str | None = None) -> Parsed:
    """Parse a file (or, for CSV, a folder or zip holding nodes.csv and relationships.csv)."""
    path = Path(path)
    if not path.exists():
        raise FormatError(str(path), "no such file or folder")
    fmt = fmt or guess_format(path)
    if fmt is None:
        raise FormatError(str(path), f"cannot tell the format from the name; pass one of {', '.join(IMPORT_FORMATS)}")
    if fmt not in IMPORT_FORMATS:
        raise FormatError(str(path), f"cannot import {fmt!r}; importable formats: {', '.join(IMPORT_FORMATS)}")
    if fmt != "csv" and path.is_dir():
        raise FormatError(str(path), f"is a folder; a {fmt} import reads one file")
    try:
        with gc_paused():
            if fmt == "csv":
                return csv_pair.loads(*_csv_texts(path))
            return parse_bytes(fmt, path.read_bytes(), str(path))
    except OSError as exc:
        raise FormatError(str(path), f"cannot read ({exc.strerror or exc})") from None


@dataclass
class ImportResult:
    summary: WriteSummary
    nodes: int
    relationships: int


def import_records(store: GraphStore, parsed: Parsed, **merge_options: Any) -> ImportResult:
    """Validate everything, then merge it in one all-or-nothing transaction (`merge_options`
    go to the store's merge: the Neo4j store's `commit_every` makes it a load in batches)."""
    nodes, relationships = validate(parsed, store)
    summary = store.merge(nodes, relationships, **merge_options)
    return ImportResult(summary, len(nodes), len(relationships))


def import_path(store: GraphStore, path: str | Path, fmt: str | None = None, **merge_options: Any) -> ImportResult:
    """Read, validate and merge a file; FormatError names the line or element at fault."""
    return import_records(store, read_path(path, fmt), **merge_options)
