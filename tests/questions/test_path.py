"""Paths between two entities, counted by hand on the fixture dataset."""

from __future__ import annotations

import datetime as dt

from graph.questions.evidence import is_walk
from graph.questions.paths import path
from tests.questions.names import KESTREL, OHIO, SOFTBANK

D = dt.date.fromisoformat


def test_kestrel_to_japan(deals) -> None:
    # 1 hop: BASED_IN. 2 hops: none. 3 hops: through Automobiles (the auto cut BENEFITS Japan;
    # Kobe Trucks is BASED_IN Japan) and through the Ohio plant (the facility Japan
    # ESTABLISHES; Aoba Electric BASED_IN Japan). Rhine Autowerke is German: no chain.
    r = path(deals, KESTREL, "JPN", max_hops=3)
    assert r.shortest_hops == 1
    assert [c.summary for c in r.shortest] == ["Kestrel Motors -BASED_IN-> Japan"]
    assert sorted(c.summary for c in r.chains if c.length == 3) == sorted(
        [
            "Kestrel Motors -EXPORTS-> Automobiles <-COVERS- Auto tariff cut from 27.5% to 15% -BENEFITS-> Japan",
            "Kestrel Motors -EXPORTS-> Automobiles <-EXPORTS- Kobe Trucks -BASED_IN-> Japan",
            "Kestrel Motors -LEADS-> Ohio battery plant <-FUNDS- Pacific Investment Facility <-ESTABLISHES- Japan",
            "Kestrel Motors -LEADS-> Ohio battery plant <-SUPPLIES- Aoba Electric -BASED_IN-> Japan",
        ]
    )
    assert [c.length for c in r.chains] == [1, 3, 3, 3, 3]
    assert not r.truncated
    for c in r.chains:
        assert is_walk(c.hops)
        assert c.nodes[0].id == KESTREL and c.nodes[-1].id == "JPN"
        assert len({n.id for n in c.nodes}) == len(c.nodes)  # simple paths


def test_directed_follows_stored_directions_only(deals) -> None:
    r = path(deals, KESTREL, "JPN", max_hops=3, directed=True)
    assert [c.summary for c in r.chains] == ["Kestrel Motors -BASED_IN-> Japan"]
    assert path(deals, "JPN", KESTREL, max_hops=4, directed=True).shortest_hops is None


def test_as_of_hides_a_selection_not_yet_made(deals) -> None:
    before = path(deals, KESTREL, "JPN", max_hops=3, as_of=D("2026-01-01"))
    assert not any("FUNDS" in c.summary for c in before.chains)
    after = path(deals, KESTREL, "JPN", max_hops=3, as_of=D("2026-03-01"))
    assert any("FUNDS" in c.summary for c in after.chains)


def test_limit_truncates_longest_first(deals) -> None:
    r = path(deals, KESTREL, "JPN", max_hops=3, limit=2)
    assert [c.length for c in r.chains] == [1, 3] and r.truncated


def test_seed_softbank_to_japan(seed_graph) -> None:
    r = path(seed_graph, SOFTBANK, "JPN", max_hops=3)
    assert r.shortest_hops == 3
    assert (
        "SoftBank Group -LEADS-> Data center infrastructure initiative <-FUNDS- $550 billion investment vehicle "
        "<-ESTABLISHES- Japan"
    ) in [c.summary for c in r.shortest]


def test_same_entity_has_no_chain(deals) -> None:
    assert path(deals, OHIO, OHIO).chains == []
