"""Parity: the same records give the same answers on the embedded store and on Neo4j.

Each test runs once per store (`any_store`, see conftest.py) and compares that store's
answer with the embedded store's on the same data (`reference`). On the embedded run the
comparison is trivially true, and it keeps the test honest about what it expects.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from api.models import entity, graph_view, source_nodes
from graph.embedded import EmbeddedStore
from graph.ids import node_id, relationship_id
from graph.model import Citation, Node, Relationship, provenance_props
from graph.neo4j_store import Neo4jStore
from graph.schema import load_schema
from graph.store import GraphStore, StoreError
from loaders.dataset import BUNDLED_DATASET, Dataset, load_dataset, parse_dataset
from tests.conftest import empty_neo4j, neo4j_generation

SOFTBANK = "company:softbank-group"


def _node(label: str, name: str, **props) -> Node:
    nid = props.pop("id", None) or node_id(label, props.get("iso3") or name)
    cites = props.pop("cites", [Citation("source:extra", f"{name} quote", 3, 3 + len(name) + 6)])
    raw = {"id": nid, "name": name, **props, **provenance_props(cites)}
    return Node(nid, label, load_schema().validate_node(label, raw))


def _rel(rel_type: str, start: Node, end: Node, **props) -> Relationship:
    rid = relationship_id(rel_type, start.id, end.id)
    raw = {"id": rid, **props, **provenance_props([Citation("source:extra")])}
    return Relationship(
        rid, rel_type, start.id, end.id, load_schema().validate_relationship(rel_type, start.label, end.label, raw)
    )


def extra_records() -> tuple[list[Node], list[Relationship]]:
    """Records the seed lacks: dates, accents and letters normalise() drops, punctuation,
    stop words, a name outside the Basic Multilingual Plane, and an isolated node."""
    source = _node(
        "Source",
        "Extra source",
        title="Extra source",
        kind="dataset",
        published_on="2025-07-23",
        cites=[Citation("source:extra")],
        id="source:extra",
    )
    sk = _node("Country", "Viet Nam", iso3="VNM", valid_from="1976-07-02")
    nodes = [
        source,
        sk,
        _node("Company", "Søren Straße Holdings", aliases=["Wałęsa Café"], reported_on="2025-07-01"),
        _node("Company", "Café Müller", aliases=["Müller"], valid_from="2024-02-29", valid_to="2025-12-31"),
        _node("Company", "O’Neil Group", aliases=["ONeil"]),
        _node("Company", "AT&T 3.5 GW Plant"),
        _node("Organization", "Bank of Korea", kind="agency"),
        _node("Organization", "Ministry of Trade, Industry and Energy", kind="ministry"),
        _node("Company", "𝔘nicode Corp"),
        _node("Company", "\uffffEdge Co"),
        _node("Project", "Haiphong shipyard", status="proposed", cost_min_usd=1.5e9, cost_max_usd=2e9),
        _node(
            "Commitment",
            "Viet Nam fund",
            kind="investment",
            amount_usd=350e9,
            deadline_amount=45,
            deadline_unit="working_days",
        ),
        _node("Sector", "Lonely sector"),
    ]
    by_name = {n.props["name"]: n for n in nodes}
    rels = [
        _rel("BASED_IN", by_name["Søren Straße Holdings"], sk, valid_from="2020-01-01"),
        _rel("LEADS", by_name["Café Müller"], by_name["Haiphong shipyard"], reported_on="2025-07-02"),
        _rel("PARTICIPATES_IN", by_name["O’Neil Group"], by_name["Haiphong shipyard"]),
        _rel("MAKES", sk, by_name["Viet Nam fund"]),
        _rel("PART_OF", by_name["Bank of Korea"], sk),
        _rel("SUBSIDIARY_OF", by_name["AT&T 3.5 GW Plant"], by_name["Café Müller"]),
        _rel("LOCATED_IN", by_name["Haiphong shipyard"], sk),
    ]
    return nodes, rels


@cache
def _bundled() -> Dataset:
    return parse_dataset(BUNDLED_DATASET)


def fill(store: GraphStore) -> GraphStore:
    """The bundled dataset (parsed once per session), then the extra records."""
    dataset = copy.deepcopy(_bundled())
    store.merge(dataset.nodes, dataset.relationships)
    store.merge(*extra_records())
    return store


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The embedded store on the test data: the answers every store must give. Read only."""
    return fill(EmbeddedStore(tmp_path_factory.mktemp("reference")))


