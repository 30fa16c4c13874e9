"""The bundled seed dataset (loaders/data/seed.yaml) and the curated-dataset loader.

The expected names, numbers and relationships below are written by hand from a reading of
the seed article (loaders/data/sources/000_0de8b12887b33d2a.txt), not read from the dataset,
so that the dataset is checked against the article and not against itself.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.ids import country_code, node_id
from loaders.dataset import BUNDLED_DATASET, Dataset, DatasetError, load_dataset, parse_dataset

ARTICLE = BUNDLED_DATASET.parent / "sources" / "000_0de8b12887b33d2a.txt"
HEADLINE = (
    "Japan's $550 Billion US Investment Nears Finalization, Targeting Data Centers, Crude Oil Terminal, "
    "and Synthetic Diamonds"
)

# Every entity the article names, by label, in the dataset's spelling (the article's wording).
EXPECTED_NAMES: dict[str, set[str]] = {
    "Country": {"United States", "Japan", "South Korea"},
    "Official": {"Trump", "Lutnick", "Akira Akazawa", "Sanae Takaichi"},
    "Organization": {"Ministry of Economy, Trade and Industry", "House of Representatives"},
    "Company": {"SoftBank Group", "Westinghouse", "Toshiba"},
    "InvestmentVehicle": {"$550 billion investment vehicle"},
    "Project": {
        "Data center infrastructure initiative",
        "Deepwater crude oil terminal project",
        "Synthetic diamond project for semiconductor applications",
        "Potential projects identified during Trump's visit to Japan",
    },
    "Agreement": {"United States-Japan trade agreement", "United States-South Korea agreement"},
    "TariffConcession": {"Reciprocal tariff rate reduced from 25% to 15%", "Lower tariffs on automobiles"},
    "Commitment": {
        "Invest $550 billion in the United States",
        "Open the market for agricultural products such as rice",
        "Initiate funding within 45 working days of project selection",
    },
    "Sector": {
        "Energy",
        "Artificial intelligence",
        "Critical minerals",
        "Data centers",
        "Crude oil",
        "Synthetic diamonds",
        "Semiconductors",
        "Automobiles",
        "Agricultural products",
    },
    "Event": {
        "Review of $550 billion investment vehicle projects",
        "Lutnick-Akazawa negotiations",
        "Lutnick-Akazawa meeting in Washington",
        "Trump's social media announcement of the trade agreement",
        "Trump's visit to Japan",
        "Takaichi's House of Representatives election victory",
        "Takaichi's March visit to the United States",
        "Trump's threat to raise tariffs on South Korean imports",
    },
}

# Other names the article uses for an entity.
EXPECTED_ALIASES = {
    ("Country", "United States"): {"U.S.", "US"},
    ("Company", "SoftBank Group"): {"SoftBank"},
    ("Official", "Akira Akazawa"): {"Akazawa"},
    ("Official", "Sanae Takaichi"): {"Takaichi"},
}

VEHICLE = "InvestmentVehicle/$550 billion investment vehicle"
RECIPROCAL = "TariffConcession/Reciprocal tariff rate reduced from 25% to 15%"
AUTOS = "TariffConcession/Lower tariffs on automobiles"
INVEST = "Commitment/Invest $550 billion in the United States"
MARKET = "Commitment/Open the market for agricultural products such as rice"
RULE = "Commitment/Initiate funding within 45 working days of project selection"
US_JAPAN = "Agreement/United States-Japan trade agreement"
US_KOREA = "Agreement/United States-South Korea agreement"
DATA_CENTER = "Project/Data center infrastructure initiative"
OIL = "Project/Deepwater crude oil terminal project"
DIAMOND = "Project/Synthetic diamond project for semiconductor applications"
POTENTIAL = "Project/Potential projects identified during Trump's visit to Japan"
METI = "Organization/Ministry of Economy, Trade and Industry"

# Every number in the article: the phrase as printed, and where the dataset must hold it.
EXPECTED_NUMBERS = [
    ("$550 billion", VEHICLE, "amount_usd", 550e9),
    ("$550 billion", INVEST, "amount_usd", 550e9),
    ("25%", RECIPROCAL, "rate_before_pct", 25),
    ("15%", RECIPROCAL, "rate_after_pct", 15),
    ("45 working days", RULE, "deadline_amount", 45),
    ("$350 million", POTENTIAL, "cost_min_usd", 350e6),
    ("$100 billion", POTENTIAL, "cost_max_usd", 100e9),
]

EXPECTED_PROPS = {
    VEHICLE: {"amount_usd": 550e9},
    DATA_CENTER: {"status": "final_review"},
    OIL: {"status": "final_review", "location": "Gulf of Mexico"},
    DIAMOND: {"status": "final_review"},
    POTENTIAL: {"status": "identified", "cost_min_usd": 350e6, "cost_max_usd": 100e9},
    US_JAPAN: {"kind": "trade_agreement", "status": "announced"},
    US_KOREA: {"kind": "trade_agreement"},
    RECIPROCAL: {"measure": "reciprocal tariff", "rate_before_pct": 25.0, "rate_after_pct": 15.0},
    INVEST: {"kind": "investment", "amount_usd": 550e9},
    MARKET: {"kind": "market_access"},
    RULE: {
        "kind": "funding_rule",
        "deadline_amount": 45,
        "deadline_unit": "working_days",
        "deadline_trigger": "project selection",
        "deadline_action": "initiate funding",
    },
    METI: {"kind": "ministry"},
    "Organization/House of Representatives": {"kind": "legislature"},
    "Event/Lutnick-Akazawa negotiations": {"kind": "negotiation"},
    "Event/Lutnick-Akazawa meeting in Washington": {"kind": "meeting", "status": "planned", "place": "Washington"},
    "Event/Trump's social media announcement of the trade agreement": {"kind": "announcement", "status": "held"},
    "Event/Trump's visit to Japan": {"kind": "visit", "status": "held"},
    "Event/Takaichi's House of Representatives election victory": {"kind": "election", "status": "held"},
    "Event/Takaichi's March visit to the United States": {"kind": "visit", "status": "planned"},
    "Event/Trump's threat to raise tariffs on South Korean imports": {"kind": "threat"},
}

CONSEQUENCE = "the U.S. revoking certain benefits or reimposing higher tariffs"

# The relationships the article states: (type, from, to, properties they must carry).
EXPECTED_RELATIONSHIPS = [
    ("HOLDS_POSITION", "Official/Trump", "Country/United States", {"role": "President"}),
    ("HOLDS_POSITION", "Official/Lutnick", "Country/United States", {"role": "Commerce Secretary"}),
    ("HOLDS_POSITION", "Official/Akira Akazawa", METI, {"role": "Minister of Economy, Trade and Industry"}),
    ("HOLDS_POSITION", "Official/Sanae Takaichi", "Country/Japan", {"role": "Prime Minister"}),
    ("PART_OF", METI, "Country/Japan", {}),
    ("PART_OF", "Organization/House of Representatives", "Country/Japan", {}),
    ("PARTY_TO", "Country/United States", US_JAPAN, {}),
    ("PARTY_TO", "Country/Japan", US_JAPAN, {}),
    ("PARTY_TO", "Country/United States", US_KOREA, {}),
    ("PARTY_TO", "Country/South Korea", US_KOREA, {}),
    ("GRANTS", US_JAPAN, RECIPROCAL, {}),
    ("GRANTS", US_JAPAN, AUTOS, {}),
    ("CONCEDES", "Country/United States", RECIPROCAL, {}),
    ("CONCEDES", "Country/United States", AUTOS, {}),
    ("BENEFITS", RECIPROCAL, "Country/Japan", {}),
    ("BENEFITS", AUTOS, "Country/Japan", {}),
    ("COVERS", AUTOS, "Sector/Automobiles", {}),
    ("CONDITIONAL_ON", RECIPROCAL, INVEST, {"consequence": CONSEQUENCE}),
    ("CONDITIONAL_ON", AUTOS, INVEST, {"consequence": CONSEQUENCE}),
    ("CONDITIONAL_ON", RECIPROCAL, RULE, {"consequence": CONSEQUENCE}),
    ("CONDITIONAL_ON", AUTOS, RULE, {"consequence": CONSEQUENCE}),
    ("INCLUDES", US_JAPAN, INVEST, {}),
    ("INCLUDES", US_JAPAN, MARKET, {}),
    ("INCLUDES", US_JAPAN, RULE, {}),
    ("MAKES", "Country/Japan", INVEST, {}),
    ("MAKES", "Country/Japan", MARKET, {}),
    ("MAKES", "Country/Japan", RULE, {}),
    ("GOVERNS", RULE, INVEST, {}),
    ("ESTABLISHES", "Country/Japan", VEHICLE, {}),
    ("FULFILS", VEHICLE, INVEST, {}),
    ("FUNDS", VEHICLE, DATA_CENTER, {}),
    ("FUNDS", VEHICLE, OIL, {}),
    ("FUNDS", VEHICLE, DIAMOND, {}),
    ("FUNDS", VEHICLE, POTENTIAL, {}),
    ("LEADS", "Company/SoftBank Group", DATA_CENTER, {}),
    ("PARTICIPATES_IN", "Company/SoftBank Group", POTENTIAL, {}),
    ("PARTICIPATES_IN", "Company/Westinghouse", POTENTIAL, {}),
    ("PARTICIPATES_IN", "Company/Toshiba", POTENTIAL, {}),
    ("IN_SECTOR", DATA_CENTER, "Sector/Data centers", {}),
    ("IN_SECTOR", OIL, "Sector/Crude oil", {}),
    ("IN_SECTOR", DIAMOND, "Sector/Synthetic diamonds", {}),
    ("IN_SECTOR", DIAMOND, "Sector/Semiconductors", {}),
    ("IN_SECTOR", POTENTIAL, "Sector/Energy", {}),
    ("IN_SECTOR", POTENTIAL, "Sector/Artificial intelligence", {}),
    ("IN_SECTOR", POTENTIAL, "Sector/Critical minerals", {}),
    ("COMPETES_WITH", "Country/South Korea", "Country/Japan", {"sector": "automobile manufacturing"}),
    ("ATTENDS", "Official/Lutnick", "Event/Lutnick-Akazawa negotiations", {}),
    ("ATTENDS", "Official/Akira Akazawa", "Event/Lutnick-Akazawa negotiations", {}),
    ("CONCERNS", "Event/Lutnick-Akazawa negotiations", VEHICLE, {}),
    ("ATTENDS", "Official/Lutnick", "Event/Lutnick-Akazawa meeting in Washington", {}),
    ("ATTENDS", "Official/Akira Akazawa", "Event/Lutnick-Akazawa meeting in Washington", {}),
    ("CONFIRMS", METI, "Event/Lutnick-Akazawa meeting in Washington", {}),
    ("HELD_IN", "Event/Lutnick-Akazawa meeting in Washington", "Country/United States", {}),
    ("CONCERNS", "Event/Trump's social media announcement of the trade agreement", US_JAPAN, {}),
    ("ATTENDS", "Official/Trump", "Event/Trump's visit to Japan", {}),
    ("HELD_IN", "Event/Trump's visit to Japan", "Country/Japan", {}),
    ("CONCERNS", "Event/Trump's visit to Japan", POTENTIAL, {}),
    (
        "ATTENDS",
        "Official/Sanae Takaichi",
        "Event/Takaichi's House of Representatives election victory",
        {"role": "winner"},
    ),
    ("ATTENDS", "Official/Sanae Takaichi", "Event/Takaichi's March visit to the United States", {}),
    ("HELD_IN", "Event/Takaichi's March visit to the United States", "Country/United States", {}),
    ("CONCERNS", "Event/Trump's threat to raise tariffs on South Korean imports", "Country/South Korea", {}),
    ("CONCERNS", "Event/Trump's threat to raise tariffs on South Korean imports", US_KOREA, {}),
]


@pytest.fixture(scope="module")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return parse_dataset(BUNDLED_DATASET)


def _article_body(text: str) -> str:
    """The headline and the article's paragraphs, without the page's boilerplate."""
    return text.split("Disclaimer:")[0]


def _id(ref: str) -> str:
    label, name = ref.split("/", 1)
    return node_id(label, country_code(name) if label == "Country" else name)


def _nodes_by_ref(dataset: Dataset) -> dict[str, dict]:
    return {f"{n.label}/{n.props['name']}": n.props for n in dataset.nodes}


# -- quotes ------------------------------------------------------------------------------


def test_every_quote_is_verbatim_at_its_span(dataset, article):
    source_ids = {n.id for n in dataset.nodes if n.label == "Source"}
    assert len(source_ids) == 1
    records = [*dataset.nodes, *dataset.relationships]
    checked = 0
    for record in records:
        label = getattr(record, "label", None) or record.type
        citations = record.citations
        assert citations, f"{record.id} has no citation"
        if label == "Source":
            continue  # a source cites itself, without a quote
        for c in citations:
            assert c.source in source_ids, f"{record.id} cites unknown source {c.source}"
            assert c.quote, f"{record.id} has an empty quote"
            assert 0 <= c.start < c.end <= len(article), f"{record.id}: bad span {c.start}:{c.end}"
            assert article[c.start : c.end] == c.quote, f"{record.id}: span {c.start}:{c.end} is not its quote"
            assert article.count(c.quote) == 1, f"{record.id}: quote is ambiguous: {c.quote!r}"
            checked += 1
    assert checked >= len(records) - 1


def test_quotes_cover_the_whole_article(dataset, article):
    """Every word of the headline and the article's paragraphs is cited by some record."""
    covered = bytearray(len(article))
    for record in [*dataset.nodes, *dataset.relationships]:
        for c in record.citations:
            if c.start >= 0:
                covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    body = _article_body(article)
    dateline = {"Stock News", "Yesterday"}  # held by the Source node (publisher, note)
    offset = 0
    for line in body.splitlines(keepends=True):
        if line.strip() and line.strip() not in dateline:
            uncovered = [i for i in range(offset, offset + len(line.rstrip())) if not covered[i]]
            text = "".join(article[i] for i in uncovered)
            assert not text.strip(), f"not cited: {text!r}"
        offset += len(line)


