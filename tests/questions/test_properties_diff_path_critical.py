"""Property-based tests (hypothesis) of diff, path and critical against brute force.

The questions read indexes (the in-force index of the projection for diff, distances to
the target for path, one pass over the dependency rows and numpy for critical); these
invariants check them on random deal graphs against the plain definitions: a diff is the
difference of what is in force on the two days, scanned record by record; the chains of a
path are every simple chain up to max_hops in the answer's order, and `limit` keeps a
prefix of them; centrality is networkx's, to the last bit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import networkx as nx
from hypothesis import assume, given
from hypothesis import strategies as st

from graph.model import Node
from graph.questions import critical as critical_module
from graph.questions.diff import _SAME, _applied, _subject, diff
from graph.questions.paths import path
from graph.questions.projection import QuestionGraph, in_force
from tests.questions.test_properties import DAYS, SETTINGS, deal_graphs

ANY_DAY = [dt.date(2024, 1, 1), *DAYS, dt.date(2025, 3, 1)]


@st.composite
def rated_graphs(draw) -> tuple[list[Node], list]:
    """Deal graphs whose concessions carry a measure and rates (so applied rates change)."""
    nodes, rels = draw(deal_graphs())
    rate = st.sampled_from([None, 5.0, 10.0, 25.0])
    out = []
    for node in nodes:
        if node.label == "TariffConcession":
            props = {"measure": draw(st.sampled_from(["tariff", "quota"])), **node.props}
            props.update({"rate_before_pct": draw(rate), "rate_after_pct": draw(rate)})
            node = Node(node.id, node.label, props)
        out.append(node)
    return out, rels


def in_force_on(graph: QuestionGraph, day: dt.date) -> set[str]:
    """Ids of the nodes and relationships in force on `day`, record by record."""
    nodes = {n.id for n in graph.nodes() if in_force(n.props, day)}
    rels = {r.id for r in graph.relationships() if in_force(r.props, day) and {r.start, r.end} <= nodes}
    return nodes | rels


def brute_changed(graph: QuestionGraph, a: dt.date, b: dt.date) -> list[tuple]:
    """Every measure group and every slot, compared on the two days."""
    before, after = graph.at(a), graph.at(b)
    groups = defaultdict(list)
    for node in graph.nodes("TariffConcession"):
        conceders = tuple(sorted({r.start for r in graph.inn(node.id, "CONCEDES")}))
        beneficiaries = tuple(sorted({r.end for r in graph.out(node.id, "BENEFITS")}))
        groups[(str(node.props.get("measure", "")), conceders, beneficiaries)].append(node.id)
    out = []
    for key, ids in sorted(groups.items()):
        x, y = _applied(before, ids), _applied(after, ids)
        if (x is None and y is None) or (x is not None and y is not None and x.id == y.id):
            continue
        rate_x = x.props.get("rate_after_pct") if x else y.props.get("rate_before_pct")
        rate_y = y.props.get("rate_after_pct") if y else x.props.get("rate_before_pct")
        if rate_x != rate_y:
            out.append((_subject(graph, key), "applied_rate_pct", rate_x, rate_y))
    slots: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for side, view in enumerate((before, after)):
        for rel in view.relationships():
            slots[(rel.type, rel.start, rel.end)][side].append(rel)
    name = lambda i: graph.record(i).props.get("name", i)  # noqa: E731
    for (rel_type, start, end), (xs, ys) in sorted(slots.items()):
        if len(xs) != 1 or len(ys) != 1 or xs[0].id == ys[0].id:
            continue
        p, q = xs[0].props, ys[0].props
        for key in sorted((set(p) | set(q)) - _SAME):
            if p.get(key) != q.get(key):
                out.append((f"{name(start)} -{rel_type}-> {name(end)}", key, p.get(key), q.get(key)))
    return out


@SETTINGS
@given(rated_graphs(), st.sampled_from(ANY_DAY), st.sampled_from(ANY_DAY), st.integers(1, 4))
def test_diff_is_the_difference_of_the_two_days(records, a, b, limit) -> None:
    graph = QuestionGraph(*records)
    result = diff(graph, a, b)
    was, now = in_force_on(graph, a), in_force_on(graph, b)
    assert {f.id for f in result.added} == now - was and result.added_total == len(now - was)
    assert {f.id for f in result.removed} == was - now and result.removed_total == len(was - now)
    for facts in (result.added, result.removed):
        assert [(f.kind, f.label, f.name, f.id) for f in facts] == sorted(
            (f.kind, f.label, f.name, f.id) for f in facts
        )
    assert [(c.subject, c.property, c.before, c.after) for c in result.changed] == brute_changed(graph, a, b)
    cut = diff(graph, a, b, limit=limit)
    assert cut.added == result.added[:limit] and cut.removed == result.removed[:limit]
    assert cut.changed == result.changed
    assert cut.truncated == (len(result.added) > limit or len(result.removed) > limit)


def every_chain(graph: QuestionGraph, source: str, target: str, max_hops: int, directed: bool) -> list[tuple]:
    """Every simple chain up to max_hops, by length then by its steps (relationship id,
    forward first): no distances, no pruning."""
    found = []

    def walk(node: str, steps: list, seen: set) -> None:
        if node == target and steps:
            found.append(tuple(steps))
            return
        if len(steps) == max_hops:
            return
        moves = [((r.id, False), r.end) for r in graph.out(node)]
        if not directed:
            moves += [((r.id, True), r.start) for r in graph.inn(node)]
        for step, other in moves:
            if other not in seen:
                walk(other, [*steps, step], seen | {other})

    if source != target and graph.node_ok(source) and graph.node_ok(target):
        walk(source, [], {source})
    return sorted(found, key=lambda chain: (len(chain), chain))


@SETTINGS
@given(deal_graphs(), st.integers(1, 4), st.booleans(), st.sampled_from([None, *DAYS]), st.data())
def test_path_chains_are_every_simple_chain_in_order_and_limit_keeps_a_prefix(
    records, max_hops, directed, day, data
) -> None:
    graph = QuestionGraph(*records).at(day)
    ids = sorted(n.id for n in records[0])
    a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
    whole = path(graph, a, b, max_hops=max_hops, directed=directed, limit=100_000)
    expected = every_chain(graph, a, b, max_hops, directed)
    assert [tuple((h.id, not h.forward) for h in c.hops) for c in whole.chains] == expected
    assert not whole.truncated
    limit = data.draw(st.integers(1, 5))
    cut = path(graph, a, b, max_hops=max_hops, directed=directed, limit=limit)
    assert cut.chains == whole.chains[:limit]
    assert cut.truncated == (len(whole.chains) > limit)
    assert cut.shortest_hops == (whole.shortest_hops if cut.chains else None)


@SETTINGS
@given(deal_graphs(), st.sampled_from([None, *DAYS]), st.one_of(st.none(), st.integers(2, 30)))
def test_centrality_is_networkx_to_the_last_bit(records, day, sample) -> None:
    graph = QuestionGraph(*records).at(day)
    simple = nx.Graph()
    simple.add_nodes_from(n.id for n in graph.nodes() if n.label != "Source")
    simple.add_edges_from((r.start, r.end) for r in graph.relationships() if r.start != r.end)
    ours = critical_module._Simple(graph)
    assert ours.ids == list(simple)
    assume(sample is None or sample <= len(simple))
    between = critical_module._betweenness(ours, sample)
    if sample is None:
        expected = nx.betweenness_centrality(simple)
    else:  # sampled: the same pivots as networkx's seed
        expected = nx.betweenness_centrality(simple, k=sample, seed=critical_module.SAMPLE_SEED)
    assert between == expected
    if len(simple) > 1:
        assert dict(zip(ours.ids, (ours.degree * (1.0 / (len(simple) - 1.0))).tolist(), strict=True)) == (
            nx.degree_centrality(simple)
        )
