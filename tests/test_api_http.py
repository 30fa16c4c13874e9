"""The API over real HTTP: uvicorn on a free port, httpx as the client."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer


@pytest.fixture(scope="module")
def client(live_server: LiveServer):
    with live_server.client() as c:
        yield c


def test_health_names_the_store(client) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "store": "embedded"}


def test_search_finds_softbank_by_alias_first(client) -> None:
    page = client.get("/api/entities", params={"q": "SoftBank"}).json()
    assert page["items"][0]["id"] == "company:softbank-group"
    assert page["total"] >= 1


def test_search_filters_by_label(client) -> None:
    page = client.get("/api/entities", params={"q": "japan", "label": "Country"}).json()
    assert [i["label"] for i in page["items"]] == ["Country"]
    assert page["items"][0]["id"] == "JPN"


def test_list_pages_without_overlap(client) -> None:
    first = client.get("/api/entities", params={"limit": 5, "offset": 0}).json()
    second = client.get("/api/entities", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] > 10
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_entity_returns_sources_with_verbatim_quotes(client) -> None:
    body = client.get("/api/entities/company:softbank-group").json()
    assert body["name"] == "SoftBank Group"
    article = client.get("/api/entities", params={"label": "Source", "limit": 1}).json()["items"][0]
    assert body["sources"], "every entity cites a source"
    for ref in body["sources"]:
        assert ref["source"] == article["id"]
        assert "SoftBank" in ref["quote"]
        assert ref["end"] - ref["start"] == len(ref["quote"])
        assert ref["title"].startswith("Japan's $550 Billion")


def test_unknown_id_is_404_in_the_envelope(client) -> None:
    response = client.get("/api/entities/company:nobody")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "company:nobody" in response.json()["error"]["message"]


@pytest.mark.parametrize("depth", [0, 5, 99])
def test_out_of_range_depth_is_422_naming_the_parameter(client, depth: int) -> None:
    response = client.get("/api/entities/company:softbank-group/neighbors", params={"depth": depth})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert "depth" in error["message"]


def test_bad_label_is_422_naming_the_parameter(client) -> None:
    response = client.get("/api/entities", params={"label": "Spaceship"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["parameter"] == "label"


def test_neighbors_grow_with_depth_and_include_the_center(client) -> None:
    one = client.get("/api/entities/company:softbank-group/neighbors", params={"depth": 1}).json()
    two = client.get("/api/entities/company:softbank-group/neighbors", params={"depth": 2}).json()
    ids_one = {n["id"] for n in one["nodes"]}
    assert "company:softbank-group" in ids_one
    assert ids_one < {n["id"] for n in two["nodes"]}
    for edge in one["edges"]:
        assert edge["source"] in ids_one and edge["target"] in ids_one


def test_neighbors_filtered_by_type(client) -> None:
    view = client.get("/api/entities/company:softbank-group/neighbors", params={"types": "LEADS"}).json()
    assert {e["type"] for e in view["edges"]} == {"LEADS"}


def test_graph_view_limit_sets_truncated(client) -> None:
    view = client.get("/api/graph", params={"limit": 10}).json()
    assert len(view["nodes"]) == 10 and view["truncated"] is True
    full = client.get("/api/graph").json()
    assert full["truncated"] is False and len(full["nodes"]) > 10


def test_unknown_route_is_404_in_the_envelope(client) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and "error" in response.json()


def test_openapi_lists_the_routes(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in (
        "/api/health",
        "/api/stats",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/entities/{entity_id}/neighbors",
        "/api/graph",
        "/api/schema",
    ):
        assert route in paths


def test_stats_match_the_store(client) -> None:
    stats = client.get("/api/stats").json()
    assert stats["nodes"] == sum(stats["labels"].values())
    assert stats["relationships"] == sum(stats["types"].values())
