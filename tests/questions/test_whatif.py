"""What-if on the fixture dataset and the seed, expected answers by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.questions.dependencies import dependencies
from graph.questions.projection import UnknownEntity
from graph.questions.whatif import what_if
from tests.questions.names import (
    AOBA,
    AUTO,
    BEEF,
    FACILITY,
    GEORGIA,
    HOKUTO,
    INVEST,
    KESTREL,
    MESA,
    NEVADA,
    OHIO,
    RECIP,
    RULE,
    SAIGON,
    SEED_AUTOS,
    SEED_INVEST,
    SEED_RECIP,
    SEED_RULE,
    SOFTBANK,
    TEXAS,
    TEXTILE,
    TOSHIBA,
    WESTINGHOUSE,
)


def test_breaching_the_pledge_takes_the_auto_cut_back_to_27_5(deals) -> None:
    r = what_if(deals, breach=INVEST)
    assert [(c.concession.id, c.rate_now_pct, c.returns_to_pct, c.consequence) for c in r.concessions] == [
        (AUTO, 15.0, 27.5, "the auto tariff returns to 27.5%")
    ]
    assert [(h.type, h.from_.id, h.to.id) for h in r.concessions[0].chain] == [("CONDITIONAL_ON", AUTO, INVEST)]
    assert r.concessions[0].chain[0].sources[0].quote.startswith("The auto tariff cut holds only while Japan")
    # Exposed: the two exporters of covered sectors and the three companies on funded projects.
    assert [(c.company.id, c.kinds) for c in r.companies] == [
        (AOBA, ["fulfilment"]),
        (HOKUTO, ["exposure"]),
        (KESTREL, ["exposure", "fulfilment"]),
        (MESA, ["fulfilment"]),
    ]
    assert [p.project.id for p in r.projects] == [GEORGIA, NEVADA, OHIO, TEXAS]
    georgia = r.projects[0]
    assert georgia.companies == [] and georgia.cost_min_usd == 1.5e9
    assert [(h.type, h.forward) for h in georgia.chain] == [("CONDITIONAL_ON", True), ("FULFILS", False),
                                                            ("FUNDS", True)]  # fmt: skip
    assert [c.commitment.id for c in r.commitments] == [INVEST]
    # Costs: Ohio 2-3B, Texas 1B, Georgia 1.5B, Nevada 0.5-0.8B.
    assert r.amounts.model_dump() == {
        "commitments_usd": 100e9,
        "project_cost_min_usd": 5.0e9,
        "project_cost_max_usd": 6.3e9,
        "projects_without_cost": 0,
    }


def test_breaching_the_funding_rule_takes_the_reciprocal_rate_back_to_25(deals) -> None:
    r = what_if(deals, breach=RULE)
    assert [(c.concession.id, c.rate_now_pct, c.returns_to_pct) for c in r.concessions] == [(RECIP, 15.0, 25.0)]
    assert r.concessions[0].consequence == "the reciprocal tariff may return to 25%"
    assert [c.company.id for c in r.companies] == [AOBA, KESTREL, MESA]
    assert [c.commitment.id for c in r.commitments] == [RULE, INVEST]  # the rule, and the pledge it governs
    assert r.amounts.commitments_usd == 100e9


def test_revoking_a_concession_exposes_exactly_its_dependants(deals) -> None:
    r = what_if(deals, revoke=BEEF)
    assert [(c.concession.id, c.returns_to_pct) for c in r.concessions] == [(BEEF, 38.5)]
    assert [c.company.id for c in r.companies] == ["company:great-plains-beef"]
    assert r.projects == [] and r.commitments == []
    for concession in (AUTO, RECIP, BEEF, TEXTILE):
        exposed = {c.company.id for c in what_if(deals, revoke=concession).companies}
        assert exposed == {d.company.id for d in dependencies(deals, concession=concession).dependencies}


def test_what_if_respects_as_of(deals) -> None:
    during = what_if(deals, revoke=TEXTILE, as_of=dt.date(2025, 6, 1))
    assert [c.company.id for c in during.companies] == [SAIGON]
    after = what_if(deals, revoke=TEXTILE, as_of=dt.date(2026, 6, 1))
    assert after.concessions == [] and after.companies == []
    assert after.notes == ["Textile tariff cut from 46% to 20% is not in force on 2026-06-01: nothing falls"]


def test_seed_breach_of_the_investment_pledge(seed_graph) -> None:
    r = what_if(seed_graph, breach=SEED_INVEST)
    assert [(c.concession.id, c.rate_now_pct, c.returns_to_pct) for c in r.concessions] == [
        (SEED_AUTOS, None, None),  # the article gives no automobile rates
        (SEED_RECIP, 15.0, 25.0),
    ]
    assert {c.consequence for c in r.concessions} == {"the U.S. revoking certain benefits or reimposing higher tariffs"}
    assert [c.company.id for c in r.companies] == [SOFTBANK, TOSHIBA, WESTINGHOUSE]
    assert len(r.projects) == 4
    assert r.amounts.commitments_usd == 550e9
    # The lost concessions rest on the pledge and on the 45-day rule (both CONDITIONAL_ON).
    assert {c.commitment.id for c in r.commitments} == {SEED_INVEST, SEED_RULE}
    assert what_if(seed_graph, breach=SEED_RULE).concessions[1].returns_to_pct == 25.0


@pytest.mark.parametrize(
    ("kwargs", "parameter"), [({"revoke": INVEST}, "revoke"), ({"breach": AUTO}, "breach"), ({"breach": "x"}, "breach")]
)
def test_wrong_ids(deals, kwargs, parameter) -> None:
    with pytest.raises(UnknownEntity) as info:
        what_if(deals, **kwargs)
    assert info.value.parameter == parameter


def test_exactly_one_scenario(deals) -> None:
    with pytest.raises(ValueError):
        what_if(deals)
    with pytest.raises(ValueError):
        what_if(deals, revoke=AUTO, breach=INVEST)


def test_the_facility_is_in_every_fulfilment_chain(deals) -> None:
    r = what_if(deals, breach=INVEST)
    for company in r.companies:
        for d in company.dependencies:
            if d.kind == "fulfilment":
                assert FACILITY in [v.id for v in d.via]
