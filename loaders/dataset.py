"""Curated datasets: YAML files of sources, nodes and relationships, every fact cited.

Format (loaders/data/seed.yaml is the worked example; docs/datasets.md describes it):

    sources:
      seed:                                   # a handle used by `cite` below
        title: "Japan's $550 Billion US Investment ..."
        kind: article
        text: sources/000_0de8b12887b33d2a.txt  # quotes are looked up in this file
    nodes:
      - label: Company
        name: SoftBank Group
        aliases: [SoftBank]
        props: {description: ...}
        cite: [{source: seed, quote: "a data center infrastructure initiative led by SoftBank Group"}]
    relationships:
      - type: LEADS
        from: Company/SoftBank Group           # Label/name of a node, here or in the store
        to: Project/Data center infrastructure initiative
        cite: [...]

Every quote must occur verbatim in its source's text; its span is computed here. Parsing
checks the whole file against the schema before anything is written, and every error
names the file, line and field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.ids import country_code, node_id, relationship_id
from graph.model import Citation, Node, Relationship, provenance_props
from graph.schema import SchemaError, load_schema
from graph.store import GraphStore, WriteSummary

BUNDLED_DATASET = Path(__file__).parent / "data" / "seed.yaml"


class DatasetError(ValueError):
    """A dataset file is wrong at a known place."""

    def __init__(self, path: Path, line: int | None, field: str, message: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field}: {message}")
        self.path, self.line, self.field = path, line, field


class _LineDict(dict):
    """A mapping that remembers the line it and each of its keys started on."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


# Dates stay strings here, so the schema checks them and a bad one (2025-13-45) is reported
# with its line and field instead of PyYAML's bare "month must be in 1..12".
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k.value, str)}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Dataset:
    path: Path
    nodes: list[Node]
    relationships: list[Relationship]
    # Where each record was declared, to name the line when a store refuses it.
    lines: dict[str, int]


@dataclass
class _Source:
    id: str
    text: str


def _node_key(label: str, name: str, props: dict[str, Any]) -> str:
    if label == "Country":
        return props.get("iso3") or country_code(name) or ""
    return name


