"""The article loader end to end: bytes in, an Analysis (entities, claims, conflicts) out, and
records (Node, Relationship) that `store.merge` writes all-or-nothing.

    analysis = analyse(read_text(data), store, source_url=..., published=...)
    analysis.to_json()            # what --dry-run --json prints
    ingest(store, analysis)       # merge the records; idempotent

Every record carries the article as its Source and the sentence(s) it comes from as quotes,
with spans in the ORIGINAL text (before cleaning).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from graph.ids import node_id, relationship_id
from graph.model import Citation, Node, Relationship, provenance_props
from graph.schema import SchemaError, load_schema
from graph.store import GraphStore, WriteSummary
from loaders.news.claims import Claim, DocEntity, Extractor
from loaders.news.mentions import Gazetteer
from loaders.news.quantities import parse_publication_date
from loaders.news.resolve import Conflict, Resolution, Resolver, name_for_record
from loaders.news.text import CleanText, Sentence, clean, split_sentences

MAX_BYTES = 2 * 1024 * 1024
MIN_WORDS = 8


class IngestError(ValueError):
    """Input the loader refuses, with the HTTP status that fits (400, 413, 422)."""

    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def read_text(data: bytes | str, limit: int = MAX_BYTES) -> str:
    """Decode an article; refuse empty, binary and oversized input with a clear message.

    >>> read_text(b"Japan and the United States agreed.")
    'Japan and the United States agreed.'
    >>> read_text(b"")
    Traceback (most recent call last):
    ...
    loaders.news.pipeline.IngestError: empty input: give the text of an article
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > limit:
        raise IngestError(f"input is {len(raw):,} bytes; the limit is {limit:,} bytes", "too_large", 413)
    if not raw.strip():
        raise IngestError("empty input: give the text of an article", "empty", 400)
    if b"\x00" in raw[:8192]:
        raise IngestError("binary input: expected UTF-8 text (found NUL bytes)", "binary", 400)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"binary input: not UTF-8 text (byte {exc.start})", "binary", 400) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise IngestError("binary input: too many control characters for text", "binary", 400)
    return text


@dataclass
class Analysis:
    """What an article adds: its source, entities with their resolution, claims, conflicts."""

    original: str
    cleaned: CleanText
    sentences: list[Sentence]
    source: dict[str, Any]
    source_id: str
    entities: dict[str, DocEntity]
    claims: list[Claim]
    resolutions: dict[str, Resolution]
    conflicts: list[Conflict]
    published: dt.date | None
    published_exact: bool
    warnings: list[str] = field(default_factory=list)
    _records: tuple[list[Node], list[Relationship]] | None = None

    # -- views ---------------------------------------------------------------------------------

    def span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        return self.cleaned.original_span(clean_start, clean_end)

    def citation(self, sentence: int) -> Citation:
        s = self.sentences[sentence]
        return Citation(self.source_id, s.quote, s.orig_start, s.orig_end)

    def entity_json(self, ent: DocEntity) -> dict[str, Any]:
        r = self.resolutions[ent.key]
        mentions = []
        for a, b in ent.mentions:
            start, end = self.span(a, b)
            mentions.append({"quote": self.original[start:end], "start": start, "end": end})
        aliases = [a for a in ent.aliases if a != ent.name]
        if r.stored:
            aliases = list(dict.fromkeys([*r.stored.props.get("aliases", []), *aliases]))
        return {
            "name": name_for_record(ent, r, self.conflicts) if r.stored else ent.name,
            "label": ent.label,
            "id": r.id,
            "status": r.status,
            "new": not r.known,
            "matched_by": r.how,
            "aliases": aliases,
            "properties": {
                k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in ent.props.items() if v is not None
            },
            "mentions": mentions,
        }

    def claim_json(self, c: Claim) -> dict[str, Any]:
        s = self.sentences[c.sentence]
        subject, obj = self.entities[c.subject], self.entities[c.object]
        attributes = dict(c.attributes)
        evidence = [
            {"quote": self.sentences[i].quote, "start": self.sentences[i].orig_start, "end": self.sentences[i].orig_end}
            for i in c.evidence
        ]
        return {
            "subject": self._display(subject),
            "relation": c.relation,
            "object": self._display(obj),
            "subject_id": self.resolutions[c.subject].id,
            "object_id": self.resolutions[c.object].id,
            "attributes": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in attributes.items()},
            "quote": s.quote,
            "start": s.orig_start,
            "end": s.orig_end,
            "confidence": round(c.confidence, 2),
            "pattern": c.pattern,
            "evidence": evidence,
        }

    def _display(self, ent: DocEntity) -> str:
        r = self.resolutions[ent.key]
        return r.stored.props.get("name", ent.name) if r.stored else ent.name

    def conflict_json(self, c: Conflict) -> dict[str, Any]:
        ent = self.entities[c.entity]
        out: dict[str, Any] = {
            "entity": self._display(ent),
            "id": c.id,
            "label": ent.label,
            "property": c.property,
            "stored": c.stored.isoformat() if isinstance(c.stored, dt.date) else c.stored,
            "article": c.article.isoformat() if isinstance(c.article, dt.date) else c.article,
        }
        if c.sentence is not None:
            s = self.sentences[c.sentence]
            out.update({"quote": s.quote, "start": s.orig_start, "end": s.orig_end})
        out["already_recorded"] = (c.entity, c.property) in getattr(self, "recorded", set())
        return out

    def to_json(self) -> dict[str, Any]:
        entities = sorted(self.entities.values(), key=lambda e: (min(e.sentences or [10**6]), e.label, e.name))
        return {
            "source": self.source,
            "entities": [self.entity_json(e) for e in entities],
            "claims": [self.claim_json(c) for c in self.claims],
            "conflicts": [self.conflict_json(c) for c in self.conflicts],
            "dropped": [{"start": a, "end": b, "reason": why} for a, b, why in self.cleaned.dropped],
            "warnings": self.warnings,
        }

    # -- records -------------------------------------------------------------------------------

    def records(self) -> tuple[list[Node], list[Relationship]]:
        if self._records is None:
            self._records = build_records(self)
        return self._records


