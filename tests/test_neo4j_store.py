"""The Neo4j store against a real Neo4j server (see conftest.py), and Neo4j being down.

Tests marked `neo4j` need the server; the "down" tests point at a port where nothing
listens and run everywhere.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from functools import cache
from pathlib import Path

import neo4j
import pytest

from api.settings import Settings
from graph import cypher
from graph.embedded import EmbeddedStore
from graph.ids import node_id, relationship_id
from graph.model import Citation, Node, Relationship, provenance_props
from graph.neo4j_store import Neo4jStore
from graph.schema import load_schema
from graph.store import StoreError, StoreUnavailable
from loaders.dataset import BUNDLED_DATASET, Dataset, load_dataset, parse_dataset
from tests.conftest import LiveServer, free_port

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "import sys; from api.cli import app; sys.argv[0] = 'dealgraph'; app()"]


@cache
def _bundled() -> Dataset:
    return parse_dataset(BUNDLED_DATASET)


def _snapshot(store) -> tuple:
    return store.counts(), list(store.iter_nodes()), list(store.iter_relationships())


def _dealgraph(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh process, away from any .env file and DEALGRAPH_* variables of the caller."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DEALGRAPH_")}
    full_env.update(env, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        cwd=env.get("DEALGRAPH_DATA_DIR"),
    )


# --------------------------------------------------------------------------- loading


@pytest.mark.neo4j
def test_loading_the_bundled_dataset_twice_gives_the_counts_of_the_embedded_store(neo4j_store, tmp_path) -> None:
    embedded = EmbeddedStore(tmp_path / "embedded")
    first = load_dataset(neo4j_store)
    assert first == load_dataset(embedded)
    assert first.nodes_created == len(_bundled().nodes) and first.relationships_created == len(_bundled().relationships)
    after_first = _snapshot(neo4j_store)
    second = load_dataset(neo4j_store)
    assert (second.nodes_created, second.nodes_updated, second.relationships_created) == (0, 0, 0)
    assert second.relationships_updated == 0 and second.claims == 0
    assert _snapshot(neo4j_store) == after_first
    assert neo4j_store.counts() == embedded.counts()
    assert neo4j_store.counts().nodes == len(_bundled().nodes)


def _schema_objects(driver) -> tuple[list[dict], list[dict]]:
    with driver.session(database="neo4j") as session:
        constraints = [r.data() for r in session.run(cypher.SHOW_CONSTRAINTS)]
        indexes = [r.data() for r in session.run(cypher.SHOW_INDEXES)]
    return constraints, indexes


@pytest.mark.neo4j
def test_a_load_leaves_constraints_for_every_label_and_type_and_a_second_load_creates_none(
    neo4j_store, neo4j_driver, neo4j_uri
) -> None:
    load_dataset(neo4j_store)
    constraints, indexes = _schema_objects(neo4j_driver)
    unique = {
        (c["entityType"], c["labelsOrTypes"][0])
        for c in constraints
        if c["type"].endswith("UNIQUENESS") and c["properties"] == ["id"]
    }
    schema = load_schema()
    assert {("NODE", label) for label in schema.labels} <= unique
    assert {("RELATIONSHIP", rel_type) for rel_type in schema.relationships} <= unique
    search = next(i for i in indexes if i["name"] == cypher.SEARCH_INDEX)
    assert search["type"] == "FULLTEXT" and search["state"] == "ONLINE"
    assert sorted(search["labelsOrTypes"]) == sorted(schema.labels) and search["properties"] == ["name", "aliases"]

    again = Neo4jStore(neo4j_driver, "neo4j", 30, 10_000, uri=neo4j_uri)  # a new process, as it were
    assert again.ensure_schema() == 0
    load_dataset(again)
    assert _schema_objects(neo4j_driver) == (constraints, indexes)


@pytest.mark.neo4j
def test_a_search_index_for_other_labels_is_replaced(neo4j_store, neo4j_driver) -> None:
    neo4j_store.ensure_schema()
    with neo4j_driver.session(database="neo4j") as session:
        session.run(cypher.DROP_SEARCH_INDEX).consume()
        # What an older schema (fewer labels) would have left behind.
        session.run(f"CREATE FULLTEXT INDEX {cypher.SEARCH_INDEX} FOR (n:Company) ON EACH [n.name]").consume()
    assert neo4j_store.ensure_schema() == 1
    search = next(i for i in _schema_objects(neo4j_driver)[1] if i["name"] == cypher.SEARCH_INDEX)
    assert sorted(search["labelsOrTypes"]) == sorted(load_schema().labels)


@pytest.mark.neo4j
def test_the_stop_words_left_out_of_search_are_the_analyzers(neo4j_driver) -> None:
    with neo4j_driver.session(database="neo4j") as session:
        record = session.run(cypher.ANALYZER_STOP_WORDS, analyzer=cypher.SEARCH_ANALYZER).single()
    assert set(record["stopwords"]) == cypher.SEARCH_STOP_WORDS


@pytest.mark.neo4j
def test_dates_are_native_dates_and_provenance_native_lists(neo4j_store, neo4j_driver) -> None:
    cite = Citation("source:x", "Japan agreed.", 10, 23)
    node = Node(
        "JPN",
        "Country",
        load_schema().validate_node(
            "Country",
            {"id": "JPN", "name": "Japan", "iso3": "JPN", "valid_from": "2025-07-22", **provenance_props([cite])},
        ),
    )
    neo4j_store.merge([node], [])
    with neo4j_driver.session(database="neo4j") as session:
        row = session.run(
            "MATCH (n:Country {id: 'JPN'}) RETURN n.valid_from AS d, n.quote_starts AS q, valueType(n.sources) AS t"
        ).single()
    assert isinstance(row["d"], neo4j.time.Date) and row["d"].iso_format() == "2025-07-22"
    assert row["q"] == [10] and row["t"].startswith("LIST<STRING")
    assert neo4j_store.get_node("JPN") == node


@pytest.mark.neo4j
def test_paged_iteration_gives_every_record_once(neo4j_driver, neo4j_store, neo4j_uri) -> None:
    load_dataset(neo4j_store)
    small = Neo4jStore(neo4j_driver, "neo4j", 30, batch_size=4, uri=neo4j_uri)
    assert list(small.iter_nodes()) == list(neo4j_store.iter_nodes())
    assert list(small.iter_relationships()) == list(neo4j_store.iter_relationships())


# --------------------------------------------------------------------------- all or nothing


def _new_records(broken_at: int) -> tuple[list[Node], list[Relationship]]:
    """Six new companies, each leading a new project; relationship `broken_at` points at a
    project that is in neither the batch nor the store."""
    nodes, rels = [], []
    for i in range(6):
        company = Node(node_id("Company", f"Builder {i}"), "Company", {"name": f"Builder {i}"})
        project = Node(node_id("Project", f"Works {i}"), "Project", {"name": f"Works {i}"})
        for n in (company, project):
            n.props.update(id=n.id, **provenance_props([Citation("source:test")]))
        nodes += [company, project]
        end = "project:ghost-works" if i == broken_at else project.id
        rid = relationship_id("LEADS", company.id, end)
        rels.append(Relationship(rid, "LEADS", company.id, end, {"id": rid, **provenance_props([Citation("x")])}))
    return nodes, rels


@pytest.mark.neo4j
def test_a_missing_end_in_a_late_batch_leaves_the_database_as_it_was(
    neo4j_driver, neo4j_store, neo4j_uri, caplog
) -> None:
    store = Neo4jStore(neo4j_driver, "neo4j", 30, batch_size=2, uri=neo4j_uri)
    load_dataset(store)
    before = _snapshot(store)
    nodes, rels = _new_records(broken_at=4)
    with caplog.at_level(logging.DEBUG, logger="dealgraph.neo4j"), pytest.raises(StoreError) as caught:
        store.merge(nodes, rels)
    assert str(caught.value) == f"relationship LEADS {rels[4].id}: no node 'project:ghost-works'"
    sent = [r.getMessage() for r in caplog.records if "wrote a batch" in r.getMessage()]
    assert sum("Company" in m for m in sent) == 3 and sum("Project" in m for m in sent) == 3
    assert sum("LEADS" in m for m in sent) == 2, sent  # two batches of relationships went out first
    assert _snapshot(store) == before
    # The same records without the bad one go in whole.
    store.merge(nodes, rels[:4] + rels[5:])
    assert store.counts().nodes == before[0].nodes + 12


@pytest.mark.neo4j
def test_a_value_neo4j_refuses_rolls_back_the_batches_already_written(neo4j_driver, neo4j_store, neo4j_uri) -> None:
    store = Neo4jStore(neo4j_driver, "neo4j", 30, batch_size=2, uri=neo4j_uri)
    load_dataset(store)
    before = _snapshot(store)
    nodes, rels = _new_records(broken_at=-1)
    companies = [n for n in nodes if n.label == "Company"]
    companies[4].props["note"] = {"nested": "maps cannot be stored"}  # the third batch of companies
    with pytest.raises(StoreError, match=r"refused a batch of 2 Company node\(s\) starting at 'company:builder-4'"):
        store.merge(nodes, rels)
    assert _snapshot(store) == before


# --------------------------------------------------------------------------- CLI and API on Neo4j


@pytest.mark.neo4j
def test_the_cli_loads_into_neo4j_twice_and_reports_the_counts(neo4j_store, neo4j_uri, tmp_path) -> None:
    env = {"DEALGRAPH_NEO4J_URI": neo4j_uri, "DEALGRAPH_DATA_DIR": str(tmp_path)}
    for _ in range(2):
        loaded = _dealgraph("load", "--store", "neo4j", env=env)
        assert loaded.returncode == 0, loaded.stderr
        assert "the neo4j store now holds 42 nodes" in " ".join(loaded.stdout.split())  # rich wraps at 80
    stats = _dealgraph("stats", "--store", "neo4j", "--json", env=env)
    assert stats.returncode == 0, stats.stderr
    embedded = EmbeddedStore(tmp_path / "embedded")
    load_dataset(embedded)
    counts = embedded.counts()
    assert json.loads(stats.stdout) == {
        "store": "neo4j",
        "nodes": counts.nodes,
        "relationships": counts.relationships,
        "labels": counts.labels,
        "types": counts.types,
    }
    found = _dealgraph("search", "softbank", "--json", env=env)  # auto: Neo4j because the URI is set
    assert json.loads(found.stdout)["items"][0]["id"] == "company:softbank-group"


class Forwarder:
    """A TCP relay to a real server that can be switched off and on: a Neo4j that goes away
    and comes back, without stopping the shared test server."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.target = target_port
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        for sock in [self._listener, *self._open]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self._listener, self._open = None, []

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


