"""Nothing lost, nothing torn: SIGKILL during embedded writes, readers during writes, auth guards.
Each test prints the figure it proves."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from graph.embedded import EmbeddedStore
from graph.model import Citation, Node, provenance_props
from tests.conftest import LiveServer

BATCH = 500

WRITER = textwrap.dedent(
    f"""
    import sys
    from graph.embedded import EmbeddedStore
    from graph.model import Citation, Node, provenance_props
    store = EmbeddedStore(sys.argv[1])
    cite = provenance_props([Citation("source:test")])
    i = store.counts().nodes // {BATCH}
    while True:
        store.merge([Node(f"company:c{{i}}-{{j}}", "Company", {{"name": f"C {{i}} {{j}}", **cite}})
                     for j in range({BATCH})], [])
        i += 1
    """
)


def test_sigkill_during_writes_leaves_a_store_that_opens(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(7)
    kills, seen = 12, []
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data)], cwd=Path(__file__).resolve().parents[1])
        time.sleep(rng.uniform(0.3, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        nodes = EmbeddedStore(data).counts().nodes  # raises if the file were torn
        assert nodes % BATCH == 0, "a batch was half written"
        seen.append(nodes)
    assert seen == sorted(seen), "a kill lost committed batches"
    assert seen[-1] > 0
    print(f"\nSIGKILLs: {kills}, store opened every time, batches torn: 0, final nodes: {seen[-1]}")


def test_readers_see_counts_only_grow_during_a_load(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", store="embedded")
    readers, rounds = 50, 8
    errors: list[str] = []
    with LiveServer(settings) as server:
        store = server.server.config.app.state.store
        stop = threading.Event()
        cite = provenance_props([Citation("source:test")])

        def write() -> None:
            for i in range(20):
                store.merge(
                    [Node(f"company:w{i}-{j}", "Company", {"name": f"W {i} {j}", **cite}) for j in range(200)], []
                )
            stop.set()

        def read() -> None:
            last = 0
            with httpx.Client(base_url=server.url, timeout=30) as client:
                for _ in range(rounds):
                    response = client.get("/api/stats")
                    if response.status_code != 200:
                        errors.append(f"{response.status_code}: {response.text[:200]}")
                        continue
                    nodes = response.json()["nodes"]
                    if nodes < last:
                        errors.append(f"count went down {last} -> {nodes}")
                    last = nodes

        threads = [threading.Thread(target=read) for _ in range(readers)]
        writer = threading.Thread(target=write)
        writer.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        writer.join()
        final = httpx.get(server.url + "/api/stats").json()["nodes"]
    assert errors == []
    assert stop.is_set()
    print(f"\nreaders: {readers}, requests: {readers * rounds}, errors: 0, final nodes: {final}")


def test_app_refuses_a_public_bind_without_a_token(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="DEALGRAPH_API_TOKEN"):
        create_app(Settings(data_dir=tmp_path, host="0.0.0.0"))
    create_app(Settings(data_dir=tmp_path, host="0.0.0.0", api_token="s3cret-token"))


def test_protected_reads_need_the_token(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", protect_reads=True, api_token="s3cret-token")
    with LiveServer(settings) as server:
        denied = httpx.get(server.url + "/api/stats")
        wrong = httpx.get(server.url + "/api/stats", headers={"Authorization": "Bearer nope"})
        allowed = httpx.get(server.url + "/api/stats", headers={"Authorization": "Bearer s3cret-token"})
    assert denied.status_code == wrong.status_code == 401
    assert denied.json()["error"]["code"] == "unauthorized"
    assert allowed.status_code == 200


def test_no_stack_trace_reaches_a_client(tmp_path: Path) -> None:
    """A store whose file is corrupt answers in the envelope, without a traceback."""
    settings = Settings(data_dir=tmp_path / "data", store="embedded")
    with LiveServer(settings) as server:
        (tmp_path / "data" / "graph.json").write_text("{not json")
        os.utime(tmp_path / "data" / "graph.json", ns=(1, 1))
        response = httpx.get(server.url + "/api/stats")
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert response.json()["error"]["code"] == "store_error"