def test_source_node(dataset, article):
    (source,) = [n.props for n in dataset.nodes if n.label == "Source"]
    assert source["title"] == HEADLINE
    assert source["kind"] == "article"
    assert source["publisher"] == "Stock News"
    assert "published_on" not in source  # the article is dated only "Yesterday"
    assert "Yesterday" in source["note"]
    assert source["text_sha256"] == hashlib.sha256(article.encode("utf-8")).hexdigest()


# -- completeness ------------------------------------------------------------------------


def test_every_entity_of_the_article_is_present(dataset):
    found: dict[str, set[str]] = {}
    for n in dataset.nodes:
        if n.label != "Source":
            found.setdefault(n.label, set()).add(n.props["name"])
    assert found == EXPECTED_NAMES


def test_aliases(dataset, article):
    nodes = _nodes_by_ref(dataset)
    for (label, name), aliases in EXPECTED_ALIASES.items():
        assert aliases <= set(nodes[f"{label}/{name}"].get("aliases", [])), name
    for props in nodes.values():
        for alias in props.get("aliases", []):
            assert alias in article, f"alias {alias!r} is not the article's wording"


def test_every_number_of_the_article_is_present(dataset, article):
    body = _article_body(article)
    printed = {
        m.group(0).lower()
        for m in re.finditer(r"\$?\d[\d,.]*(?:%| billion| million| working days)?", body, flags=re.IGNORECASE)
    }
    assert printed == {phrase for phrase, *_ in EXPECTED_NUMBERS}
    nodes = _nodes_by_ref(dataset)
    for phrase, ref, prop, value in EXPECTED_NUMBERS:
        props = nodes[ref]
        assert props.get(prop) == value, f"{ref}.{prop} = {props.get(prop)!r}, expected {value}"
        assert any(phrase in q for q in props["quotes"]), f"{ref} does not quote {phrase!r}"
    assert nodes[RULE]["deadline_unit"] == "working_days"
    # The article gives no rates for automobiles.
    assert "rate_before_pct" not in nodes[AUTOS] and "rate_after_pct" not in nodes[AUTOS]


