"""As-of and diff: what changed between two days, or between the graph and a what-if.

Every question takes `as_of` (see projection.py: a fact counts on day D when
``valid_from <= D`` or unset, and ``D < valid_to`` or unset; a relationship also needs
its two ends). `diff` compares two such views using `valid_from`/`valid_to` only, never
`reported_on` (when a source said something is not when it was in force):

- **added**: nodes and relationships in force on `to` and not on `from`;
- **removed**: in force on `from` and not on `to`;
- **changed**: (1) the rate applied to a tariff measure — concessions grouped by
  (measure, conceding countries, beneficiary countries); the applied rate is the
  `rate_after_pct` of the concession in force, or, when none is, the `rate_before_pct`
  of the one in force on the other day (what returns without it); (2) a relationship
  slot (type, start, end) held by a different record on each day, property by property.

The scenario form compares the graph on `as_of` with the same graph after a what-if
(`revoke` a concession or `breach` a commitment): the lost concessions and their
relationships are removed, the breached commitment's status becomes `breached`, and each
lost concession's measure goes back to its rate before.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.model import PROVENANCE_KEYS, Node, Relationship
from graph.questions.dependencies import Evidence
from graph.questions.evidence import EntityRef, Hop, SourceQuote, quotes
from graph.questions.projection import QuestionGraph, as_graph, paused_gc
from graph.questions.whatif import lost_concessions
from graph.store import GraphStore

_SAME = {"id", "valid_from", "valid_to", "reported_on", *PROVENANCE_KEYS}


class Fact(BaseModel):
    kind: Literal["node", "relationship"]
    id: str
    label: str = Field(description="The node's label or the relationship's type.")
    name: str = Field(description="The node's name, or 'start -TYPE-> end'.")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    hop: Hop | None = Field(None, description="For a relationship: its ends and sources.")
    sources: list[SourceQuote]


class Change(BaseModel):
    subject: str = Field(description="What changed, in words.")
    property: str
    before: Any = None
    after: Any = None
    entities: list[EntityRef] = Field(description="The records that hold the values before and after.")
    sources: list[SourceQuote]


class DiffResult(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    mode: Literal["dates", "scenario"]
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    as_of: dt.date | None = Field(None, description="Scenario form: the day of the baseline.")
    scenario: str | None = Field(None, description="Scenario form: e.g. 'breach commitment:...'.")
    added: list[Fact]
    removed: list[Fact]
    changed: list[Change]
    added_total: int = Field(0, description="How many facts were added (`added` may be cut at the limit).")
    removed_total: int = Field(0, description="How many facts were removed.")
    truncated: bool = Field(False, description="True when `added` or `removed` was cut at the limit.")


def _node_fact(node: Node) -> Fact:
    return Fact(
        kind="node",
        id=node.id,
        label=node.label,
        name=node.props.get("name", node.id),
        valid_from=node.props.get("valid_from"),
        valid_to=node.props.get("valid_to"),
        sources=quotes(node),
    )


def _rel_fact(evidence: Evidence, rel: Relationship) -> Fact:
    h = evidence.chain(((rel, True),))[0]
    return Fact(
        kind="relationship",
        id=rel.id,
        label=rel.type,
        name=f"{h.from_.name} -{rel.type}-> {h.to.name}",
        valid_from=rel.props.get("valid_from"),
        valid_to=rel.props.get("valid_to"),
        hop=h,
        sources=h.sources,
    )


def _sorted(facts: list[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.kind, f.label, f.name, f.id))


def _measure_groups(graph: QuestionGraph) -> dict[tuple, list[str]]:
    """Concessions (whatever their dates) grouped by measure, conceders and beneficiaries."""
    whole = graph.at(None)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for node in whole.nodes("TariffConcession"):
        conceders = tuple(sorted({r.start for r in whole.inn(node.id, "CONCEDES")}))
        beneficiaries = tuple(sorted({r.end for r in whole.out(node.id, "BENEFITS")}))
        groups[(str(node.props.get("measure", "")), conceders, beneficiaries)].append(node.id)
    return groups


def _subject(graph: QuestionGraph, key: tuple) -> str:
    measure, conceders, beneficiaries = key

    def names(ids: tuple) -> str:
        return ", ".join(graph.record(i).props.get("name", i) for i in ids) or "?"  # type: ignore[union-attr]

    return f"{measure}: {names(conceders)} on {names(beneficiaries)}"


def _applied(graph: QuestionGraph, ids: list[str]) -> Node | None:
    """The concession of a group in force on the view's day (the latest to start, if several)."""
    live = [graph.record(i) for i in ids if graph.node_ok(i)]
    live = [n for n in live if n is not None]
    if not live:
        return None
    return max(live, key=lambda n: (n.props.get("valid_from") or dt.date.min, n.id))


