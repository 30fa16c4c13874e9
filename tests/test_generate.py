"""The synthetic deal-graph generator: deterministic, schema-valid, loadable, with both
dependency shapes (exposure and fulfilment). No timing assertions: timings live in bench/."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli_app
from graph.embedded import EmbeddedStore
from graph.ids import node_id, relationship_id
from graph.schema import load_schema
from loaders.dataset import load_dataset, parse_dataset
from loaders.generate import generate, plan, write_dataset


@pytest.fixture(scope="module")
def graph():
    return generate(3000, seed=11)


def _fingerprint(nodes, rels) -> str:
    return json.dumps(
        [[n.id, n.label, n.props] for n in nodes] + [[r.id, r.type, r.start, r.end, r.props] for r in rels],
        default=str,
        sort_keys=True,
    )


def test_same_seed_same_graph(graph) -> None:
    assert _fingerprint(*generate(3000, seed=11)) == _fingerprint(*graph)


def test_different_seed_different_graph(graph) -> None:
    other_nodes, other_rels = generate(3000, seed=12)
    assert _fingerprint(other_nodes, other_rels) != _fingerprint(*graph)
    # Not just the source's title: the structure differs too.
    assert {r.id for r in other_rels} != {r.id for r in graph[1]}


@pytest.mark.parametrize("n", [60, 1000, 3000, 25_000])
def test_sizes_are_close_to_n(n: int) -> None:
    nodes, rels = generate(n, seed=1) if n != 3000 else generate(n, seed=11)
    assert abs(len(nodes) - n) <= max(5, n // 100)
    assert sum(plan(n).values()) == n
    if n >= 1000:  # tiny graphs are mostly countries and sectors
        assert 3 * len(nodes) <= len(rels) <= 5 * len(nodes)  # +3-5 relationships per node


def test_ids_are_unique_and_derived_from_natural_keys(graph) -> None:
    nodes, rels = graph
    assert len({n.id for n in nodes}) == len(nodes)
    assert len({r.id for r in rels}) == len(rels)
    for n in nodes:
        key = n.props["iso3"] if n.label == "Country" else n.props["name"]
        assert n.id == n.props["id"] == node_id(n.label, key)
    for r in rels[:2000]:
        assert r.id == r.props["id"] == relationship_id(r.type, r.start, r.end)


def test_every_record_validates_against_the_schema(graph) -> None:
    schema = load_schema()
    nodes, rels = graph
    label_of = {n.id: n.label for n in nodes}
    for n in nodes:
        assert schema.validate_node(n.label, n.props) == n.props, n.id
        assert n.props["sources"] and len(n.props["sources"]) == len(n.props["quotes"])
    for r in rels:
        assert r.start in label_of and r.end in label_of, r.id  # every end exists
        assert schema.validate_relationship(r.type, label_of[r.start], label_of[r.end], r.props) == r.props, r.id
        assert r.props["sources"] == [nodes[0].id]  # the synthetic Source


def test_countries_are_real(graph) -> None:
    import pycountry

    countries = [n for n in graph[0] if n.label == "Country"]
    assert countries
    for c in countries:
        assert pycountry.countries.get(alpha_3=c.id).alpha_2 == c.props["iso2"]


def test_dates_and_lifecycles_are_consistent(graph) -> None:
    nodes, rels = graph
    dated = [r for r in [*nodes, *rels] if "valid_from" in r.props]
    assert len(dated) > len(nodes)
    for r in dated:
        if "valid_to" in r.props:
            assert r.props["valid_to"] >= r.props["valid_from"]


def _index(nodes, rels):
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    inc: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rels:
        out[r.start][r.type].append(r.end)
        inc[r.end][r.type].append(r.start)
    return out, inc


def test_both_dependency_shapes_exist(graph) -> None:
    nodes, rels = graph
    out, inc = _index(nodes, rels)
    label = {n.id: n.label for n in nodes}
    companies = [n.id for n in nodes if n.label == "Company"]
    exposure = set()
    for c in companies:
        (home,) = out[c]["BASED_IN"]
        for sector in out[c]["EXPORTS"] + out[c]["IN_SECTOR"]:
            for t in inc[sector]["COVERS"]:
                if label[t] == "TariffConcession" and home in out[t]["BENEFITS"]:
                    exposure.add((c, t))
    fulfilment = set()
    for c in companies:
        for p in out[c]["LEADS"] + out[c]["PARTICIPATES_IN"]:
            for v in inc[p]["FUNDS"]:
                for commitment in out[v]["FULFILS"]:
                    for t in inc[commitment]["CONDITIONAL_ON"]:
                        fulfilment.add((c, t))
    assert len(exposure) > 100
    assert len(fulfilment) > 100
    # Every concession hangs off an agreement both of whose parties are recorded.
    for t in (n.id for n in nodes if n.label == "TariffConcession"):
        (agreement,) = inc[t]["GRANTS"]
        (conceder,) = inc[t]["CONCEDES"]
        (beneficiary,) = out[t]["BENEFITS"]
        assert {conceder, beneficiary} == set(inc[agreement]["PARTY_TO"])
    # Each project is funded, located, in a sector and led by one company.
    for p in (n.id for n in nodes if n.label == "Project"):
        assert len(inc[p]["FUNDS"]) == 1 and len(inc[p]["LEADS"]) == 1
        assert len(out[p]["LOCATED_IN"]) == len(out[p]["IN_SECTOR"]) == 1


def test_loads_into_the_embedded_store(tmp_path: Path, graph) -> None:
    nodes, rels = graph
    store = EmbeddedStore(tmp_path / "store")
    summary = store.merge(nodes, rels)
    assert (summary.nodes_created, summary.relationships_created, summary.claims) == (len(nodes), len(rels), 0)
    counts = EmbeddedStore(tmp_path / "store").counts()
    assert (counts.nodes, counts.relationships) == (len(nodes), len(rels))
    again = store.merge(nodes, rels)  # idempotent
    assert (again.nodes_created, again.nodes_updated, again.relationships_created, again.claims) == (0, 0, 0, 0)


def test_written_yaml_is_a_dataset_that_loads(tmp_path: Path) -> None:
    nodes, rels = generate(300, seed=5)
    path = write_dataset(nodes, rels, tmp_path / "out" / "synthetic.yaml")
    dataset = parse_dataset(path)
    assert _fingerprint(dataset.nodes, dataset.relationships) == _fingerprint(nodes, rels)
    store = EmbeddedStore(tmp_path / "store")
    summary = load_dataset(store, path)
    assert (summary.nodes_created, summary.relationships_created) == (len(nodes), len(rels))


def test_cli_generate(tmp_path: Path) -> None:
    out = tmp_path / "g.yaml"
    result = CliRunner().invoke(cli_app, ["generate", "--nodes", "200", "--seed", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "200 nodes" in result.output
    first = out.read_bytes()
    CliRunner().invoke(cli_app, ["generate", "--nodes", "200", "--seed", "4", "-o", str(out)])
    assert out.read_bytes() == first
    bad = CliRunner().invoke(cli_app, ["generate", "--nodes", "200", "--format", "xml", "-o", str(out)])
    assert bad.exit_code == 1


def test_written_node_link_json_imports(tmp_path: Path) -> None:
    from graph.formats import import_path, read_path

    nodes, rels = generate(400, seed=6)
    path = write_dataset(nodes, rels, tmp_path / "synthetic.json", "json")
    data = json.loads(path.read_text())
    assert data["graph"]["format"] == "dealgraph-node-link"
    assert len(data["nodes"]) == len(nodes) and len(data["edges"]) == len(rels)
    parsed = read_path(path, "json")
    assert len(parsed.nodes) == len(nodes)
    store = EmbeddedStore(tmp_path / "store")
    import_path(store, path, "json")
    assert sorted(store.iter_nodes(), key=lambda n: n.id) == sorted(nodes, key=lambda n: n.id)
    assert list(store.iter_relationships()) == sorted(rels, key=lambda r: r.id)


# -- the embedded store on generated graphs (its compact layout, file and rollback) ----------


def test_embedded_store_round_trips_a_generated_graph(tmp_path: Path) -> None:
    nodes, rels = generate(1500, seed=3)
    store = EmbeddedStore(tmp_path / "s")
    store.merge(nodes, rels)
    reopened = EmbeddedStore(tmp_path / "s")
    assert list(reopened.iter_nodes()) == sorted(nodes, key=lambda n: n.id)
    assert list(reopened.iter_relationships()) == sorted(rels, key=lambda r: r.id)
    company = next(n.id for n in nodes if n.label == "Company")
    expected = sorted((r for r in rels if company in (r.start, r.end)), key=lambda r: r.id)
    assert reopened.relationships_of([company]) == expected
    # A returned record is a copy: changing it changes nothing stored.
    got = reopened.get_node(company)
    got.props["sources"].append("x")
    assert reopened.get_node(company).props["sources"] == [nodes[0].id]
    g = reopened.graph  # a networkx snapshot, for analytics
    assert (g.number_of_nodes(), g.number_of_edges()) == (len(nodes), len(rels))


def test_embedded_store_reads_a_single_line_file(tmp_path: Path) -> None:
    """Files written before the streamed layout (one JSON document on one line) still load."""
    nodes, rels = generate(300, seed=2)
    store = EmbeddedStore(tmp_path / "s")
    store.merge(nodes, rels)
    data = json.loads(store.path.read_text())
    store.path.write_text(json.dumps(data))
    assert list(EmbeddedStore(tmp_path / "s").iter_relationships()) == sorted(rels, key=lambda r: r.id)


def test_embedded_store_rolls_back_when_the_save_fails(tmp_path: Path, monkeypatch) -> None:
    import graph.embedded

    nodes, rels = generate(600, seed=4)
    store = EmbeddedStore(tmp_path / "s")
    store.merge(nodes[:400], [r for r in rels if r.start in {n.id for n in nodes[:400]}
                              and r.end in {n.id for n in nodes[:400]}])  # fmt: skip
    before = (store.counts(), list(store.iter_nodes()), list(store.iter_relationships()))
    adjacency = {n.id: store.relationships_of([n.id]) for n in nodes[:50]}
    changed = [type(n)(n.id, n.label, {**n.props, "note": "changed"}) for n in nodes[:10]]

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(graph.embedded.os, "replace", fail)
    with pytest.raises(OSError):
        store.merge([*changed, *nodes[400:]], rels)
    assert (store.counts(), list(store.iter_nodes()), list(store.iter_relationships())) == before
    assert {n.id: store.relationships_of([n.id]) for n in nodes[:50]} == adjacency
    monkeypatch.undo()
    summary = store.merge(nodes, rels)
    assert store.counts().nodes == len(nodes) and summary.nodes_created == 200
