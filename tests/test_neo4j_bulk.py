"""Loads in batches (`Neo4jStore.merge(commit_every=N)`, `dealgraph load|import --commit-every N`)
against the real Neo4j of conftest.py: the same graph as one transaction, only whole batches
left by a failure or a kill, and running the load again completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from graph.model import Node, Relationship
from graph.neo4j_store import BulkLoadError, BulkProgress, Neo4jStore
from loaders.dataset import parse_dataset
from loaders.generate import generate
from tests.conftest import empty_neo4j
from tests.test_neo4j_store import CLI, ROOT, _dealgraph, _snapshot

pytestmark = pytest.mark.neo4j


def _records() -> tuple[list[Node], list[Relationship]]:
    """A generated graph, plus a later record of its first company with another name: merged
    in another batch than the first, it must become a Claim as in one transaction."""
    nodes, rels = generate(400, 7)
    company = next(n for n in nodes if n.label == "Company")
    renamed = Node(company.id, company.label, {**company.props, "name": company.props["name"] + " Holdings"})
    return [*nodes, renamed], rels


def test_batches_give_the_same_graph_as_one_transaction(neo4j_store, neo4j_driver) -> None:

    nodes, rels = _records()
    atomic = neo4j_store.merge(nodes, rels)
    reference = _snapshot(neo4j_store)
    assert reference[0].labels.get("Claim") == 1, "the renamed company should have made one Claim"

    empty_neo4j(neo4j_driver)
    seen: list[BulkProgress] = []
    batched = neo4j_store.merge(nodes, rels, commit_every=97, on_commit=lambda p: seen.append(BulkProgress(**vars(p))))
    assert _snapshot(neo4j_store) == reference
    assert batched == atomic
    assert [p.batches for p in seen] == list(range(1, seen[-1].total_batches + 1))
    assert seen[-1].total_batches == -(-len(nodes) // 97) - (-len(rels) // 97)
    assert (seen[-1].nodes, seen[-1].relationships) == (len(nodes), len(rels))
    # Relationships only once every node is committed: they MATCH their ends.
    assert all(p.relationships == 0 for p in seen if p.nodes < len(nodes))

    # Into a database that already holds part of the graph (read back and merged, not created).
    head = nodes[: len(nodes) // 3]
    empty_neo4j(neo4j_driver)
    neo4j_store.merge(head, [])
    neo4j_store.merge(nodes, rels)
    expected = _snapshot(neo4j_store)
    empty_neo4j(neo4j_driver)
    neo4j_store.merge(head, [])
    neo4j_store.merge(nodes, rels, commit_every=150)
    assert _snapshot(neo4j_store) == expected
    claim = next(n for n in expected[1] if n.label == "Claim")
    print(
        f"\nin batches of 97: {seen[-1].total_batches} commits, {reference[0].nodes} nodes, "
        f"{reference[0].relationships} relationships, equal to one transaction; the Claim across batches: "
        f"{claim.props['name']!r}"
    )


def test_a_bad_record_in_a_later_batch_leaves_whole_batches_then_a_rerun_completes(neo4j_store, neo4j_driver) -> None:
    nodes, rels = _records()
    neo4j_store.merge(nodes, rels)
    reference = _snapshot(neo4j_store)
    empty_neo4j(neo4j_driver)

    bad_at = 250  # in the third batch of 100 nodes: Neo4j cannot store a map as a property
    good = nodes[bad_at]
    broken = [*nodes]
    broken[bad_at] = Node(good.id, good.label, {**good.props, "description": {"not": "storable"}})
    with pytest.raises(BulkLoadError) as caught:
        neo4j_store.merge(broken, rels, commit_every=100)
    error = caught.value
    assert (error.progress.batches, error.progress.nodes, error.progress.relationships) == (2, 200, 0)
    message = str(error)
    assert message.startswith("Neo4j refused a batch of ") and "Property values can only be" in message
    assert "2 of" in message and "200 of" in message and "running the same load again completes it" in message
    counts = neo4j_store.counts()
    assert (counts.nodes, counts.relationships) == (200, 0), "only the two whole batches before it are committed"
    assert [n.id for n in neo4j_store.get_nodes([n.id for n in nodes[:200]])] == [n.id for n in nodes[:200]]

    summary = neo4j_store.merge(nodes, rels, commit_every=100)  # the record fixed, the same load again
    assert _snapshot(neo4j_store) == reference
    assert summary.nodes_created == reference[0].nodes - 200 - 1  # less the committed and the Claim
    print(f"\nfailed at batch 3: {message}\nrun again: equal to the one-transaction reference")


def test_cli_names_what_was_committed_and_running_it_again_completes(
    neo4j_store, neo4j_driver, neo4j_uri, tmp_path
) -> None:
    dataset = tmp_path / "g.yaml"
    done = _dealgraph("generate", "--nodes", "300", "--seed", "5", "-o", str(dataset), env={})
    assert done.returncode == 0, done.stderr
    env = {"DEALGRAPH_NEO4J_URI": neo4j_uri, "DEALGRAPH_DATA_DIR": str(tmp_path)}
    done = _dealgraph("load", str(dataset), "--store", "neo4j", env=env)
    assert done.returncode == 0, done.stderr
    reference = _snapshot(neo4j_store)
    loaded = parse_dataset(dataset).nodes
    last = loaded[-1]
    other = "Sector" if last.label != "Sector" else "Country"
    empty_neo4j(neo4j_driver)
    # A node of another label already holds the id of the file's last node: that batch is refused.
    with neo4j_driver.session() as session:
        session.run(f"CREATE (:{other} {{id: $id, name: 'squatter'}})", id=last.id).consume()
    done = _dealgraph("load", str(dataset), "--store", "neo4j", "--commit-every", "50", env=env)
    assert done.returncode == 1
    line = done.stderr.strip()
    assert line.startswith("error:") and "Traceback" not in line
    assert f"{last.id}: stored as a {other}, the new record says {last.label}" in line
    assert "batches committed" in line and "nodes" in line and "relationships" in line
    assert "running the same load again completes it" in line
    committed = neo4j_store.counts()
    whole = (len(loaded) - 1) // 50 * 50  # the nodes of every batch before the last one's
    assert (committed.nodes, committed.relationships) == (whole + 1, 0)
    assert f"{whole // 50} of " in line and f"({whole:,} of {len(loaded):,} nodes, 0 of" in line

    with neo4j_driver.session() as session:
        session.run(f"MATCH (n:{other} {{id: $id}}) DELETE n", id=last.id).consume()
    done = _dealgraph("load", str(dataset), "--store", "neo4j", "--commit-every", "50", env=env)
    assert done.returncode == 0, done.stderr
    assert "committed every 50 records" in done.stdout
    assert _snapshot(neo4j_store) == reference
    done = _dealgraph("load", str(dataset), "--store", "embedded", "--commit-every", "50", env=env)
    assert done.returncode == 1 and "--commit-every: only the neo4j store" in done.stderr
    print(f"\n{line}\nrun again: equal to the one-transaction load")


def test_a_load_in_batches_killed_midway_leaves_whole_batches_and_a_rerun_completes(
    neo4j_store, neo4j_driver, neo4j_uri, tmp_path
) -> None:
    dataset = tmp_path / "g.json"
    done = _dealgraph("generate", "--nodes", "3000", "--seed", "3", "--format", "json", "-o", str(dataset), env={})
    assert done.returncode == 0, done.stderr
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DEALGRAPH_")},
        "DEALGRAPH_NEO4J_URI": neo4j_uri,
        "PYTHONPATH": str(ROOT),
    }
    every = 200
    command = [*CLI, "import", str(dataset), "--store", "neo4j", "--commit-every", str(every)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    reference = _snapshot(neo4j_store)
    total = reference[0]

    empty_neo4j(neo4j_driver)
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            seen = neo4j_store.counts()
            if seen.relationships > 0 or seen.nodes > 2 * every:  # some batches in: kill it now
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the load finished before it could be killed midway"
    partial = neo4j_store.counts()
    assert (partial.nodes, partial.relationships) != (total.nodes, total.relationships)
    # Whole batches only: nodes in batches of 200 (the whole of them before any relationship).
    if partial.relationships:
        assert partial.nodes == total.nodes and partial.relationships % every == 0
    else:
        assert partial.nodes % every == 0

    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _snapshot(neo4j_store) == reference
    print(
        f"\nkilled after {partial.nodes} nodes and {partial.relationships} relationships (whole batches of {every}); "
        f"run again: {total.nodes} nodes, {total.relationships} relationships, equal to the reference"
    )


def test_commit_every_must_be_positive(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(ValueError, match="commit_every"):
        neo4j_store.merge([], [], commit_every=0)


def test_cli_refuses_commit_every_below_one(tmp_path: Path) -> None:
    done = _dealgraph("load", "--store", "embedded", "--commit-every", "0", env={"DEALGRAPH_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2 and "--commit-every" in done.stderr
