"""Conflicts: where sources disagree, both values side by side, each with its sources.

The merge rule (graph/model.py) never overwrites a stored value: a node's differing value
becomes a Claim node that DISPUTES it (the property is listed in the node's `disputed`),
and a relationship's differing value is flagged in its `note` as "another source gives
key=value". This question lists both kinds.

For a Claim, the stored value's sources are the entity's citations other than the ones
the claim came with; the other value's sources are the claim's. A relationship keeps one
set of citations, so its conflict lists them all.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, Field

from graph.questions.dependencies import Evidence
from graph.questions.evidence import EntityRef, Hop, SourceQuote, quotes
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore, gc_paused

_MARK = "another source gives"
_FLAG = re.compile(rf"{_MARK} (\w+)=(.*?)(?=; {_MARK} |;|$)")


class ClaimConflict(BaseModel):
    entity: EntityRef
    property: str
    stored_value: Any
    stored_sources: list[SourceQuote]
    claimed_value: str
    claim: EntityRef
    claim_sources: list[SourceQuote]
    chain: list[Hop] = Field(description="The DISPUTES hop from the claim to the entity.")


class RelationshipConflict(BaseModel):
    relationship: Hop
    property: str
    stored_value: Any
    other_value: str
    note: str
    sources: list[SourceQuote] = Field(description="Every source of the relationship (it keeps one set).")


class ConflictsResult(BaseModel):
    as_of: dt.date | None
    entity: str | None = None
    claims: list[ClaimConflict]
    relationships: list[RelationshipConflict]
    total: int


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def conflicts(
    graph: QuestionGraph | GraphStore, entity: str | None = None, as_of: dt.date | None = None
) -> ConflictsResult:
    """Claims that disagree with stored values, and relationship values flagged by the merge.

    Examples
    --------
    >>> from graph.model import Node, Relationship, provenance_props, Citation
    >>> g = QuestionGraph(
    ...     [Node("k", "Commitment", {"name": "fund", "deadline_unit": "working_days",
    ...           **provenance_props([Citation("a", "45 working days"), Citation("b", "45 days")])}),
    ...      Node("c", "Claim", {"name": "deadline_unit of fund: calendar_days", "property": "deadline_unit",
    ...           "value": "calendar_days", **provenance_props([Citation("b", "45 days")])})],
    ...     [Relationship("d", "DISPUTES", "c", "k", {})])
    >>> c = conflicts(g).claims[0]
    >>> c.stored_value, [s.quote for s in c.stored_sources], c.claimed_value, [s.quote for s in c.claim_sources]
    ('working_days', ['45 working days'], 'calendar_days', ['45 days'])
    """
    graph = as_graph(graph, as_of)
    if entity is not None:
        graph.require(entity, "entity")
    with gc_paused():
        return _conflicts(graph, entity)


def _conflicts(graph: QuestionGraph, entity: str | None) -> ConflictsResult:
    evidence = Evidence(graph)
    claims = []
    disputes = graph.inn(entity, "DISPUTES") if entity is not None else graph.relationships("DISPUTES")
    for rel in disputes:
        claim, target = graph.record(rel.start), graph.record(rel.end)
        if claim is None or target is None or claim.label != "Claim":
            continue
        prop = str(claim.props.get("property", ""))
        claim_quotes = quotes(claim)
        stored = [q for q in quotes(target) if q not in claim_quotes]
        claims.append(
            ClaimConflict(
                entity=evidence.ref(target.id),
                property=prop,
                stored_value=_json(target.props.get(prop)),
                stored_sources=stored,
                claimed_value=str(claim.props.get("value", "")),
                claim=evidence.ref(claim.id),
                claim_sources=claim_quotes,
                chain=evidence.chain(((rel, False),)),
            )
        )
    claims.sort(key=lambda c: (c.entity.id, c.property, c.claim.id))

    flagged = []
    rels = (
        {r.id: r for r in (*graph.out(entity), *graph.inn(entity))}.values()
        if entity is not None
        else graph.relationships_by_id()
    )
    # Only a note the merge flagged can match: test that cheaply before sorting and parsing.
    marked = [r for r in rels if "note" in r.props and _MARK in (r.props["note"] or "")]
    for rel in sorted(marked, key=lambda r: r.id):
        note = rel.props["note"]
        for key, value in _FLAG.findall(note):
            h = evidence.chain(((rel, True),))[0]
            flagged.append(
                RelationshipConflict(
                    relationship=h,
                    property=key,
                    stored_value=_json(rel.props.get(key)),
                    other_value=value,
                    note=note,
                    sources=h.sources,
                )
            )
    return ConflictsResult(
        as_of=graph.as_of, entity=entity, claims=claims, relationships=flagged, total=len(claims) + len(flagged)
    )
