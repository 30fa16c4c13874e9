"""Step 3: mentions: gazetteer from the store, countries and demonyms, people with titles,
bodies, companies, sectors, described projects, vehicles and agreements."""

from __future__ import annotations

from loaders.news.mentions import (
    Gazetteer,
    GazetteerEntry,
    find_agreements,
    find_companies,
    find_countries,
    find_mentions,
    find_organizations,
    find_people,
    find_projects,
    find_sectors,
    find_vehicles,
)


def test_gazetteer_matches_aliases_surnames_and_short_names() -> None:
    gazetteer = Gazetteer(
        [
            GazetteerEntry("USA", "Country", "United States", ("U.S.", "US")),
            GazetteerEntry("official:akira-akazawa", "Official", "Akira Akazawa"),
            GazetteerEntry("company:softbank-group", "Company", "SoftBank Group"),
        ]
    )
    found = gazetteer.find("Akazawa told the U.S. that SoftBank would help us.")
    assert [(m.text, m.entity_id) for m in found] == [
        ("Akazawa", "official:akira-akazawa"),
        ("U.S.", "USA"),
        ("SoftBank", "company:softbank-group"),
    ]  # "us" (lower case) is not the US


def test_countries_and_demonyms() -> None:
    found = find_countries("The U.S. and Japanese officials met South Korea's envoy in the Gulf of Mexico.")
    assert [(m.text, m.attrs["iso3"], m.source) for m in found] == [
        ("U.S.", "USA", "country"),
        ("Japanese", "JPN", "demonym"),
        ("South Korea's", "KOR", "country"),
    ]


def test_people_with_titles_and_roles() -> None:
    text = (
        "U.S. Commerce Secretary Lutnick met Japan's Minister of Economy, Trade and Industry, Akira Akazawa, "
        "and Japanese Prime Minister Sanae Takaichi."
    )
    assert [(m.name, m.attrs["role"], m.attrs.get("country")) for m in find_people(text)] == [
        ("Lutnick", "Commerce Secretary", "USA"),
        ("Akira Akazawa", "Minister of Economy, Trade and Industry", "JPN"),
        ("Sanae Takaichi", "Prime Minister", "JPN"),
    ]


def test_people_in_other_forms() -> None:
    found = find_people("Yeo Han-koo, South Korea's trade minister, met EU Trade Commissioner Maros Sefcovic.")
    assert [(m.name, m.attrs["role"]) for m in found] == [
        ("Yeo Han-koo", "trade minister"),
        ("Maros Sefcovic", "Trade Commissioner"),
    ]
    [leyen] = find_people("European Commission President Ursula von der Leyen spoke.")
    assert (leyen.name, leyen.attrs["org"]) == ("Ursula von der Leyen", "European Commission")


def test_bodies() -> None:
    found = find_organizations("Japan's Ministry of Economy, Trade and Industry and the House of Representatives.")
    assert [(m.name, m.attrs["kind"], m.attrs.get("country")) for m in found] == [
        ("Ministry of Economy, Trade and Industry", "ministry", "JPN"),
        ("House of Representatives", "legislature", None),
    ]


def test_companies_by_suffix_list_agent_and_ownership() -> None:
    text = "a data center initiative led by SoftBank Group, involving companies such as Westinghouse and Toshiba"
    assert [(m.name, m.source) for m in find_companies(text)] == [
        ("SoftBank Group", "suffix"),
        ("Westinghouse", "list"),
        ("Toshiba", "list"),
    ]
    owned = find_companies("Tata Motors, which owns Jaguar Land Rover, gains.")
    assert [m.name for m in owned] == ["Tata Motors", "Jaguar Land Rover"]
    assert find_companies('a project branded "Make American Shipbuilding Great Again"') == []


def test_sectors_need_context_when_ambiguous() -> None:
    assert [m.name for m in find_sectors("investments in energy, artificial intelligence and critical minerals")] == [
        "Energy",
        "Artificial intelligence",
        "Critical minerals",
    ]
    assert [m.name for m in find_sectors("tariffs on steel imports; the oil price rose")] == ["Steel"]


def test_projects_described_in_the_text() -> None:
    found = find_projects(
        "a data center infrastructure initiative led by SoftBank Group, a deepwater crude oil terminal project "
        "in the Gulf of Mexico, and a synthetic diamond project for semiconductor applications"
    )
    assert [(m.name, m.attrs.get("place")) for m in found] == [
        ("Data center infrastructure initiative", None),
        ("Deepwater crude oil terminal project", "Gulf of Mexico"),
        ("Synthetic diamond project for semiconductor applications", None),
    ]
    assert find_projects("the project and a similar project") == []


def test_vehicles_and_agreements() -> None:
    assert [m.name for m in find_vehicles("projects funded by a $550 billion investment vehicle")] == [
        "$550 billion investment vehicle"
    ]
    kinds = [(m.text, m.attrs["definite"]) for m in find_agreements("a trade agreement; the deal; a final agreement")]
    assert kinds == [("trade agreement", False), ("deal", True)]


def test_find_mentions_resolves_overlaps() -> None:
    found = find_mentions("U.S. Commerce Secretary Lutnick visited the Bank of Japan.")
    assert [(m.text, m.label) for m in found] == [
        ("U.S.", "Country"),
        ("Lutnick", "Official"),
        ("Bank of Japan", "Organization"),
    ]
