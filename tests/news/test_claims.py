"""Step 5: claim patterns, each on a short text whose answer is known by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.news.pipeline import analyse

PUB = dt.date(2026, 2, 17)


def triples(text: str, published: dt.date | None = PUB) -> set[tuple[str, str, str]]:
    analysis = analyse(text, None, published=published)
    return {(c["subject"], c["relation"], c["object"]) for c in analysis.to_json()["claims"]}


def claims_of(text: str) -> list[dict]:
    return analyse(text, None, published=PUB).to_json()["claims"]


def test_led_by() -> None:
    found = triples("Three projects advanced, including a data center infrastructure initiative led by SoftBank Group.")
    assert ("SoftBank Group", "LEADS", "Data center infrastructure initiative") in found
    assert ("Data center infrastructure initiative", "IN_SECTOR", "Data centers") in found


def test_reduced_from_a_to_b() -> None:
    text = "The United States and Japan reached a trade agreement that cut the reciprocal tariff rate from 25% to 15%."
    analysis = analyse(text, None, published=PUB)
    found = {(c["subject"], c["relation"], c["object"]) for c in analysis.to_json()["claims"]}
    concession = "Reciprocal tariff rate reduced from 25% to 15%"
    assert ("United States-Japan trade agreement", "GRANTS", concession) in found
    assert ("United States", "CONCEDES", concession) in found
    assert (concession, "BENEFITS", "Japan") in found
    props = next(e for e in analysis.to_json()["entities"] if e["name"] == concession)["properties"]
    assert (props["rate_before_pct"], props["rate_after_pct"], props["measure"]) == (25.0, 15.0, "reciprocal tariff")


@pytest.mark.parametrize(
    "sentence",
    [
        "Britain and India signed a trade deal under which India will cut tariffs on British cars from 100% to 10%.",
        "Britain and India signed a trade deal; tariffs on British cars will be lowered to 10% from 100%.",
    ],
)
def test_rate_cuts_in_other_words(sentence: str) -> None:
    found = triples(sentence)
    concession = "Tariffs on British cars reduced from 100% to 10%"
    assert ("India", "CONCEDES", concession) in found
    assert (concession, "BENEFITS", "United Kingdom") in found
    assert (concession, "COVERS", "Automobiles") in found


def test_committed_to_investing() -> None:
    text = (
        "The United States and Japan reached a trade agreement. In return, Japan committed to investing $550 billion "
        "in the United States and opening its market for agricultural products such as rice."
    )
    analysis = analyse(text, None, published=PUB)
    found = {(c["subject"], c["relation"], c["object"]) for c in analysis.to_json()["claims"]}
    assert ("Japan", "MAKES", "Invest $550 billion in the United States") in found
    assert ("Japan", "MAKES", "Open the market for agricultural products such as rice") in found
    assert ("Open the market for agricultural products such as rice", "COVERS", "Agricultural products") in found
    commitment = next(e for e in analysis.to_json()["entities"] if e["name"].startswith("Invest $550"))
    assert commitment["properties"] == {"kind": "investment", "amount_usd": 550e9, "status": "pledged"}


def test_has_n_days_after_x_to_y_and_failure_could_result() -> None:
    text = (
        "Japan committed to investing $550 billion in the United States. "
        "Japan has 45 working days after project selection to initiate funding. "
        "Failure to do so could result in the U.S. reimposing higher tariffs."
    )
    analysis = analyse(text, None, published=PUB)
    rule = next(e for e in analysis.to_json()["entities"] if e["label"] == "Commitment" and "45" in e["name"])
    assert rule["name"] == "Initiate funding within 45 working days of project selection"
    assert rule["properties"]["deadline_unit"] == "working_days"
    found = {(c["subject"], c["relation"], c["object"]) for c in analysis.to_json()["claims"]}
    assert ("Japan", "MAKES", rule["name"]) in found
    assert (rule["name"], "GOVERNS", "Invest $550 billion in the United States") in found


def test_consequence_attaches_to_the_concessions() -> None:
    text = (
        "The United States and Japan reached a trade agreement that cut the reciprocal tariff rate from 25% to 15%. "
        "Japan has 45 working days after project selection to initiate funding. "
        "Failure to do so could result in the U.S. reimposing higher tariffs."
    )
    [conditional] = [c for c in claims_of(text) if c["relation"] == "CONDITIONAL_ON"]
    assert conditional["attributes"]["consequence"] == "the U.S. reimposing higher tariffs"
    assert conditional["quote"].startswith("Failure to do so")
    assert conditional["evidence"][0]["quote"].startswith("Japan has 45 working days")


def test_meet_plan_to_meet_and_visit() -> None:
    text = (
        "U.S. Commerce Secretary Lutnick and Japan's Minister of Economy, Trade and Industry, Akira Akazawa, "
        "held talks. The two officials plan to meet in Washington on Thursday. "
        "Japanese Prime Minister Sanae Takaichi plans to visit the United States in March to meet with "
        "U.S. President Trump."
    )
    analysis = analyse(text, None, published=PUB)
    data = analysis.to_json()
    found = {(c["subject"], c["relation"], c["object"]) for c in data["claims"]}
    assert ("Lutnick", "ATTENDS", "Lutnick-Akazawa meeting in Washington") in found
    assert ("Akira Akazawa", "ATTENDS", "Lutnick-Akazawa meeting in Washington") in found
    assert ("Lutnick-Akazawa meeting in Washington", "HELD_IN", "United States") in found
    meeting = next(e for e in data["entities"] if e["name"] == "Lutnick-Akazawa meeting in Washington")
    assert meeting["properties"]["status"] == "planned"
    assert meeting["properties"]["starts_on"] == "2026-02-19"
    assert ("Sanae Takaichi", "ATTENDS", "Takaichi's March visit to the United States") in found
    assert ("Trump", "ATTENDS", "Takaichi's March visit to the United States") in found


def test_met_in_the_past() -> None:
    found = triples("South Korean President Lee Jae-myung, who met U.S. President Donald Trump in Gyeongju, spoke.")
    assert ("Lee Jae-myung", "ATTENDS", "Lee-Trump meeting in Gyeongju") in found


def test_won_an_election() -> None:
    found = triples(
        "Japanese Prime Minister Sanae Takaichi won a historic election victory in the House of Representatives."
    )
    event = "Takaichi's House of Representatives election victory"
    assert ("Sanae Takaichi", "ATTENDS", event) in found
    assert (event, "CONCERNS", "House of Representatives") in found
    assert ("House of Representatives", "PART_OF", "Japan") in found


def test_threatened_to_raise_tariffs_with_a_pronoun() -> None:
    text = (
        "U.S. President Trump has expressed dissatisfaction with a similar agreement with South Korea. "
        "He has again threatened to raise tariffs on South Korean imports."
    )
    found = triples(text)
    threat = "Trump's threat to raise tariffs on South Korean imports"
    assert ("Trump", "ATTENDS", threat) in found
    assert (threat, "CONCERNS", "South Korea") in found
    assert (threat, "CONCERNS", "United States-South Korea agreement") in found


def test_posts() -> None:
    found = triples(
        "U.S. Commerce Secretary Howard Lutnick met Japan's Minister of Economy, Trade and Industry, Akira Akazawa."
    )
    assert ("Howard Lutnick", "HOLDS_POSITION", "United States") in found
    assert ("Akira Akazawa", "HOLDS_POSITION", "Ministry of Economy, Trade and Industry") in found
    assert ("Ministry of Economy, Trade and Industry", "PART_OF", "Japan") in found


def test_every_claim_quotes_its_sentence_verbatim() -> None:
    text = "Tokyo\u2019s envoy met.\n\nU.S.\u00a0President Trump threatened to raise tariffs on Japanese cars."
    analysis = analyse(text, None, published=PUB)
    for claim in analysis.to_json()["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["quote"]
        assert claim["quote"].startswith("U.S.\u00a0President Trump")