def _source_props(
    cleaned: CleanText,
    sentences: list[Sentence],
    original: str,
    source_url: str | None,
    published: dt.date | None,
    exact: bool,
    note: str | None,
) -> dict[str, Any]:
    title = cleaned.title
    if not title:
        first = sentences[0].text if sentences else ""
        title = first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "..."
    props: dict[str, Any] = {
        "name": title,
        "title": title,
        "kind": "article",
        "text_sha256": hashlib.sha256(original.encode("utf-8")).hexdigest(),
    }
    if source_url:
        props["url"] = source_url
    if published and exact:
        props["published_on"] = published
    if note:
        props["note"] = note
    return props


def analyse(
    text: str,
    store: GraphStore | None = None,
    source_url: str | None = None,
    published: dt.date | None = None,
    today: dt.date | None = None,
) -> Analysis:
    """Run steps 1-6 on an article's text; nothing is written."""
    today = today or dt.date.today()
    cleaned = clean(text)
    sentences = split_sentences(cleaned)
    words = sum(len(s.text.split()) for s in sentences)
    if words < MIN_WORDS or not any(re.search(r"[A-Za-z]{3,}", s.text) for s in sentences):
        raise IngestError("no recognisable article text after removing page boilerplate", "no_content", 422)
    note = None
    exact = published is not None
    if published is None:
        published, note = parse_publication_date(cleaned.header_lines, today)
        exact = published is not None and note is None
    gazetteer = Gazetteer.from_store(store) if store is not None else None
    title_index = 0 if cleaned.title and sentences and sentences[0].text == cleaned.title else None
    extractor = Extractor(sentences, gazetteer, published if exact else None, title_index).run()
    entities = {k: e for k, e in extractor.entities.items() if e.sentences}
    claims = [c for c in extractor.claims if c.subject in entities and c.object in entities]
    if not entities:
        raise IngestError(
            "no recognisable content: no country, person, organisation, company or deal found", "no_content", 422
        )
    resolver = Resolver(store, gazetteer)
    resolved = resolver.resolve(entities, claims)
    props = _source_props(cleaned, sentences, text, source_url, published, exact, note)
    source_id = node_id("Source", props["name"])
    source_json = {
        "id": source_id,
        "title": props["title"],
        "url": source_url,
        "published_on": published.isoformat() if published else None,
        "published_exact": exact,
        "note": note,
        "text_sha256": props["text_sha256"],
        "characters": len(text),
        "sentences": len(sentences),
        "words": words,
    }
    analysis = Analysis(
        text,
        cleaned,
        sentences,
        source_json,
        source_id,
        entities,
        claims,
        resolved.resolutions,
        resolved.conflicts,
        published,
        exact,
    )
    analysis.source_props = props  # type: ignore[attr-defined]
    analysis.recorded = _already_recorded(store, analysis)
    return analysis


