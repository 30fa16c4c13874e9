"""Evidence: the typed pieces every question's answer is made of.

An answer never says "SoftBank depends on the 15% rate" alone: it carries the chain of
relationships that makes it so, each hop with its two ends and every source that states
it, with the quote and its character span in the source text. A chain is a walk: each hop
starts where the previous one ended. `forward` says whether the walk follows the stored
direction (``A -LEADS-> B``) or goes against it (``B <-FUNDS- V``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph.model import PROVENANCE_KEYS, Node, Relationship, citations_of
from graph.questions.projection import QuestionGraph

# Properties a hop shows besides its provenance (which becomes `sources`).
_HIDDEN = {"id", *PROVENANCE_KEYS}


class EntityRef(BaseModel):
    """A node, named: its id, display name and label."""

    id: str
    name: str
    label: str


class SourceQuote(BaseModel):
    """One source for one fact: the Source id, the sentence, and its span in the source text."""

    source: str = Field(description="Source id.")
    quote: str = Field("", description="The sentence that states the fact (empty for non-text sources).")
    start: int = Field(-1, description="Start offset of the quote in the source text, -1 when none.")
    end: int = Field(-1, description="End offset (exclusive), -1 when none.")


class Hop(BaseModel):
    """One relationship of an evidence chain, with its ends and its sources."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(description="Relationship id.")
    type: str = Field(description="Relationship type.")
    from_: EntityRef = Field(alias="from", description="Start node, as stored.")
    to: EntityRef = Field(description="End node, as stored.")
    forward: bool = Field(True, description="True when the chain walks the stored direction, false when against it.")
    properties: dict[str, Any] = Field(default_factory=dict, description="Other properties (dates as YYYY-MM-DD).")
    sources: list[SourceQuote] = Field(default_factory=list)

    @property
    def entry(self) -> EntityRef:
        """Where the walk enters this hop."""
        return self.from_ if self.forward else self.to

    @property
    def exit(self) -> EntityRef:
        """Where the walk leaves this hop."""
        return self.to if self.forward else self.from_


def ref(graph: QuestionGraph, node_or_id: Node | str) -> EntityRef:
    """The EntityRef of a node of `graph` (whatever its dates)."""
    node = graph.record(node_or_id) if isinstance(node_or_id, str) else node_or_id
    if node is None:
        return EntityRef(id=str(node_or_id), name=str(node_or_id), label="")
    return EntityRef(id=node.id, name=node.props.get("name", node.id), label=node.label)


def quotes(record: Node | Relationship) -> list[SourceQuote]:
    """The sources of a record, one per citation."""
    return [SourceQuote(source=c.source, quote=c.quote, start=c.start, end=c.end) for c in citations_of(record.props)]


def hop(
    graph: QuestionGraph, rel: Relationship, forward: bool = True, refer: Callable[[str], EntityRef] | None = None
) -> Hop:
    """The Hop for a relationship of `graph`, walked forward or backward (`refer` gives the
    EntityRef of an end, `ref` when not given: a caller may share them across hops)."""
    if refer is None:
        refer = lambda node_id: ref(graph, node_id)  # noqa: E731
    props = {k: v for k, v in sorted(rel.props.items()) if k not in _HIDDEN and v is not None}
    return Hop(
        id=rel.id,
        type=rel.type,
        from_=refer(rel.start),
        to=refer(rel.end),
        forward=forward,
        properties=props,
        sources=quotes(rel),
    )


def chain_text(chain: Sequence[Hop]) -> str:
    """A chain in one line, arrows in the stored direction.

    >>> a, b = EntityRef(id="a", name="A", label="Company"), EntityRef(id="p", name="P", label="Project")
    >>> v = EntityRef(id="v", name="V", label="InvestmentVehicle")
    >>> chain_text([Hop(id="1", type="LEADS", from_=a, to=b), Hop(id="2", type="FUNDS", from_=v, to=b, forward=False)])
    'A -LEADS-> P <-FUNDS- V'
    """
    if not chain:
        return ""
    parts = [chain[0].entry.name]
    for h in chain:
        parts.append(f"-{h.type}-> {h.to.name}" if h.forward else f"<-{h.type}- {h.from_.name}")
    return " ".join(parts)


def is_walk(chain: Sequence[Hop]) -> bool:
    """Whether each hop starts where the previous one ended."""
    return all(a.exit.id == b.entry.id for a, b in itertools.pairwise(chain))
