"""Shared fixtures: stores on disk in tmp folders and a real uvicorn server on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings
from graph.embedded import EmbeddedStore
from loaders.dataset import load_dataset


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """dealgraph's app served by uvicorn in a thread, reached over a real socket."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


@pytest.fixture
def seeded_store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "data")
    load_dataset(store)
    return store


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server on the bundled dataset (an empty data dir is filled on startup)."""
    data_dir = tmp_path_factory.mktemp("served")
    with LiveServer(Settings(data_dir=data_dir, store="embedded")) as server:
        yield server


# --------------------------------------------------------------------------- Neo4j
# A real Neo4j Community server for the tests: $DEALGRAPH_TEST_NEO4J_URI if set (auth off;
# the tests delete everything in it), else a dedicated server that graph/neo4j_local.py
# starts on port 7688 with its own data home (<cache>/test), sharing the jars of the
# developer's cache, so a test run never touches the 7687 database. It is stopped when the
# session ends. Concurrent pytest sessions in one checkout take turns (a file lock), since
# they would otherwise empty each other's database.

NEO4J_TEST_PORT = 7688
NEO4J_TEST_URI_ENV = "DEALGRAPH_TEST_NEO4J_URI"
NEO4J_LOCK_WAIT_S = 1200


def _neo4j_cache_dir() -> Path:
    import os

    from graph import neo4j_local

    env = os.environ.get(neo4j_local.CACHE_ENV)
    return Path(env).expanduser() if env else Path(__file__).resolve().parent.parent / ".neo4j"


def _skip_or_fail(message: str) -> None:
    import os

    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """Bolt URI of a Neo4j server the tests may empty at will."""
    import fcntl
    import os
    import shutil
    import sys

    from graph import neo4j_local

    given = os.environ.get(NEO4J_TEST_URI_ENV)
    if given:
        yield given
        return
    jars = _neo4j_cache_dir()
    missing = []
    if not (os.environ.get(neo4j_local.JAVA_ENV) or shutil.which("java")):
        missing.append("java (JDK 17 or 21)")
    if not neo4j_local.is_installed(jars) and not shutil.which("mvn"):
        missing.append("mvn (to fetch the Neo4j jars once)")
    if missing:
        _skip_or_fail(f"Neo4j tests need {' and '.join(missing)}; or set {NEO4J_TEST_URI_ENV}")
    home = jars / "test"
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".pytest-session.lock", "a") as lock:
        deadline = time.monotonic() + NEO4J_LOCK_WAIT_S
        told = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another pytest session kept the Neo4j test server ({home}) for too long")
                if not told:
                    print(
                        f"\nwaiting for another pytest session to finish with the Neo4j test server ({home})",
                        file=sys.stderr,
                    )
                    told = True
                time.sleep(1)
        try:
            try:
                uri = neo4j_local.start(port=NEO4J_TEST_PORT, cache_dir=home, lib_cache_dir=jars)
            except neo4j_local.Neo4jLocalError as exc:
                pytest.fail(f"could not start the Neo4j test server: {exc}", pytrace=False)
            yield uri
        finally:
            neo4j_local.stop(cache_dir=home)
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str):
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        yield driver


_NEO4J_EMPTIED = [0]


def empty_neo4j(driver) -> None:
    """Delete every node and relationship; constraints and indexes stay."""
    from graph import cypher

    with driver.session(database="neo4j") as session:
        session.run(cypher.DELETE_ALL).consume()
    _NEO4J_EMPTIED[0] += 1


def neo4j_generation() -> int:
    """How many times the test database was emptied: a fixture that filled it once may
    reuse it for read-only tests while this number has not moved."""
    return _NEO4J_EMPTIED[0]


@pytest.fixture
def neo4j_store(neo4j_driver, neo4j_uri: str):
    """A Neo4jStore on an emptied test database."""
    from graph.neo4j_store import Neo4jStore

    empty_neo4j(neo4j_driver)
    store = Neo4jStore(neo4j_driver, "neo4j", timeout_s=30, batch_size=10_000, uri=neo4j_uri)
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path):
    """An empty store of each kind, for tests that must hold on both."""
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_store")
    return EmbeddedStore(tmp_path / "any-store")