def test_expected_properties(dataset):
    nodes = _nodes_by_ref(dataset)
    for ref, expected in EXPECTED_PROPS.items():
        actual = {k: nodes[ref].get(k) for k in expected}
        assert actual == expected, ref


def test_no_dates_are_invented(dataset):
    """The article is undated; relative times are kept in notes, never as dates."""
    date_keys = {"valid_from", "valid_to", "reported_on", "starts_on", "published_on", "retrieved_on"}
    for record in [*dataset.nodes, *dataset.relationships]:
        assert not date_keys & set(record.props), record.id


def test_expected_relationships(dataset):
    rels = {(r.type, r.start, r.end): r.props for r in dataset.relationships}
    for rel_type, start, end, expected in EXPECTED_RELATIONSHIPS:
        key = (rel_type, _id(start), _id(end))
        assert key in rels, f"missing ({start})-[:{rel_type}]->({end})"
        actual = {k: rels[key].get(k) for k in expected}
        assert actual == expected, f"({start})-[:{rel_type}]->({end})"


# -- loading -----------------------------------------------------------------------------


def test_loading_twice_is_idempotent(tmp_path, dataset):
    store = EmbeddedStore(tmp_path)
    first = load_dataset(store)
    counts = store.counts()
    assert first.nodes_created == len({n.id for n in dataset.nodes}) == counts.nodes
    assert first.relationships_created == len({r.id for r in dataset.relationships}) == counts.relationships
    assert first.claims == 0

    second = load_dataset(store)
    assert store.counts() == counts
    assert (
        second.nodes_created,
        second.nodes_updated,
        second.relationships_created,
        second.relationships_updated,
        second.claims,
    ) == (0, 0, 0, 0, 0)
    assert EmbeddedStore(tmp_path).counts() == counts  # and the file says the same


