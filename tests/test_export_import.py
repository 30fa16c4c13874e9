"""Import and export (graph/formats): round trips, networkx readers, the Cypher script on a
real Neo4j, malformed files that name their fault and write nothing, the API download and
the CLI. The data is the bundled dataset plus records built to break encoders: dates,
separators, quotes, backslashes, escapes, control characters, unicode, empty quotes,
floats, booleans, and a Claim from a conflicting merge."""

from __future__ import annotations

import datetime as dt
import io
import json
import shlex
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.settings import Settings
from graph import formats
from graph.embedded import EmbeddedStore
from graph.formats import FormatError, csv_pair, cypher_script
from graph.formats.common import property_types
from graph.ids import node_id, relationship_id
from graph.model import Citation, Node, Relationship, provenance_props
from graph.schema import load_schema
from graph.store import GraphStore
from loaders.dataset import load_dataset
from tests.conftest import LiveServer

SOURCE = node_id("Source", "Tricky wire")
TRICKY_TEXT = "semi;colon \\ back\\slash 'single' \"double\"\nnew line\r\ncrlf\ttab \\e \\; 日本 🚢 "


def _cite(quote: str, start: int = 0) -> dict:
    return provenance_props([Citation(SOURCE, quote, start, start + len(quote))])


def tricky_records() -> tuple[list[Node], list[Relationship]]:
    """Records whose values every format must carry exactly (all checked by the schema)."""
    schema = load_schema()
    source = Node(
        SOURCE,
        "Source",
        {"name": "Tricky wire", "title": "A; tricky \\ wire", "kind": "dataset", "published_on": dt.date(2025, 7, 22)},
    )
    source.props.update(provenance_props([Citation(SOURCE)]))  # a non-text source: empty quote, -1 spans
    company = Node(
        node_id("Company", "Semi;colon & Co"),
        "Company",
        {
            "name": "Semi;colon & Co",
            "aliases": ["S;C", "back\\slash", "quote'd", 'dq"', " padded ", "\\e", "\\;"],
            "description": TRICKY_TEXT,
            "note": "<xml> & </xml> ]]> --> <!-- -->",
            "valid_from": dt.date(2025, 1, 31),
            "valid_to": dt.date(2026, 12, 1),
            "reported_on": dt.date(2025, 2, 1),
            "candidate": True,
            **provenance_props(
                [Citation(SOURCE, "first; quote", 0, 12), Citation(SOURCE, "", -1, -1), Citation(SOURCE, "x\ny", 3, 6)]
            ),
        },
    )
    project = Node(
        node_id("Project", "Port of ünïcode"),
        "Project",
        {
            "name": "Port of ünïcode",
            "status": "selected",
            "location": "Nagoya\u2028Aichi\x85",
            "cost_min_usd": 0.1,
            "cost_max_usd": 1e22,
            "valid_from": dt.date(2024, 2, 29),
            "candidate": False,
            **_cite("port quote"),
        },
    )
    commitment = Node(
        node_id("Commitment", "Fund within 45 working days"),
        "Commitment",
        {
            "name": "Fund within 45 working days",
            "kind": "funding_rule",
            "deadline_amount": 45,
            "deadline_unit": "working_days",
            "amount_usd": 550e9,
            **_cite("45 working days", 7),
        },
    )
    leads = Relationship(
        relationship_id("LEADS", company.id, project.id),
        "LEADS",
        company.id,
        project.id,
        {"valid_from": dt.date(2025, 3, 1), "note": 'it\'s "led"; maybe', **_cite("leads; it")},
    )
    participates = Relationship(
        relationship_id("PARTICIPATES_IN", company.id, project.id, "second"),
        "PARTICIPATES_IN",
        company.id,
        project.id,
        {"status": "reported", "reported_on": dt.date(2025, 3, 2), **_cite("parallel")},
    )
    nodes = [source, company, project, commitment]
    for n in nodes:
        n.props["id"] = n.id
        n.props = schema.validate_node(n.label, n.props)
    rels = [leads, participates]
    labels = {n.id: n.label for n in nodes}
    for r in rels:
        r.props["id"] = r.id
        r.props = schema.validate_relationship(r.type, labels[r.start], labels[r.end], r.props)
    return nodes, rels