def _rate_changes(before: QuestionGraph, after: QuestionGraph, evidence: Evidence) -> list[Change]:
    changes = []
    for key, ids in sorted(_measure_groups(before).items()):
        a, b = _applied(before, ids), _applied(after, ids)
        if (a is None and b is None) or (a is not None and b is not None and a.id == b.id):
            continue
        rate_a = a.props.get("rate_after_pct") if a else b.props.get("rate_before_pct")  # type: ignore[union-attr]
        rate_b = b.props.get("rate_after_pct") if b else a.props.get("rate_before_pct")  # type: ignore[union-attr]
        if rate_a == rate_b:
            continue
        held = [n for n in (a, b) if n is not None]
        changes.append(
            Change(
                subject=_subject(before, key),
                property="applied_rate_pct",
                before=rate_a,
                after=rate_b,
                entities=[evidence.ref(n.id) for n in held],
                sources=[q for n in held for q in quotes(n)],
            )
        )
    return changes


def _slot_changes(
    before: list[Relationship], after: list[Relationship], graph: QuestionGraph, evidence: Evidence
) -> list[Change]:
    """Slots (type, start, end) held by one record on each day, a different one."""
    old: dict[tuple[str, str, str], list[Relationship]] = defaultdict(list)
    new: dict[tuple[str, str, str], list[Relationship]] = defaultdict(list)
    for rel in before:
        old[(rel.type, rel.start, rel.end)].append(rel)
    for rel in after:
        new[(rel.type, rel.start, rel.end)].append(rel)
    changes = []
    for slot in sorted(old.keys() & new.keys()):
        a_rels, b_rels = old[slot], new[slot]
        if len(a_rels) != 1 or len(b_rels) != 1 or a_rels[0].id == b_rels[0].id:
            continue
        rel_type, start, end = slot
        a, b = a_rels[0].props, b_rels[0].props
        for key in sorted((set(a) | set(b)) - _SAME):
            if a.get(key) != b.get(key):
                changes.append(
                    Change(
                        subject=f"{evidence.ref(start).name} -{rel_type}-> {evidence.ref(end).name}",
                        property=key,
                        before=a.get(key),
                        after=b.get(key),
                        entities=[],
                        sources=[*quotes(a_rels[0]), *quotes(b_rels[0])],
                    )
                )
    return changes


