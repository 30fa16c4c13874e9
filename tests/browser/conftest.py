"""Real Chromium (Debian's /usr/bin/chromium) driven by playwright. Every request that
would leave 127.0.0.1 is aborted and recorded; console errors are recorded; a test fails
on either."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("DEALGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}


def require_chromium() -> None:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page whose outside requests and console errors are recorded."""

    def __init__(self, page) -> None:
        self.page = page
        self.outside: list[str] = []
        self.errors: list[str] = []

    def check(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def page(browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    watched = Watched(context.new_page())

    def route(r) -> None:
        url = urlparse(r.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL_HOSTS:
            watched.outside.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    watched.page.on("console", lambda m: m.type == "error" and watched.errors.append(m.text))
    watched.page.on("pageerror", lambda e: watched.errors.append(str(e)))
    yield watched
    context.close()


def node_position(page, node_id: str) -> dict[str, float]:
    """Where a node is drawn, in page coordinates (the canvas has no DOM per node)."""
    return page.evaluate(
        """(id) => {
            const canvasPos = network.getPositions([id])[id];
            const dom = network.canvasToDOM(canvasPos);
            const rect = document.querySelector('#graph canvas').getBoundingClientRect();
            return {x: rect.left + dom.x, y: rect.top + dom.y};
        }""",
        node_id,
    )


# -- servers on small datasets of their own (the seed has no dates and no hostile names) -------

DATA = Path(__file__).resolve().parent / "data"


def _serve_dataset(tmp_path_factory, name: str, dataset: Path | None, **settings) -> Iterator[object]:
    from api.settings import Settings
    from graph.embedded import EmbeddedStore
    from loaders.dataset import load_dataset
    from tests.conftest import LiveServer

    data_dir = tmp_path_factory.mktemp(name)
    if dataset is not None:
        load_dataset(EmbeddedStore(data_dir), dataset)
    with LiveServer(Settings(data_dir=data_dir, store="embedded", **settings)) as server:
        yield server


@pytest.fixture(scope="session")
def dated_server(tmp_path_factory) -> Iterator[object]:
    """Old Accord (2020-01-01 .. 2025-01-01), New Accord and Newco (from 2025-06-01), undated rest."""
    yield from _serve_dataset(tmp_path_factory, "dated", DATA / "dated.yaml")


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory) -> Iterator[object]:
    """A company named `<img src=x onerror=alert(1)>`, quotes with <script>, a javascript: url."""
    yield from _serve_dataset(tmp_path_factory, "hostile", DATA / "hostile.yaml")


def _serve_synthetic(tmp_path_factory, name: str, n: int, seed: int) -> Iterator[object]:
    from api.settings import Settings
    from graph.embedded import EmbeddedStore
    from tests.conftest import LiveServer
    from viz.synthetic import synthetic_graph

    data_dir = tmp_path_factory.mktemp(name)
    EmbeddedStore(data_dir).merge(*synthetic_graph(n, edges_per_node=3, seed=seed))
    with LiveServer(Settings(data_dir=data_dir, store="embedded", max_graph_nodes=5000)) as server:
        yield server


@pytest.fixture(scope="session")
def synthetic_server(tmp_path_factory) -> Iterator[object]:
    """A typed random graph of 1,200 nodes: big enough for server-side layout and paged expansion."""
    yield from _serve_synthetic(tmp_path_factory, "synthetic-data", 1200, seed=3)


@pytest.fixture(scope="session")
def overview_server(tmp_path_factory) -> Iterator[object]:
    """A typed random graph of 3,500 nodes: above the explorer's overview threshold (3,000)."""
    yield from _serve_synthetic(tmp_path_factory, "overview-data", 3500, seed=5)


def watch_page(watched: Watched, other) -> object:
    """Record console errors of another page (e.g. an exported file opened from disk) too."""
    other.on("console", lambda m: m.type == "error" and watched.errors.append(f"{other.url}: {m.text}"))
    other.on("pageerror", lambda e: watched.errors.append(f"{other.url}: {e}"))
    return other


def open_explorer(page, url: str, hash_: str = "") -> None:
    """Open the explorer and wait until its view is loaded and laid out."""
    page.goto(url + "/" + (f"#{hash_}" if hash_ else ""))
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.wait_for_selector("body[data-stable=true]", timeout=30_000)
    page.wait_for_selector("body[data-drawn=true]", timeout=30_000)


def click_node(page, node_id: str, double: bool = False) -> None:
    """Centre a node on screen, then click (or double-click) where it is drawn."""
    page.evaluate(
        "(id) => network.moveTo({position: network.getPositions([id])[id], scale: 1.2, animation: false})", node_id
    )
    where = node_position(page, node_id)
    if double:
        page.mouse.dblclick(where["x"], where["y"])
    else:
        page.mouse.click(where["x"], where["y"])


@pytest.fixture(scope="session")
def deals_server(tmp_path_factory) -> Iterator[object]:
    """The questions' hand-made fixture (tests/fixtures/deals.yaml, then its update): dated
    selections for deadlines and a disputed funding rule for conflicts."""
    from api.settings import Settings
    from graph.embedded import EmbeddedStore
    from loaders.dataset import load_dataset
    from tests.conftest import LiveServer

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    data_dir = tmp_path_factory.mktemp("deals")
    store = EmbeddedStore(data_dir)
    load_dataset(store, fixtures / "deals.yaml")
    load_dataset(store, fixtures / "deals-update.yaml")
    with LiveServer(Settings(data_dir=data_dir, store="embedded")) as server:
        yield server


def require_route(page, route: str) -> None:
    paths = page.evaluate("() => fetch('/openapi.json').then(r => r.json()).then(s => Object.keys(s.paths))")
    if route not in paths:
        pytest.skip(f"{route} is not in this API yet")


@pytest.fixture
def neo4j_server(neo4j_store, neo4j_uri, tmp_path) -> Iterator[object]:
    """The explorer on the real Neo4j test server, filled with the bundled dataset."""
    from api.settings import Settings
    from loaders.dataset import load_dataset
    from tests.conftest import LiveServer

    load_dataset(neo4j_store)
    with LiveServer(Settings(data_dir=tmp_path, store="neo4j", neo4j_uri=neo4j_uri)) as server:
        yield server