def fill(store: GraphStore) -> GraphStore:
    load_dataset(store)
    nodes, rels = tricky_records()
    store.merge(nodes, rels)
    # A second source disagreeing on the location: a Claim that DISPUTES the project.
    project = nodes[2]
    other = Node(project.id, "Project", {**project.props, "location": "Osaka; or Kobe", **_cite("other place")})
    store.merge([other], [])
    return store


def snapshot(store: GraphStore) -> tuple[list, list]:
    """Every record with every property. `id` is set from the record's id: the merge rule
    (graph/model.py) builds Claim and DISPUTES records without the `id` property, which the
    Neo4j store adds when it writes and an import adds because the schema requires it."""
    return (
        [(n.id, n.label, {**n.props, "id": n.id}) for n in store.iter_nodes()],
        [(r.id, r.type, r.start, r.end, {**r.props, "id": r.id}) for r in store.iter_relationships()],
    )


@pytest.fixture(scope="module")
def source_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return fill(EmbeddedStore(tmp_path_factory.mktemp("source")))


def write_export(store: GraphStore, fmt: str, folder: Path, **selection) -> Path:
    """Export like the CLI does: one file, or nodes.csv + relationships.csv in a folder."""
    files = formats.export_files(store, fmt, **selection)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder if fmt == "csv" else folder / next(iter(files))


# --------------------------------------------------------------------------- round trips


def test_the_fixture_has_what_the_formats_must_carry(source_store) -> None:
    nodes, rels = snapshot(source_store)
    claims = [n for n in nodes if n[1] == "Claim"]
    assert len(claims) == 1 and "Osaka; or Kobe" in claims[0][2]["value"]
    assert any(p.get("disputed") == ["location"] for _, _, p in nodes)
    assert len(nodes) == 42 + 4 + 1 and len(rels) == 76 + 2 + 1


@pytest.mark.parametrize("fmt", formats.IMPORT_FORMATS)
def test_export_then_import_into_a_fresh_store_gives_the_same_graph(source_store, fmt: str, tmp_path: Path) -> None:
    path = write_export(source_store, fmt, tmp_path / "out")
    copy = EmbeddedStore(tmp_path / "copy")
    result = formats.import_path(copy, path)
    assert (result.nodes, result.relationships) == (47, 79)
    assert snapshot(copy) == snapshot(source_store)
    again = formats.import_path(copy, path)
    assert again.summary.nodes_created == again.summary.nodes_updated == 0
    assert again.summary.relationships_created == again.summary.relationships_updated == again.summary.claims == 0
    assert snapshot(copy) == snapshot(source_store)


@pytest.mark.parametrize("fmt", formats.IMPORT_FORMATS)
def test_round_trip_through_each_store(any_store: GraphStore, fmt: str, tmp_path: Path) -> None:
    """Export from the store under test, import into an empty store of the same kind."""
    fill(any_store)
    expected = snapshot(any_store)
    path = write_export(any_store, fmt, tmp_path / "out")
    fresh = EmbeddedStore(tmp_path / "fresh")
    formats.import_path(fresh, path)
    assert snapshot(fresh) == expected
    if any_store.name == "neo4j":  # and back into the emptied Neo4j database
        from tests.conftest import empty_neo4j

        empty_neo4j(any_store.driver)
        formats.import_path(any_store, path)
        assert snapshot(any_store) == expected


def test_a_neighbourhood_export_holds_the_neighbourhood(source_store, tmp_path: Path) -> None:
    center = node_id("Company", "Semi;colon & Co")
    sub = source_store.neighbourhood(center, 2, None, 10_000)
    data = json.loads(formats.export_bytes(source_store, "json", center, 2))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(n.id for n in sub.nodes)
    assert sorted(e["id"] for e in data["edges"]) == sorted(r.id for r in sub.relationships)
    with pytest.raises(KeyError):
        formats.export_bytes(source_store, "json", "company:nobody", 1)


