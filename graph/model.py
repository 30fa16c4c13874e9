"""Records (nodes, relationships, citations) and the one merge rule both stores apply.

A record's `props` hold every property flat, provenance included (see schema.yaml), so a
record is exactly what a store keeps. Merging is done here in Python, not in Cypher, so
that the embedded store and Neo4j cannot disagree about what a second load means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.errors import StoreError
from graph.ids import node_id, relationship_id

PROVENANCE_KEYS = ("sources", "quotes", "quote_starts", "quote_ends")
# Sets that grow with each source rather than conflict.
UNION_KEYS = ("aliases", "disputed")
# Lifecycle fields: a later source moving a status on is news, not a dispute.
LIFECYCLE_KEYS = ("status", "valid_to")
# Prose written by whoever curated the record: the first one stays, the rest is not a claim.
PROSE_KEYS = ("description", "note")


@dataclass(frozen=True)
class Citation:
    """One source for one fact: the Source id and, for text, the sentence and its span."""

    source: str
    quote: str = ""
    start: int = -1
    end: int = -1


@dataclass
class Node:
    id: str
    label: str
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.props.get("name", self.id)

    @property
    def citations(self) -> list[Citation]:
        return citations_of(self.props)


@dataclass
class Relationship:
    id: str
    type: str
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def citations(self) -> list[Citation]:
        return citations_of(self.props)


def citations_of(props: dict[str, Any]) -> list[Citation]:
    """The citations held in a record's flat provenance lists."""
    return [
        Citation(s, q, a, b)
        for s, q, a, b in zip(
            props.get("sources", []),
            props.get("quotes", []),
            props.get("quote_starts", []),
            props.get("quote_ends", []),
            strict=True,
        )
    ]


def provenance_props(citations: Iterable[Citation]) -> dict[str, list[Any]]:
    """Flat provenance lists for a set of citations, duplicates dropped, order kept."""
    unique = list(dict.fromkeys(citations))
    return {
        "sources": [c.source for c in unique],
        "quotes": [c.quote for c in unique],
        "quote_starts": [c.start for c in unique],
        "quote_ends": [c.end for c in unique],
    }


def _union(a: list[Any] | None, b: list[Any] | None) -> list[Any]:
    return list(dict.fromkeys([*(a or []), *(b or [])]))


@dataclass
class MergeResult:
    """What merging an incoming record into a store produces."""

    node: Node
    claims: list[Node] = field(default_factory=list)
    disputes: list[Relationship] = field(default_factory=list)


def _merge_props(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Merged properties, and the incoming values that disagree with stored ones."""
    merged = dict(old)
    conflicts: dict[str, Any] = {}
    for key, value in new.items():
        if key in PROVENANCE_KEYS or key in UNION_KEYS or key == "id":
            continue
        current = merged.get(key)
        if current is None or key in LIFECYCLE_KEYS:
            merged[key] = value
        elif key in PROSE_KEYS:
            continue
        elif key == "reported_on":
            merged[key] = min(current, value)
        elif current != value:
            conflicts[key] = value
    for key in UNION_KEYS:
        union = _union(old.get(key), new.get(key))
        if union:
            merged[key] = union
    merged.update(provenance_props([*citations_of(old), *citations_of(new)]))
    if conflicts:
        merged["disputed"] = _union(merged.get("disputed"), sorted(conflicts))
    return merged, conflicts


def merge_node(existing: Node | None, incoming: Node) -> MergeResult:
    """Merge `incoming` into `existing` (same id). Never overwrites a stored value.

    Lists (aliases, citations) are unioned. A different value for a stored property is
    kept beside it as a Claim node that DISPUTES the entity, with the incoming citations,
    and the property is listed in `disputed`; a different name also becomes an alias.

    >>> a = Node("official:x", "Official", {"name": "Akira Akazawa", **provenance_props([Citation("s1")])})
    >>> b = Node("official:x", "Official", {"name": "Ryosei Akazawa", **provenance_props([Citation("s2")])})
    >>> result = merge_node(a, b)
    >>> result.node.props["name"], result.node.props["disputed"], result.claims[0].props["value"]
    ('Akira Akazawa', ['name'], 'Ryosei Akazawa')
    """
    if existing is None:
        return MergeResult(Node(incoming.id, incoming.label, dict(incoming.props)))
    if existing.label != incoming.label:
        raise StoreError(f"{incoming.id}: stored as a {existing.label}, the new record says {incoming.label}")
    merged, conflicts = _merge_props(existing.props, incoming.props)
    if "name" in conflicts:
        merged["aliases"] = _union(merged.get("aliases"), [conflicts["name"]])
    result = MergeResult(Node(existing.id, existing.label, merged))
    evidence = provenance_props(incoming.citations)
    for key, value in conflicts.items():
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        claim_id = node_id("Claim", f"{existing.id} {key} {text}")
        dispute_id = relationship_id("DISPUTES", claim_id, existing.id)
        claim_name = f"{key} of {existing.props.get('name', existing.id)}: {text}"
        claim_props = {"id": claim_id, "name": claim_name, "property": key, "value": text, **evidence}
        result.claims.append(Node(claim_id, "Claim", claim_props))
        result.disputes.append(
            Relationship(dispute_id, "DISPUTES", claim_id, existing.id, {"id": dispute_id, **evidence})
        )
    return result


def merge_relationship(existing: Relationship | None, incoming: Relationship) -> Relationship:
    """Merge a relationship record; disagreeing values keep the stored one and are flagged in `note`."""
    if existing is None:
        return Relationship(incoming.id, incoming.type, incoming.start, incoming.end, dict(incoming.props))
    merged, conflicts = _merge_props(existing.props, incoming.props)
    merged.pop("disputed", None)
    if conflicts:
        flagged = "; ".join(f"another source gives {k}={v}" for k, v in sorted(conflicts.items()))
        note = merged.get("note")
        if not note or flagged not in note:
            merged["note"] = f"{note}; {flagged}" if note else flagged
    return Relationship(existing.id, existing.type, existing.start, existing.end, merged)