@pytest.fixture(scope="module")
def _filled() -> dict:
    return {}


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, _filled: dict, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """Each store filled with the test data, once per module (read-only tests only: the
    Neo4j one is filled again after any test emptied the database)."""
    kind = request.param
    if kind == "embedded":
        if kind not in _filled:
            _filled[kind] = (fill(EmbeddedStore(tmp_path_factory.mktemp("parity"))), None)
        return _filled[kind][0]
    driver, uri = request.getfixturevalue("neo4j_driver"), request.getfixturevalue("neo4j_uri")
    cached = _filled.get(kind)
    if cached is None or cached[1] != neo4j_generation():
        empty_neo4j(driver)
        _filled[kind] = (fill(Neo4jStore(driver, "neo4j", 30, 10_000, uri=uri)), neo4j_generation())
    return _filled[kind][0]


# --------------------------------------------------------------------------- reads


def test_counts(store, reference) -> None:
    assert store.counts() == reference.counts()
    assert store.counts().nodes > 50 and store.counts().relationships > 80


def test_iter_nodes_and_relationships(store, reference) -> None:
    nodes = list(store.iter_nodes())
    assert nodes == list(reference.iter_nodes())
    assert [n.id for n in nodes] == sorted(n.id for n in nodes)
    rels = list(store.iter_relationships())
    assert rels == list(reference.iter_relationships())


def test_dates_come_back_as_dates(store) -> None:
    node = store.get_node("company:cafe-muller")
    assert node.props["valid_from"] == dt.date(2024, 2, 29) and type(node.props["valid_from"]) is dt.date
    assert node.props["quote_starts"] == [3] and node.props["sources"] == ["source:extra"]
    project = store.get_node("project:haiphong-shipyard")
    assert project.props["cost_min_usd"] == 1.5e9 and isinstance(project.props["cost_min_usd"], float)


def test_get_nodes_keeps_the_order_asked_and_skips_unknown_ids(store, reference) -> None:
    ids = [n.id for n in reference.iter_nodes()]
    asked = ["nobody", *reversed(ids), SOFTBANK, "company:nobody"]
    assert store.get_nodes(asked) == reference.get_nodes(asked)
    assert store.get_nodes([]) == [] and store.get_node("nobody") is None


SEARCHES = [
    "softbank",
    "SoftBank Group",
    "soft",
    "bank",
    "group",
    "japan",
    "Japan's",
    "tariff",
    "us",
    "U.S.",
    "45",
    "akazawa",
    "trump",
    "investment",
    "project",
    "of",
    "the bank",
    "bank of",
    "of korea",
    "a",
    "e",
    "z",
    "Søren",
    "soren",
    "sren",
    "straße",
    "strae",
    "Wałęsa",
    "walesa",
    "cafe",
    "Café",
    "CAFÉ MÜLLER",
    "muller",
    "o’neil",
    "o'neil",
    "oneil",
    "at&t",
    "at t",
    "3.5",
    "3 5",
    "gw plant",
    "nicode corp",
    "edge",
    "",
    "   ",
    "!!",
    "zzzz",
    "trade, industry",
    "trade industry",
    "viet nam",
]


@pytest.mark.parametrize("text", SEARCHES)
def test_search(store, reference, text: str) -> None:
    assert store.search(text, limit=1000) == reference.search(text, limit=1000)


@pytest.mark.parametrize("label", ["Country", "Company", "Official", "Project", "Claim", "Sector"])
@pytest.mark.parametrize("text", ["japan", "a", "korea", "the", "haiphong", "e"])
def test_search_with_a_label(store, reference, text: str, label: str) -> None:
    assert store.search(text, label, limit=1000) == reference.search(text, label, limit=1000)