# -- rejection of bad datasets -----------------------------------------------------------

# A small valid dataset; each case below breaks it in one place. Its line numbers matter.
GOOD = """\
sources:
  s:
    title: Loader rejection test
    kind: article
    text: sources/000_0de8b12887b33d2a.txt
nodes:
  - label: Company
    name: Westinghouse
    cite:
      - source: s
        quote: "involving companies such as SoftBank, Westinghouse, and Toshiba"
  - label: Agreement
    name: Test agreement
    props:
      kind: trade_agreement
      valid_from: 2001-02-03
    cite:
      - source: s
        quote: "Japan has 45 working days after project selection to initiate funding."
relationships:
  - type: PARTICIPATES_IN
    from: Company/Westinghouse
    to: Project/Potential projects identified during Trump's visit to Japan
    cite:
      - source: s
        quote: "involving companies such as SoftBank, Westinghouse, and Toshiba"
"""

# (case, text to replace in GOOD, replacement, line the error must name, field it must name)
BAD_CASES = [
    ("unknown label", "- label: Agreement", "- label: Treaty", 12, "nodes[1].label"),
    ("missing name", "    name: Test agreement\n", "", 12, "nodes[1].name"),
    ("bad date (quoted)", "valid_from: 2001-02-03", "valid_from: '2025-13-45'", 16, "nodes[1].valid_from"),
    ("unknown property", "valid_from: 2001-02-03", "budget_usd: 5", 16, "nodes[1].budget_usd"),
    ("quote not in source", "Japan has 45 working days", "Japan has 90 working days", 19, "nodes[1].cite[0].quote"),
    (
        "relationship to a missing node",
        "to: Project/Potential projects identified during Trump's visit to Japan",
        "to: Project/Moon base",
        21,
        "relationships[0].to",
    ),
]