def _claim_id(entity_id: str, prop: str, value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return node_id("Claim", f"{entity_id} {prop} {text}")


def _already_recorded(store: GraphStore | None, a: Analysis) -> set[tuple[str, str]]:
    """Conflicts this article already put on record (a Claim citing the same sentence): sending them
    again would change nothing but the store's count of claims."""
    if store is None:
        return set()
    done = set()
    for c in a.conflicts:
        claim = store.get_node(_claim_id(c.id, c.property, c.article))
        if claim is None or c.sentence is None:
            continue
        wanted = a.citation(c.sentence)
        if wanted in claim.citations:
            done.add((c.entity, c.property))
    return done


def _valid_node(schema, label: str, props: dict[str, Any], warnings: list[str]) -> dict[str, Any] | None:
    for _ in range(len(props)):
        try:
            return schema.validate_node(label, props)
        except SchemaError as exc:
            if exc.field in (None, "id", "name", *provenance_props([]).keys()):
                warnings.append(f"{label} {props.get('name')}: {exc}")
                return None
            if (
                load_schema().labels[label].properties.get(exc.field or "")
                and load_schema().labels[label].properties[exc.field].required
            ):
                warnings.append(f"{label} {props.get('name')}: {exc}")
                return None
            warnings.append(f"{label} {props.get('name')}: dropped {exc.field} ({exc})")
            props = {k: v for k, v in props.items() if k != exc.field}
    return None


def build_records(a: Analysis) -> tuple[list[Node], list[Relationship]]:
    """Node and Relationship records for an analysis: the Source, every entity with its citations,
    every claim as a relationship. Invalid ones are skipped with a warning, never half-written."""
    schema = load_schema()
    warnings = a.warnings
    source_props = dict(a.source_props)  # type: ignore[attr-defined]
    source_props.update({"id": a.source_id, **provenance_props([Citation(a.source_id)])})
    nodes = [Node(a.source_id, "Source", schema.validate_node("Source", source_props))]
    ids: dict[str, str] = {}
    labels: dict[str, str] = {"Source": "Source"}
    for key, ent in a.entities.items():
        r = a.resolutions[key]
        props: dict[str, Any] = {k: v for k, v in ent.props.items() if v is not None}
        if not a.published_exact:
            props.pop("starts_on", None)
        props["id"] = r.id
        props["name"] = name_for_record(ent, r, a.conflicts)
        if ent.label == "Country":
            props["iso3"] = ent.iso3
        aliases = [x for x in ent.aliases if x != props["name"]]
        if r.stored is None:
            if aliases:
                props["aliases"] = aliases
            if r.status == "candidate":
                props["candidate"] = True
        else:
            new_aliases = [
                x for x in aliases if x not in r.stored.props.get("aliases", []) and x != r.stored.props.get("name")
            ]
            if ent.label in ("Official", "Company", "Organization", "Country") and new_aliases:
                props["aliases"] = new_aliases
            # A stored value the article words differently but does not contradict stays as it is;
            # only reported conflicts go on to the merge, which keeps them beside the stored value.
            recorded = getattr(a, "recorded", set())
            disputed = {c.property for c in a.conflicts if c.entity == key and (key, c.property) not in recorded}
            for prop in list(props):
                if prop in ("id", "name", "aliases", "iso3", "status") or prop in disputed:
                    continue
                if r.stored.props.get(prop) is not None:
                    spec = schema.labels[ent.label].properties.get(prop)
                    if spec is not None and spec.required:
                        props[prop] = r.stored.props[prop]
                    else:
                        props.pop(prop)
        if a.published and a.published_exact:
            props["reported_on"] = a.published
        props.update(provenance_props([a.citation(i) for i in sorted(ent.sentences)]))
        valid = _valid_node(schema, ent.label, props, warnings)
        if valid is None:
            continue
        nodes.append(Node(r.id, ent.label, valid))
        ids[key] = r.id
        labels[r.id] = ent.label
    rels: list[Relationship] = []
    seen: set[str] = set()
    for c in a.claims:
        start, end = ids.get(c.subject), ids.get(c.object)
        if not start or not end:
            continue
        rid = relationship_id(c.relation, start, end)
        if rid in seen:
            continue
        props = {"id": rid, **{k: v for k, v in c.attributes.items()}}
        if a.published and a.published_exact:
            props["reported_on"] = a.published
        props.update(provenance_props([a.citation(i) for i in [c.sentence, *c.evidence]]))
        try:
            valid = schema.validate_relationship(c.relation, labels[start], labels[end], props)
        except SchemaError as exc:
            warnings.append(f"claim {c.relation} {start} -> {end} skipped: {exc}")
            continue
        seen.add(rid)
        rels.append(Relationship(rid, c.relation, start, end, valid))
    return nodes, rels


def ingest(store: GraphStore, analysis: Analysis) -> WriteSummary:
    """Merge the analysis' records into the store in one all-or-nothing write."""
    nodes, rels = analysis.records()
    return store.merge(nodes, rels)