def test_networkx_reads_the_graphml_and_gexf(source_store, tmp_path: Path) -> None:
    company = node_id("Company", "Semi;colon & Co")
    graphml = nx.read_graphml(write_export(source_store, "graphml", tmp_path / "g"))
    assert (graphml.number_of_nodes(), graphml.number_of_edges()) == (47, 79)
    data = graphml.nodes[company]
    assert data["labels"] == "Company"
    assert data["description"] == TRICKY_TEXT
    assert json.loads(data["quotes:json"]) == ["first; quote", "", "x\ny"]
    assert json.loads(data["quote_starts:json"]) == [0, -1, 3]
    assert data["valid_from"] == "2025-01-31" and data["candidate"] is True
    gexf = nx.read_gexf(write_export(source_store, "gexf", tmp_path / "x"))
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == (47, 79)
    assert isinstance(gexf, nx.MultiDiGraph)  # the two relationships company -> project stay two
    assert gexf.nodes[company]["label"] == "Semi;colon & Co"
    assert gexf.nodes[company]["labels"] == "Company"
    assert json.loads(gexf.nodes[company]["aliases:json"])[0] == "S;C"
    project = node_id("Project", "Port of ünïcode")
    assert gexf.nodes[project]["cost_max_usd"] == 1e22
    types = sorted(d["type"] for _, _, d in gexf.edges(company, data=True))
    assert types == ["LEADS", "PARTICIPATES_IN"]


def test_node_link_json_is_what_networkx_reads(source_store) -> None:
    data = json.loads(formats.export_bytes(source_store, "json"))
    graph = nx.node_link_graph(data, edges="edges")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (47, 79)
    assert graph.nodes["JPN"]["label"] == "Country"


def test_csv_has_neo4j_admin_headers(source_store) -> None:
    files = formats.export_files(source_store, "csv")
    nodes_header = files["nodes.csv"].splitlines()[0].split(",")
    rels_header = files["relationships.csv"].splitlines()[0].split(",")
    assert nodes_header[:2] == ["id:ID", ":LABEL"]
    assert rels_header[:4] == [":START_ID", ":END_ID", ":TYPE", "id"]
    for column in (
        "valid_from:date",
        "quote_starts:int[]",
        "sources:string[]",
        "amount_usd:double",
        "candidate:boolean",
    ):
        assert column in nodes_header
    assert "deadline_amount:int" in nodes_header and "name" in nodes_header


@pytest.mark.parametrize(
    "items",
    [["a;b", "c\\", ""], ["", ""], [""], ["\\e"], ["\\;", ";", "\\\\;"], ["plain"], ["trailing\\"]],
)
def test_csv_list_escapes_round_trip(items: list[str]) -> None:
    cell = csv_pair._cell(items, "list[string]", "test")
    assert csv_pair.split_items(cell) == items


def test_every_property_name_has_one_type_in_the_schema() -> None:
    assert property_types("node") and property_types("relationship")


# --------------------------------------------------------------------------- Cypher script


def test_cypher_literals_are_escaped() -> None:
    text = "a'b\\c\"d\ne\u2028f\x00g"
    literal = cypher_script.string_literal(text)
    assert "\n" not in literal and "\u2028" not in literal and "\x00" not in literal
    assert literal == "'a\\'b\\\\c\\\"d\\ne\\u2028f\\u0000g'"
    assert cypher_script.literal([dt.date(2025, 1, 2), 1.5]) == "[date('2025-01-02'), 1.5]"
    with pytest.raises(ValueError):
        cypher_script.literal(float("nan"))