@pytest.fixture
def seeded_store(tmp_path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    load_dataset(store)
    return store


def _write_dataset(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "data"
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ARTICLE, folder / "sources" / ARTICLE.name)
    path = folder / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _assert_rejected(store: EmbeddedStore, path: Path, line: int, field: str) -> None:
    counts = store.counts()
    stored = store.path.read_bytes()
    with pytest.raises(DatasetError) as info:
        load_dataset(store, path)
    message = str(info.value)
    assert f"{path}:{line}:" in message, message
    assert field in message, message
    assert (info.value.line, info.value.field) == (line, field)
    assert store.counts() == counts
    assert store.path.read_bytes() == stored
    assert EmbeddedStore(store.data_dir).counts() == counts


def test_the_valid_variant_loads(tmp_path, seeded_store):
    """The cases below fail only because of their one change."""
    before = seeded_store.counts()
    summary = load_dataset(seeded_store, _write_dataset(tmp_path, GOOD))
    # New: the Source and the Agreement. Westinghouse and its PARTICIPATES_IN edge exist already
    # and gain a citation.
    assert (summary.nodes_created, summary.nodes_updated) == (2, 1)
    assert (summary.relationships_created, summary.relationships_updated, summary.claims) == (0, 1, 0)
    assert seeded_store.counts().nodes == before.nodes + 2


@pytest.mark.parametrize(("case", "old", "new", "line", "field"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_dataset_is_rejected_and_nothing_is_written(tmp_path, seeded_store, case, old, new, line, field):
    assert GOOD.count(old) == 1, case
    path = _write_dataset(tmp_path, GOOD.replace(old, new))
    _assert_rejected(seeded_store, path, line, field)


def test_unquoted_bad_date_is_rejected_with_its_line(tmp_path, seeded_store):
    path = _write_dataset(tmp_path, GOOD.replace("valid_from: 2001-02-03", "valid_from: 2025-13-45"))
    _assert_rejected(seeded_store, path, 16, "nodes[1].valid_from")