def diff(
    graph: QuestionGraph | GraphStore,
    from_: dt.date | None = None,
    to: dt.date | None = None,
    *,
    revoke: str | None = None,
    breach: str | None = None,
    as_of: dt.date | None = None,
    limit: int | None = None,
) -> DiffResult:
    """Facts added, removed and changed between two days, or under a what-if scenario.

    Give `from_` and `to`, or one of `revoke` / `breach` (with an optional `as_of`).
    `limit` keeps the first facts of `added` and of `removed` (the totals count them all).

    Examples
    --------
    >>> from graph.model import Node
    >>> d = lambda s: dt.date.fromisoformat(s)
    >>> g = QuestionGraph([
    ...     Node("old", "TariffConcession", {"name": "20%", "measure": "tariff", "rate_before_pct": 25.0,
    ...          "rate_after_pct": 20.0, "valid_to": d("2025-09-16")}),
    ...     Node("new", "TariffConcession", {"name": "15%", "measure": "tariff", "rate_before_pct": 25.0,
    ...          "rate_after_pct": 15.0, "valid_from": d("2025-09-16")})])
    >>> r = diff(g, d("2025-09-01"), d("2025-10-01"))
    >>> [f.id for f in r.added], [f.id for f in r.removed], [(c.before, c.after) for c in r.changed]
    (['new'], ['old'], [(20.0, 15.0)])
    """
    scenario = revoke is not None or breach is not None
    if scenario and (from_ is not None or to is not None):
        raise ValueError("give either from/to or a scenario (revoke or breach), not both")
    if revoke is not None and breach is not None:
        raise ValueError("give one of revoke and breach")
    if not scenario and (from_ is None or to is None):
        raise ValueError("give both from and to")
    base = as_graph(graph)
    evidence = Evidence(base)
    if scenario:
        return _scenario(base.at(as_of) if as_of else base, evidence, revoke, breach)
    before, after = base.at(from_), base.at(to)
    nodes_before = {n.id for n in before.nodes()}
    nodes_after = {n.id for n in after.nodes()}
    rels_before = before.relationships()
    rels_after = after.relationships()
    ids_before = {r.id for r in rels_before}
    ids_after = {r.id for r in rels_after}
    added = [base.record(i) for i in nodes_after - nodes_before]
    added += [r for r in rels_after if r.id not in ids_before]
    removed = [base.record(i) for i in nodes_before - nodes_after]
    removed += [r for r in rels_before if r.id not in ids_after]
    changed = _rate_changes(before, after, evidence) + _slot_changes(rels_before, rels_after, base, evidence)
    with paused_gc():
        shown_added, shown_removed = _facts(base, evidence, added, limit), _facts(base, evidence, removed, limit)
        return DiffResult(
            mode="dates",
            from_=from_,
            to=to,
            added=shown_added,
            removed=shown_removed,
            changed=changed,
            added_total=len(added),
            removed_total=len(removed),
            truncated=len(shown_added) < len(added) or len(shown_removed) < len(removed),
        )


def _facts(graph: QuestionGraph, evidence: Evidence, records: list, limit: int | None) -> list[Fact]:
    """Facts for records (nodes and relationships), sorted by kind, label, name and id, the
    first `limit` of them (evidence is built only for those)."""

    def name(node_id: str) -> str:
        node = graph.record(node_id)
        return node.props.get("name", node_id) if node else node_id

    def key(record: Node | Relationship) -> tuple:
        if isinstance(record, Node):
            return ("node", record.label, record.props.get("name", record.id), record.id)
        return ("relationship", record.type, f"{name(record.start)} -{record.type}-> {name(record.end)}", record.id)

    chosen = sorted(records, key=key) if limit is None else heapq.nsmallest(limit, records, key=key)
    return [_node_fact(r) if isinstance(r, Node) else _rel_fact(evidence, r) for r in chosen]


def _scenario(graph: QuestionGraph, evidence: Evidence, revoke: str | None, breach: str | None) -> DiffResult:
    if revoke is not None:
        target = graph.require(revoke, "revoke", "TariffConcession")
    else:
        target = graph.require(breach or "", "breach", "Commitment")
    lost = [cid for cid, _, _ in lost_concessions(graph, revoke, breach)]
    removed = [_node_fact(graph.record(c)) for c in lost]  # type: ignore[arg-type]
    touching = {r.id: r for c in lost for r in (*graph.out(c), *graph.inn(c))}
    removed += [_rel_fact(evidence, r) for r in touching.values()]
    changed = []
    if breach is not None and graph.node_ok(breach) and target.props.get("status") != "breached":
        changed.append(
            Change(
                subject=target.props.get("name", target.id),
                property="status",
                before=target.props.get("status"),
                after="breached",
                entities=[evidence.ref(target.id)],
                sources=quotes(target),
            )
        )
    groups = _measure_groups(graph)
    for key, ids in sorted(groups.items()):
        held = _applied(graph, ids)
        if held is None or held.id not in lost:
            continue
        before, after = held.props.get("rate_after_pct"), held.props.get("rate_before_pct")
        if before == after:
            continue
        changed.append(
            Change(
                subject=_subject(graph, key),
                property="applied_rate_pct",
                before=before,
                after=after,
                entities=[evidence.ref(held.id)],
                sources=quotes(held),
            )
        )
    label = f"revoke {revoke}" if revoke is not None else f"breach {breach}"
    removed = _sorted(removed)
    return DiffResult(
        mode="scenario",
        as_of=graph.as_of,
        scenario=label,
        added=[],
        removed=removed,
        changed=changed,
        removed_total=len(removed),
    )
