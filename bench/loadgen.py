"""A small HTTP/1.1 keep-alive load generator (asyncio, raw sockets), run as its own process.

    python bench/loadgen.py --port P --paths-file F --connections 16 --seconds 10 [--warmup 2]

Prints one JSON line: requests, errors, seconds, rps, p50_ms, p99_ms. Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time


async def worker(port: int, paths: list[str], stop_at: float, count_from: float, out: dict, seed: int) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                return
            path = paths[rng.randrange(len(paths))]
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
            t0 = time.perf_counter()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            t1 = time.perf_counter()
            if t0 >= count_from:
                if status == 200:
                    out["latencies"].append(t1 - t0)
                else:
                    out["errors"] += 1
    finally:
        writer.close()


async def run(port: int, paths: list[str], connections: int, seconds: float, warmup: float) -> dict:
    start = time.perf_counter()
    count_from = start + warmup
    stop_at = count_from + seconds
    out: dict = {"latencies": [], "errors": 0}
    await asyncio.gather(*(worker(port, paths, stop_at, count_from, out, i) for i in range(connections)))
    lat = sorted(out["latencies"])
    n = len(lat)
    return {
        "requests": n,
        "errors": out["errors"],
        "seconds": seconds,
        "rps": n / seconds,
        "p50_ms": statistics.median(lat) * 1e3 if lat else None,
        "p99_ms": lat[int(n * 0.99) - 1] * 1e3 if n >= 100 else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths-file", required=True)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    args = parser.parse_args()
    with open(args.paths_file) as fh:
        paths = [line.strip() for line in fh if line.strip()]
    print(json.dumps(asyncio.run(run(args.port, paths, args.connections, args.seconds, args.warmup))))


if __name__ == "__main__":
    main()
