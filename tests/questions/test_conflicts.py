"""Conflicts: the Claim and the flagged relationship that deals-update.yaml creates."""

from __future__ import annotations

from graph.questions.conflicts import conflicts
from tests.questions.names import BRIEFING, FOLLOWUP, HOKUTO, RULE


def test_claim_and_stored_value_side_by_side(deals) -> None:
    r = conflicts(deals)
    assert r.total == 2
    (c,) = r.claims
    assert (c.entity.id, c.property, c.stored_value, c.claimed_value) == (
        RULE,
        "deadline_unit",
        "working_days",
        "calendar_days",
    )
    assert [(s.source, s.quote) for s in c.stored_sources] == [
        (BRIEFING, "Japan must fund each selected project within 45 working days of its selection.")
    ]
    assert [(s.source, s.quote) for s in c.claim_sources] == [
        (
            FOLLOWUP,
            "A second account of the Pacific Auto Accord says Japan has 45 days after a project is selected "
            "to fund it.",
        )
    ]
    assert [(h.type, h.forward, h.to.id) for h in c.chain] == [("DISPUTES", False, RULE)]


def test_relationship_value_flagged_by_the_merge(deals) -> None:
    (f,) = conflicts(deals).relationships
    assert (f.relationship.type, f.relationship.from_.id, f.property, f.stored_value, f.other_value) == (
        "EXPORTS",
        HOKUTO,
        "to",
        "USA",
        "MEX",
    )
    assert f.note == "another source gives to=MEX"
    assert [s.source for s in f.sources] == [BRIEFING, FOLLOWUP]


def test_filter_by_entity(deals) -> None:
    assert [c.entity.id for c in conflicts(deals, entity=RULE).claims] == [RULE]
    assert conflicts(deals, entity=RULE).relationships == []
    assert conflicts(deals, entity=HOKUTO).claims == []
    assert len(conflicts(deals, entity=HOKUTO).relationships) == 1


def test_no_conflict_before_the_second_source(deals_first, seed_graph) -> None:
    assert conflicts(deals_first).total == 0
    assert conflicts(seed_graph).total == 0
