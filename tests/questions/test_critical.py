"""Critical nodes and relationships, counted by hand on the fixture dataset."""

from __future__ import annotations

import datetime as dt

from graph.questions.critical import critical
from tests.questions.names import AUTO_PARTS, FACILITY, INVEST, NEVADA, OHIO, RULE

D = dt.date.fromisoformat


def test_critical_nodes_by_hand(deals) -> None:
    # Pairs whose every chain shares a node (the pair's own ends left out):
    #   Kestrel/auto: exposure and fulfilment share nothing.   Kestrel/reciprocal: Ohio, facility, pledge, rule.
    #   Aoba/auto (Ohio, Texas): facility, pledge.   Aoba/reciprocal: facility, pledge, rule.
    #   Mesa/auto: Nevada, facility, pledge.   Mesa/reciprocal: Nevada, facility, pledge, rule.
    #   Hokuto/auto: Auto parts, Japan.   Great Plains/beef: Beef, US.   Saigon/textile: Textiles, Vietnam.
    r = critical(deals, limit=20, with_centrality=False)
    assert (r.dependencies, r.chains) == (9, 12)
    assert [(n.entity.id, n.breaks) for n in r.nodes] == [
        (INVEST, 5),
        (FACILITY, 5),
        (RULE, 3),
        (NEVADA, 2),
        ("JPN", 1),
        ("USA", 1),
        ("VNM", 1),
        (OHIO, 1),
        (AUTO_PARTS, 1),
        ("sector:beef", 1),
        ("sector:textiles", 1),
    ]
    assert [p.company.name for p in r.nodes[3].pairs] == ["Mesa Compute", "Mesa Compute"]


def test_critical_relationships_by_hand(deals) -> None:
    r = critical(deals, limit=6, with_centrality=False)
    top = [(x.relationship.type, x.relationship.from_.name, x.breaks) for x in r.relationships]
    assert top[0] == ("FULFILS", "Pacific Investment Facility", 5)
    assert set(top[1:3]) == {
        ("GOVERNS", "Fund each selected project within 45 working days", 3),
        ("CONDITIONAL_ON", "Reciprocal tariff cut from 25% to 15%", 3),
    }
    assert set(top[3:6]) == {
        ("CONDITIONAL_ON", "Auto tariff cut from 27.5% to 15%", 2),  # Aoba and Mesa (Kestrel also exports)
        ("FUNDS", "Pacific Investment Facility", 2),  # to Nevada
        ("PARTICIPATES_IN", "Mesa Compute", 2),
    }


def test_as_of_changes_what_is_critical(deals) -> None:
    r = critical(deals, as_of=D("2025-10-01"), with_centrality=False)
    # Mesa's two chains through Nevada are the only fulfilment left (see test_dependencies);
    # Japan is now on both Japanese exporters' only chains.
    assert (r.dependencies, r.chains) == (6, 6)
    assert [(n.entity.id, n.breaks) for n in r.nodes[:4]] == [("JPN", 2), (INVEST, 2), (FACILITY, 2), (NEVADA, 2)]


def test_centrality_per_label(deals) -> None:
    r = critical(deals, top=2)
    labels = {group.label: group.nodes for group in r.centrality}
    assert "Source" not in labels
    assert labels["Country"][0].entity.id == "JPN"  # the hub of the accord
    assert labels["InvestmentVehicle"][0].entity.id == FACILITY
    assert all(len(nodes) <= 2 for nodes in labels.values())
    assert r.betweenness_sample is None


def test_seed_critical(seed_graph) -> None:
    r = critical(seed_graph, with_centrality=False)
    assert (r.dependencies, r.chains) == (6, 16)
    assert {n.entity.name for n in r.nodes[:2]} == {
        "Invest $550 billion in the United States",
        "$550 billion investment vehicle",
    }
    assert r.nodes[0].breaks == 6
