"""P7: how fast the article loader reads news, in milliseconds per 1,000 words.

Reads every article the loader is tested on (the seed article and tests/news/eval/*.txt), one
after another, the way `dealgraph ingest --dry-run` does: clean, sentences, mentions (with the
gazetteer rebuilt from the store each time), quantities, claims, resolution against the store,
and the records a write would send (the write itself is the store's business and is measured
elsewhere). The store is the embedded one holding the bundled dataset. The figure is the median
over several runs of the whole corpus, divided by its words. No baseline: P7 is an absolute goal.

    python bench/bench_ingest.py [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.embedded import EmbeddedStore
from loaders.dataset import load_dataset
from loaders.news.evaluate import EVAL_DIR, SEED_TEXT
from loaders.news.pipeline import analyse, read_text

GOAL_MS = 200.0
BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.json"


def median_time(fn, runs: int, warmup: int = 1) -> tuple[float, int]:
    result = 0
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def record(new: dict) -> None:
    """Replace the row with the same id, metric, size and store in bench/results.json; keep the others.
    Locks the same file as the other benchmark scripts, so concurrent writers do not lose rows."""
    with open(BENCH_DIR / ".results.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            try:
                rows = json.loads(RESULTS.read_text())
            except (OSError, ValueError):
                rows = []
            key = (new["id"], new["metric"], str(new["size"]), new["store"])
            rows = [r for r in rows if (r.get("id"), r.get("metric"), str(r.get("size")), r.get("store")) != key]
            rows = [r for r in rows if r.get("id") != new["id"]] + [new]
            rows.sort(key=lambda r: (str(r.get("id")), str(r.get("metric")), str(r.get("size"))))
            fd, tmp = tempfile.mkstemp(dir=BENCH_DIR, prefix=".results-", suffix=".tmp")
            with os.fdopen(fd, "w") as fh:
                json.dump(rows, fh, indent=1)
                fh.write("\n")
            os.replace(tmp, RESULTS)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def corpus() -> list[str]:
    paths = [SEED_TEXT, *sorted(EVAL_DIR.glob("*.txt"))]
    return [read_text(p.read_bytes()) for p in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs over the corpus (median reported)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not touch bench/results.json")
    args = parser.parse_args(argv)

    texts = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(tmp)
        load_dataset(store)
        words = 0
        for text in texts:
            analysis = analyse(text, store)
            words += analysis.source["words"]

        def run() -> int:
            claims = 0
            for text in texts:
                analysis = analyse(text, store)
                _nodes, rels = analysis.records()
                claims += len(rels)
            return claims

        seconds, claims = median_time(run, runs=args.runs, warmup=1)
    ms_per_1000 = seconds * 1000 / words * 1000
    result = {
        "id": "P7",
        "metric": "article loader: milliseconds per 1,000 words (dry run: clean to records, gazetteer from the store)",
        "value": round(ms_per_1000, 1),
        "unit": "ms per 1,000 words",
        "baseline": None,
        "baseline_value": None,
        "ratio": None,
        "goal": f"< {GOAL_MS:g} ms per 1,000 words",
        "met": ms_per_1000 < GOAL_MS,
        "size": words,
        "store": "embedded",
        "date": dt.date.today().isoformat(),
        "note": f"{len(texts)} articles, {words} words, {claims} relationship records per pass; median of "
        f"{args.runs} passes ({seconds * 1000:.0f} ms per pass); the store holds the bundled dataset",
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
    }
    print(f"P7: {result['value']} ms per 1,000 words (goal {result['goal']}, met: {result['met']}); {result['note']}")
    if not args.no_record:
        record(result)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
