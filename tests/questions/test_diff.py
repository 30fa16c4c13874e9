"""As-of and diff on the fixture dataset: facts added, removed and changed, by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.questions.diff import diff
from tests.questions.names import AUTO, BEEF, INTERIM, INVEST, RECIP, TEXTILE

D = dt.date.fromisoformat


def facts(items) -> set[tuple[str, str, str]]:
    return {(f.kind, f.label, f.name) for f in items}


def test_the_accord_comes_into_force_on_16_september(deals) -> None:
    r = diff(deals, D("2025-09-01"), D("2025-10-01"))
    assert r.mode == "dates" and (r.from_, r.to) == (D("2025-09-01"), D("2025-10-01"))
    auto, beef, recip = (
        "Auto tariff cut from 27.5% to 15%",
        "Beef tariff cut from 38.5% to 9%",
        ("Reciprocal tariff cut from 25% to 15%"),
    )
    accord, us, jp = "Pacific Auto Accord", "United States", "Japan"
    assert facts(r.added) == {
        ("node", "TariffConcession", auto),
        ("node", "TariffConcession", beef),
        ("node", "TariffConcession", recip),
        ("relationship", "GRANTS", f"{accord} -GRANTS-> {auto}"),
        ("relationship", "GRANTS", f"{accord} -GRANTS-> {beef}"),
        ("relationship", "GRANTS", f"{accord} -GRANTS-> {recip}"),
        ("relationship", "CONCEDES", f"{us} -CONCEDES-> {auto}"),
        ("relationship", "CONCEDES", f"{jp} -CONCEDES-> {beef}"),
        ("relationship", "CONCEDES", f"{us} -CONCEDES-> {recip}"),
        ("relationship", "BENEFITS", f"{auto} -BENEFITS-> {jp}"),
        ("relationship", "BENEFITS", f"{beef} -BENEFITS-> {us}"),
        ("relationship", "BENEFITS", f"{recip} -BENEFITS-> {jp}"),
        ("relationship", "COVERS", f"{auto} -COVERS-> Automobiles"),
        ("relationship", "COVERS", f"{auto} -COVERS-> Auto parts"),
        ("relationship", "COVERS", f"{beef} -COVERS-> Beef"),
        ("relationship", "CONDITIONAL_ON", f"{auto} -CONDITIONAL_ON-> Invest $100 billion in US manufacturing"),
        (
            "relationship",
            "CONDITIONAL_ON",
            f"{recip} -CONDITIONAL_ON-> Fund each selected project within 45 working days",
        ),
    }
    interim = "Interim reciprocal tariff of 20%"
    assert facts(r.removed) == {
        ("node", "TariffConcession", interim),
        ("relationship", "GRANTS", f"{accord} -GRANTS-> {interim}"),
        ("relationship", "CONCEDES", f"{us} -CONCEDES-> {interim}"),
        ("relationship", "BENEFITS", f"{interim} -BENEFITS-> {jp}"),
    }
    removed_node = next(f for f in r.removed if f.kind == "node")
    assert (removed_node.id, removed_node.valid_from, removed_node.valid_to) == (
        INTERIM, D("2025-08-07"), D("2025-09-16")
    )  # fmt: skip
    # Applied rates: the auto and beef tariffs fall from their rates before; the interim 20%
    # reciprocal rate is replaced by 15%.
    assert [(c.subject, c.property, c.before, c.after) for c in r.changed] == [
        ("auto tariff: United States on Japan", "applied_rate_pct", 27.5, 15.0),
        ("beef tariff: Japan on United States", "applied_rate_pct", 38.5, 9.0),
        ("reciprocal tariff: United States on Japan", "applied_rate_pct", 20.0, 15.0),
    ]
    assert [e.id for e in r.changed[2].entities] == [INTERIM, RECIP]


def test_the_textile_cut_ends_on_1_january(deals) -> None:
    r = diff(deals, D("2025-12-15"), D("2026-01-15"))
    assert r.added == []
    assert {(f.kind, f.label) for f in r.removed} == {
        ("node", "TariffConcession"),
        ("relationship", "GRANTS"),
        ("relationship", "CONCEDES"),
        ("relationship", "BENEFITS"),
        ("relationship", "COVERS"),
    }
    assert next(f.id for f in r.removed if f.kind == "node") == TEXTILE
    assert [(c.subject, c.before, c.after) for c in r.changed] == [
        ("textile tariff: United States on Vietnam", 20.0, 46.0)
    ]


def test_selections_appear_on_their_day_and_reported_on_is_ignored(deals) -> None:
    r = diff(deals, D("2026-02-16"), D("2026-02-17"))
    assert [(f.label, f.name) for f in r.added] == [
        ("FUNDS", "Pacific Investment Facility -FUNDS-> Ohio battery plant")
    ]
    assert r.added[0].hop is not None and r.added[0].hop.properties["valid_from"] == D("2026-02-17")
    assert r.removed == [] and r.changed == []
    assert diff(deals, D("2026-02-17"), D("2026-02-17")).added == []


def test_backwards_diff_swaps_added_and_removed(deals) -> None:
    forward = diff(deals, D("2025-09-01"), D("2025-10-01"))
    backward = diff(deals, D("2025-10-01"), D("2025-09-01"))
    assert facts(forward.added) == facts(backward.removed)
    assert facts(forward.removed) == facts(backward.added)
    assert [(c.before, c.after) for c in backward.changed] == [(c.after, c.before) for c in forward.changed]


def test_scenario_breach_against_the_baseline(deals) -> None:
    r = diff(deals, breach=INVEST, as_of=D("2026-03-01"))
    assert (r.mode, r.scenario, r.as_of) == ("scenario", f"breach {INVEST}", D("2026-03-01"))
    assert r.added == []
    assert {(f.kind, f.label) for f in r.removed} == {
        ("node", "TariffConcession"),
        ("relationship", "GRANTS"),
        ("relationship", "CONCEDES"),
        ("relationship", "BENEFITS"),
        ("relationship", "COVERS"),
        ("relationship", "CONDITIONAL_ON"),
    }
    assert len(r.removed) == 7  # the auto cut and its 6 relationships
    assert [(c.subject, c.property, c.before, c.after) for c in r.changed] == [
        ("Invest $100 billion in US manufacturing", "status", "pledged", "breached"),
        ("auto tariff: United States on Japan", "applied_rate_pct", 15.0, 27.5),
    ]


def test_scenario_revoke(deals) -> None:
    r = diff(deals, revoke=BEEF)
    assert next(f.id for f in r.removed if f.kind == "node") == BEEF
    assert [(c.property, c.before, c.after) for c in r.changed] == [("applied_rate_pct", 9.0, 38.5)]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"from_": D("2025-01-01")}, {"from_": D("2025-01-01"), "to": D("2026-01-01"), "revoke": AUTO},
     {"revoke": AUTO, "breach": INVEST}],
)  # fmt: skip
def test_bad_combinations(deals, kwargs) -> None:
    with pytest.raises(ValueError):
        diff(deals, **kwargs)
