"""Dependencies on the seed (SoftBank, Westinghouse, Toshiba) and on the fixture dataset.

Expected answers are written by hand from tests/fixtures/deals.yaml and from the article.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph.questions.dependencies import dependencies
from graph.questions.evidence import is_walk
from graph.questions.projection import UnknownEntity
from loaders.dataset import BUNDLED_DATASET
from tests.questions.names import (
    AOBA,
    AUTO,
    BEEF,
    DATA_CENTER,
    GPB,
    HOKUTO,
    KESTREL,
    KOBE,
    MESA,
    POTENTIAL,
    RECIP,
    RHINE,
    SAIGON,
    SEED_AUTOS,
    SEED_INVEST,
    SEED_RECIP,
    SEED_RULE,
    SEED_VEHICLE,
    SOFTBANK,
    TEXTILE,
    TOSHIBA,
    WESTINGHOUSE,
)

ARTICLE = (BUNDLED_DATASET.parent / "sources" / "000_0de8b12887b33d2a.txt").read_text(encoding="utf-8")

# The article's sentences each hop must cite (by hand, from the article).
LED_BY = "a data center infrastructure initiative led by SoftBank Group"
FUNDED_BY = (
    "According to informed sources, the United States and Japan are close to finalizing projects funded by a "
    "$550 billion investment vehicle established by Japan, as both countries seek to implement a key component "
    "of the bilateral trade agreement reached last year."
)
IN_RETURN = (
    "In return, Japan committed to investing $550 billion in the United States and opening its market for "
    "agricultural products such as rice."
)
FAILURE = "Failure to do so could result in the U.S. revoking certain benefits or reimposing higher tariffs."
INVOLVING = "involving companies such as SoftBank, Westinghouse, and Toshiba"


def shape(d) -> tuple:
    return (d.company.id, d.concession.id, d.kind, [(h.type, h.forward) for h in d.chain], [v.id for v in d.via])


def rows(result) -> list[tuple[str, str, str]]:
    return [(d.company.id, d.concession.id, d.kind) for d in result.dependencies]


# -- the seed ---------------------------------------------------------------------------------


def test_softbank_depends_on_the_15_percent_rate_through_the_data_center_project(seed_graph) -> None:
    result = dependencies(seed_graph, company=SOFTBANK, concession=SEED_RECIP)
    direct = [d for d in result.dependencies if [v.id for v in d.via] == [DATA_CENTER, SEED_VEHICLE, SEED_INVEST]]
    assert len(direct) == 1
    d = direct[0]
    assert d.kind == "fulfilment"
    assert d.concession.name == "Reciprocal tariff rate reduced from 25% to 15%"
    assert [(h.type, h.from_.id, h.to.id, h.forward) for h in d.chain] == [
        ("LEADS", SOFTBANK, DATA_CENTER, True),
        ("FUNDS", SEED_VEHICLE, DATA_CENTER, False),
        ("FULFILS", SEED_VEHICLE, SEED_INVEST, True),
        ("CONDITIONAL_ON", SEED_RECIP, SEED_INVEST, False),
    ]
    quotes = [[s.quote for s in h.sources] for h in d.chain]
    assert quotes[0] == [LED_BY]
    assert FUNDED_BY in quotes[1]
    assert IN_RETURN in quotes[2]
    assert quotes[3] == [IN_RETURN, FAILURE]
    assert d.summary == (
        "SoftBank Group -LEADS-> Data center infrastructure initiative <-FUNDS- $550 billion investment vehicle "
        "-FULFILS-> Invest $550 billion in the United States <-CONDITIONAL_ON- "
        "Reciprocal tariff rate reduced from 25% to 15%"
    )


def test_softbank_also_depends_through_the_45_day_funding_rule_and_the_identified_projects(seed_graph) -> None:
    result = dependencies(seed_graph, company=SOFTBANK, concession=SEED_RECIP)
    assert sorted([v.id for v in d.via] for d in result.dependencies) == sorted(
        [
            [DATA_CENTER, SEED_VEHICLE, SEED_INVEST],
            [DATA_CENTER, SEED_VEHICLE, SEED_INVEST, SEED_RULE],
            [POTENTIAL, SEED_VEHICLE, SEED_INVEST],
            [POTENTIAL, SEED_VEHICLE, SEED_INVEST, SEED_RULE],
        ]
    )
    via_rule = next(d for d in result.dependencies if d.via[0].id == DATA_CENTER and len(d.chain) == 5)
    assert [(h.type, h.forward) for h in via_rule.chain][3:] == [("GOVERNS", False), ("CONDITIONAL_ON", False)]
    assert via_rule.chain[3].sources[0].quote == (
        "Under the terms of the agreement, Japan has 45 working days after project selection to initiate funding."
    )


@pytest.mark.parametrize("company", [WESTINGHOUSE, TOSHIBA])
def test_westinghouse_and_toshiba_depend_through_the_identified_projects(seed_graph, company: str) -> None:
    result = dependencies(seed_graph, company=company)
    assert {(d.concession.id, d.kind) for d in result.dependencies} == {
        (SEED_RECIP, "fulfilment"),
        (SEED_AUTOS, "fulfilment"),
    }
    for d in result.dependencies:
        assert d.via[0].id == POTENTIAL
        assert d.chain[0].type == "PARTICIPATES_IN"
        assert [s.quote for s in d.chain[0].sources] == [INVOLVING]


def test_seed_totals_by_hand(seed_graph) -> None:
    # 2 concessions x (direct + via the rule) x (SoftBank: 2 projects, Westinghouse 1, Toshiba 1).
    result = dependencies(seed_graph)
    assert (result.total, result.pairs) == (16, 6)
    assert {d.kind for d in result.dependencies} == {"fulfilment"}  # the article names no exporter


def test_every_seed_quote_is_a_verbatim_slice_of_the_article(seed_graph) -> None:
    for d in dependencies(seed_graph).dependencies:
        assert is_walk(d.chain)
        for h in d.chain:
            assert h.sources
            for s in h.sources:
                assert ARTICLE[s.start : s.end] == s.quote


# -- the fixture dataset --------------------------------------------------------------------------

ALL_TIME = [
    (AOBA, AUTO, "fulfilment"),
    (AOBA, AUTO, "fulfilment"),
    (AOBA, RECIP, "fulfilment"),
    (AOBA, RECIP, "fulfilment"),
    (GPB, BEEF, "exposure"),
    (HOKUTO, AUTO, "exposure"),
    (KESTREL, AUTO, "exposure"),
    (KESTREL, AUTO, "fulfilment"),
    (KESTREL, RECIP, "fulfilment"),
    (MESA, AUTO, "fulfilment"),
    (MESA, RECIP, "fulfilment"),
    (SAIGON, TEXTILE, "exposure"),
]


def test_fixture_dependencies_by_hand(deals) -> None:
    result = dependencies(deals)
    assert rows(result) == ALL_TIME
    assert (result.total, result.pairs) == (12, 9)


def test_not_exposed_wrong_home_country_or_wrong_market(deals) -> None:
    # Rhine exports cars to the US but from Germany; Kobe is Japanese but sells to Mexico.
    for company in (RHINE, KOBE):
        assert dependencies(deals, company=company).total == 0


def test_exposure_chain_hop_by_hop(deals) -> None:
    d = dependencies(deals, company=KESTREL, kinds=("exposure",)).dependencies
    assert len(d) == 1
    assert shape(d[0]) == (
        KESTREL,
        AUTO,
        "exposure",
        [("EXPORTS", True), ("COVERS", False), ("BENEFITS", True), ("BASED_IN", False)],
        ["sector:automobiles", "JPN"],
    )
    assert d[0].chain[0].properties == {"to": "USA"}
    assert d[0].chain[0].sources[0].quote == "Kestrel Motors, based in Japan, exports cars to the United States."


def test_fulfilment_through_the_rule_that_governs_the_pledge(deals) -> None:
    d = dependencies(deals, company=MESA, concession=RECIP).dependencies
    assert [shape(x) for x in d] == [
        (
            MESA,
            RECIP,
            "fulfilment",
            [("PARTICIPATES_IN", True), ("FUNDS", False), ("FULFILS", True), ("GOVERNS", False),
             ("CONDITIONAL_ON", False)],
            ["project:nevada-data-center-campus", "investmentvehicle:pacific-investment-facility",
             "commitment:invest-100-billion-in-us-manufacturing",
             "commitment:fund-each-selected-project-within-45-working-days"],
        )
    ]  # fmt: skip


def test_as_of_counts_only_what_was_in_force(deals) -> None:
    # 2025-10-01: the Ohio (selected 2026-02-17) and Texas (2025-11-03) FUNDS are not yet in
    # force, so Kestrel keeps only its exposure and Aoba has nothing; the textile cut still holds.
    early = dependencies(deals, as_of=dt.date(2025, 10, 1))
    assert rows(early) == [
        (GPB, BEEF, "exposure"),
        (HOKUTO, AUTO, "exposure"),
        (KESTREL, AUTO, "exposure"),
        (MESA, AUTO, "fulfilment"),
        (MESA, RECIP, "fulfilment"),
        (SAIGON, TEXTILE, "exposure"),
    ]
    # 2026-03-01: everything but the textile cut, which ended on 2026-01-01.
    late = dependencies(deals, as_of=dt.date(2026, 3, 1))
    assert rows(late) == [r for r in ALL_TIME if r[0] != SAIGON]
    # Before the accord's concessions (2025-09-16), only the textile exposure.
    assert rows(dependencies(deals, as_of=dt.date(2025, 9, 15))) == [(SAIGON, TEXTILE, "exposure")]
    assert rows(dependencies(deals, as_of=dt.date(2026, 1, 1), company=SAIGON)) == []


def test_filters_agree_with_the_full_answer(deals) -> None:
    full = dependencies(deals)
    for company in (AOBA, KESTREL, MESA, SAIGON):
        assert rows(dependencies(deals, company=company)) == [r for r in rows(full) if r[0] == company]
    for concession in (AUTO, RECIP, BEEF, TEXTILE):
        assert rows(dependencies(deals, concession=concession)) == [r for r in rows(full) if r[1] == concession]


def test_limit_keeps_the_total(deals) -> None:
    result = dependencies(deals, limit=3)
    assert (len(result.dependencies), result.total, result.truncated) == (3, 12, True)


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [({"company": "company:nobody"}, "company"), ({"concession": AOBA}, "concession"), ({"company": AUTO}, "company")],
)
def test_unknown_or_wrong_ids_name_the_parameter(deals, kwargs, parameter) -> None:
    with pytest.raises(UnknownEntity) as info:
        dependencies(deals, **kwargs)
    assert info.value.parameter == parameter