@pytest.mark.neo4j
def test_the_api_starts_while_neo4j_is_down_answers_503_and_recovers(neo4j_store, neo4j_uri, tmp_path) -> None:
    load_dataset(neo4j_store)
    relay = Forwarder(int(neo4j_uri.rsplit(":", 1)[1]))
    uri = f"bolt://127.0.0.1:{relay.port}"
    settings = Settings(store="neo4j", neo4j_uri=uri, data_dir=tmp_path)
    with LiveServer(settings) as server, server.client() as client:
        down = client.get("/api/health")
        assert down.status_code == 503 and down.headers["retry-after"]
        assert down.json()["error"]["code"] == "store_unavailable" and uri in down.json()["error"]["message"]
        assert client.get("/api/entities", params={"q": "softbank"}).status_code == 503
        relay.up()
        try:
            assert client.get("/api/health").json() == {"status": "ok", "store": "neo4j"}
            page = client.get("/api/entities", params={"q": "softbank"}).json()
            assert page["items"][0]["id"] == "company:softbank-group"
            relay.down()
            assert client.get("/api/stats").status_code == 503
            relay.up()
            assert client.get("/api/stats").json()["nodes"] == neo4j_store.counts().nodes
        finally:
            relay.down()


# --------------------------------------------------------------------------- Neo4j down


