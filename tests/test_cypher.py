"""Analyst Cypher (graph/analyst.py, POST /api/cypher, `dealgraph cypher`) on a real Neo4j.

The refusal corpus holds writes and admin commands, plain and hidden (comments, odd
casing, unicode escapes, string tricks). Every one is refused, and the database is the same
afterwards: records, constraints, indexes and tokens. Each guard is also shown to hold on
its own, so that none relies on another."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.settings import Settings
from graph import analyst
from graph.analyst import QueryRefused, QuerySyntaxError, QueryTimeout, QueryTooLong, check_text, run_read_query
from tests.conftest import LiveServer, empty_neo4j, free_port, neo4j_generation
from tests.test_export_import import fill, snapshot

SOFTBANK = "company:softbank-group"
TRICKY = "company:semi-colon-co"
SLOW = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*) AS n"

# Writes and administration, plain and hidden; every one must be refused (403). The groups
# say which guard refuses them on its own (each test below switches the others off).
WRITES = [  # the plan check (EXPLAIN query type) and the READ transaction
    "CREATE (n:Company {id: 'company:evil', name: 'Evil'})",
    "MERGE (n:Company {id: 'company:softbank-group'}) SET n.name = 'Hacked'",
    "MATCH (n:Company) SET n.name = 'x'",
    "MATCH (n) SET n += {evil: true}",
    "MATCH (n:Company) REMOVE n.name",
    "MATCH (n:Company) REMOVE n:Company",
    "MATCH ()-[r:LEADS]->() DELETE r",
    "MATCH (n) DETACH DELETE n",
    "MATCH (a:Company), (b:Project) CREATE (a)-[:LEADS]->(b)",
    "UNWIND range(1, 10) AS i CREATE (:Company {name: toString(i)})",
    "MATCH (n:Company) FOREACH (x IN [1] | SET n.flag = true)",
    "OPTIONAL MATCH (n) FOREACH (m IN CASE WHEN n IS NULL THEN [] ELSE [n] END | DETACH DELETE m)",
    "MATCH (n) WITH n LIMIT 1 CALL (n) { SET n.x = 1 } RETURN 1 AS one",
    "MATCH (n) RETURN n.name AS x UNION MATCH (m) DETACH DELETE m RETURN 'gone' AS x",
    # hidden behind comments, casing, prefixes and string tricks
    "MATCH (n) /* just reading */ DETACH DELETE n",
    "// a comment\nMATCH (n:Company)\n// another comment\nSET n.name = 'x'",
    "match (n:Company) sEt n.name = 'x'",
    "MaTcH (n) DeTaCh DeLeTe n",
    "CYPHER runtime=slotted MATCH (n) DETACH DELETE n",
    "WITH 'CREATE (n)' AS text CREATE (m:Company {name: text})",
    "MATCH (n) WHERE n.name = 'x\\u0027 OR true DETACH DELETE n //' RETURN n",
    'MATCH (n) WHERE n.name = "it\\"s" OR true DETACH DELETE n',
]
SCHEMA = [  # the text check, and the plan check (query type "s")
    "CREATE INDEX evil_index FOR (n:Company) ON (n.evil)",
    "CREATE CONSTRAINT evil FOR (n:Company) REQUIRE n.evil IS UNIQUE",
    "DROP CONSTRAINT dealgraph_company_id",
    "DROP INDEX dealgraph_company_name",
]
TEXT_ONLY = [  # the text check: EXPLAIN calls some of these read-only, or cannot plan them
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV WITH HEADERS FROM 'https://example.com/x.csv' AS row CREATE (:Company {name: row.name})",
    "CALL { MATCH (n) DETACH DELETE n } IN TRANSACTIONS",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "CALL { MATCH (n) RETURN n } IN 2 CONCURRENT TRANSACTIONS RETURN count(*) AS n",
    "CALL db.createLabel('Evil')",
    "CALL db.createProperty('evil')",
    "CALL db.createRelationshipType('EVIL')",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL dbms.security.createUser('evil', 'secret', false)",
    "CALL db.clearQueryCaches()",
    "CALL db.resampleOutdatedIndexes()",
    "CALL db.prepareForReplanning()",
    "CALL tx.setMetaData({evil: true})",
    "CREATE DATABASE evil",
    "CREATE OR REPLACE DATABASE neo4j",
    "STOP DATABASE neo4j",
    "CREATE USER evil SET PASSWORD 'secret123'",
    "GRANT ROLE admin TO evil",
    "ALTER CURRENT USER SET PASSWORD FROM 'a' TO 'b'",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW TRANSACTIONS YIELD transactionId TERMINATE TRANSACTIONS transactionId",
    "SHOW SETTINGS",
    "USE system SHOW USERS",
    "PROFILE MATCH (n) DETACH DELETE n",
    "EXPLAIN MATCH (n) DETACH DELETE n",
    # hidden behind comments, casing, whitespace, escapes and quoting
    "LOAD/**/CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "load\tcsv from 'file:///etc/passwd' as l return l",
    "\\u004cOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "CALL db.cre\\u0061teLabel('Evil')",
    "CALL `db`.`createLabel`('Evil')",
    "CALL db . createLabel ( 'Evil' )",
    "CALL /* read-only, honest */ db.createLabel('Evil')",
]
REFUSED = [*WRITES, *SCHEMA, *TEXT_ONLY]

# Reads that look alarming but are not: keywords inside strings, comments and backquotes.
ALLOWED = [
    "RETURN 'CREATE (n) DETACH DELETE n; LOAD CSV' AS text",
    "MATCH (n:Company) // DETACH DELETE n\nRETURN count(n) AS n",
    "MATCH (n:Company) /* SET n.x = 1 */ RETURN count(n) AS n",
    "MATCH (`DELETE`:Company) RETURN count(`DELETE`) AS n",
    "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "SHOW INDEXES YIELD name RETURN name ORDER BY name",
    "MATCH p = (:Company)-[:LEADS]->(:Project) RETURN p",
    "MATCH (n) WHERE n.name CONTAINS 'call db.createLabel' RETURN n",
    "CALL () { MATCH (c:Company) RETURN c } RETURN count(c) AS n",
]


def test_the_corpus_is_large_enough() -> None:
    assert len(REFUSED) >= 30 and len(set(REFUSED)) == len(REFUSED)


@pytest.mark.parametrize("query", ALLOWED)
def test_reads_pass_the_text_check(query: str) -> None:
    check_text(query)


@pytest.mark.parametrize("query", [*SCHEMA, *TEXT_ONLY])
def test_the_text_check_alone_refuses_files_batches_procedures_and_admin(query: str) -> None:
    with pytest.raises(QueryRefused):
        check_text(query)


def test_the_text_check_refuses_long_queries() -> None:
    with pytest.raises(QueryTooLong, match="at most 10000"):
        check_text("RETURN 1 " + "/* pad */" * 2000)


# --------------------------------------------------------------------------- on Neo4j


@pytest.fixture(scope="module")
def _state() -> dict:
    return {}


@pytest.fixture
def seeded(neo4j_driver, neo4j_uri: str, _state: dict):
    """The Neo4j test database with the seed and the tricky records (filled once per module)."""
    from graph.neo4j_store import Neo4jStore

    if _state.get("generation") != neo4j_generation():
        empty_neo4j(neo4j_driver)
        _state["store"] = fill(Neo4jStore(neo4j_driver, "neo4j", 30, 10_000, uri=neo4j_uri))
        _state["generation"] = neo4j_generation()
    return _state["store"]


def database_state(driver) -> tuple:
    """Everything a refused query must leave alone: records, schema and tokens."""
    with driver.session(database="neo4j") as session:

        def rows(text: str) -> list:
            return sorted(tuple(map(str, r.values())) for r in session.run(text))

        return (
            rows("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *"),
            rows("SHOW INDEXES YIELD name, type, labelsOrTypes, properties RETURN *"),
            rows("CALL db.labels() YIELD label RETURN label"),
            rows("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType"),
            rows("CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey"),
            rows("MATCH (n) RETURN count(n) AS nodes"),
            rows("MATCH ()-[r]->() RETURN count(r) AS relationships"),
        )


def run(driver, query: str, params: dict | None = None, limit: int = 100, timeout_s: float = 5.0):
    return run_read_query(driver, "neo4j", query, params, limit=limit, timeout_s=timeout_s)


@pytest.mark.neo4j
def test_the_refusal_corpus_is_refused_and_changes_nothing(seeded, neo4j_driver) -> None:
    before_state, before_records = database_state(neo4j_driver), snapshot(seeded)
    assert before_records[0], "the database holds the test graph"
    not_refused = []
    for query in REFUSED:
        try:
            run(neo4j_driver, query)
        except QueryRefused:
            continue
        except Exception as exc:  # collected and reported below
            not_refused.append((query, repr(exc)))
        else:
            not_refused.append((query, "ran"))
    assert not_refused == []
    assert database_state(neo4j_driver) == before_state
    assert snapshot(seeded) == before_records


@pytest.mark.neo4j
@pytest.mark.parametrize("query", ALLOWED)
def test_reads_that_look_alarming_run(seeded, neo4j_driver, query: str) -> None:
    result = run(neo4j_driver, query)
    assert result.query_type == "r"


@pytest.mark.neo4j
def test_the_plan_check_alone_refuses_writes(seeded, neo4j_driver, monkeypatch) -> None:
    """With the text check off, EXPLAIN's query type still refuses every write and schema change."""
    monkeypatch.setattr(analyst, "check_text", lambda query: None)
    before = database_state(neo4j_driver)
    for query in [*WRITES, *SCHEMA]:
        with pytest.raises(QueryRefused, match=r"writes|changes the schema"):
            run(neo4j_driver, query)
    assert database_state(neo4j_driver) == before


