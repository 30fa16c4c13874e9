"""Ledgers: an agreement's reciprocity and a vehicle's pledged -> selected -> funded, by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.questions.ledger import ledger
from graph.questions.projection import UnknownEntity
from tests.questions.names import (
    ACCORD,
    AUTO,
    BEEF,
    FACILITY,
    GEORGIA,
    INTERIM,
    INVEST,
    NEVADA,
    OHIO,
    RECIP,
    RULE,
    SEED_AGREEMENT,
    SEED_VEHICLE,
    TEXAS,
)

D = dt.date.fromisoformat


def ids(items) -> list[str]:
    return [i.entity.id for i in items]


def test_the_accord_each_side_gives_and_gets(deals) -> None:
    a = ledger(deals, agreement=ACCORD).agreement
    assert a is not None
    japan, us = a.sides
    assert (japan.country.id, us.country.id) == ("JPN", "USA")
    # Concessions first, then commitments, each by name.
    assert ids(japan.gives) == [BEEF, RULE, INVEST]
    assert ids(japan.gets) == [AUTO, INTERIM, RECIP]
    assert ids(us.gives) == [AUTO, INTERIM, RECIP]
    assert ids(us.gets) == [BEEF, RULE, INVEST]
    assert (japan.gives_usd, japan.gets_usd, us.gives_usd, us.gets_usd) == (100e9, 0.0, 0.0, 100e9)
    assert [(c.concession.id, c.commitment.id, c.consequence) for c in a.conditions] == [
        (AUTO, INVEST, "the auto tariff returns to 27.5%"),
        (RECIP, RULE, "the reciprocal tariff may return to 25%"),
    ]
    auto = us.gives[0]
    assert auto.detail == "auto tariff: 27.5% -> 15%"
    assert [(h.type, h.forward) for h in auto.chain] == [("GRANTS", True), ("CONCEDES", False)]
    assert japan.gives[2].detail == "investment $100,000,000,000"
    assert a.unassigned == []


def test_the_accord_as_of_10_august_2025(deals) -> None:
    a = ledger(deals, agreement=ACCORD, as_of=D("2025-08-10")).agreement
    assert a is not None
    japan, us = a.sides
    assert ids(us.gives) == [INTERIM]
    assert ids(japan.gives) == [RULE, INVEST]
    assert a.conditions == []


def test_the_facility_from_pledged_to_funded(deals) -> None:
    v = ledger(deals, vehicle=FACILITY).vehicle
    assert v is not None
    assert v.pledged_usd == 100e9
    assert ids(v.commitments) == [INVEST]
    assert [(p.project.id, p.stage, p.selected_on) for p in v.projects] == [
        (NEVADA, "candidate", None),
        (GEORGIA, "selected", D("2025-12-01")),
        (OHIO, "selected", D("2026-02-17")),
        (TEXAS, "funded", D("2025-11-03")),
    ]
    assert [c.name for c in v.projects[2].companies] == ["Aoba Electric", "Kestrel Motors"]
    assert [(t.stage, t.projects, t.cost_min_usd, t.cost_max_usd) for t in v.totals] == [
        ("candidate", 1, 0.5e9, 0.8e9),
        ("selected", 2, 3.5e9, 4.5e9),
        ("funded", 1, 1e9, 1e9),
        ("cancelled", 0, 0.0, 0.0),
    ]
    # 100B pledged, minus 4.5-5.5B selected or funded.
    assert (v.unallocated_min_usd, v.unallocated_max_usd) == (94.5e9, 95.5e9)


def test_the_facility_before_the_ohio_selection(deals) -> None:
    v = ledger(deals, vehicle=FACILITY, as_of=D("2026-01-01")).vehicle
    assert v is not None
    assert [p.project.id for p in v.projects] == [NEVADA, GEORGIA, TEXAS]
    assert (v.unallocated_min_usd, v.unallocated_max_usd) == (97.5e9, 97.5e9)


def test_seed_agreement_and_vehicle(seed_graph) -> None:
    a = ledger(seed_graph, agreement=SEED_AGREEMENT).agreement
    assert a is not None
    japan, us = a.sides
    assert [i.entity.name for i in us.gives] == [
        "Lower tariffs on automobiles",
        "Reciprocal tariff rate reduced from 25% to 15%",
    ]
    assert japan.gives_usd == 550e9
    assert len(a.conditions) == 4
    v = ledger(seed_graph, vehicle=SEED_VEHICLE).vehicle
    assert v is not None
    assert {p.stage for p in v.projects} == {"candidate"}  # all four still under review or identified
    assert v.unallocated_min_usd == v.unallocated_max_usd == 550e9


def test_exactly_one_and_right_labels(deals) -> None:
    with pytest.raises(ValueError):
        ledger(deals)
    with pytest.raises(UnknownEntity) as info:
        ledger(deals, vehicle=ACCORD)
    assert info.value.parameter == "vehicle"
