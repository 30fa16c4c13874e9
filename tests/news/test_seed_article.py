"""The seed article end to end: the dry-run JSON, the bundled dataset recovered from it, quotes
that are verbatim slices of the original text, and an idempotent real ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.embedded import EmbeddedStore
from loaders.news.evaluate import SEED_TEXT, seed_report
from loaders.news.pipeline import analyse, ingest

runner = CliRunner()


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    data_dir = tmp_path_factory.mktemp("dry")
    result = runner.invoke(
        app, ["ingest", str(SEED_TEXT), "--dry-run", "--json", "--store", "embedded", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), data_dir


def test_dry_run_json_shape_and_nothing_written(dry_run: tuple[dict, Path]) -> None:
    data, data_dir = dry_run
    assert {"source", "entities", "claims", "conflicts"} <= set(data)
    assert data["dry_run"] is True and data["written"] is None
    assert not any(data_dir.iterdir()), "a dry run writes nothing"
    assert data["source"]["title"].startswith("Japan's $550 Billion US Investment")
    for e in data["entities"]:
        assert {"name", "label", "id", "status", "aliases", "mentions"} <= set(e)
        assert e["status"] in ("known", "candidate")
        for m in e["mentions"]:
            assert {"quote", "start", "end"} == set(m)
    for c in data["claims"]:
        assert {"subject", "relation", "object", "attributes", "quote", "start", "end", "confidence"} <= set(c)
        assert 0 < c["confidence"] <= 1


def test_quotes_are_verbatim_slices_of_the_original(dry_run: tuple[dict, Path], seed_text: str) -> None:
    data, _ = dry_run
    assert data["claims"]
    for c in data["claims"]:
        assert seed_text[c["start"] : c["end"]] == c["quote"]
        for ev in c["evidence"]:
            assert seed_text[ev["start"] : ev["end"]] == ev["quote"]
    for e in data["entities"]:
        for m in e["mentions"]:
            assert seed_text[m["start"] : m["end"]] == m["quote"]
    boilerplate = seed_text.index("Disclaimer:")
    assert all(c["end"] <= boilerplate for c in data["claims"])


def test_the_bundled_dataset_is_recovered_from_an_empty_store() -> None:
    report = seed_report()
    entities, claims = report["entities"], report["claims"]
    print(
        f"\nseed: entities {entities.correct}/{entities.expected}, facts {claims.correct}/{claims.expected} "
        f"(precision {claims.precision:.2f})"
    )
    assert entities.missed == [], "every entity of the bundled dataset is found"
    assert claims.recall >= 0.9, f"facts missed: {claims.missed}"


def test_real_ingest_is_idempotent(tmp_path: Path, seed_text: str) -> None:
    store = EmbeddedStore(tmp_path / "data")
    first = ingest(store, analyse(seed_text, store))
    assert first.nodes_created > 30 and first.relationships_created > 60
    before = (store.counts().nodes, store.counts().relationships, store.path.read_bytes())
    second = ingest(store, analyse(seed_text, store))
    assert (second.nodes_created, second.nodes_updated, second.relationships_created, second.relationships_updated) == (
        0,
        0,
        0,
        0,
    )
    assert (store.counts().nodes, store.counts().relationships, store.path.read_bytes()) == before


def test_every_record_cites_the_article_with_original_spans(tmp_path: Path, seed_text: str) -> None:
    store = EmbeddedStore(tmp_path / "data")
    analysis = analyse(seed_text, store)
    ingest(store, analysis)
    source = store.get_node(analysis.source_id)
    assert source.label == "Source" and source.props["kind"] == "article"
    for record in [*store.iter_nodes(), *store.iter_relationships()]:
        if getattr(record, "label", None) == "Source":
            continue
        assert record.props["sources"], record.id
        for src, quote, start, end in zip(
            record.props["sources"],
            record.props["quotes"],
            record.props["quote_starts"],
            record.props["quote_ends"],
            strict=True,
        ):
            assert src == analysis.source_id
            assert seed_text[start:end] == quote


def test_ingesting_the_seed_article_over_the_seed_dataset_adds_no_entity(
    seeded_store: EmbeddedStore, seed_text: str
) -> None:
    nodes_before = seeded_store.counts().nodes
    analysis = analyse(seed_text, seeded_store)
    data = analysis.to_json()
    assert [e["name"] for e in data["entities"] if e["new"]] == []
    assert data["conflicts"] == []
    summary = ingest(seeded_store, analysis)
    assert summary.nodes_created == 0 and summary.claims == 0
    assert seeded_store.counts().nodes == nodes_before


def test_cli_ingest_writes_then_changes_nothing(tmp_path: Path) -> None:
    args = ["ingest", str(SEED_TEXT), "--json", "--store", "embedded", "--data-dir", str(tmp_path)]
    first = json.loads(runner.invoke(app, args).stdout)
    assert first["written"]["nodes_created"] > 30
    second = json.loads(runner.invoke(app, args).stdout)
    assert second["written"] == {
        "nodes_created": 0,
        "nodes_updated": 0,
        "relationships_created": 0,
        "relationships_updated": 0,
        "claims": 0,
    }
