"""Store parity: every question gives the same answer on the embedded store and on Neo4j,
and the native Cypher form of dependencies (graph/questions/queries.cypher) gives the same
answer as the shared implementation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.questions import ask
from graph.questions.native import CypherQuestions
from graph.questions.projection import QuestionGraph, UnknownEntity
from loaders.dataset import load_dataset
from tests.conftest import empty_neo4j
from tests.questions.conftest import load_deals
from tests.questions.test_properties import deal_graphs

pytestmark = pytest.mark.neo4j

DAYS = [None, dt.date(2025, 10, 1), dt.date(2026, 3, 1)]


def _dump(result) -> dict:
    return result.model_dump(mode="json", by_alias=True)


@pytest.fixture(scope="module")
def both(neo4j_driver, neo4j_uri, tmp_path_factory):
    """The seed and the fixture dataset (both files), in an embedded store and in Neo4j
    (loaded once for the module; the tests only read)."""
    from graph.neo4j_store import Neo4jStore

    empty_neo4j(neo4j_driver)
    neo4j = Neo4jStore(neo4j_driver, "neo4j", timeout_s=30, uri=neo4j_uri)
    embedded = EmbeddedStore(tmp_path_factory.mktemp("parity"))
    for store in (embedded, neo4j):
        load_dataset(store)
        load_deals(store)
    yield embedded, neo4j
    neo4j.close()


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"company": "company:softbank-group"},
        {"concession": "tariffconcession:auto-tariff-cut-from-27-5-to-15"},
        {"company": "company:kestrel-motors"},
        {"company": "company:saigon-weave"},
    ],
)
def test_dependencies_native_cypher_equals_shared_implementation(both, day, scope) -> None:
    embedded, neo4j = both
    native = CypherQuestions.for_store(neo4j).dependencies(as_of=day, **scope)
    shared_on_neo4j = ask.dependencies(neo4j, as_of=day, native=False, **scope)
    shared_on_embedded = ask.dependencies(embedded, as_of=day, **scope)
    assert native.total > 0 or scope.get("company") == "company:saigon-weave"
    assert _dump(native) == _dump(shared_on_neo4j) == _dump(shared_on_embedded)


def test_dependencies_on_neo4j_use_the_native_query_by_default(both) -> None:
    _, neo4j = both
    assert _dump(ask.dependencies(neo4j)) == _dump(CypherQuestions.for_store(neo4j).dependencies())


AUTO_CUT = "tariffconcession:auto-tariff-cut-from-27-5-to-15"


@pytest.mark.parametrize("limit", [0, 1, 3, 7, 1000])
@pytest.mark.parametrize(
    ("scope", "kinds"),
    [
        ({}, ("exposure", "fulfilment")),
        ({}, ("fulfilment",)),
        ({}, ()),
        ({"company": "company:softbank-group"}, ("exposure", "fulfilment")),
        ({"company": "company:kestrel-motors", "concession": AUTO_CUT}, ("exposure", "fulfilment")),
        ({"concession": AUTO_CUT}, ("exposure", "fulfilment")),
        ({"concession": AUTO_CUT}, ("exposure",)),
    ],
)
def test_native_dependencies_sort_cut_and_count_in_cypher_as_the_shared_implementation(
    both, scope, kinds, limit
) -> None:
    """The page (ties on company, concession, kind and length broken by relationship ids),
    `total`, `pairs` and `truncated` come from Cypher; they equal the shared answer."""
    embedded, neo4j = both
    native = CypherQuestions.for_store(neo4j).dependencies(kinds=kinds, limit=limit, **scope)
    assert _dump(native) == _dump(ask.dependencies(embedded, kinds=kinds, limit=limit, **scope))
    assert native.truncated == (limit < native.total)


@pytest.mark.parametrize(
    ("scope", "parameter"),
    [
        ({"company": "company:nobody"}, "company"),
        ({"concession": "tariffconcession:nothing"}, "concession"),
        ({"company": "company:nobody", "concession": "tariffconcession:nothing"}, "company"),
        ({"company": "company:softbank-group", "concession": "tariffconcession:nothing"}, "concession"),
        ({"concession": "company:softbank-group"}, "concession"),
    ],
)
def test_native_dependencies_refuse_unknown_ids_as_the_shared_implementation(both, scope, parameter) -> None:
    embedded, neo4j = both
    with pytest.raises(UnknownEntity) as native:
        CypherQuestions.for_store(neo4j).dependencies(**scope)
    with pytest.raises(UnknownEntity) as shared:
        ask.dependencies(embedded, **scope)
    assert (native.value.parameter, str(native.value)) == (shared.value.parameter, str(shared.value))
    assert native.value.parameter == parameter


@pytest.mark.parametrize("scope", [{}, {"company": "company:softbank-group"}, {"concession": AUTO_CUT}])
def test_native_dependencies_answer_in_one_round_trip(both, monkeypatch, scope) -> None:
    """One statement per request, whatever the size of the answer (no N+1)."""
    _, neo4j = both
    calls = []
    run = CypherQuestions.run

    def counted(self, name, text, params):
        calls.append(name)
        return run(self, name, text, params)

    monkeypatch.setattr(CypherQuestions, "run", counted)
    result = CypherQuestions.for_store(neo4j).dependencies(limit=3, **scope)
    assert result.total > 0
    assert calls == ["dependencies"]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("what_if", {"breach": "commitment:invest-100-billion-in-us-manufacturing"}),
        ("what_if", {"breach": "commitment:initiate-funding-within-45-working-days-of-project-selection"}),
        ("what_if", {"revoke": "tariffconcession:textile-tariff-cut-from-46-to-20", "as_of": dt.date(2025, 6, 1)}),
        ("deadlines", {"as_of": dt.date(2026, 3, 1), "calendar": "US"}),
        ("deadlines", {"as_of": dt.date(2026, 3, 1), "calendar": "US+JP", "selected_on": dt.date(2026, 2, 17)}),
        ("diff", {"from_": dt.date(2025, 9, 1), "to": dt.date(2025, 10, 1)}),
        ("diff", {"breach": "commitment:invest-100-billion-in-us-manufacturing", "as_of": dt.date(2026, 3, 1)}),
        ("path", {"source": "company:kestrel-motors", "target": "JPN", "max_hops": 3}),
        ("path", {"source": "company:softbank-group", "target": "USA", "max_hops": 3, "directed": True}),
        ("conflicts", {}),
        ("ledger", {"agreement": "agreement:pacific-auto-accord"}),
        ("ledger", {"vehicle": "investmentvehicle:pacific-investment-facility", "as_of": dt.date(2026, 1, 1)}),
        ("critical", {}),
        ("critical", {"as_of": dt.date(2025, 10, 1)}),
    ],
)
def test_every_question_gives_the_same_answer_on_both_stores(both, name, kwargs) -> None:
    embedded, neo4j = both
    question = getattr(ask, name)
    assert _dump(question(neo4j, **kwargs)) == _dump(question(embedded, **kwargs))


def test_the_projections_of_both_stores_are_equal(both) -> None:
    embedded, neo4j = both
    a, b = QuestionGraph.from_store(embedded), QuestionGraph.from_store(neo4j)
    assert a.size == b.size

    def same(props: dict) -> dict:
        # Neo4j keeps `id` as a property of every record (its MERGE key); the embedded store
        # keeps it only where the record had it (Claim and DISPUTES records made by the merge
        # do not). No question reads a record's `id` property, so it is left out here.
        return {k: v for k, v in props.items() if k != "id"}

    assert [(n.id, n.label, same(n.props)) for n in a.nodes()] == [(n.id, n.label, same(n.props)) for n in b.nodes()]
    assert [(r.id, r.type, r.start, r.end, same(r.props)) for r in a.relationships()] == [
        (r.id, r.type, r.start, r.end, same(r.props)) for r in b.relationships()
    ]


@pytest.fixture(scope="module")
def scratch(neo4j_driver, neo4j_uri):
    """A Neo4jStore that each hypothesis example empties and fills."""
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_driver, "neo4j", timeout_s=30, uri=neo4j_uri)
    yield store
    store.close()


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(records=deal_graphs(), day=st.sampled_from([None, dt.date(2025, 3, 1), dt.date(2026, 1, 1)]))
def test_random_graphs_give_the_same_dependencies_natively_and_on_both_stores(
    scratch, neo4j_driver, tmp_path_factory, records, day
) -> None:
    nodes, rels = records
    empty_neo4j(neo4j_driver)
    scratch.merge(nodes, rels)
    embedded = EmbeddedStore(tmp_path_factory.mktemp("random"))
    embedded.merge(nodes, rels)
    native = CypherQuestions.for_store(scratch).dependencies(as_of=day)
    assert _dump(native) == _dump(ask.dependencies(scratch, as_of=day, native=False))
    assert _dump(native) == _dump(ask.dependencies(embedded, as_of=day))
    # Cut and counted in Cypher, for the whole graph and for one company.
    company = sorted(n.id for n in nodes if n.label == "Company")[0]  # every random graph has one
    for scope in ({}, {"company": company}):
        limited = CypherQuestions.for_store(scratch).dependencies(as_of=day, limit=2, **scope)
        assert _dump(limited) == _dump(ask.dependencies(embedded, as_of=day, limit=2, **scope))
    assert _dump(ask.critical(scratch, as_of=day)) == _dump(ask.critical(embedded, as_of=day))
