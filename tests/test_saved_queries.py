"""Saved queries (graph/queries.yaml, DEALGRAPH_QUERIES_FILE): loading, typed parameters,
answers on the seed data in a real Neo4j, GET/POST /api/queries and `dealgraph query`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.settings import Settings
from graph.analyst import check_text, run_read_query
from graph.saved_queries import ParameterError, QueryFileError, QueryParam, load_queries
from loaders.dataset import BUNDLED_DATASET
from tests.conftest import LiveServer, empty_neo4j, neo4j_generation

VEHICLE = "investmentvehicle:550-billion-investment-vehicle"
SOFTBANK = "company:softbank-group"
REQUIRED = {"sources_of": {"id": SOFTBANK}, "in_force_on": {"date": "2025-08-01"}}

USER_FILE = """
queries:
  companies_in_sector:
    description: Companies in a sector.
    params:
      sector: {type: string, description: "Sector id."}
      limit_to: {type: integer, default: 10}
    cypher: |
      MATCH (c:Company)-[:IN_SECTOR]->(:Sector {id: $sector}) RETURN c.name AS name LIMIT $limit_to
  sources_of:
    description: Replaces the bundled one.
    params:
      id: {type: string}
    cypher: |
      MATCH (n {id: $id}) RETURN n.sources AS sources