@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (3, 0), (3, 3), (5, 7), (20, 30), (10, 1000)])
def test_search_pages(store, reference, limit: int, offset: int) -> None:
    assert store.search("a", None, limit, offset) == reference.search("a", None, limit, offset)
    assert store.search("japan", "Event", limit, offset) == reference.search("japan", "Event", limit, offset)


@pytest.mark.parametrize("label", [None, *load_schema().labels])
def test_list_nodes(store, reference, label: str | None) -> None:
    assert store.list_nodes(label, 1000, 0) == reference.list_nodes(label, 1000, 0)
    for offset in (0, 2, 5, 60):
        assert store.list_nodes(label, 3, offset) == reference.list_nodes(label, 3, offset)


def test_relationships_of(store, reference) -> None:
    ids = [n.id for n in reference.iter_nodes()]
    for node in ids:
        assert store.relationships_of([node]) == reference.relationships_of([node]), node
    assert store.relationships_of(ids) == reference.relationships_of(ids)
    assert store.relationships_of(["nobody"]) == [] == reference.relationships_of([])
    for types in (["LEADS"], ["CONCERNS", "ATTENDS"], ["DISPUTES"], []):
        assert store.relationships_of(ids[:20], types) == reference.relationships_of(ids[:20], types), types


def test_relationships_between(store, reference) -> None:
    ids = [n.id for n in reference.iter_nodes()]
    for chosen in (ids, ids[:10], ids[::3], [SOFTBANK, "JPN", "USA"], [SOFTBANK], ["nobody", *ids[5:15]], []):
        assert store.relationships_between(chosen) == reference.relationships_between(chosen)


def test_relationship_ends(store, reference) -> None:
    """relationships_between without properties, same order (big explorer views draw from it)."""
    ids = [n.id for n in reference.iter_nodes()]
    for chosen in (ids, ids[::3], [SOFTBANK], ["nobody", *ids[5:15]], []):
        bare = [Relationship(r.id, r.type, r.start, r.end) for r in reference.relationships_between(chosen)]
        assert store.relationship_ends(chosen) == bare == reference.relationship_ends(chosen)


CENTRES = [SOFTBANK, "JPN", "USA", "VNM", "sector:lonely-sector", "project:haiphong-shipyard"]


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("centre", CENTRES)
def test_neighbourhood(store, reference, centre: str, depth: int) -> None:
    assert store.neighbourhood(centre, depth) == reference.neighbourhood(centre, depth)


@pytest.mark.parametrize("types", [["LEADS"], ["FUNDS", "LEADS", "IN_SECTOR"], ["CONCERNS", "ATTENDS"], ["DISPUTES"]])
def test_neighbourhood_with_types(store, reference, types: list[str]) -> None:
    for centre in CENTRES:
        for depth in (1, 2, 3):
            assert store.neighbourhood(centre, depth, types) == reference.neighbourhood(centre, depth, types)


@pytest.mark.parametrize("max_nodes", [1, 2, 3, 5, 10, 25])
def test_neighbourhood_truncation(store, reference, max_nodes: int) -> None:
    for centre in ("JPN", "USA"):
        got = store.neighbourhood(centre, 3, None, max_nodes)
        assert got == reference.neighbourhood(centre, 3, None, max_nodes)
        assert len(got.nodes) <= max_nodes and got.truncated


def test_provenance_and_api_views(store, reference) -> None:
    for mine, theirs in zip(store.iter_nodes(), reference.iter_nodes(), strict=True):
        assert mine.citations == theirs.citations
        assert entity(mine, source_nodes(store, [mine])) == entity(theirs, source_nodes(reference, [theirs]))
    for mine, theirs in zip(store.iter_relationships(), reference.iter_relationships(), strict=True):
        assert mine.citations == theirs.citations
    view = graph_view(store, store.neighbourhood(SOFTBANK, 2))
    assert view == graph_view(reference, reference.neighbourhood(SOFTBANK, 2))
    quotes = [c.quote for c in store.get_node(SOFTBANK).citations]
    assert quotes and all("SoftBank" in q for q in quotes)