def test_the_cypher_script_is_one_statement_per_line(source_store) -> None:
    script = formats.export_bytes(source_store, "cypher").decode()
    lines = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in lines)
    merges = [line for line in lines if line.startswith(("MERGE", "MATCH"))]
    assert len(merges) == 47 + 79


@pytest.mark.neo4j
def test_the_cypher_script_rebuilds_the_graph_in_neo4j(source_store, neo4j_store) -> None:
    """Statement by statement through the driver, as cypher-shell would; twice."""
    script = formats.export_bytes(source_store, "cypher").decode()
    statements = [line[:-1] for line in script.splitlines() if line and not line.startswith("//")]
    for _ in range(2):
        with neo4j_store.driver.session(database="neo4j") as session:
            for statement in statements:
                session.run(statement).consume()
        assert neo4j_store.counts() == source_store.counts()
    assert snapshot(neo4j_store) == snapshot(source_store)


# --------------------------------------------------------------------------- malformed files


def _json_file(tmp_path: Path, source_store, mutate) -> Path:
    data = json.loads(formats.export_bytes(source_store, "json"))
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def _node_index(data: dict, node: str) -> int:
    return next(i for i, n in enumerate(data["nodes"]) if n["id"] == node)


JSON_CASES = {
    "unknown label": (lambda d: d["nodes"][-1].update(label="Planet"), r"nodes\[46\].*unknown label 'Planet'"),
    "bad date": (
        lambda d: d["nodes"][_node_index(d, "company:semi-colon-co")]["properties"].update(valid_from="2025-13-45"),
        r"nodes\[\d+\] \(id 'company:semi-colon-co'\): valid_from: .*not a date",
    ),
    "unknown property": (
        lambda d: d["nodes"][0]["properties"].update(colour="red"),
        r"nodes\[0\].*unknown property 'colour'",
    ),
    "missing provenance": (
        lambda d: d["edges"][-1]["properties"].pop("sources"),
        r"edges\[78\].*sources",
    ),
    "missing end": (lambda d: d["edges"][-1].update(target="project:nowhere"), r"edges\[78\].*'project:nowhere'"),
    "wrong end label": (
        lambda d: d["edges"][-1].update(type="FUNDS"),
        r"edges\[78\].*FUNDS cannot start at",
    ),
    "duplicate node": (lambda d: d["nodes"].append(dict(d["nodes"][0])), r"nodes\[47\].*appears twice"),
    "ragged provenance": (
        lambda d: d["nodes"][0]["properties"].update(quote_starts="12"),
        r"nodes\[0\].*quote_starts: expected a list",
    ),
}


@pytest.mark.parametrize("case", sorted(JSON_CASES))
def test_malformed_json_names_the_element_and_writes_nothing(source_store, tmp_path: Path, case: str) -> None:
    mutate, message = JSON_CASES[case]
    path = _json_file(tmp_path, source_store, mutate)
    target = EmbeddedStore(tmp_path / "target")
    load_dataset(target)
    before = snapshot(target)
    with pytest.raises(FormatError, match=message):
        formats.import_path(target, path)
    assert snapshot(target) == before


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"nodes": [\n  {"id": "JPN",\n  "label": "Country" oops}\n]}', encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken.json:3: not valid JSON"):
        formats.read_path(path)