def parse_dataset(path: str | Path) -> Dataset:
    """Read and validate a dataset file completely; raise DatasetError at the first fault.

    >>> ds = parse_dataset(BUNDLED_DATASET)
    >>> any(n.props["name"] == "SoftBank Group" for n in ds.nodes)
    True
    """
    path = Path(path)
    schema = load_schema()
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DatasetError(path, line, "yaml", str(exc.problem or exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(path, None, "file", f"cannot read: {exc}") from None
    if not isinstance(raw, dict):
        raise DatasetError(path, None, "file", "expected a mapping with sources, nodes and relationships")
    unknown = set(raw) - {"sources", "nodes", "relationships"}
    if unknown:
        raise DatasetError(path, raw.line_of(sorted(unknown)[0]), sorted(unknown)[0], "unknown top-level key")

    nodes: list[Node] = []
    lines: dict[str, int] = {}
    sources: dict[str, _Source] = {}
    for handle, body in (raw.get("sources") or {}).items():
        node, text = _parse_source(path, schema, handle, body)
        sources[handle] = _Source(node.id, text)
        nodes.append(node)
        lines[node.id] = body.line

    labels_by_id: dict[str, str] = {n.id: n.label for n in nodes}
    for i, item in enumerate(raw.get("nodes") or []):
        node = _parse_node(path, schema, sources, i, item)
        nodes.append(node)
        lines.setdefault(node.id, item.line)
        labels_by_id[node.id] = node.label

    relationships = [
        _parse_relationship(path, schema, sources, labels_by_id, i, item)
        for i, item in enumerate(raw.get("relationships") or [])
    ]
    for rel, item in zip(relationships, raw.get("relationships") or [], strict=True):
        lines.setdefault(rel.id, item.line)
    return Dataset(path, nodes, relationships, lines)


def _require_mapping(path: Path, where: str, item: Any, line: int | None) -> _LineDict:
    if not isinstance(item, _LineDict):
        raise DatasetError(path, line, where, "expected a mapping")
    return item


def _parse_source(path: Path, schema, handle: str, body: Any) -> tuple[Node, str]:
    where = f"sources.{handle}"
    body = _require_mapping(path, where, body, None)
    props = {k: v for k, v in body.items() if k != "text"}
    text = ""
    if "text" in body:
        text_path = (path.parent / body["text"]).resolve()
        try:
            text = text_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DatasetError(path, body.line_of("text"), f"{where}.text", f"cannot read {text_path}: {exc}") from None
        props["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    props.setdefault("name", props.get("title", handle))
    sid = node_id("Source", props["name"])
    props.update(provenance_props([Citation(sid)]))
    props["id"] = sid
    try:
        props = schema.validate_node("Source", props)
    except SchemaError as exc:
        raise DatasetError(path, body.line_of(exc.field or ""), f"{where}.{exc.field}", str(exc)) from None
    return Node(sid, "Source", props), text


def _citations(path: Path, sources: dict[str, _Source], where: str, item: _LineDict) -> list[Citation]:
    raw = item.get("cite")
    line = item.line_of("cite")
    if not raw:
        raise DatasetError(path, line, f"{where}.cite", "every fact needs at least one source")
    if not isinstance(raw, list):
        raise DatasetError(path, line, f"{where}.cite", "expected a list of {source, quote}")
    out = []
    for j, cite in enumerate(raw):
        field = f"{where}.cite[{j}]"
        cite = _require_mapping(path, field, cite, line)
        handle = cite.get("source")
        if handle not in sources:
            raise DatasetError(path, cite.line_of("source"), f"{field}.source", f"unknown source {handle!r}")
        source = sources[handle]
        quote = cite.get("quote", "")
        if not isinstance(quote, str):
            raise DatasetError(path, cite.line_of("quote"), f"{field}.quote", "expected text")
        if source.text:
            if not quote:
                raise DatasetError(path, cite.line, f"{field}.quote", "a text source needs the quote")
            start = source.text.find(quote)
            if start < 0:
                raise DatasetError(
                    path, cite.line_of("quote"), f"{field}.quote", "does not occur verbatim in the source text"
                )
            out.append(Citation(source.id, quote, start, start + len(quote)))
        else:
            out.append(Citation(source.id, quote))
    return out


def _parse_node(path: Path, schema, sources, i: int, item: Any) -> Node:
    where = f"nodes[{i}]"
    item = _require_mapping(path, where, item, None)
    unknown = set(item) - {"label", "name", "aliases", "props", "cite"}
    if unknown:
        key = sorted(unknown)[0]
        raise DatasetError(path, item.line_of(key), f"{where}.{key}", "unknown key (properties go under props)")
    label, name = item.get("label"), item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DatasetError(path, item.line_of("name"), f"{where}.name", "missing required property 'name'")
    if label not in schema.labels:
        known = ", ".join(sorted(schema.labels))
        raise DatasetError(path, item.line_of("label"), f"{where}.label", f"unknown label {label!r}; known: {known}")
    extra = item.get("props") or {}
    if label == "Country":
        code = _node_key(label, name, extra)
        if not code:
            raise DatasetError(path, item.line_of("name"), f"{where}.name", f"{name!r} is not an ISO 3166 country")
        extra = {"iso3": code, **extra}
    nid = node_id(label, _node_key(label, name, extra))
    props = {"id": nid, "name": name, "aliases": item.get("aliases"), **extra}
    props.update(provenance_props(_citations(path, sources, where, item)))
    try:
        props = schema.validate_node(label, props)
    except SchemaError as exc:
        line = extra.line_of(exc.field) if isinstance(extra, _LineDict) and exc.field in extra else item.line
        raise DatasetError(path, line, f"{where}.{exc.field}", str(exc)) from None
    return Node(nid, label, props)


def _resolve_ref(path: Path, labels_by_id: dict[str, str], ref: Any, line: int, field: str) -> tuple[str, str]:
    if not isinstance(ref, str) or "/" not in ref:
        raise DatasetError(path, line, field, "expected Label/name of a node")
    label, name = ref.split("/", 1)
    key = _node_key(label, name, {})
    if not key:
        raise DatasetError(path, line, field, f"{name!r} is not an ISO 3166 country")
    nid = node_id(label, key)
    if labels_by_id.get(nid, label) != label:
        raise DatasetError(path, line, field, f"{nid} is a {labels_by_id[nid]}, not a {label}")
    return nid, label


def _parse_relationship(path: Path, schema, sources, labels_by_id, i: int, item: Any) -> Relationship:
    where = f"relationships[{i}]"
    item = _require_mapping(path, where, item, None)
    unknown = set(item) - {"type", "from", "to", "key", "props", "cite"}
    if unknown:
        key = sorted(unknown)[0]
        raise DatasetError(path, item.line_of(key), f"{where}.{key}", "unknown key (properties go under props)")
    rel_type = item.get("type")
    start, start_label = _resolve_ref(path, labels_by_id, item.get("from"), item.line_of("from"), f"{where}.from")
    end, end_label = _resolve_ref(path, labels_by_id, item.get("to"), item.line_of("to"), f"{where}.to")
    rid = relationship_id(str(rel_type), start, end, str(item.get("key", "")))
    props = {"id": rid, **(item.get("props") or {})}
    props.update(provenance_props(_citations(path, sources, where, item)))
    try:
        props = schema.validate_relationship(str(rel_type), start_label, end_label, props)
    except SchemaError as exc:
        extra = item.get("props") or {}
        line = (
            extra.line_of(exc.field)
            if isinstance(extra, _LineDict) and exc.field in extra
            else item.line_of(exc.field if exc.field in ("type", "from", "to") else "type")
        )
        raise DatasetError(path, line, f"{where}.{exc.field}", str(exc)) from None
    return Relationship(rid, str(rel_type), start, end, props)


def load_dataset(store: GraphStore, path: str | Path = BUNDLED_DATASET, **merge_options: Any) -> WriteSummary:
    """Validate a dataset file fully, then merge it into `store` in one transaction.

    References to nodes not declared in the file must already be in the store; otherwise
    the error names the line and nothing is written. `merge_options` go to the store's
    merge (the Neo4j store's `commit_every` makes it a load in batches).
    """
    dataset = parse_dataset(path)
    declared = {n.id for n in dataset.nodes}
    outside = sorted({end for r in dataset.relationships for end in (r.start, r.end)} - declared)
    if outside:
        present = {n.id for n in store.get_nodes(outside)}
        for rel in dataset.relationships:
            for field, end in (("from", rel.start), ("to", rel.end)):
                if end not in declared and end not in present:
                    i = dataset.relationships.index(rel)
                    raise DatasetError(
                        dataset.path,
                        dataset.lines.get(rel.id),
                        f"relationships[{i}].{field}",
                        f"no node {end!r} in this file or in the store",
                    )
    return store.merge(dataset.nodes, dataset.relationships, **merge_options)
