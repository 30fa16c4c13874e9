"""Shared helpers for the benchmark scripts: medians, the machine, and bench/results.json.

Every script runs its baseline in the same run, prints a table, and replaces its rows
(same id and size) in results.json, keeping everyone else's rows. A row is
{"id", "metric", "value", "unit", "baseline", "baseline_value", "ratio", "goal", "met",
"size", "store", "date", "machine"} plus an optional "note"; `ratio` is value /
baseline_value, and `goal` is stated on it (e.g. "<= 0.5").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
MACHINE = BENCH_DIR / "machine.json"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def machine() -> dict[str, Any]:
    """Cores, memory, CPU model, Python: what the figures were measured on."""
    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def machine_line() -> str:
    m = machine()
    return f"{m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}, Python {m['python']}"


def median_time(fn: Callable[[], Any], runs: int = 5, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time of `fn` over `runs` runs (after `warmup` runs), and its last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def load_average() -> float:
    return os.getloadavg()[0]


def wait_for_quiet(max_load: float = 1.5, timeout_s: float = 120) -> float:
    """Wait (up to `timeout_s`) until the 1-minute load average is below `max_load`."""
    deadline = time.monotonic() + timeout_s
    while load_average() > max_load and time.monotonic() < deadline:
        time.sleep(5)
    return load_average()


def row(
    id: str,
    metric: str,
    value: float,
    unit: str,
    baseline: str,
    baseline_value: float | None,
    goal: str,
    size: str | int,
    store: str,
    note: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One results row; `met` is computed from `goal` ("<= x", ">= x", "< x") on the ratio,
    or on the value itself when there is no baseline."""
    ratio = value / baseline_value if baseline_value else None
    op, _, target = goal.partition(" ")
    subject = ratio if ratio is not None else value
    limit = float(target.rstrip("sx"))
    met = {"<=": subject <= limit, ">=": subject >= limit, "<": subject < limit, ">": subject > limit}[op]
    out = {
        "id": id,
        "metric": metric,
        "value": round(value, 6),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": None if baseline_value is None else round(baseline_value, 6),
        "ratio": None if ratio is None else round(ratio, 4),
        "goal": goal,
        "met": bool(met),
        "size": size,
        "store": store,
        "date": dt.date.today().isoformat(),
        "machine": machine_line(),
        "load_average": round(load_average(), 2),
    }
    if note:
        out["note"] = note
    out.update(extra)
    return out


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    with open(BENCH_DIR / ".results.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record(rows: list[dict[str, Any]]) -> None:
    """Replace rows with the same (id, metric, size, store) in results.json; keep all others.

    Also writes bench/machine.json. Safe against another script writing at the same time.
    """
    with _locked():
        try:
            existing = json.loads(RESULTS.read_text())
        except (OSError, ValueError):
            existing = []
        keys = {(r["id"], r["metric"], str(r["size"]), r["store"]) for r in rows}
        kept = [r for r in existing if (r.get("id"), r.get("metric"), str(r.get("size")), r.get("store")) not in keys]
        merged = kept + rows
        merged.sort(key=lambda r: (str(r.get("id")), str(r.get("metric")), str(r.get("size"))))
        fd, tmp = tempfile.mkstemp(dir=BENCH_DIR, prefix=".results-", suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(merged, fh, indent=1)
            fh.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, RESULTS)
        MACHINE.write_text(json.dumps({**machine(), "date": dt.date.today().isoformat()}, indent=1) + "\n")


def print_table(rows: list[dict[str, Any]]) -> None:
    headers = ["id", "size", "metric", "value", "baseline_value", "ratio", "goal", "met"]
    table = [[_fmt(r.get(h)) for h in headers] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) if table else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for t in table:
        print("  ".join(c.ljust(w) for c, w in zip(t, widths, strict=True)))
    for r in rows:
        if r.get("note"):
            print(f"note ({r['id']} {r['size']} {r['metric']}): {r['note']}")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
