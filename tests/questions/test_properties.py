"""Property-based tests on random deal graphs (hypothesis).

Invariants: every dependency chain is a real walk in the graph, in force on the day asked;
the answer equals a brute-force enumeration over all relationships; filters agree with the
whole answer; revoking a concession never exposes a company that does not depend on it;
removing a critical node breaks exactly the dependencies it is said to break; paths are
simple walks no shorter than networkx's shortest path.
"""

from __future__ import annotations

import datetime as dt
import itertools

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.ids import relationship_id
from graph.model import Node, Relationship
from graph.questions.critical import critical
from graph.questions.dependencies import PARTICIPATION, dependencies, dependency_rows
from graph.questions.evidence import is_walk
from graph.questions.paths import path
from graph.questions.projection import QuestionGraph, in_force
from graph.questions.whatif import what_if

DAYS = [dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 1)]
COUNTRIES = ["USA", "JPN", "DEU"]
LABELS = {  # label: (id prefix, most nodes)
    "Company": ("company:c", 5),
    "Sector": ("sector:s", 3),
    "TariffConcession": ("tariffconcession:t", 3),
    "Commitment": ("commitment:m", 3),
    "InvestmentVehicle": ("investmentvehicle:v", 2),
    "Project": ("project:p", 4),
}
TYPES = [  # type, from label, to label, most relationships
    ("EXPORTS", "Company", "Sector", 6),
    ("IN_SECTOR", "Company", "Sector", 3),
    ("IN_SECTOR", "Project", "Sector", 2),
    ("COVERS", "TariffConcession", "Sector", 4),
    ("BENEFITS", "TariffConcession", "Country", 4),
    ("CONCEDES", "Country", "TariffConcession", 3),
    ("BASED_IN", "Company", "Country", 6),
    *((t, "Company", "Project", 3) for t in PARTICIPATION),
    ("FUNDS", "InvestmentVehicle", "Project", 5),
    ("FULFILS", "InvestmentVehicle", "Commitment", 3),
    ("CONDITIONAL_ON", "TariffConcession", "Commitment", 4),
    ("GOVERNS", "Commitment", "Commitment", 3),
]


@st.composite
def validity(draw) -> dict:
    start = draw(st.sampled_from([None, *DAYS[:2]]))
    end = draw(st.sampled_from([None, *(d for d in DAYS if start is None or d > start)]))
    return {k: v for k, v in (("valid_from", start), ("valid_to", end)) if v is not None}


@st.composite
def deal_graphs(draw) -> tuple[list[Node], list[Relationship]]:
    nodes = [Node(c, "Country", {"name": c, "iso3": c}) for c in COUNTRIES]
    ids: dict[str, list[str]] = {"Country": list(COUNTRIES)}
    for label, (prefix, most) in LABELS.items():
        ids[label] = [f"{prefix}{i}" for i in range(draw(st.integers(1, most)))]
        nodes += [Node(i, label, {"name": i, **draw(validity())}) for i in ids[label]]
    rels = []
    for rel_type, start_label, end_label, most in TYPES:
        for k in range(draw(st.integers(0, most))):
            a = draw(st.sampled_from(ids[start_label]))
            b = draw(st.sampled_from(ids[end_label]))
            props = draw(validity())
            if rel_type == "EXPORTS":
                market = draw(st.sampled_from([None, *COUNTRIES, "MEX"]))
                if market:
                    props["to"] = market
            rid = relationship_id(rel_type, a, b, str(k))
            rels.append(Relationship(rid, rel_type, a, b, {"id": rid, **props}))
    return nodes, rels


def brute_force(graph: QuestionGraph) -> set[tuple]:
    """Dependencies by trying every combination of relationships (no indexes, no memo)."""
    rels = graph.relationships()
    of = {t: [r for r in rels if r.type == t] for t in {r.type for r in rels}}
    label = graph.label
    found = set()
    for s in of.get("EXPORTS", []) + of.get("IN_SECTOR", []):
        if label(s.start) != "Company" or label(s.end) != "Sector":
            continue
        for cv, b, bi in itertools.product(of.get("COVERS", []), of.get("BENEFITS", []), of.get("BASED_IN", [])):
            if not (cv.end == s.end and label(cv.start) == "TariffConcession" and b.start == cv.start):
                continue
            if not (bi.start == s.start and bi.end == b.end):
                continue
            conceders = {r.start for r in of.get("CONCEDES", []) if r.end == cv.start}
            market = s.props.get("to") if s.type == "EXPORTS" else None
            if market and conceders and market not in conceders:
                continue
            found.add((s.start, cv.start, "exposure", (s.id, cv.id, b.id, bi.id)))
    for w in (r for t in PARTICIPATION for r in of.get(t, [])):
        for f, fu in itertools.product(of.get("FUNDS", []), of.get("FULFILS", [])):
            if not (f.end == w.end and label(f.start) == "InvestmentVehicle" and fu.start == f.start):
                continue
            for co in of.get("CONDITIONAL_ON", []):
                if co.end == fu.end:
                    found.add((w.start, co.start, "fulfilment", (w.id, f.id, fu.id, co.id)))
            for g in of.get("GOVERNS", []):
                if g.end != fu.end:
                    continue
                for co in of.get("CONDITIONAL_ON", []):
                    if co.end == g.start:
                        found.add((w.start, co.start, "fulfilment", (w.id, f.id, fu.id, g.id, co.id)))
    return found


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@SETTINGS
@given(deal_graphs(), st.sampled_from([None, *DAYS, dt.date(2025, 3, 1)]))
def test_dependencies_equal_brute_force_and_are_real_walks_in_force(records, day) -> None:
    graph = QuestionGraph(*records).at(day)
    result = dependencies(graph)
    got = {(d.company.id, d.concession.id, d.kind, tuple(h.id for h in d.chain)) for d in result.dependencies}
    assert got == brute_force(graph)
    assert len(got) == result.total  # no chain twice
    for d in result.dependencies:
        assert is_walk(d.chain)
        assert d.chain[0].entry.id == d.company.id
        assert d.concession.id in {h.exit.id for h in d.chain}
        for h in d.chain:
            rel = graph.relationship(h.id)
            assert rel is not None and (rel.type, rel.start, rel.end) == (h.type, h.from_.id, h.to.id)
            assert in_force(rel.props, day)
            assert graph.node_ok(rel.start) and graph.node_ok(rel.end)