@pytest.fixture(scope="module")
def dead_uri() -> str:
    return f"bolt://127.0.0.1:{free_port()}"  # nothing listens there


@pytest.mark.parametrize(
    "args",
    [
        ["load", "--store", "neo4j"],
        ["stats", "--store", "neo4j"],
        ["stats", "--json"],
        ["search", "softbank"],
        ["show", "JPN", "--store", "neo4j"],
        ["serve", "--port", "0"],
    ],
    ids=lambda a: " ".join(a),
)
def test_every_cli_command_says_one_line_naming_the_uri_when_neo4j_is_down(args, dead_uri, tmp_path) -> None:
    done = _dealgraph(*args, env={"DEALGRAPH_NEO4J_URI": dead_uri, "DEALGRAPH_DATA_DIR": str(tmp_path)}, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert dead_uri in lines[0] and "dealgraph neo4j start" in lines[0]
    assert "Traceback" not in done.stdout + done.stderr


def test_the_api_answers_503_in_the_envelope_when_neo4j_is_down(dead_uri, tmp_path) -> None:
    with LiveServer(Settings(store="neo4j", neo4j_uri=dead_uri, data_dir=tmp_path)) as server, server.client() as c:
        for path in ("/api/health", "/api/stats", "/api/entities", "/api/entities/JPN", "/api/graph"):
            response = c.get(path)
            assert response.status_code == 503, path
            error = response.json()["error"]
            assert error["code"] == "store_unavailable" and dead_uri in error["message"]
        assert c.get("/api/schema").status_code == 200  # what needs no store still works


def test_ping_fails_fast_and_clearly(dead_uri) -> None:
    store = Neo4jStore.from_settings(Settings(neo4j_uri=dead_uri))
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="cannot reach Neo4j at " + dead_uri):
        store.ping()
    assert time.monotonic() - started < 2.5
    store.close()


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687", ""])
def test_a_uri_that_is_not_bolt_or_neo4j_is_refused(uri) -> None:
    with pytest.raises(StoreError, match="not a Neo4j URI"):
        Neo4jStore.from_settings(Settings(neo4j_uri=uri))


@pytest.mark.neo4j
def test_ping_answers_when_up(neo4j_store) -> None:
    neo4j_store.ping()
