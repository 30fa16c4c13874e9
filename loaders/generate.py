"""A deterministic generator of realistic synthetic deal graphs, at any size.

`generate(n, seed)` returns `(nodes, relationships)` records (graph/model.py) that any store
merges as they are; `write_dataset` writes them as a dataset file that `dealgraph load`
accepts (the YAML format of docs/datasets.md). Same `n` and `seed`, same records, byte for
byte; sizes land within a few nodes of `n`.

What is in it (real countries from pycountry; everything else invented):

- Countries, each with ministries (`Organization` PART_OF Country) and officials
  (`Official` HOLDS_POSITION Organization); countries are drawn Zipf-like, so a few big
  economies carry most of the trade, as in the real world.
- Agreements between two countries (both PARTY_TO it). Each GRANTS tariff concessions
  (conceded by one party, BENEFITS the other, COVERS sectors) and INCLUDES commitments that
  the beneficiary MAKES; concessions are CONDITIONAL_ON a commitment of their agreement.
- Investment vehicles that a committing country ESTABLISHES; a vehicle FULFILS investment
  commitments and FUNDS projects (LOCATED_IN the conceding country, IN_SECTOR a sector).
- Companies BASED_IN a country, IN_SECTOR a sector, that EXPORTS sectors (with the market in
  `to`), LEAD and PARTICIPATE_IN projects, sometimes SUBSIDIARY_OF another company.
- Events (meetings, negotiations, announcements) HELD_IN a country that CONCERN agreements,
  attended by officials.

So both dependency shapes exist: exposure, (Company)-[:BASED_IN]->(Country)<-[:BENEFITS]-
(TariffConcession)-[:COVERS]->(Sector)<-[:EXPORTS|IN_SECTOR]-(Company); and fulfilment,
(Company)-[:LEADS|PARTICIPATES_IN]->(Project)<-[:FUNDS]-(InvestmentVehicle)-[:FULFILS]->
(Commitment)<-[:CONDITIONAL_ON]-(TariffConcession).

Every record cites one synthetic Source (no text, so quotes are empty) and most carry
`valid_from` (some `valid_to`). Records share their provenance lists and date objects to
keep a million-node graph small in memory: treat them as read-only (the stores copy).

>>> nodes, rels = generate(300, seed=1)
>>> abs(len(nodes) - 300) <= 5, len(rels) > 2 * len(nodes)
(True, True)
>>> generate(300, seed=1)[1][7] == rels[7]
True
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import json
import os
import random
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, TextIO

import pycountry
import typer

from graph.ids import node_id
from graph.model import Node, Relationship
from graph.store import gc_paused

SOURCE_HANDLE = "synthetic"
FORMATS = ("yaml", "json")

# Shares of the nodes per label (countries, sectors, the source are added on top and taken
# out of the company share, so the total stays close to n).
SHARES = {
    "Official": 0.08,
    "Organization": 0.04,
    "Agreement": 0.03,
    "TariffConcession": 0.08,
    "Commitment": 0.06,
    "InvestmentVehicle": 0.02,
    "Project": 0.15,
    "Event": 0.06,
}

# Big economies first: they get the heaviest Zipf weights (then the rest, shuffled by seed).
MAJOR_ECONOMIES = [
    "USA",
    "CHN",
    "JPN",
    "DEU",
    "IND",
    "GBR",
    "FRA",
    "ITA",
    "CAN",
    "BRA",
    "KOR",
    "RUS",
    "AUS",
    "MEX",
    "ESP",
    "IDN",
    "NLD",
    "SAU",
    "TUR",
    "CHE",
    "TWN",
    "POL",
    "BEL",
    "SWE",
    "ARG",
    "THA",
    "IRL",
    "ISR",
    "SGP",
    "ARE",
    "NOR",
    "AUT",
    "VNM",
    "PHL",
    "MYS",
    "ZAF",
    "DNK",
    "COL",
    "CHL",
    "EGY",
]

SECTORS = [
    "Automobiles",
    "Auto parts",
    "Semiconductors",
    "Steel",
    "Aluminium",
    "Shipbuilding",
    "Aircraft",
    "Pharmaceuticals",
    "Medical devices",
    "Crude oil",
    "Liquefied natural gas",
    "Coal",
    "Nuclear power",
    "Solar power",
    "Wind power",
    "Batteries",
    "Critical minerals",
    "Copper",
    "Rare earths",
    "Chemicals",
    "Fertilisers",
    "Plastics",
    "Textiles",
    "Apparel",
    "Footwear",
    "Furniture",
    "Machine tools",
    "Industrial robots",
    "Electrical equipment",
    "Consumer electronics",
    "Telecommunications equipment",
    "Data centers",
    "Cloud services",
    "Software",
    "Financial services",
    "Insurance",
    "Logistics",
    "Rail equipment",
    "Construction",
    "Cement",
    "Paper",
    "Timber",
    "Beef",
    "Pork",
    "Poultry",
    "Dairy",
    "Rice",
    "Wheat",
    "Soybeans",
    "Corn",
    "Fruit",
    "Seafood",
    "Wine",
    "Spirits",
    "Tobacco",
    "Sugar",
    "Coffee",
    "Cocoa",
    "Synthetic diamonds",
    "Precious metals",
    "Defense equipment",
    "Satellites",
]
SECTOR_SEGMENTS = ["components", "equipment", "materials", "services", "machinery", "processing", "retail", "research"]

MINISTRIES = [
    ("Ministry of Trade", "Minister of Trade"),
    ("Ministry of Economy", "Minister of Economy"),
    ("Ministry of Foreign Affairs", "Foreign Minister"),
    ("Ministry of Finance", "Finance Minister"),
    ("Ministry of Industry", "Minister of Industry"),
    ("Ministry of Energy", "Energy Minister"),
    ("Ministry of Agriculture", "Minister of Agriculture"),
    ("Investment Agency", "Director of Investment"),
    ("Customs Agency", "Customs Commissioner"),
    ("Trade Representative Office", "Trade Representative"),
]
ORG_KINDS = {"Ministry": "ministry", "Agency": "agency", "Office": "executive"}
DEPUTY_ROLES = ["Deputy Minister", "Chief Negotiator", "State Secretary", "Senior Adviser", "Director General"]

FIRST_NAMES = [
    "Akira",
    "Sanae",
    "Howard",
    "Maria",
    "Wei",
    "Li",
    "Anna",
    "James",
    "Olga",
    "Ravi",
    "Priya",
    "Jonas",
    "Elena",
    "Kenji",
    "Yuki",
    "Carlos",
    "Lucia",
    "Ahmed",
    "Fatima",
    "Pierre",
    "Claire",
    "Hans",
    "Greta",
    "Min-jun",
    "Seo-yeon",
    "Arjun",
    "Chen",
    "Sofia",
    "Mateo",
    "Amara",
    "Kwame",
    "Ingrid",
    "Lars",
    "Marco",
    "Giulia",
    "Tomas",
    "Ewa",
    "Nadia",
    "Omar",
    "Leila",
    "Diego",
    "Camila",
    "Rohan",
    "Mei",
    "Hiroshi",
    "Daniel",
    "Sarah",
    "Emeka",
    "Zainab",
    "Victor",
]
LAST_NAMES = [
    "Akazawa",
    "Tanaka",
    "Suzuki",
    "Kim",
    "Park",
    "Lee",
    "Wang",
    "Zhang",
    "Liu",
    "Singh",
    "Sharma",
    "Patel",
    "Mueller",
    "Schmidt",
    "Fischer",
    "Rossi",
    "Bianchi",
    "Martin",
    "Bernard",
    "Dubois",
    "Garcia",
    "Lopez",
    "Silva",
    "Santos",
    "Costa",
    "Novak",
    "Kowalski",
    "Nowak",
    "Ivanov",
    "Petrov",
    "Johansson",
    "Nielsen",
    "Hansen",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Okafor",
    "Mensah",
    "Haddad",
    "Nasser",
    "Yilmaz",
    "Demir",
    "Nguyen",
    "Tran",
    "Santoso",
    "Reyes",
]
INITIALS = "ABCDEFGHJKLMNPRSTVW"

NAME_HEADS = [
    "Nor",
    "Ka",
    "Sun",
    "Ori",
    "Vel",
    "Astra",
    "Mira",
    "Tera",
    "Cobalt",
    "Hoku",
    "Zen",
    "Lumen",
    "Apex",
    "Delta",
    "Sora",
    "Kita",
    "Alto",
    "Vira",
    "Nexa",
    "Poly",
    "Rhein",
    "Tago",
    "Indo",
    "Pax",
    "Brio",
    "Cresta",
    "Fuji",
    "Maru",
    "Seren",
    "Volta",
]
NAME_TAILS = [
    "dan",
    "ra",
    "tek",
    "via",
    "lex",
    "mont",
    "gen",
    "core",
    "line",
    "field",
    "wave",
    "stone",
    "bridge",
    "works",
    "tron",
    "vale",
    "point",
    "star",
    "port",
    "haven",
]
COMPANY_KINDS = [
    "Motors",
    "Steel",
    "Energy",
    "Semiconductor",
    "Chemicals",
    "Foods",
    "Logistics",
    "Electric",
    "Heavy Industries",
    "Pharma",
    "Mining",
    "Shipping",
    "Materials",
    "Robotics",
    "Telecom",
    "Capital",
    "Power",
    "Agritech",
    "Aerospace",
    "Textiles",
]
COMPANY_SUFFIXES = ["Corp", "Group", "Holdings", "Industries", "Ltd", "Inc", "AG", "SA", "KK", "Co", "plc", "NV"]

PROJECT_KINDS = [
    "Data center campus",
    "Crude oil export terminal",
    "Synthetic diamond plant",
    "LNG terminal",
    "Battery gigafactory",
    "Semiconductor fab",
    "Steel mill upgrade",
    "Port expansion",
    "Nuclear power plant",
    "Solar farm",
    "Wind farm",
    "Copper smelter",
    "Rail corridor",
    "Chemical complex",
    "Auto assembly plant",
    "Shipyard",
    "Pipeline",
    "Grid interconnector",
    "Pharmaceutical plant",
    "Rare earth refinery",
]
PLACES = [
    "Texas",
    "Ohio",
    "Louisiana",
    "Alaska",
    "Arizona",
    "Georgia",
    "Nevada",
    "Osaka",
    "Kyushu",
    "Bavaria",
    "Gujarat",
    "Jiangsu",
    "Ontario",
    "Queensland",
    "Sao Paulo",
    "Jalisco",
    "Gdansk",
    "Rotterdam",
    "Busan",
    "Johor",
]
MEASURES = [
    "reciprocal tariff",
    "most-favoured-nation tariff",
    "Section 232 tariff",
    "safeguard duty",
    "anti-dumping duty",
    "tariff-rate quota",
]
EVENT_KINDS = ["meeting", "negotiation", "announcement", "visit", "review", "threat"]
EVENT_NAMES = {
    "meeting": "Ministerial meeting",
    "negotiation": "Negotiation round",
    "announcement": "Announcement",
    "visit": "State visit",
    "review": "Implementation review",
    "threat": "Tariff threat",
}
COMMITMENT_KINDS = ["investment", "investment", "purchase", "market_access"]
DEADLINE_TRIGGERS = {
    "investment": ("project selection", "initiate funding"),
    "purchase": ("agreement entry into force", "complete purchases"),
    "market_access": ("agreement entry into force", "open the market"),
}

FIRST_DAY = dt.date(2012, 1, 1)
DAYS = 14 * 365


class _Dates:
    """Shared date objects (a few thousand distinct days), so records cost no date each."""

    def __init__(self) -> None:
        self._pool = [FIRST_DAY + dt.timedelta(days=i) for i in range(DAYS + 2 * 365)]

    def at(self, day: int) -> dt.date:
        return self._pool[min(max(day, 0), len(self._pool) - 1)]


def _country_list(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(iso3, iso2, name) for `count` countries, the big economies first."""
    by_code = {c.alpha_3: c for c in pycountry.countries}
    rest = sorted(set(by_code) - set(MAJOR_ECONOMIES))
    rng.shuffle(rest)
    codes = [c for c in MAJOR_ECONOMIES if c in by_code] + rest
    out = []
    for code in codes[:count]:
        c = by_code[code]
        out.append((code, c.alpha_2, getattr(c, "common_name", None) or c.name))
    return out


