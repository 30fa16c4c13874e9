"""P8: cold start, from `dealgraph serve` to the first answered request, on the bundled data.

Each run starts `dealgraph serve` in a fresh process on a free port with an empty data dir
(so the server also loads the bundled dataset, as a newcomer's first start does) and polls
GET /api/entities/JPN until it answers 200. Also measured: a warm start (the data dir
already holds the store). Median of several runs; goal: under 3 s.

    python bench/bench_coldstart.py [--runs 5]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_table, record, row

DEALGRAPH = [sys.executable, "-c", "from api.cli import app; app()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_answer(data_dir: Path, timeout_s: float = 60) -> float:
    """Seconds from spawning `dealgraph serve` to a 200 on /api/entities/JPN."""
    port = free_port()
    env = {**os.environ, "DEALGRAPH_STORE": "embedded"}
    env.pop("DEALGRAPH_NEO4J_URI", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*DEALGRAPH, "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        while time.perf_counter() - t0 < timeout_s:
            if proc.poll() is not None:
                raise RuntimeError(f"dealgraph serve exited with {proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/entities/JPN")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError("no answer in time")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        folder = Path(tempfile.mkdtemp(prefix="dealgraph-cold-"))
        try:
            cold.append(first_answer(folder / "data"))
            warm.append(first_answer(folder / "data"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    rows = [
        row(
            "P8",
            "cold start: dealgraph serve to first answered request (empty data dir, bundled data loaded)",
            statistics.median(cold),
            "s",
            "none",
            None,
            "< 3",
            "bundled",
            "embedded",
            runs=[round(x, 3) for x in cold],
        ),
        row(
            "P8",
            "warm start: dealgraph serve to first answered request (store file present)",
            statistics.median(warm),
            "s",
            "none",
            None,
            "< 3",
            "bundled",
            "embedded",
            runs=[round(x, 3) for x in warm],
        ),
    ]
    print_table(rows)
    record(rows)


if __name__ == "__main__":
    main()