# --------------------------------------------------------------------------- writes


@pytest.fixture
def written(any_store: GraphStore) -> GraphStore:
    """A store of each kind, filled afresh for a test that writes."""
    return fill(any_store)


@pytest.fixture
def written_reference(tmp_path: Path) -> EmbeddedStore:
    return fill(EmbeddedStore(tmp_path / "written-reference"))


def test_loading_gives_the_same_summary(any_store, tmp_path: Path) -> None:
    other = EmbeddedStore(tmp_path / "other")
    assert load_dataset(any_store) == load_dataset(other)
    assert any_store.merge(*extra_records()) == other.merge(*extra_records())
    assert load_dataset(any_store) == load_dataset(other)  # the second time: nothing new


def _as_stored(record):
    """The record as Neo4j keeps it: `id` is always among the properties there (MERGE keys
    on it), while graph/model.py's Claim nodes and DISPUTES relationships lack it in props."""
    return replace(record, props={"id": record.id, **record.props})


def test_a_conflicting_name_becomes_the_same_claim(written, written_reference) -> None:
    minister = next(n for n in written_reference.iter_nodes() if n.label == "Official" and "Akazawa" in n.props["name"])
    other = Node(
        minister.id,
        "Official",
        {"id": minister.id, "name": "Ryosei Akazawa", **provenance_props([Citation("source:extra", "another report")])},
    )
    summary = written.merge([other], [])
    assert summary == written_reference.merge([other], [])
    assert summary.claims == 1 and summary.nodes_updated == 1
    assert written.get_node(minister.id) == written_reference.get_node(minister.id)
    assert "Ryosei Akazawa" in written.get_node(minister.id).props["aliases"]
    assert written.get_node(minister.id).props["disputed"] == ["name"]
    claims = [_as_stored(n) for n in written.iter_nodes() if n.label == "Claim"]
    assert claims == [_as_stored(n) for n in written_reference.iter_nodes() if n.label == "Claim"]
    assert [c.props["value"] for c in claims] == ["Ryosei Akazawa"]
    disputes = [_as_stored(r) for r in written.iter_relationships() if r.type == "DISPUTES"]
    assert disputes == [_as_stored(r) for r in written_reference.iter_relationships() if r.type == "DISPUTES"]
    assert [(r.start, r.end) for r in disputes] == [(claims[0].id, minister.id)]
    # The same claim again changes nothing; a third name is a second claim.
    assert written.merge([other], []) == written_reference.merge([other], [])
    third = Node(
        minister.id,
        "Official",
        {"id": minister.id, "name": "R. Akazawa", **provenance_props([Citation("source:extra", "a third report")])},
    )
    assert written.merge([third], []) == written_reference.merge([third], [])
    assert written.counts() == written_reference.counts()
    assert written.get_node(minister.id) == written_reference.get_node(minister.id)
    mine, theirs = (
        written.neighbourhood(minister.id, 1, ["DISPUTES"]),
        written_reference.neighbourhood(minister.id, 1, ["DISPUTES"]),
    )
    assert [_as_stored(n) for n in mine.nodes] == [_as_stored(n) for n in theirs.nodes]
    assert [_as_stored(r) for r in mine.relationships] == [_as_stored(r) for r in theirs.relationships]


def test_a_missing_end_is_refused_the_same_way(written, written_reference) -> None:
    company = _node("Company", "Orphan Maker")
    ghost = Node("project:ghost", "Project", {})
    bad = _rel("LEADS", company, ghost)
    before = list(written.iter_nodes()), list(written.iter_relationships())
    messages = []
    for target in (written, written_reference):
        with pytest.raises(StoreError) as caught:
            target.merge([company], [bad])
        messages.append(str(caught.value))
    assert messages[0] == messages[1] == f"relationship LEADS {bad.id}: no node 'project:ghost'"
    assert (list(written.iter_nodes()), list(written.iter_relationships())) == before