GRAPHML_CASES = {
    "not well-formed": (lambda t: t.replace("</graph>", "</grph>", 1), r":\d+: not well-formed XML"),
    "doctype": (
        lambda t: t.replace("<graphml ", '<!DOCTYPE graphml [<!ENTITY x "boom">]>\n<graphml ', 1),
        r"bad.graphml:\d+: DOCTYPE and entity declarations are not allowed",
    ),
    "bad long": (
        lambda t: t.replace('<data key="n_deadline_amount">45</data>', '<data key="n_deadline_amount">45x</data>'),
        r"bad.graphml:\d+: deadline_amount: cannot read '45x' as long",
    ),
    "bad json list": (
        lambda t: t.replace('<data key="n_quote_starts">[0, -1, 3]</data>', '<data key="n_quote_starts">[0, -1</data>'),
        r"bad.graphml:\d+: quote_starts:json: not valid JSON",
    ),
    "no label": (
        lambda t: t.replace('<data key="n_labels">Commitment</data>', "", 1),
        r"bad.graphml:\d+: <node id='commitment:[^']+'>: a node needs a `labels` data value",
    ),
    "unknown key": (
        lambda t: t.replace('<data key="n_labels">Sector</data>', '<data key="n_colour">red</data>', 1),
        r"bad.graphml:\d+: <data key='n_colour'> has no <key>",
    ),
    "wrong type": (
        lambda t: t.replace('<data key="e_type">LEADS</data>', '<data key="e_type">LEDS</data>', 1),
        r"bad.graphml:\d+: <edge id='rel:[0-9a-f]+'>: type: unknown relationship type 'LEDS'",
    ),
}


@pytest.mark.parametrize("case", sorted(GRAPHML_CASES))
def test_malformed_graphml_names_the_line_and_writes_nothing(source_store, tmp_path: Path, case: str) -> None:
    mutate, message = GRAPHML_CASES[case]
    text = formats.export_bytes(source_store, "graphml").decode()
    broken = mutate(text)
    assert broken != text, "the case must change the file"
    path = tmp_path / "bad.graphml"
    path.write_text(broken, encoding="utf-8")
    target = EmbeddedStore(tmp_path / "target")
    with pytest.raises(FormatError, match=message):
        formats.import_path(target, path)
    assert target.counts().nodes == 0


def test_graphml_errors_give_the_line_of_the_element(source_store, tmp_path: Path) -> None:
    text = formats.export_bytes(source_store, "graphml").decode()
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if '<data key="n_deadline_amount">45</data>' in line)
    lines[at] = lines[at].replace(">45<", ">forty-five<")
    path = tmp_path / "bad.graphml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FormatError, match=rf"bad.graphml:{at + 1}: deadline_amount"):
        formats.read_path(path)