@pytest.mark.neo4j
def test_the_read_transaction_alone_refuses_writes(seeded, neo4j_driver, monkeypatch) -> None:
    """With the text check and the plan check off, the READ session makes the server refuse."""
    monkeypatch.setattr(analyst, "check_text", lambda query: None)
    monkeypatch.setattr(analyst, "EXPLAIN_PREFIX", "")
    before = database_state(neo4j_driver)
    for query in ("CREATE (n:Company {id: 'company:evil', name: 'Evil'})", "MATCH (n) DETACH DELETE n"):
        with pytest.raises(QueryRefused, match="tried to write"):
            run(neo4j_driver, query)
    assert database_state(neo4j_driver) == before


@pytest.mark.neo4j
def test_why_the_text_check_exists(seeded, neo4j_driver) -> None:
    """EXPLAIN calls LOAD CSV and some admin procedures read-only: only the text check refuses them."""
    with neo4j_driver.session(database="neo4j") as session:
        for query in ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "CALL db.prepareForReplanning()"):
            assert session.run("EXPLAIN " + query).consume().query_type == "r"


@pytest.mark.neo4j
def test_a_query_that_runs_too_long_is_stopped_at_the_timeout(seeded, neo4j_driver) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run(neo4j_driver, SLOW, timeout_s=0.5)
    assert time.monotonic() - started < 10