def _sector_names(count: int) -> list[str]:
    names = list(SECTORS)
    for segment in SECTOR_SEGMENTS:
        if len(names) >= count:
            break
        names.extend(f"{s} {segment}" for s in SECTORS)
    k = 2
    while len(names) < count:
        names.extend(f"{s} {segment} {k}" for s in SECTORS for segment in SECTOR_SEGMENTS)
        k += 1
    return names[:count]


class _Unique:
    """Hands out names unique within a label: a drawn name seen before gets a number."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, name: str) -> str:
        k = self.seen.get(name)
        if k is None:
            self.seen[name] = 1
            return name
        while True:
            k += 1
            candidate = f"{name} {k}"
            if candidate not in self.seen:
                self.seen[name] = k
                self.seen[candidate] = 1
                return candidate


def plan(n: int) -> dict[str, int]:
    """How many nodes of each label `generate(n)` makes (they add up to about n).

    >>> sum(plan(1000).values())
    1000
    """
    n = max(int(n), 60)
    countries = min(len(pycountry.countries), max(8, n // 400))
    sectors = min(len(SECTORS) * (len(SECTOR_SEGMENTS) + 1), max(12, n // 600))
    counts = {"Source": 1, "Country": countries, "Sector": sectors}
    for label, share in SHARES.items():
        counts[label] = max(2, round(n * share))
    counts["Company"] = n - sum(counts.values())
    return counts


class _Builder:
    def __init__(self, n: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = n
        self.dates = _Dates()
        self.nodes: list[Node] = []
        self.rels: list[Relationship] = []
        self.source_id = ""
        self.prov: dict[str, list[Any]] = {}
        self._cum: dict[tuple[tuple[Any, ...], tuple[float, ...]], list[float]] = {}

    # -- records -------------------------------------------------------------------------

    def node(self, label: str, name: str, props: dict[str, Any]) -> str:
        nid = node_id(label, props["iso3"] if label == "Country" else name)
        props["id"] = nid
        props["name"] = name
        props.update(self.prov)
        self.nodes.append(Node(nid, label, props))
        return nid

    def rel(self, rel_type: str, start: str, end: str, props: dict[str, Any] | None = None) -> None:
        digest = hashlib.sha1(f"{rel_type}|{start}|{end}|".encode(), usedforsecurity=False).hexdigest()[:16]
        rid = "rel:" + digest
        p = {"id": rid}
        if props:
            p.update(props)
        p.update(self.prov)
        self.rels.append(Relationship(rid, rel_type, start, end, p))

    def weighted(self, items: Sequence[Any], weights: Sequence[float]) -> Any:
        """One of `items`, drawn with `weights` (cumulative sums cached per call site)."""
        key = (tuple(items), tuple(weights))
        cum = self._cum.get(key)
        if cum is None:
            cum = self._cum[key] = list(itertools.accumulate(weights))
        return key[0][bisect.bisect(cum, self.rng.random() * cum[-1])]

    def day(self, lo: int = 0, hi: int = DAYS) -> dt.date:
        return self.dates.at(self.rng.randrange(lo, hi))

    # -- the graph -----------------------------------------------------------------------

    def build(self) -> tuple[list[Node], list[Relationship]]:
        rng = self.rng
        counts = plan(self.n)
        title = f"Synthetic deal graph (seed {self.seed})"
        self.source_id = node_id("Source", title)
        cite = {"sources": [self.source_id], "quotes": [""], "quote_starts": [-1], "quote_ends": [-1]}
        self.prov = cite
        self.node(
            "Source",
            title,
            {
                "title": title,
                "kind": "dataset",
                "publisher": "dealgraph generate",
                "retrieved_on": dt.date(2025, 1, 1),
                "description": f"Invented by `dealgraph generate --seed {self.seed}`; only the countries are real.",
            },
        )

        # Countries, Zipf-weighted: weight 1/(rank+1).
        countries = _country_list(rng, counts["Country"])
        country_ids = [self.node("Country", name, {"iso3": c3, "iso2": c2}) for c3, c2, name in countries]
        iso3_of = dict(zip(country_ids, (c[0] for c in countries), strict=True))
        name_of = {cid: c[2] for cid, c in zip(country_ids, countries, strict=True)}
        cum_country = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(country_ids))))

        def pick_country(exclude: str | None = None) -> str:
            while True:
                c = country_ids[bisect.bisect(cum_country, rng.random() * cum_country[-1])]
                if c != exclude:
                    return c

        sector_ids = [self.node("Sector", s, {}) for s in _sector_names(counts["Sector"])]
        cum_sector = list(itertools.accumulate(1.0 / (i + 1) ** 0.6 for i in range(len(sector_ids))))

        def pick_sectors(k: int) -> list[str]:
            out: list[str] = []
            for _ in range(k * 3):
                s = sector_ids[bisect.bisect(cum_sector, rng.random() * cum_sector[-1])]
                if s not in out:
                    out.append(s)
                    if len(out) == k:
                        break
            return out

        # Ministries and officials.
        orgs_of: dict[str, list[tuple[str, str]]] = {c: [] for c in country_ids}
        org_names = _Unique()
        n_org = counts["Organization"]
        for i in range(n_org):
            country = country_ids[i] if i < len(country_ids) else pick_country()
            ministry, role = MINISTRIES[len(orgs_of[country]) % len(MINISTRIES)]
            name = org_names(f"{ministry} of {name_of[country]}")
            kind = next(v for k, v in ORG_KINDS.items() if k in ministry)
            oid = self.node("Organization", name, {"kind": kind, "valid_from": self.day(0, 365)})
            orgs_of[country].append((oid, role))
            self.rel("PART_OF", oid, country)
        all_orgs = [(c, o, r) for c, orgs in orgs_of.items() for o, r in orgs]
        person_names = _Unique()
        officials_of: dict[str, list[str]] = {c: [] for c in country_ids}
        for i in range(counts["Official"]):
            country, org, role = all_orgs[i % len(all_orgs)]
            if i >= len(all_orgs):
                role = rng.choice(DEPUTY_ROLES)
            name = person_names(
                f"{rng.choice(FIRST_NAMES)} {rng.choice(INITIALS)}. {rng.choice(LAST_NAMES)}"
                if i % 3 == 0
                else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            )
            start = rng.randrange(0, DAYS - 400)
            oid = self.node("Official", name, {"valid_from": self.dates.at(start)})
            props: dict[str, Any] = {"role": role, "valid_from": self.dates.at(start)}
            if rng.random() < 0.3:
                props["valid_to"] = self.dates.at(start + rng.randrange(200, 2000))
            self.rel("HOLDS_POSITION", oid, org, props)
            officials_of[country].append(oid)

        # Agreements, their concessions and commitments.
        agreement_names = _Unique()
        agreements: list[tuple[str, str, str, int]] = []  # (id, conceding country, beneficiary, start day)
        for _ in range(counts["Agreement"]):
            a = pick_country()
            b = pick_country(exclude=a)
            start = rng.randrange(0, DAYS - 30)
            kind = self.weighted(["trade_agreement", "framework", "mou", "executive_order"], [5, 3, 2, 1])
            label = {
                "trade_agreement": "Trade Agreement",
                "framework": "Economic Framework",
                "mou": "MOU",
                "executive_order": "Tariff Order",
            }[kind]
            year = (FIRST_DAY + dt.timedelta(days=start)).year
            name = agreement_names(f"{iso3_of[a]}-{iso3_of[b]} {label} {year}")
            status = self.weighted(["in_force", "signed", "announced", "suspended", "terminated"], [6, 2, 2, 1, 1])
            props = {
                "kind": kind,
                "status": status,
                "valid_from": self.dates.at(start),
                "description": f"Between {name_of[a]} and {name_of[b]}.",
            }
            if status == "terminated":
                props["valid_to"] = self.dates.at(start + rng.randrange(180, 1500))
            aid = self.node("Agreement", name, props)
            self.rel("PARTY_TO", a, aid, {"valid_from": self.dates.at(start)})
            self.rel("PARTY_TO", b, aid, {"valid_from": self.dates.at(start)})
            agreements.append((aid, a, b, start))

        commitments: list[tuple[str, int]] = []  # (id, agreement index)
        investment_commitments: list[int] = []
        commitments_of: dict[int, list[str]] = {}
        n_agr = len(agreements)
        for i in range(counts["Commitment"]):
            ai = i % n_agr if i < 2 * n_agr else rng.randrange(n_agr)
            aid, a, b, start = agreements[ai]
            kind = COMMITMENT_KINDS[0] if i < n_agr else rng.choice(COMMITMENT_KINDS)
            amount = float(rng.choice([5, 10, 20, 50, 100, 150, 250, 400, 550])) * 1e9
            what = {"investment": "investment in", "purchase": "purchases from", "market_access": "market access for"}
            name = f"{iso3_of[b]} {what[kind]} {iso3_of[a]} under {self.nodes_name(aid)} ({i + 1})"
            props: dict[str, Any] = {
                "kind": kind,
                "valid_from": self.dates.at(start),
                "status": self.weighted(["pledged", "in_progress", "met", "breached"], [4, 4, 2, 1]),
            }
            if kind != "market_access":
                props["amount_usd"] = amount
                trigger, action = DEADLINE_TRIGGERS[kind]
                props.update(
                    deadline_amount=rng.choice([30, 45, 60, 90]),
                    deadline_unit=rng.choice(["working_days", "calendar_days"]),
                    deadline_trigger=trigger,
                    deadline_action=action,
                )
            cid = self.node("Commitment", name, props)
            self.rel("INCLUDES", aid, cid, {"valid_from": self.dates.at(start)})
            self.rel("MAKES", b, cid, {"valid_from": self.dates.at(start)})
            if kind == "market_access":
                for s in pick_sectors(rng.randint(1, 2)):
                    self.rel("COVERS", cid, s)
            commitments.append((cid, ai))
            commitments_of.setdefault(ai, []).append(cid)
            if kind == "investment":
                investment_commitments.append(len(commitments) - 1)

        for i in range(counts["TariffConcession"]):
            ai = i % n_agr if i < n_agr else rng.randrange(n_agr)
            aid, a, b, start = agreements[ai]
            measure = rng.choice(MEASURES)
            before = float(rng.choice([10, 15, 20, 25, 30, 35, 50]))
            after = float(rng.choice([0, 2.5, 5, 7.5, 10, 15])) if before > 15 else before / 2
            sectors = pick_sectors(self.weighted([1, 2, 3], [3, 4, 2]))
            first = self.nodes_name(sectors[0])
            name = f"{iso3_of[a]} {measure} on {first} from {iso3_of[b]} {before:g} to {after:g} pct ({i + 1})"
            status = self.weighted(["in_force", "announced", "suspended", "revoked"], [8, 2, 1, 1])
            props = {
                "measure": measure,
                "rate_before_pct": before,
                "rate_after_pct": after,
                "status": status,
                "valid_from": self.dates.at(start),
            }
            if status == "revoked":
                props["valid_to"] = self.dates.at(start + rng.randrange(90, 1200))
            tid = self.node("TariffConcession", name, props)
            self.rel("GRANTS", aid, tid, {"valid_from": self.dates.at(start)})
            self.rel("CONCEDES", a, tid)
            self.rel("BENEFITS", tid, b)
            for s in sectors:
                self.rel("COVERS", tid, s)
            if rng.random() < 0.85 and ai in commitments_of:
                consequence = rng.choice(
                    ["the tariff returns to its previous rate", "tariffs may be re-imposed", "the concession lapses"]
                )
                self.rel("CONDITIONAL_ON", tid, rng.choice(commitments_of[ai]), {"consequence": consequence})

        # Investment vehicles fulfil investment commitments and fund projects.
        vehicle_names = _Unique()
        vehicles: list[tuple[str, str, str]] = []  # (id, establishing country, host country)
        for i in range(counts["InvestmentVehicle"]):
            ci = investment_commitments[i % len(investment_commitments)] if investment_commitments else 0
            cid, ai = commitments[ci]
            aid, a, b, start = agreements[ai]
            amount = float(rng.choice([1, 5, 10, 25, 50, 100, 550])) * 1e9
            name = vehicle_names(f"{name_of[b]} {name_of[a]} Investment Facility")
            vid = self.node("InvestmentVehicle", name, {"amount_usd": amount, "valid_from": self.dates.at(start + 30)})
            self.rel("ESTABLISHES", b, vid, {"valid_from": self.dates.at(start + 30)})
            self.rel("FULFILS", vid, cid)
            if rng.random() < 0.3 and len(investment_commitments) > 1:
                other = commitments[rng.choice(investment_commitments)][0]
                if other != cid:
                    self.rel("FULFILS", vid, other)
            vehicles.append((vid, b, a))

        # Projects, funded by a vehicle, in its host country.
        project_names = _Unique()
        projects: list[str] = []
        for i in range(counts["Project"]):
            vid, home, host = vehicles[i % len(vehicles)] if i < len(vehicles) else rng.choice(vehicles)
            place = rng.choice(PLACES)
            name = project_names(f"{rng.choice(PROJECT_KINDS)} {place}")
            cost = float(rng.choice([0.5, 1, 2, 5, 10, 25, 40])) * 1e9
            status = self.weighted(
                ("identified", "proposed", "under_review", "final_review", "selected", "funded", "cancelled"),
                (2, 3, 3, 2, 3, 4, 1),
            )
            start = rng.randrange(365, DAYS)
            props = {
                "status": status,
                "location": place,
                "cost_min_usd": cost,
                "cost_max_usd": cost * 1.5,
                "valid_from": self.dates.at(start),
            }
            pid = self.node("Project", name, props)
            self.rel("FUNDS", vid, pid, {"valid_from": self.dates.at(start)})
            self.rel("LOCATED_IN", pid, host)
            self.rel("IN_SECTOR", pid, pick_sectors(1)[0])
            projects.append(pid)

        # Companies: home, sector, exports; they lead and join projects.
        company_names = _Unique()
        companies: list[str] = []
        heads, tails = NAME_HEADS, NAME_TAILS
        for _ in range(counts["Company"]):
            root = rng.choice(heads) + rng.choice(tails)
            name = company_names(f"{root} {rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_SUFFIXES)}")
            cid = self.node("Company", name, {"valid_from": self.day()})
            home = pick_country()
            sectors = pick_sectors(self.weighted([1, 2, 3], [3, 4, 2]))
            self.rel("BASED_IN", cid, home)
            self.rel("IN_SECTOR", cid, sectors[0])
            for s in sectors:
                self.rel("EXPORTS", cid, s, {"to": iso3_of[pick_country(exclude=home)], "valid_from": self.day()})
            if companies and rng.random() < 0.12:
                parent = companies[rng.randrange(len(companies))]
                self.rel("SUBSIDIARY_OF", cid, parent)
            companies.append(cid)
        for pid in projects:
            size = min(len(companies), self.weighted((1, 2, 3, 4), (2, 4, 3, 1)))
            team: list[str] = []
            while len(team) < size:
                c = companies[rng.randrange(len(companies))]
                if c not in team:
                    team.append(c)
            self.rel("LEADS", team[0], pid, {"valid_from": self.day()})
            for c in team[1:]:
                self.rel("PARTICIPATES_IN", c, pid, {"valid_from": self.day()})

        # Events about agreements, attended by officials of the parties.
        event_names = _Unique()
        for i in range(counts["Event"]):
            aid, a, b, start = agreements[i % n_agr] if i < n_agr else rng.choice(agreements)
            kind = rng.choice(EVENT_KINDS)
            host = rng.choice((a, b))
            day = start + rng.randrange(-120, 400)
            name = event_names(f"{iso3_of[a]}-{iso3_of[b]} {EVENT_NAMES[kind]} {self.dates.at(day).isoformat()}")
            props = {
                "kind": kind,
                "status": "held" if day < DAYS - 200 else "planned",
                "starts_on": self.dates.at(day),
                "place": name_of[host],
                "valid_from": self.dates.at(day),
            }
            eid = self.node("Event", name, props)
            self.rel("HELD_IN", eid, host)
            self.rel("CONCERNS", eid, aid)
            for country in (a, b):
                people = officials_of[country]
                if people:
                    self.rel("ATTENDS", people[rng.randrange(len(people))], eid, {"role": "negotiator"})
        return self.nodes, self.rels

    def nodes_name(self, nid: str) -> str:
        # Only used for a handful of lookups on the few agreement/sector nodes: a dict would
        # be built once if it mattered.
        if not hasattr(self, "_names"):
            self._names: dict[str, str] = {}
        if nid not in self._names:
            self._names.update((n.id, n.props["name"]) for n in self.nodes[len(self._names) :])
        return self._names[nid]


def generate(n: int, seed: int = 0) -> tuple[list[Node], list[Relationship]]:
    """A synthetic deal graph of about `n` nodes (at least 60), the same for the same seed.

    Returns records any store merges as they are (no YAML parsing involved), in a stable
    order: nodes by label group, relationships as created. Relationship ends all exist
    among the nodes; no two relationships share an id.
    """
    with gc_paused():  # millions of small records and no cycles: the collector would only rescan them
        return _Builder(int(n), int(seed)).build()


# -- writing -------------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=True)


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


PROVENANCE = ("sources", "quotes", "quote_starts", "quote_ends")
NODE_FIELDS = {"id", "name", "aliases", *PROVENANCE}
REL_FIELDS = {"id", *PROVENANCE}


def write_yaml(nodes: Sequence[Node], relationships: Iterable[Relationship], out: TextIO) -> None:
    """Write records as a dataset YAML (docs/datasets.md), one flow-style record per line.

    Source nodes become `sources:` entries (they have no text, so citations carry no
    quote); relationship ends are written `Label/name` (`Country/ISO3` for countries).
    """
    sources: dict[str, str] = {}
    ref: dict[str, str] = {}
    out.write("# Synthetic deal graph written by `dealgraph generate`; only the countries are real.\n")
    out.write("sources:\n")
    for node in nodes:
        if node.label == "Source":
            handle = SOURCE_HANDLE if not sources else f"{SOURCE_HANDLE}{len(sources) + 1}"
            sources[node.id] = handle
            body = {k: v for k, v in node.props.items() if k not in NODE_FIELDS and k != "text_sha256"}
            body["name"] = node.props["name"]
            out.write(f"  {handle}: {_flow(body)}\n")
    out.write("nodes:\n")
    for node in nodes:
        if node.label == "Source":
            continue
        name = node.props["name"]
        ref[node.id] = f"Country/{node.props['iso3']}" if node.label == "Country" else f"{node.label}/{name}"
        item: dict[str, Any] = {"label": node.label, "name": name}
        if node.props.get("aliases"):
            item["aliases"] = node.props["aliases"]
        props = {k: v for k, v in node.props.items() if k not in NODE_FIELDS}
        line = f"  - {{label: {node.label}, name: {_scalar(name)}"
        if "aliases" in item:
            line += f", aliases: {_scalar(item['aliases'])}"
        if props:
            line += f", props: {_flow(props)}"
        out.write(line + f", cite: {_cite(node.props, sources)}}}\n")
    out.write("relationships:\n")
    for rel in relationships:
        props = {k: v for k, v in rel.props.items() if k not in REL_FIELDS}
        line = f"  - {{type: {rel.type}, from: {_scalar(ref[rel.start])}, to: {_scalar(ref[rel.end])}"
        if props:
            line += f", props: {_flow(props)}"
        out.write(line + f", cite: {_cite(rel.props, sources)}}}\n")


def _cite(props: dict[str, Any], sources: dict[str, str]) -> str:
    parts = []
    for source, quote in zip(props["sources"], props["quotes"], strict=True):
        handle = sources[source]
        parts.append(f"{{source: {handle}, quote: {_scalar(quote)}}}" if quote else f"{{source: {handle}}}")
    return "[" + ", ".join(parts) + "]"


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def write_node_link(nodes: Iterable[Node], relationships: Iterable[Relationship], out: TextIO) -> None:
    """Write records as node-link JSON (docs/formats.md, `dealgraph import --format json`),
    streamed one record per line, so a million nodes never become one big payload."""
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    out.write('{"directed":true,"multigraph":true,"graph":{"format":"dealgraph-node-link","version":1},\n"nodes":[\n')
    lead = ""
    for n in nodes:
        props = {k: _iso(v) for k, v in n.props.items() if k != "id"}
        out.write(lead + encode({"id": n.id, "label": n.label, "properties": props}))
        lead = ",\n"
    out.write('\n],\n"edges":[\n')
    lead = ""
    for r in relationships:
        props = {k: _iso(v) for k, v in r.props.items() if k != "id"}
        item = {"id": r.id, "key": r.id, "type": r.type, "source": r.start, "target": r.end, "properties": props}
        out.write(lead + encode(item))
        lead = ",\n"
    out.write("\n]}\n")


def write_dataset(
    nodes: Sequence[Node], relationships: Iterable[Relationship], path: str | Path, fmt: str = "yaml"
) -> Path:
    """Write records to `path` atomically (temp file, rename) as `fmt`: "yaml" (a curated
    dataset for `dealgraph load`) or "json" (node-link JSON for `dealgraph import`)."""
    path = Path(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            (write_yaml if fmt == "yaml" else write_node_link)(nodes, relationships, fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# -- command line --------------------------------------------------------------------------


def generate_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (parent folders are created).")],
    nodes: Annotated[int, typer.Option("--nodes", "-n", min=60, max=50_000_000, help="About how many nodes.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", "-s", help="Random seed: same seed, same graph.")] = 0,
    fmt: Annotated[
        str,
        typer.Option("--format", help="yaml (a dataset for `dealgraph load`) or json (node-link, `dealgraph import`)."),
    ] = "yaml",
) -> None:
    """Write a synthetic deal graph of about N nodes (deterministic per seed) as a dataset file."""
    import time

    from rich.console import Console

    err = Console(stderr=True)
    if fmt not in FORMATS:
        err.print(
            f"[bold red]error:[/] --format: unknown format {fmt!r} (known: {', '.join(FORMATS)})", highlight=False
        )
        raise typer.Exit(1)
    started = time.perf_counter()
    records, rels = generate(nodes, seed)
    generated = time.perf_counter() - started
    try:
        write_dataset(records, rels, output, fmt)
    except OSError as exc:
        err.print(f"[bold red]error:[/] {output}: cannot write ({exc.strerror or exc})", highlight=False)
        raise typer.Exit(1) from None
    Console().print(
        f"wrote {output}: {len(records)} nodes and {len(rels)} relationships (seed {seed}; "
        f"generated in {generated:.1f} s, written in {time.perf_counter() - started - generated:.1f} s)",
        highlight=False,
    )