CSV_CASES = {
    "ragged row": (
        "nodes.csv",
        lambda t: t.replace("\nJPN,Country,", "\nJPN,Country,extra,", 1),
        r"nodes.csv:\d+: \d+ cells",
    ),
    "bad int list": (
        "nodes.csv",
        lambda t: t.replace(",0;-1;3,", ",0;minus one;3,", 1),
        r"nodes.csv:\d+: quote_starts: cannot read 'minus one' as int",
    ),
    "no label column": (
        "nodes.csv",
        lambda t: t.replace(":LABEL", "label", 1),
        r"nodes.csv:1: the header needs a :LABEL",
    ),
    "unknown type": (
        "relationships.csv",
        lambda t: t.replace(",LEADS,", ",LEDS,", 1),
        r"relationships.csv:\d+ \(id 'rel:[0-9a-f]+'\): type: unknown relationship type 'LEDS'",
    ),
    "bad column type": (
        "nodes.csv",
        lambda t: t.replace("valid_from:date", "valid_from:datetime", 1),
        r"nodes.csv:1: column 'valid_from:datetime': unsupported type",
    ),
    "bad date": (
        "relationships.csv",
        lambda t: t.replace("2025-03-01", "2025-03-32", 1),
        r"relationships.csv:\d+: valid_from: cannot read '2025-03-32' as date",
    ),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_malformed_csv_names_the_line_and_writes_nothing(source_store, tmp_path: Path, case: str) -> None:
    file_name, mutate, message = CSV_CASES[case]
    folder = write_export(source_store, "csv", tmp_path / "csv")
    text = (folder / file_name).read_text(encoding="utf-8")
    broken = mutate(text)
    assert broken != text, "the case must change the file"
    (folder / file_name).write_text(broken, encoding="utf-8")
    target = EmbeddedStore(tmp_path / "target")
    with pytest.raises(FormatError, match=message):
        formats.import_path(target, folder)
    assert target.counts().nodes == 0


def test_csv_errors_give_the_physical_line(source_store, tmp_path: Path) -> None:
    """Cells with newlines span lines; the error still names the line the record starts on."""
    folder = write_export(source_store, "csv", tmp_path / "csv")
    lines = (folder / "nodes.csv").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("commitment:fund-within-45-working-days,"))
    lines[at] = lines[at].replace(",45,", ",4.5,")
    (folder / "nodes.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FormatError, match=rf"nodes.csv:{at + 1}: deadline_amount: cannot read '4.5' as int"):
        formats.read_path(folder)


def test_a_csv_folder_needs_both_files(tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text("id:ID,:LABEL\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"needs nodes\.csv and relationships\.csv"):
        formats.read_path(tmp_path)


def test_one_bad_record_at_the_end_writes_nothing(source_store, tmp_path: Path) -> None:
    """All-or-nothing: every record before the bad one is valid, and none is written."""
    path = _json_file(tmp_path, source_store, lambda d: d["edges"][-1].update(source="nobody"))
    target = EmbeddedStore(tmp_path / "target")
    with pytest.raises(FormatError, match=r"edges\[78\]"):
        formats.import_path(target, path)
    assert target.counts().nodes == 0 and not (tmp_path / "target" / "graph.json").exists()


def test_a_node_stored_under_another_label_is_refused(source_store, tmp_path: Path) -> None:
    def relabel(data: dict) -> None:
        data["nodes"][_node_index(data, "company:toshiba")]["label"] = "Sector"

    path = _json_file(tmp_path, source_store, relabel)
    target = EmbeddedStore(tmp_path / "target")
    load_dataset(target)
    before = snapshot(target)
    with pytest.raises(FormatError, match="company:toshiba is stored as a Company, not a Sector"):
        formats.import_path(target, path)
    assert snapshot(target) == before


def test_relationship_ends_may_already_be_in_the_store(source_store, tmp_path: Path) -> None:
    """A file of relationships only imports into a store that has their ends."""
    data = json.loads(formats.export_bytes(source_store, "json"))
    data["nodes"] = []
    path = tmp_path / "edges.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FormatError, match="is not in this file or in the store"):
        formats.import_path(EmbeddedStore(tmp_path / "empty"), path)
    target = EmbeddedStore(tmp_path / "full")
    fill(target)
    result = formats.import_path(target, path)
    assert result.relationships == 79 and result.summary.relationships_created == 0


# --------------------------------------------------------------------------- API and CLI


@pytest.fixture(scope="module")
def export_server(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("export-api")
    fill(EmbeddedStore(data_dir))
    with LiveServer(Settings(data_dir=data_dir, store="embedded")) as server, server.client() as client:
        yield client


@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_api_export_is_a_download(export_server, fmt: str, tmp_path: Path) -> None:
    response = export_server.get("/api/export", params={"format": fmt})
    assert response.status_code == 200
    media, ext = formats.MEDIA_TYPES[fmt]
    assert response.headers["content-type"].split(";")[0] == media.split(";")[0]
    assert response.headers["content-disposition"] == f'attachment; filename="dealgraph{ext}"'
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert sorted(archive.namelist()) == ["nodes.csv", "relationships.csv"]
            archive.extractall(tmp_path / "unzipped")
        copy = EmbeddedStore(tmp_path / "copy")
        assert formats.import_path(copy, tmp_path / "unzipped").nodes == 47
    elif fmt in ("graphml", "json"):
        path = tmp_path / f"download{ext}"
        path.write_bytes(response.content)
        copy = EmbeddedStore(tmp_path / "copy")
        formats.import_path(copy, path)
        assert (copy.counts().nodes, copy.counts().relationships) == (47, 79)
    elif fmt == "gexf":
        assert nx.read_gexf(io.BytesIO(response.content)).number_of_nodes() == 47
    else:
        assert response.text.count("\nMERGE (n:") == 47


def test_api_export_of_a_neighbourhood(export_server) -> None:
    response = export_server.get("/api/export", params={"format": "json", "center": "JPN", "depth": 1})
    assert response.status_code == 200
    assert 'filename="dealgraph-JPN-1.json"' in response.headers["content-disposition"]
    ids = {n["id"] for n in response.json()["nodes"]}
    assert "JPN" in ids and "agreement:united-states-japan-trade-agreement" in ids and len(ids) < 47


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"format": "pdf"}, 422, "invalid_parameter"),
        ({"format": "json", "center": "company:nobody"}, 404, "not_found"),
        ({"format": "json", "center": "JPN", "depth": 9}, 422, "invalid_parameter"),
    ],
)
def test_api_export_errors_use_the_envelope(export_server, params: dict, status: int, code: str) -> None:
    response = export_server.get("/api/export", params=params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_api_export_takes_no_path(export_server) -> None:
    spec = export_server.get("/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/export"]["get"]["parameters"]}
    assert params == {"format", "center", "depth"}
    assert "/api/import" not in spec["paths"]