@pytest.mark.neo4j
def test_a_large_result_is_truncated_with_the_flag(seeded, neo4j_driver) -> None:
    result = run(neo4j_driver, "UNWIND range(1, 1000000) AS x RETURN x", limit=100)
    assert len(result.rows) == 100 and result.truncated
    assert result.rows[-1] == [100]
    exact = run(neo4j_driver, "UNWIND range(1, 100) AS x RETURN x", limit=100)
    assert len(exact.rows) == 100 and not exact.truncated


@pytest.mark.neo4j
def test_parameters_are_values_never_text(seeded, neo4j_driver) -> None:
    before = database_state(neo4j_driver)
    found = run(neo4j_driver, "MATCH (n {id: $id}) RETURN n.name AS name", {"id": "JPN"})
    assert found.rows == [["Japan"]]
    sneaky = run(neo4j_driver, "MATCH (n {id: $id}) RETURN n.name AS name", {"id": "JPN'}) DETACH DELETE n //"})
    assert sneaky.rows == []
    assert database_state(neo4j_driver) == before


@pytest.mark.neo4j
def test_results_are_json_safe_with_a_graph_form(seeded, neo4j_driver) -> None:
    result = run(
        neo4j_driver,
        "MATCH p = (c:Company {id: $id})-[r:LEADS]->(x:Project) "
        "RETURN c, r, x, p, c.valid_from AS since, [c.valid_from] AS dates, {d: r.valid_from} AS map",
        {"id": TRICKY},
    )
    assert result.columns == ["c", "r", "x", "p", "since", "dates", "map"]
    (company, rel, project, path, since, dates, as_map) = result.rows[0]
    assert company["kind"] == "node" and company["id"] == TRICKY and company["labels"] == ["Company"]
    assert company["element_id"] and company["properties"]["valid_from"] == "2025-01-31"
    assert company["properties"]["quotes"] == ["first; quote", "", "x\ny"]
    assert rel["kind"] == "relationship" and rel["type"] == "LEADS"
    assert (rel["start"], rel["end"]) == (TRICKY, project["id"])
    assert rel["properties"]["valid_from"] == "2025-03-01"
    assert path["kind"] == "path" and [n["id"] for n in path["nodes"]] == [TRICKY, project["id"]]
    assert (since, dates, as_map) == ("2025-01-31", ["2025-01-31"], {"d": "2025-03-01"})
    assert {n.id for n in result.nodes} == {TRICKY, project["id"]}
    assert [(r.type, r.start, r.end) for r in result.relationships] == [("LEADS", TRICKY, project["id"])]


