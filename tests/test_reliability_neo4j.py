"""Reliability on the real Neo4j: analyst guards under concurrency, and a load killed midway
then run again reaches the same final state. Each test prints the figure it proves."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from graph.embedded import EmbeddedStore
from loaders.dataset import load_dataset
from tests.conftest import LiveServer
from tests.test_cypher import REFUSED, database_state

pytestmark = pytest.mark.neo4j
REPO = Path(__file__).resolve().parents[1]


def test_refusals_timeouts_and_row_caps_hold_under_concurrency(neo4j_store, neo4j_driver, neo4j_uri, tmp_path) -> None:
    load_dataset(neo4j_store)
    before = database_state(neo4j_driver)
    settings = Settings(data_dir=tmp_path, store="neo4j", neo4j_uri=neo4j_uri, query_timeout_s=2, max_graph_nodes=50)
    slow = "UNWIND range(1, 100000000) AS i WITH i WHERE i % 7 = 99 RETURN count(i)"
    wide = "UNWIND range(1, 1000) AS i RETURN i"
    outcomes: list[tuple[str, int, object]] = []
    lock = threading.Lock()

    def worker(n: int, server_url: str) -> None:
        with httpx.Client(base_url=server_url, timeout=60) as client:
            for i, query in enumerate(REFUSED[n % 3 :: 3]):
                body = {"query": slow if i % 5 == 4 else (wide if i % 5 == 3 else query)}
                response = client.post("/api/cypher", json=body)
                kind = "slow" if body["query"] == slow else "wide" if body["query"] == wide else "write"
                with lock:
                    outcomes.append((kind, response.status_code, response.json()))

    with LiveServer(settings) as server:
        threads = [threading.Thread(target=worker, args=(n, server.url)) for n in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    after = database_state(neo4j_driver)
    by_kind: dict[str, set[int]] = {}
    for kind, status, body in outcomes:
        by_kind.setdefault(kind, set()).add(status)
        if kind == "wide":
            assert body["truncated"] is True and len(body["rows"]) == 50
    assert by_kind["write"] == {403}
    assert by_kind["slow"] == {408}
    assert by_kind["wide"] == {200}
    assert after == before
    counts = {k: sum(1 for o in outcomes if o[0] == k) for k in by_kind}
    print(
        f"\nconcurrent analyst requests: {len(outcomes)} from 12 clients {counts}; "
        "writes through: 0; database changed: no"
    )


def test_a_load_killed_midway_then_run_again_reaches_the_same_state(neo4j_store, neo4j_uri, tmp_path) -> None:
    dataset = tmp_path / "big.yaml"
    _generate(dataset)
    expected = EmbeddedStore(tmp_path / "reference")
    load_dataset(expected, dataset)
    env = {**os.environ, "DEALGRAPH_NEO4J_URI": neo4j_uri, "DEALGRAPH_NEO4J_BATCH_SIZE": "200"}
    kills = 0
    for delay in (1.5, 3.0):
        proc = subprocess.Popen(
            ["dealgraph", "load", str(dataset), "--store", "neo4j"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        partial = neo4j_store.counts()
        assert partial.nodes in (0, expected.counts().nodes), "a killed load left part of its transaction"
    done = subprocess.run(
        ["dealgraph", "load", str(dataset), "--store", "neo4j"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert neo4j_store.counts() == expected.counts()
    sample = [n.id for n in expected.iter_nodes()][::97]
    assert [n.props for n in neo4j_store.get_nodes(sample)] == [n.props for n in expected.get_nodes(sample)]
    print(
        f"\nloads killed midway: {kills}; partial states seen: 0; final counts equal the reference: "
        f"{expected.counts().nodes} nodes, {expected.counts().relationships} relationships"
    )


def _generate(path: Path) -> None:
    done = subprocess.run(
        ["dealgraph", "generate", "--nodes", "4000", "--seed", "3", "-o", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