def test_cli_export_and_import(source_store, tmp_path: Path) -> None:
    runner = CliRunner()
    data_dir = source_store.data_dir
    for fmt, target in (("graphml", "g.graphml"), ("csv", "csvdir"), ("csv", "c.zip"), ("json", "g.json")):
        result = runner.invoke(
            cli_app, ["export", "--format", fmt, "-o", str(tmp_path / target), "--data-dir", str(data_dir)]
        )
        assert result.exit_code == 0, result.output
        copy = tmp_path / f"copy-{target}"
        result = runner.invoke(cli_app, ["import", str(tmp_path / target), "--data-dir", str(copy)])
        assert result.exit_code == 0, result.output
        assert "47 nodes and 79 relationships read" in result.output
        assert snapshot(EmbeddedStore(copy)) == snapshot(source_store)
    result = runner.invoke(cli_app, ["export", "--format", "cypher", "--data-dir", str(data_dir)])
    assert result.exit_code == 0 and result.stdout.count("\nMERGE (n:") == 47


def test_cli_import_of_a_bad_file_fails_with_the_line(source_store, tmp_path: Path) -> None:
    path = _json_file(tmp_path, source_store, lambda d: d["nodes"][3].update(label="Planet"))
    result = CliRunner().invoke(cli_app, ["import", str(path), "--data-dir", str(tmp_path / "target")])
    assert result.exit_code == 1
    assert "nodes[3]" in result.output and "unknown label 'Planet'" in result.output
    assert not (tmp_path / "target" / "graph.json").exists()


def test_cli_csv_export_needs_a_target(source_store) -> None:
    result = CliRunner().invoke(cli_app, ["export", "--format", "csv", "--data-dir", str(source_store.data_dir)])
    assert result.exit_code == 1 and "-o FOLDER" in result.output


def readme_commands(program: str) -> list[list[str]]:
    """The README's example commands of its import/export section that start with `program`."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = text.split("## Analyst Cypher, saved queries, import and export", 1)[1].split("\n## ", 1)[0]
    return [shlex.split(line, comments=True) for line in section.splitlines() if line.startswith(program + " ")]


def test_the_readme_export_and_import_examples_run(source_store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    commands = readme_commands("dealgraph")
    exports = [c for c in commands if c[1] == "export"]
    imports = [c for c in commands if c[1] == "import"]
    assert exports and imports
    runner = CliRunner()
    for command in exports:
        result = runner.invoke(cli_app, [*command[1:], "--data-dir", str(source_store.data_dir)])
        assert result.exit_code == 0, result.output
    for command in imports:
        args = command[1:]
        args[args.index("--data-dir") + 1] = str(tmp_path / "copy")
        result = runner.invoke(cli_app, args)
        assert result.exit_code == 0, result.output
    japan = source_store.neighbourhood("JPN", 2, None, 10_000)
    assert EmbeddedStore(tmp_path / "copy").counts().nodes == len(japan.nodes)