@pytest.mark.neo4j
def test_relationships_alone_bring_their_ends_into_the_graph_form(seeded, neo4j_driver) -> None:
    result = run(neo4j_driver, "MATCH ()-[r:FUNDS]->() RETURN r")
    assert len(result.rows) == 4
    assert all(row[0]["start"] == "investmentvehicle:550-billion-investment-vehicle" for row in result.rows)
    assert len(result.relationships) == 4 and len(result.nodes) == 5
    assert {n.label for n in result.nodes} == {"InvestmentVehicle", "Project"}


@pytest.mark.neo4j
def test_syntax_errors_carry_neo4j_message_and_position(seeded, neo4j_driver) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run(neo4j_driver, "MATCH (n)\nRETRN n")
    assert "Invalid input 'RETRN'" in str(caught.value)
    assert (caught.value.line, caught.value.column, caught.value.offset) == (2, 1, 10)
    with pytest.raises(QuerySyntaxError, match="one statement"):
        run(neo4j_driver, "RETURN 1; CREATE (n)")


# --------------------------------------------------------------------------- over HTTP


@pytest.fixture(scope="module")
def neo4j_server(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("cypher-api"),
        store="neo4j",
        neo4j_uri=neo4j_uri,
        query_timeout_s=5,
        max_graph_nodes=500,
    )
    with LiveServer(settings) as server, server.client() as client:
        yield client


@pytest.mark.neo4j
def test_api_refuses_the_corpus_with_403(seeded, neo4j_driver, neo4j_server: httpx.Client) -> None:
    before = database_state(neo4j_driver)
    for query in REFUSED:
        response = neo4j_server.post("/api/cypher", json={"query": query})
        assert response.status_code == 403, (query, response.text)
        error = response.json()["error"]
        assert error["code"] == "read_only" and "read-only" in error["message"]
    assert database_state(neo4j_driver) == before


