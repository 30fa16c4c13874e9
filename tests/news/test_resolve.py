"""Step 6: resolution against the store (aliases, candidates) and conflicts kept beside stored facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.ids import node_id
from loaders.dataset import load_dataset
from loaders.news.pipeline import analyse, ingest

PUB = dt.date(2026, 3, 12)


@pytest.fixture
def seeded(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "seeded")
    load_dataset(store)
    return store


def entity(data: dict, name: str) -> dict:
    return next(e for e in data["entities"] if e["name"] == name)


def test_aliases_resolve_to_known_entities(seeded: EmbeddedStore) -> None:
    text = (
        "Secretary Lutnick said the U.S. would welcome SoftBank's data center plans, and Akazawa agreed. "
        "Japanese Prime Minister Takaichi spoke."
    )
    data = analyse(text, seeded, published=PUB).to_json()
    ids = {e["name"]: (e["id"], e["status"], e["new"]) for e in data["entities"]}
    assert ids["Lutnick"] == ("official:lutnick", "known", False)  # surname alone
    assert ids["United States"] == ("USA", "known", False)  # "U.S."
    assert ids["SoftBank Group"] == ("company:softbank-group", "known", False)  # "SoftBank"
    assert ids["Akira Akazawa"] == ("official:akira-akazawa", "known", False)
    assert ids["Sanae Takaichi"] == ("official:sanae-takaichi", "known", False)
    assert data["conflicts"] == []


def test_new_names_become_candidates_unless_the_evidence_is_strong(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "empty")
    text = (
        "Indonesia's Coordinating Minister for Economic Affairs Airlangga Hartarto said companies such as "
        "Freeport would join. Vale Indonesia Tbk is developing a nickel processing plant in Sulawesi."
    )
    analysis = analyse(text, store, published=PUB)
    data = analysis.to_json()
    assert entity(data, "Airlangga Hartarto")["status"] == "known"  # title and full name
    assert entity(data, "Vale Indonesia Tbk")["status"] == "known"  # legal suffix
    assert entity(data, "Freeport")["status"] == "candidate"  # only listed
    plant = entity(data, "Nickel processing plant")
    assert plant["status"] == "candidate" and plant["new"]
    assert plant["id"] == node_id("Project", "Nickel processing plant")
    ingest(store, analysis)
    stored = store.get_node(plant["id"])
    assert stored.props["candidate"] is True
    assert "candidate" not in store.get_node(entity(data, "Airlangga Hartarto")["id"]).props


def test_another_given_name_and_45_days_are_conflicts_never_overwrites(seeded: EmbeddedStore) -> None:
    text = (
        "Japan has 45 days after project selection to initiate funding under its trade deal with the United States, "
        "Japan's Minister of Economy, Trade and Industry, Ryosei Akazawa, said on Thursday."
    )
    analysis = analyse(text, seeded, published=PUB)
    conflicts = {(c["id"], c["property"]): c for c in analysis.to_json()["conflicts"]}
    name = conflicts[("official:akira-akazawa", "name")]
    assert (name["stored"], name["article"]) == ("Akira Akazawa", "Ryosei Akazawa")
    rule_id = "commitment:initiate-funding-within-45-working-days-of-project-selection"
    unit = conflicts[(rule_id, "deadline_unit")]
    assert (unit["stored"], unit["article"]) == ("working_days", "calendar_days")
    assert text[unit["start"] : unit["end"]] == unit["quote"]

    summary = ingest(seeded, analysis)
    assert summary.claims == 2
    official = seeded.get_node("official:akira-akazawa")
    assert official.props["name"] == "Akira Akazawa"  # not overwritten
    assert "Ryosei Akazawa" in official.props["aliases"]
    assert official.props["disputed"] == ["name"]
    rule = seeded.get_node(rule_id)
    assert rule.props["deadline_unit"] == "working_days"
    assert "deadline_unit" in rule.props["disputed"]
    claims = [n for n in seeded.iter_nodes() if n.label == "Claim"]
    assert {(c.props["property"], c.props["value"]) for c in claims} == {
        ("name", "Ryosei Akazawa"),
        ("deadline_unit", "calendar_days"),
    }
    disputes = seeded.relationships_of([c.id for c in claims], ["DISPUTES"])
    assert {r.end for r in disputes} == {"official:akira-akazawa", rule_id}
    for claim in claims:
        assert claim.props["quotes"] == [text]  # the sentence that says it


def test_another_rate_is_a_conflict(seeded: EmbeddedStore) -> None:
    text = (
        "The United States and Japan reached a trade agreement last year. "
        "Under it the reciprocal tariff rate on Japanese goods was cut from 25% to 10%, officials said."
    )
    conflicts = analyse(text, seeded, published=PUB).to_json()["conflicts"]
    assert [(c["property"], c["stored"], c["article"]) for c in conflicts] == [("rate_after_pct", 15.0, 10.0)]
    assert conflicts[0]["id"] == "tariffconcession:reciprocal-tariff-rate-reduced-from-25-to-15"
