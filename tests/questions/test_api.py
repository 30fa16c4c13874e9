"""The question routes over real HTTP (uvicorn on a free port, httpx), on the seed and on
the fixture dataset: answers, evidence, the error envelope and the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest

from api.settings import Settings
from graph.embedded import EmbeddedStore
from graph.questions import dependencies as dependencies_module
from graph.questions.projection import QuestionGraph
from tests.conftest import LiveServer
from tests.questions.conftest import load_deals
from tests.questions.names import (
    ACCORD,
    DATA_CENTER,
    FACILITY,
    INVEST,
    KESTREL,
    SEED_RECIP,
    SOFTBANK,
    TEXTILE,
)

ROUTES = ["dependencies", "what-if", "deadlines", "diff", "diff/what-if", "path", "conflicts", "ledger", "critical"]


@pytest.fixture(scope="module")
def seed(live_server: LiveServer):
    with live_server.client() as client:
        yield client


@pytest.fixture(scope="module")
def deals_server(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("deals-served")
    load_deals(EmbeddedStore(data_dir))
    with LiveServer(Settings(data_dir=data_dir, store="embedded")) as server, server.client() as client:
        yield client, data_dir


@pytest.fixture(scope="module")
def fx(deals_server):
    return deals_server[0]


def error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def test_softbank_dependencies_with_hops_and_quotes(seed) -> None:
    body = seed.get("/api/questions/dependencies", params={"company": SOFTBANK, "concession": SEED_RECIP}).json()
    assert (body["total"], body["pairs"], body["as_of"]) == (4, 1, None)
    first = body["dependencies"][0]
    assert (first["kind"], first["via"][0]["id"]) == ("fulfilment", DATA_CENTER)
    hop = first["chain"][0]
    assert set(hop) == {"id", "type", "from", "to", "forward", "properties", "sources"}
    assert hop["from"] == {"id": SOFTBANK, "name": "SoftBank Group", "label": "Company"}
    assert hop["sources"][0]["quote"] == "a data center infrastructure initiative led by SoftBank Group"
    assert hop["sources"][0]["end"] - hop["sources"][0]["start"] == len(hop["sources"][0]["quote"])


def test_api_answers_equal_the_function(deals_server) -> None:
    client, data_dir = deals_server
    graph = QuestionGraph.from_store(EmbeddedStore(data_dir))
    expected = dependencies_module.dependencies(graph, as_of=dt.date(2026, 3, 1)).model_dump(mode="json", by_alias=True)
    assert client.get("/api/questions/dependencies", params={"as_of": "2026-03-01"}).json() == expected


def test_kind_and_limit(fx) -> None:
    body = fx.get("/api/questions/dependencies", params={"kind": "exposure", "limit": 2}).json()
    assert (body["total"], len(body["dependencies"]), body["truncated"]) == (4, 2, True)
    assert {d["kind"] for d in body["dependencies"]} == {"exposure"}


def test_what_if_breach(fx) -> None:
    body = fx.get("/api/questions/what-if", params={"id": INVEST}).json()
    assert body["scenario"] == "breach"
    assert [(c["rate_now_pct"], c["returns_to_pct"]) for c in body["concessions"]] == [(15.0, 27.5)]
    assert body["amounts"]["commitments_usd"] == 100e9
    assert len(body["companies"]) == 4 and len(body["projects"]) == 4


def test_deadlines_for_a_selection_on_17_february(seed) -> None:
    body = seed.get(
        "/api/questions/deadlines", params={"selected_on": "2026-02-17", "calendar": "US", "as_of": "2026-03-02"}
    ).json()
    (d,) = body["deadlines"]
    assert (d["due_on"], d["status"], d["days_left"], d["holidays_skipped"]) == ("2026-04-21", "due", 36, [])
    assert body["calendar"] == "US" and body["convention"].startswith("The selection day is day 0")


def test_what_if_revoke(fx) -> None:
    body = fx.get("/api/questions/what-if", params={"id": TEXTILE, "as_of": "2025-06-01"}).json()
    assert body["scenario"] == "revoke"
    assert [c["company"]["name"] for c in body["companies"]] == ["Saigon Weave"]


@pytest.mark.parametrize("calendar", ["US+JP", "US JP", "US,JP"])
def test_deadlines_disputed_readings(fx, calendar) -> None:
    body = fx.get("/api/questions/deadlines", params={"as_of": "2026-03-01", "calendar": calendar}).json()
    assert body["calendar"] == "US+JP"
    assert {(d["rule"]["unit"], d["disputed"]) for d in body["deadlines"]} == {
        ("working_days", True),
        ("calendar_days", True),
    }


def test_deadlines_come_by_due_date_a_page_at_a_time(fx) -> None:
    params = {"as_of": "2026-03-01", "calendar": "US", "limit": 4}
    first = fx.get("/api/questions/deadlines", params=params).json()
    rest = fx.get("/api/questions/deadlines", params={**params, "offset": first["next_offset"]}).json()
    assert (first["total"], first["truncated"], first["next_offset"], len(first["deadlines"])) == (6, True, 4, 4)
    assert (rest["offset"], rest["next_offset"], len(rest["deadlines"])) == (4, None, 2)
    due = [d["due_on"] for d in first["deadlines"] + rest["deadlines"]]
    assert due == sorted(due)
    whole = fx.get("/api/questions/deadlines", params={"as_of": "2026-03-01", "calendar": "US"}).json()
    assert (whole["total"], whole["truncated"]) == (6, False)
    assert whole["deadlines"] == first["deadlines"] + rest["deadlines"]


def test_diff_dates_and_scenario(fx) -> None:
    body = fx.get("/api/questions/diff", params={"from": "2025-12-15", "to": "2026-01-15"}).json()
    assert (body["mode"], body["from"], body["to"]) == ("dates", "2025-12-15", "2026-01-15")
    assert [f["id"] for f in body["removed"] if f["kind"] == "node"] == [TEXTILE]
    body = fx.get("/api/questions/diff/what-if", params={"id": INVEST, "as_of": "2026-03-01"}).json()
    assert body["mode"] == "scenario" and len(body["removed"]) == 7


def test_path_ledger_conflicts_critical(fx) -> None:
    body = fx.get("/api/questions/path", params={"source": KESTREL, "target": "JPN", "max_hops": 3}).json()
    assert (body["shortest_hops"], len(body["chains"])) == (1, 5)
    body = fx.get("/api/questions/path", params={"source": KESTREL, "target": "JPN", "directed": "true"}).json()
    assert len(body["chains"]) == 1
    body = fx.get("/api/questions/ledger", params={"id": ACCORD}).json()
    assert [s["country"]["id"] for s in body["agreement"]["sides"]] == ["JPN", "USA"] and body["vehicle"] is None
    body = fx.get("/api/questions/ledger", params={"id": FACILITY}).json()
    assert body["vehicle"]["unallocated_min_usd"] == 94.5e9
    assert fx.get("/api/questions/conflicts").json()["total"] == 2
    body = fx.get("/api/questions/critical", params={"limit": 2, "centrality": "false"}).json()
    assert [n["breaks"] for n in body["nodes"]] == [5, 5] and body["centrality"] == []


@pytest.mark.parametrize(
    ("route", "params", "parameter"),
    [
        ("dependencies", {"company": "company:nobody"}, "company"),
        ("dependencies", {"concession": KESTREL}, "concession"),
        ("what-if", {"id": "tariffconcession:nothing"}, "id"),
        ("what-if", {"id": KESTREL}, "id"),
        ("deadlines", {"commitment": "commitment:nothing"}, "commitment"),
        ("diff/what-if", {"id": "commitment:nothing"}, "id"),
        ("path", {"source": "company:nobody", "target": "JPN"}, "source"),
        ("path", {"source": "JPN", "target": "company:nobody"}, "target"),
        ("conflicts", {"entity": "company:nobody"}, "entity"),
        ("ledger", {"id": KESTREL}, "id"),
        ("ledger", {"id": "x"}, "id"),
    ],
)
def test_unknown_ids_are_404_in_the_envelope(fx, route, params, parameter) -> None:
    err = error(fx.get(f"/api/questions/{route}", params=params), 404)
    assert err["code"] == "not_found"
    assert err["details"][0]["parameter"] == parameter


@pytest.mark.parametrize(
    ("route", "params", "parameters"),
    [
        ("dependencies", {"as_of": "2026-13-45"}, ["as_of"]),
        ("dependencies", {"as_of": "yesterday"}, ["as_of"]),
        ("dependencies", {"kind": "both"}, ["kind"]),
        ("what-if", {}, ["id"]),
        ("deadlines", {"selected_on": "2026-02-30"}, ["selected_on"]),
        ("deadlines", {"calendar": "ZZ"}, ["calendar"]),
        ("deadlines", {"calendar": "United States"}, ["calendar"]),
        ("deadlines", {"limit": 0}, ["limit"]),
        ("deadlines", {"limit": 501}, ["limit"]),
        ("deadlines", {"offset": -1}, ["offset"]),
        ("diff", {"from": "2025-01-01"}, ["to"]),
        ("diff", {"from": "2025-01-01", "to": "nope"}, ["to"]),
        ("diff", {}, ["from", "to"]),
        ("diff/what-if", {"as_of": "2025-06-01"}, ["id"]),
        ("path", {"source": KESTREL}, ["target"]),
        ("path", {"source": KESTREL, "target": "JPN", "max_hops": 9}, ["max_hops"]),
        ("ledger", {}, ["id"]),
        ("critical", {"as_of": "2026-02-29"}, ["as_of"]),
    ],
)
def test_bad_parameters_are_422_naming_them(fx, route, params, parameters) -> None:
    err = error(fx.get(f"/api/questions/{route}", params=params), 422)
    assert err["code"] == "invalid_parameter"
    assert [d["parameter"] for d in err["details"]] == parameters


def test_openapi_documents_every_question(fx) -> None:
    spec = fx.get("/openapi.json").json()
    for route in ROUTES:
        op = spec["paths"][f"/api/questions/{route}"]["get"]
        assert op["summary"]
        assert "200" in op["responses"] and "422" in op["responses"]
        assert route == "critical" or "404" in op["responses"]
    hop = spec["components"]["schemas"]["Hop"]
    assert {"from", "to", "sources"} <= set(hop["properties"])


@pytest.mark.parametrize("value", ["0.0", "0", "20260301", "2026-3-1", "2026-03-01T00:00"])
def test_dates_are_only_yyyy_mm_dd(fx, value) -> None:
    err = error(fx.get("/api/questions/dependencies", params={"as_of": value}), 422)
    assert err["details"][0]["parameter"] == "as_of"