"""


def test_the_bundled_queries_load_and_pass_the_text_check() -> None:
    queries = load_queries()
    expected = {
        "companies_by_concession",
        "concessions_conditional_on",
        "projects_funded_by",
        "officials_and_posts",
        "sources_of",
    }
    assert expected <= set(queries) and len(queries) >= 8
    for query in queries.values():
        assert query.description and query.cypher
        check_text(query.cypher)
        assert query.origin.endswith("graph/queries.yaml")


def test_the_queries_file_is_package_data() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert "*.yaml" in pyproject["tool"]["setuptools"]["package-data"]["graph"]


@pytest.mark.parametrize(
    ("type_name", "text", "value"),
    [
        ("string", "JPN", "JPN"),
        ("integer", "45", 45),
        ("float", "2.5", 2.5),
        ("boolean", "true", True),
        ("boolean", "no", False),
        ("date", "2025-07-22", dt.date(2025, 7, 22)),
        ("list[string]", "JPN,USA", ["JPN", "USA"]),
        ("list[string]", '["a,b", "c"]', ["a,b", "c"]),
    ],
)
def test_parameters_from_text_are_typed(type_name: str, text: str, value) -> None:
    assert QueryParam("p", type_name).coerce(text, from_text=True) == value


@pytest.mark.parametrize(
    ("type_name", "value"),
    [("integer", "4.5"), ("integer", True), ("float", "x"), ("date", "2025-13-01"), ("date", 20250722), ("string", 3)],
)
def test_wrong_parameter_values_name_the_parameter(type_name: str, value) -> None:
    with pytest.raises(ParameterError, match=r"^p: "):
        QueryParam("p", type_name).coerce(value, from_text=isinstance(value, str) and type_name != "string")


def test_binding_fills_defaults_and_refuses_unknown_or_missing() -> None:
    queries = load_queries()
    assert queries["projects_funded_by"].bind({}) == {"vehicle": VEHICLE}
    assert queries["companies_by_concession"].bind({}) == {"concession": None}
    with pytest.raises(ParameterError, match="id: required by sources_of"):
        queries["sources_of"].bind({})
    with pytest.raises(ParameterError, match="unknown parameter of sources_of"):
        queries["sources_of"].bind({"id": "JPN", "idd": "x"})


def test_a_user_file_adds_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    queries = load_queries(path)
    assert queries["companies_in_sector"].bind({"sector": "sector:data-centers"}, True)["limit_to"] == 10
    assert queries["sources_of"].description == "Replaces the bundled one." and "projects_funded_by" in queries


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("queries: {Bad-Name: {description: x, cypher: RETURN 1}}", "lower_snake_case"),
        ("queries: {q: {description: x, cypher: 'RETURN $x AS x'}}", r"\$x is not declared"),
        ("queries: {q: {description: x, params: {x: {type: string}}, cypher: RETURN 1}}", "x: not used"),
        ("queries: {q: {description: x, params: {x: {type: uuid}}, cypher: RETURN $x}}", "type: 'uuid' is not one of"),
        ("queries: {q: {description: x, params: {limit: {type: integer}}, cypher: RETURN $limit}}", "not one of"),
        ("queries: {q: {description: x, params: {n: {type: integer, default: two}}, cypher: RETURN $n}}", "default"),
        ("queries: {q: {description: x, cypher: 'LOAD CSV FROM \"file:///x\" AS l RETURN l'}}", "LOAD CSV"),
        ("queries: {q: {description: x, cypher: RETURN 1, extra: 1}}", "extra: unknown key"),
        ("queries: [1, 2]", "one top-level key"),
        ("queries: {q: {cypher: RETURN 1}}", "description: missing"),
        ("queries: {q: {description: x, cypher: RETURN 1}\n bad", "not valid YAML"),
    ],
)
def test_a_bad_user_file_names_the_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(QueryFileError, match=message):
        load_queries(path)


# --------------------------------------------------------------------------- on Neo4j


@pytest.fixture(scope="module")
def _state() -> dict:
    return {}


@pytest.fixture
def seeded(neo4j_driver, neo4j_uri: str, _state: dict):
    from graph.neo4j_store import Neo4jStore
    from loaders.dataset import load_dataset

    if _state.get("generation") != neo4j_generation():
        empty_neo4j(neo4j_driver)
        store = Neo4jStore(neo4j_driver, "neo4j", 30, 10_000, uri=neo4j_uri)
        load_dataset(store, BUNDLED_DATASET)
        _state.update(store=store, generation=neo4j_generation())
    return _state["store"]


def answer(driver, name: str, **given) -> list[dict]:
    query = load_queries()[name]
    result = run_read_query(driver, "neo4j", query.cypher, query.bind(given, True), limit=500, timeout_s=10)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_bundled_query_runs_on_neo4j(seeded, neo4j_driver, name: str) -> None:
    answer(neo4j_driver, name, **REQUIRED.get(name, {}))


@pytest.mark.neo4j
def test_projects_funded_by_the_vehicle_with_leads(seeded, neo4j_driver) -> None:
    rows = {r["project"]: r for r in answer(neo4j_driver, "projects_funded_by")}
    assert len(rows) == 4
    assert rows["project:data-center-infrastructure-initiative"]["leads"] == ["SoftBank Group"]
    potential = rows["project:potential-projects-identified-during-trump-s-visit-to-japan"]
    assert potential["funding_status"] == "potential"
    assert sorted(potential["others"]) == [
        "SoftBank Group (participates_in)",
        "Toshiba (participates_in)",
        "Westinghouse (participates_in)",
    ]


@pytest.mark.neo4j
def test_companies_by_concession_explain_how(seeded, neo4j_driver) -> None:
    concession = "tariffconcession:reciprocal-tariff-rate-reduced-from-25-to-15"
    rows = answer(neo4j_driver, "companies_by_concession", concession=concession)
    assert {r["company"] for r in rows} == {SOFTBANK, "company:toshiba", "company:westinghouse"}
    assert {r["how"] for r in rows} == {"fulfilment"} and {r["concession"] for r in rows} == {concession}
    softbank = next(r for r in rows if r["company"] == SOFTBANK)
    assert any("(LEADS)" in via for via in softbank["via"])


@pytest.mark.neo4j
def test_concessions_conditional_on_a_commitment(seeded, neo4j_driver) -> None:
    rows = answer(
        neo4j_driver, "concessions_conditional_on", commitment="commitment:invest-550-billion-in-the-united-states"
    )
    assert len(rows) == 2
    reciprocal = next(r for r in rows if r["rate_before_pct"] is not None)
    assert (reciprocal["rate_before_pct"], reciprocal["rate_after_pct"]) == (25.0, 15.0)
    assert reciprocal["granted_by"] == ["United States"] and reciprocal["made_by"] == ["Japan"]
    assert "reimposing higher tariffs" in reciprocal["if_broken"]


@pytest.mark.neo4j
def test_officials_and_their_posts(seeded, neo4j_driver) -> None:
    rows = answer(neo4j_driver, "officials_and_posts", country="JPN")
    assert {(r["official_name"], r["role"]) for r in rows} == {
        ("Akira Akazawa", "Minister of Economy, Trade and Industry"),
        ("Sanae Takaichi", "Prime Minister"),
    }


@pytest.mark.neo4j
def test_sources_of_an_entity_quote_the_text(seeded, neo4j_driver) -> None:
    text = (BUNDLED_DATASET.parent / "sources" / "000_0de8b12887b33d2a.txt").read_text(encoding="utf-8")
    rows = answer(neo4j_driver, "sources_of", id=SOFTBANK)
    assert len(rows) == 2
    for row in rows:
        assert row["title"].startswith("Japan's $550 Billion")
        assert text[row["start"] : row["end"]] == row["quote"]


# --------------------------------------------------------------------------- over HTTP and the CLI


@pytest.fixture(scope="module")
def queries_server(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("queries-api")
    (folder / "mine.yaml").write_text(USER_FILE, encoding="utf-8")
    settings = Settings(
        data_dir=folder, store="neo4j", neo4j_uri=neo4j_uri, queries_file=folder / "mine.yaml", max_graph_nodes=100
    )
    with LiveServer(settings) as server, server.client() as client:
        yield client


@pytest.mark.neo4j
def test_api_lists_the_queries_with_parameter_schemas(seeded, queries_server: httpx.Client) -> None:
    body = queries_server.get("/api/queries").json()
    by_name = {q["name"]: q for q in body["items"]}
    assert body["total"] == len(by_name) and "companies_in_sector" in by_name
    assert by_name["projects_funded_by"]["parameters"] == [
        {
            "name": "vehicle",
            "type": "string",
            "required": False,
            "default": VEHICLE,
            "description": "Id of an InvestmentVehicle.",
            "enum": None,
        }
    ]
    assert by_name["in_force_on"]["parameters"][0]["required"] is True


@pytest.mark.neo4j
def test_api_runs_a_query_by_get_and_post(seeded, queries_server: httpx.Client) -> None:
    got = queries_server.get("/api/queries/projects_funded_by", params={"limit": 2})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["name"] == "projects_funded_by" and body["parameters"] == {"vehicle": VEHICLE}
    assert len(body["rows"]) == 2 and body["truncated"] is True
    capped = queries_server.get("/api/queries/projects_funded_by", params={"limit": 5000}).json()
    assert capped["limit"] == 100 and len(capped["rows"]) == 4
    posted = queries_server.post("/api/queries/officials_and_posts", json={"params": {"country": "USA"}})
    assert posted.status_code == 200, posted.text
    assert {row[1] for row in posted.json()["rows"]} == {"Trump", "Lutnick"}
    user = queries_server.get("/api/queries/companies_in_sector", params={"sector": "sector:data-centers"})
    assert user.status_code == 200 and user.json()["parameters"] == {"sector": "sector:data-centers", "limit_to": 10}
    dated = queries_server.get("/api/queries/in_force_on", params={"date": "2025-08-01"})
    assert dated.status_code == 200 and dated.json()["parameters"]["date"] == "2025-08-01"


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "parameter"),
    [
        ("get", "/api/queries/in_force_on", {}, 422, "date"),
        ("get", "/api/queries/in_force_on", {"date": "yesterday"}, 422, "date"),
        ("get", "/api/queries/companies_in_sector", {"sector": "s", "limit_to": "ten"}, 422, "limit_to"),
        ("get", "/api/queries/sources_of", {"id": "JPN", "nope": "1"}, 422, "nope"),
        ("post", "/api/queries/sources_of", {"params": {"id": 7}}, 422, "id"),
        ("get", "/api/queries/projects_funded_by", {"limit": 0}, 422, "limit"),
        ("get", "/api/queries/projects_funded_by", {"timeout_ms": "soon"}, 422, "timeout_ms"),
        ("get", "/api/queries/no_such_query", {}, 404, None),
    ],
)
def test_api_refuses_bad_parameters_naming_them(
    seeded, queries_server: httpx.Client, method: str, path: str, payload: dict, status: int, parameter
) -> None:
    send = queries_server.get if method == "get" else queries_server.post
    response = send(path, params=payload) if method == "get" else send(path, json=payload)
    assert response.status_code == status, response.text
    if parameter:
        assert response.json()["error"]["details"][0]["parameter"] == parameter


def test_api_lists_queries_on_the_embedded_store_but_runs_them_only_on_neo4j(live_server: LiveServer) -> None:
    with live_server.client() as client:
        assert client.get("/api/queries").json()["total"] >= 8
        response = client.get("/api/queries/projects_funded_by")
    assert response.status_code == 501
    assert "dealgraph neo4j start" in response.json()["error"]["message"]


def test_a_broken_user_file_is_a_clear_500(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("queries: {q: {description: x, cypher: 'RETURN $x AS x'}}", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, store="embedded", queries_file=tmp_path / "bad.yaml")
    with LiveServer(settings) as server, server.client() as client:
        response = client.get("/api/queries")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "queries_file_error" and "$x" in response.json()["error"]["message"]


@pytest.mark.neo4j
def test_cli_query(seeded, neo4j_uri: str) -> None:
    env = {"DEALGRAPH_NEO4J_URI": neo4j_uri, "DEALGRAPH_STORE": "neo4j"}
    runner = CliRunner()
    result = runner.invoke(cli_app, ["query", "sources_of", "--param", f"id={SOFTBANK}", "--json"], env=env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["name"] == "sources_of" and len(body["rows"]) == 2
    listing = runner.invoke(cli_app, ["query", "--json"], env=env)
    assert "projects_funded_by" in {q["name"] for q in json.loads(listing.stdout)["items"]}
    bad = runner.invoke(cli_app, ["query", "in_force_on", "--param", "date=tomorrow"], env=env)
    assert bad.exit_code == 1 and "date" in bad.output
    unknown = runner.invoke(cli_app, ["query", "nope"], env=env)
    assert unknown.exit_code == 1 and "no saved query named 'nope'" in unknown.output