@pytest.mark.neo4j
def test_api_answers_rows_and_a_graph_view(seeded, neo4j_server: httpx.Client) -> None:
    response = neo4j_server.post(
        "/api/cypher",
        json={
            "query": "MATCH (c:Company {id: $id})-[r:LEADS]->(p) RETURN c.name AS company, r, p",
            "params": {"id": SOFTBANK},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["company", "r", "p"] and body["query_type"] == "r"
    assert body["rows"][0][0] == "SoftBank Group" and not body["truncated"]
    assert (body["limit"], body["timeout_ms"]) == (500, 5000)
    graph = body["graph"]
    assert {n["id"] for n in graph["nodes"]} == {SOFTBANK, "project:data-center-infrastructure-initiative"}
    edge = graph["edges"][0]
    assert (edge["type"], edge["source"]) == ("LEADS", SOFTBANK)
    assert edge["sources"][0]["quote"] and edge["sources"][0]["title"].startswith("Japan's $550 Billion")
    assert all(n["color"].startswith("#") for n in graph["nodes"])


@pytest.mark.neo4j
def test_api_truncates_at_the_setting_and_at_a_lower_limit(seeded, neo4j_server: httpx.Client) -> None:
    query = {"query": "UNWIND range(1, 100000) AS x RETURN x"}
    body = neo4j_server.post("/api/cypher", json=query).json()
    assert len(body["rows"]) == 500 and body["truncated"] is True
    body = neo4j_server.post("/api/cypher", json={**query, "limit": 7}).json()
    assert len(body["rows"]) == 7 and body["truncated"] is True and body["limit"] == 7


@pytest.mark.neo4j
def test_api_never_raises_the_limits_past_the_settings(seeded, neo4j_server: httpx.Client) -> None:
    """A request may lower the limits; a higher ask gets the settings', and the answer says so."""
    asked = {"query": "UNWIND range(1, 1000) AS x RETURN x", "limit": 900, "timeout_ms": 60_000}
    body = neo4j_server.post("/api/cypher", json=asked).json()
    assert (body["limit"], body["timeout_ms"]) == (500, 5000)
    assert len(body["rows"]) == 500 and body["truncated"] is True
    lower = neo4j_server.post("/api/cypher", json={**asked, "limit": 3, "timeout_ms": 1000}).json()
    assert (lower["limit"], lower["timeout_ms"], len(lower["rows"])) == (3, 1000, 3)
    for field, value in (("limit", 0), ("timeout_ms", 0), ("limit", 100_001), ("query", "")):
        response = neo4j_server.post("/api/cypher", json={**asked, field: value})
        assert response.status_code == 422, (field, value)
        assert response.json()["error"]["details"][0]["parameter"] == field


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"query": "RETURN $n AS n", "params": {"n": 2**70}}, 400, "cypher_error"),
        ({"query": "RETURN $s AS s", "params": {"s": "\ud800"}}, 400, "cypher_error"),
        ({"query": "RETURN $m AS m", "params": {"m": {"deep": [2**64]}}}, 400, "cypher_error"),
        ({"query": "RETURN '\ud800' AS s"}, 422, "invalid_parameter"),
    ],
)
def test_api_refuses_what_neo4j_cannot_receive(
    seeded, neo4j_server: httpx.Client, body: dict, status: int, code: str
) -> None:
    """Found by fuzzing: these reached the driver and failed there with a 500. (The body is sent
    as ASCII JSON, so a lone surrogate travels as the escape `\\ud800`, as a client may send it.)"""
    raw = json.dumps(body, ensure_ascii=True).encode("ascii")
    response = neo4j_server.post("/api/cypher", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


@pytest.mark.neo4j
def test_api_timeout_is_408(seeded, neo4j_server: httpx.Client) -> None:
    started = time.monotonic()
    response = neo4j_server.post("/api/cypher", json={"query": SLOW, "timeout_ms": 500})
    assert response.status_code == 408 and response.json()["error"]["code"] == "timeout"
    assert time.monotonic() - started < 10


@pytest.mark.neo4j
def test_api_syntax_error_is_400_with_position(seeded, neo4j_server: httpx.Client) -> None:
    response = neo4j_server.post("/api/cypher", json={"query": "MATCH (n)\nRETRN n"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "cypher_syntax_error" and "RETRN" in error["message"]
    assert error["details"] == {"line": 2, "column": 1, "offset": 10}
    missing = neo4j_server.post("/api/cypher", json={"query": "RETURN $nothing AS x"})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "cypher_error"


@pytest.mark.neo4j
def test_api_too_long_is_413(seeded, neo4j_server: httpx.Client) -> None:
    response = neo4j_server.post("/api/cypher", json={"query": "RETURN 1 //" + "x" * 10_000})
    assert response.status_code == 413 and response.json()["error"]["code"] == "query_too_long"


def test_api_on_the_embedded_store_says_how_to_start_neo4j(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post("/api/cypher", json={"query": "MATCH (n) RETURN count(n)"})
    assert response.status_code == 501
    error = response.json()["error"]
    assert error["code"] == "neo4j_required"
    assert "dealgraph neo4j start" in error["message"] and "DEALGRAPH_NEO4J_URI" in error["message"]


def test_api_with_neo4j_down_is_503(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, store="neo4j", neo4j_uri=f"bolt://127.0.0.1:{free_port()}")
    with LiveServer(settings) as server, server.client() as client:
        response = client.post("/api/cypher", json={"query": "RETURN 1 AS one"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "store_unavailable"
    assert "dealgraph neo4j start" in response.json()["error"]["message"]


# --------------------------------------------------------------------------- CLI


@pytest.mark.neo4j
def test_cli_cypher(seeded, neo4j_uri: str) -> None:
    env = {"DEALGRAPH_NEO4J_URI": neo4j_uri, "DEALGRAPH_STORE": "neo4j"}
    runner = CliRunner()
    result = runner.invoke(
        cli_app,
        ["cypher", "MATCH (n {id: $id}) RETURN n.name AS name, $n AS n", "--param", "id=JPN", "-p", "n=2", "--json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["columns"] == ["name", "n"] and body["rows"] == [["Japan", 2]]
    refused = runner.invoke(cli_app, ["cypher", "MATCH (n) DETACH DELETE n"], env=env)
    assert refused.exit_code == 1 and "read-only" in refused.output
    slow = runner.invoke(cli_app, ["cypher", SLOW, "--timeout-ms", "500"], env=env)
    assert slow.exit_code == 1 and "time limit" in slow.output
    table = runner.invoke(cli_app, ["cypher", "MATCH (c:Company) RETURN c ORDER BY c.id LIMIT 1"], env=env)
    assert table.exit_code == 0 and "(:Company company:semi-colon-co)" in table.output


def test_cli_cypher_on_the_embedded_store_says_how_to_start_neo4j(tmp_path) -> None:
    result = CliRunner().invoke(
        cli_app,
        ["cypher", "RETURN 1", "--store", "embedded", "--data-dir", str(tmp_path)],
        env={"DEALGRAPH_NEO4J_URI": ""},
    )
    assert result.exit_code == 1 and "dealgraph neo4j start" in result.output


@pytest.mark.neo4j
def test_the_readme_cypher_examples_run(seeded, neo4j_uri: str) -> None:
    from tests.test_export_import import readme_commands

    env = {"DEALGRAPH_NEO4J_URI": neo4j_uri, "DEALGRAPH_STORE": "neo4j"}
    commands = [c for c in readme_commands("dealgraph") if c[1] in ("cypher", "query")]
    assert len(commands) == 2
    for command in commands:
        result = CliRunner().invoke(cli_app, [*command[1:], "--json"], env=env)
        assert result.exit_code == 0, result.output
    first = CliRunner().invoke(cli_app, [*commands[0][1:], "--json"], env=env)
    assert ["Data center infrastructure initiative", "SoftBank Group"] in json.loads(first.stdout)["rows"]
