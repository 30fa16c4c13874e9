"""POST /api/ingest over real HTTP: uvicorn on a free port, httpx as the client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from loaders.news.evaluate import SEED_TEXT
from loaders.news.pipeline import MAX_BYTES
from tests.conftest import LiveServer

TOKEN = "test-token-5f2c"
ARTICLE = (
    "Japan has 45 days after project selection to initiate funding under its trade deal with the United States, "
    "Japan's Minister of Economy, Trade and Industry, Ryosei Akazawa, said on Thursday."
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("ingest-api")
    with LiveServer(Settings(data_dir=data_dir, store="embedded", api_token=TOKEN)) as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_dry_run_needs_no_token_and_writes_nothing(client: httpx.Client) -> None:
    before = client.get("/api/stats").json()
    response = client.post("/api/ingest", json={"text": ARTICLE, "dry_run": True, "published": "2026-03-12"})
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["written"] is None
    assert {(c["property"], c["article"]) for c in body["conflicts"]} >= {
        ("name", "Ryosei Akazawa"),
        ("deadline_unit", "calendar_days"),
    }
    for claim in body["claims"]:
        assert ARTICLE[claim["start"] : claim["end"]] == claim["quote"]
    assert client.get("/api/stats").json() == before


def test_writes_need_the_right_token(client: httpx.Client) -> None:
    missing = client.post("/api/ingest", json={"text": ARTICLE})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "unauthorized"
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/api/ingest", json={"text": ARTICLE}, headers=auth("nope"))
    assert wrong.status_code == 401


def test_write_with_token_keeps_conflicts_beside_stored_values(client: httpx.Client) -> None:
    response = client.post("/api/ingest", json={"text": ARTICLE, "published": "2026-03-12"}, headers=auth())
    assert response.status_code == 200, response.text
    written = response.json()["written"]
    assert written["claims"] == 2
    official = client.get("/api/entities/official:akira-akazawa").json()
    assert official["name"] == "Akira Akazawa"
    assert "Ryosei Akazawa" in official["aliases"]
    again = client.post("/api/ingest", json={"text": ARTICLE, "published": "2026-03-12"}, headers=auth())
    assert again.json()["written"] == {
        "nodes_created": 0,
        "nodes_updated": 0,
        "relationships_created": 0,
        "relationships_updated": 0,
        "claims": 0,
    }


def test_plain_text_body_with_query_parameters(client: httpx.Client) -> None:
    response = client.post(
        "/api/ingest",
        content=SEED_TEXT.read_bytes(),
        params={"dry_run": "true", "source_url": "https://example.org/a"},
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["source"]["url"] == "https://example.org/a"
    assert all(not e["new"] for e in body["entities"])  # the server loaded the bundled dataset


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"json": {"text": " \n ", "dry_run": True}}, 400, "empty"),
        ({"json": {"text": "", "dry_run": True}}, 422, "invalid_parameter"),
        ({"json": {"text": "1. 2. 3.", "dry_run": True}}, 422, "no_content"),
        ({"json": {"text": "a" * (MAX_BYTES + 10), "dry_run": True}}, 413, "too_large"),
        ({"json": {"dry_run": True}}, 422, "invalid_parameter"),
        ({"json": {"text": ARTICLE, "dry_run": True, "published": "soon"}}, 422, "invalid_parameter"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "bad_request"),
        (
            {"content": b"\x00\x01\x02", "params": {"dry_run": "1"}, "headers": {"content-type": "text/plain"}},
            400,
            "binary",
        ),
        ({"content": b"x" * (5 * MAX_BYTES), "headers": {"content-type": "text/plain"}}, 413, "too_large"),
    ],
)
def test_bad_input_is_refused_in_the_envelope(client: httpx.Client, kwargs: dict, status: int, code: str) -> None:
    before = client.get("/api/stats").json()
    response = client.post("/api/ingest", **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert client.get("/api/stats").json() == before


def test_writes_are_disabled_without_a_token_setting(tmp_path: Path) -> None:
    with LiveServer(Settings(data_dir=tmp_path, store="embedded")) as live, live.client() as c:
        refused = c.post("/api/ingest", json={"text": ARTICLE}, headers=auth())
        assert refused.status_code == 403
        error = refused.json()["error"]
        assert "DEALGRAPH_API_TOKEN" in error["message"] and "disabled" in error["message"]
        allowed = c.post("/api/ingest", json={"text": ARTICLE, "dry_run": True})
        assert allowed.status_code == 200