@SETTINGS
@given(deal_graphs(), st.sampled_from([None, *DAYS]))
def test_filters_agree_with_the_whole_answer(records, day) -> None:
    graph = QuestionGraph(*records).at(day)
    whole = dependency_rows(graph)
    for company in {n.id for n in graph.at(None).nodes("Company")}:
        assert dependency_rows(graph, company=company) == [r for r in whole if r[0] == company]
    for concession in {n.id for n in graph.at(None).nodes("TariffConcession")}:
        assert dependency_rows(graph, concession=concession) == [r for r in whole if r[1] == concession]


@SETTINGS
@given(deal_graphs(), st.sampled_from([None, *DAYS]))
def test_revoking_never_exposes_a_company_that_does_not_depend(records, day) -> None:
    graph = QuestionGraph(*records).at(day)
    for concession in graph.at(None).nodes("TariffConcession"):
        exposed = {c.company.id for c in what_if(graph, revoke=concession.id).companies}
        dependants = {d.company.id for d in dependencies(graph, concession=concession.id).dependencies}
        assert exposed == dependants
    for commitment in graph.at(None).nodes("Commitment"):
        result = what_if(graph, breach=commitment.id)
        lost = {c.concession.id for c in result.concessions}
        assert lost == {r.start for r in graph.inn(commitment.id, "CONDITIONAL_ON")}
        dependants = {d.company.id for t in lost for d in dependencies(graph, concession=t).dependencies}
        assert {c.company.id for c in result.companies} == dependants


@SETTINGS
@given(deal_graphs())
def test_removing_a_critical_node_breaks_exactly_what_it_says(records) -> None:
    nodes, rels = records
    graph = QuestionGraph(nodes, rels)
    result = critical(graph, limit=3, with_centrality=False)
    pairs = {(r[0], r[1]) for r in dependency_rows(graph)}
    assert result.dependencies == len(pairs)
    for item in result.nodes:
        gone = item.entity.id
        without = QuestionGraph([n for n in nodes if n.id != gone], [r for r in rels if gone not in (r.start, r.end)])
        left = {(r[0], r[1]) for r in dependency_rows(without)}
        assert pairs - left == {(p.company.id, p.concession.id) for p in item.pairs}
        assert len(pairs) - len(left) == item.breaks
    for item in result.relationships:
        without = QuestionGraph(nodes, [r for r in rels if r.id != item.relationship.id])
        left = {(r[0], r[1]) for r in dependency_rows(without)}
        assert len(pairs) - len(left) == item.breaks


@SETTINGS
@given(deal_graphs(), st.integers(1, 4), st.booleans(), st.data())
def test_paths_are_simple_walks_and_the_shortest_is_networkx_shortest(records, max_hops, directed, data) -> None:
    nodes, rels = records
    graph = QuestionGraph(nodes, rels)
    ids = sorted(n.id for n in nodes)
    a, b = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
    result = path(graph, a, b, max_hops=max_hops, directed=directed, limit=10_000)
    simple = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(ids)
    simple.add_edges_from((r.start, r.end) for r in rels)
    try:
        expected = nx.shortest_path_length(simple, a, b)
    except nx.NetworkXNoPath:
        expected = None
    if a == b or expected is None or expected > max_hops:
        assert result.shortest_hops is None and result.chains == []
    else:
        assert result.shortest_hops == expected
    for chain in result.chains:
        assert is_walk(chain.hops) and chain.length <= max_hops
        assert chain.nodes[0].id == a and chain.nodes[-1].id == b
        assert len({n.id for n in chain.nodes}) == len(chain.nodes)
        assert not directed or all(h.forward for h in chain.hops)
    assert len({tuple(h.id for h in c.hops) for c in result.chains}) == len(result.chains)
    assert [c.length for c in result.chains] == sorted(c.length for c in result.chains)
