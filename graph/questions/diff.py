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
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.model import PROVENANCE_KEYS, Node, Relationship
from graph.questions.dependencies import Evidence
from graph.questions.evidence import EntityRef, Hop, SourceQuote, quotes
from graph.questions.projection import InForceIndex, QuestionGraph, as_graph
from graph.questions.whatif import lost_concessions
from graph.store import GraphStore, gc_paused

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
    """Concessions (whatever their dates) grouped by measure, conceders and beneficiaries
    (worked out once per projection; not to be changed)."""
    return graph.shared("diff.measure_groups", _group_concessions)[0]


def _group_of(graph: QuestionGraph) -> dict[str, tuple]:
    """The measure group (key of `_measure_groups`) of each concession."""
    return graph.shared("diff.measure_groups", _group_concessions)[1]


def _group_concessions(whole: QuestionGraph) -> tuple[dict[tuple, list[str]], dict[str, tuple]]:
    groups: dict[tuple, list[str]] = defaultdict(list)
    group_of: dict[str, tuple] = {}
    for node in whole.nodes("TariffConcession"):
        conceders = tuple(sorted({r.start for r in whole.inn(node.id, "CONCEDES")}))
        beneficiaries = tuple(sorted({r.end for r in whole.out(node.id, "BENEFITS")}))
        key = (str(node.props.get("measure", "")), conceders, beneficiaries)
        groups[key].append(node.id)
        group_of[node.id] = key
    return dict(groups), group_of


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


def _rate_changes(before: QuestionGraph, after: QuestionGraph, evidence: Evidence, moved: set[str]) -> list[Change]:
    """Applied rates that differ between the two views. Only the groups of `moved` (the
    concessions in force on one day and not on the other) can differ: the others have the
    same concessions in force on both days."""
    changes = []
    groups, group_of = _measure_groups(before), _group_of(before)
    for key in sorted({group_of[t] for t in moved if t in group_of}):
        ids = groups[key]
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
    before: QuestionGraph,
    after: QuestionGraph,
    moved: list[Relationship],
    evidence: Evidence,
) -> list[Change]:
    """Slots (type, start, end) held by one record on each day, a different one. Such a slot
    holds a removed and an added relationship (the first day's record is not in force on
    the second, or the slot would hold two), so only the slots of the relationships added
    (or of those removed) are read: `moved`."""
    whole = before.at(None)
    changes = []
    for slot in sorted({(r.type, r.start, r.end) for r in moved}):
        rel_type, start, end = slot
        leaving, arriving = whole.out(start, rel_type), whole.inn(end, rel_type)
        same = (
            [r for r in leaving if r.end == end]
            if len(leaving) <= len(arriving)
            else [r for r in arriving if r.start == start]
        )
        a_rels = [r for r in same if before.rel_ok(r)]
        b_rels = [r for r in same if after.rel_ok(r)]
        if len(a_rels) != 1 or len(b_rels) != 1 or a_rels[0].id == b_rels[0].id:
            continue
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
    with gc_paused():  # also while the in-force index is built (on the first diff)
        return _dates(base, evidence, from_, to, limit)


def _dates(base: QuestionGraph, evidence: Evidence, from_: dt.date, to: dt.date, limit: int | None) -> DiffResult:
    before, after = base.at(from_), base.at(to)
    index = base.in_force_index()
    (came, came_rels), (went, went_rels) = index.moved(from_, to)
    concession = base.shared("diff.is_concession", _is_concession)
    moved = {index.node_ids[k] for k in (*came[concession[came]], *went[concession[went]])}
    changed = _rate_changes(before, after, evidence, moved)
    # Only the smaller side's relationships are read for the slots.
    fewer = came_rels if len(came_rels) <= len(went_rels) else went_rels
    changed += _slot_changes(before, after, [base.relationship(index.rel_ids[k]) for k in fewer], evidence)  # type: ignore[misc]
    shown_added = _facts(base, evidence, index, came, came_rels, limit)
    shown_removed = _facts(base, evidence, index, went, went_rels, limit)
    added_total, removed_total = len(came) + len(came_rels), len(went) + len(went_rels)
    return DiffResult(
        mode="dates",
        from_=from_,
        to=to,
        added=shown_added,
        removed=shown_removed,
        changed=changed,
        added_total=added_total,
        removed_total=removed_total,
        truncated=len(shown_added) < added_total or len(shown_removed) < removed_total,
    )


def _is_concession(whole: QuestionGraph) -> Any:
    """Per position of the in-force index's `node_ids`: is it a TariffConcession?"""
    import numpy as np

    labels = whole.in_force_index().node_ids
    return np.fromiter((whole.label(i) == "TariffConcession" for i in labels), bool, len(labels))


def _node_ranks(whole: QuestionGraph) -> Any:
    """Per position of the in-force index's `node_ids`: its rank by (label, name, id), the
    order facts are listed in; None when names of one label cannot be compared."""
    import numpy as np

    ids = whole.in_force_index().node_ids
    try:
        order = sorted(range(len(ids)), key=lambda k: _node_key(whole.record(ids[k])))  # type: ignore[arg-type]
    except TypeError:
        return None
    ranks = np.empty(len(ids), np.int64)
    ranks[order] = np.arange(len(ids))
    return ranks


def _node_key(node: Node) -> tuple:
    return ("node", node.label, node.props.get("name", node.id), node.id)


def _facts(
    graph: QuestionGraph,
    evidence: Evidence,
    index: InForceIndex,
    nodes: Any,
    rels: Any,
    limit: int | None,
) -> list[Fact]:
    """Facts for nodes and relationships (positions in the in-force index), sorted by kind,
    label, name and id, the first `limit` of them (evidence is built only for those)."""

    def name(node_id: str) -> str:
        node = graph.record(node_id)
        return node.props.get("name", node_id) if node else node_id

    def rel_key(rel: Relationship) -> tuple:
        return ("relationship", rel.type, f"{name(rel.start)} -{rel.type}-> {name(rel.end)}", rel.id)

    def first(items: list, key: Callable[[Any], tuple], room: int | None) -> list:
        return sorted(items, key=key) if room is None else heapq.nsmallest(room, items, key=key)

    # Nodes come first: with a limit, only the `limit` best ranked are read.
    ranks = graph.shared("diff.node_ranks", _node_ranks) if limit and len(nodes) > limit else None
    if ranks is not None:
        nodes = nodes[ranks[nodes].argpartition(limit - 1)[:limit]]
    chosen = first([graph.record(index.node_ids[k]) for k in nodes], _node_key, limit)
    # Then relationships, by type first: only the types needed to fill the limit are sorted by name.
    by_type: dict[str, list[Relationship]] = defaultdict(list)
    if limit is None or len(chosen) < limit:
        for k in rels:
            rel = graph.relationship(index.rel_ids[k])
            by_type[rel.type].append(rel)  # type: ignore[union-attr]
    for rel_type in sorted(by_type):
        if limit is not None and len(chosen) >= limit:
            break
        chosen += first(by_type[rel_type], rel_key, None if limit is None else limit - len(chosen))
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
