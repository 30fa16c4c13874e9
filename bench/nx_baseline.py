"""The P3 baselines: each question as a straightforward networkx traversal.

The graph is a networkx MultiDiGraph whose nodes carry `label` and edges `type` plus every
property as plain dict attributes (bench/stores.py: `networkx_from_file`). Each function
walks edges with `G.out_edges(v, data=True)` / `G.in_edges(...)` and filters on the type,
the way one writes it without indexes; it answers the same question as graph/questions/
(the same rows for dependencies, so the counts can be compared), without building the
evidence models.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import holidays
import networkx as nx

PARTICIPATION = ("LEADS", "PARTICIPATES_IN", "OPERATES", "SUPPLIES")
SELLS = ("EXPORTS", "IN_SECTOR")


def _out(g: nx.MultiDiGraph, v: str, *types: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(a, b, k, d) for a, b, k, d in g.out_edges(v, keys=True, data=True) if d["type"] in types]


def _in(g: nx.MultiDiGraph, v: str, *types: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(a, b, k, d) for a, b, k, d in g.in_edges(v, keys=True, data=True) if d["type"] in types]


def _label(g: nx.MultiDiGraph, v: str) -> str | None:
    return g.nodes[v].get("label")


def exposure(g: nx.MultiDiGraph, company: str | None = None, concession: str | None = None) -> list[tuple]:
    rows = []
    if concession is not None:
        concessions = [concession]
    elif company is not None:
        concessions = sorted(
            {t for _, s, _, _ in _out(g, company, *SELLS) for t, _, _, _ in _in(g, s, "COVERS")
             if _label(g, t) == "TariffConcession"}
        )  # fmt: skip
    else:
        concessions = [v for v, d in g.nodes(data=True) if d.get("label") == "TariffConcession"]
    sellers_of: dict[str, list] = {}  # memo: sector -> companies selling into it
    homes_of: dict[str, list] = {}  # memo: company -> BASED_IN edges
    own = _out(g, company, *SELLS) if company is not None else None
    for t in concessions:
        benefits = {b: k for _, b, k, _ in _out(g, t, "BENEFITS")}
        conceders = {a for a, _, _, _ in _in(g, t, "CONCEDES")}
        for _, sector, cov, _ in _out(g, t, "COVERS"):
            if own is not None:
                sellers = [e for e in own if e[1] == sector]
            else:
                if sector not in sellers_of:
                    sellers_of[sector] = [e for e in _in(g, sector, *SELLS) if _label(g, e[0]) == "Company"]
                sellers = sellers_of[sector]
            for c, _, sk, sd in sellers:
                market = sd.get("to") if sd["type"] == "EXPORTS" else None
                if market and conceders and market.upper() not in conceders:
                    continue
                if c not in homes_of:
                    homes_of[c] = _out(g, c, "BASED_IN")
                for _, home, bk, _ in homes_of[c]:
                    if home in benefits:
                        rows.append((c, t, "exposure", (sk, cov, benefits[home], bk), (sector, home)))
    return rows


def fulfilment(g: nx.MultiDiGraph, company: str | None = None, concession: str | None = None) -> list[tuple]:
    rows = []
    if concession is not None and company is None:  # walk back from the concession
        for _, m, ck, _ in _out(g, concession, "CONDITIONAL_ON"):
            targets = [(m, (ck,), (m,))]
            targets += [(m2, (gk, ck), (m2, m)) for _, m2, gk, _ in _out(g, m, "GOVERNS")]
            for commitment, tail, via in targets:
                for v, _, uk, _ in _in(g, commitment, "FULFILS"):
                    for _, p, fk, _ in _out(g, v, "FUNDS"):
                        for c, _, wk, _ in _in(g, p, *PARTICIPATION):
                            rows.append((c, concession, "fulfilment", (wk, fk, uk, *tail), (p, v, *via)))
        return rows
    companies = [company] if company else [v for v, d in g.nodes(data=True) if d.get("label") == "Company"]
    for c in companies:
        for _, p, wk, _ in _out(g, c, *PARTICIPATION):
            for v, _, fk, _ in _in(g, p, "FUNDS"):
                for _, m, uk, _ in _out(g, v, "FULFILS"):
                    for t, _, ck, _ in _in(g, m, "CONDITIONAL_ON"):
                        if concession in (None, t):
                            rows.append((c, t, "fulfilment", (wk, fk, uk, ck), (p, v, m)))
                    for rule, _, gk, _ in _in(g, m, "GOVERNS"):
                        for t, _, ck, _ in _in(g, rule, "CONDITIONAL_ON"):
                            if concession in (None, t):
                                rows.append((c, t, "fulfilment", (wk, fk, uk, gk, ck), (p, v, m, rule)))
    return rows


def dependencies(g, company=None, concession=None, limit=200) -> tuple[int, list[tuple]]:
    rows = exposure(g, company, concession) + fulfilment(g, company, concession)
    rows.sort(key=lambda r: (r[0], r[1], r[2], len(r[3]), r[3]))
    return len(rows), rows[:limit]


def what_if_revoke(g, concession: str) -> dict:
    _, rows = dependencies(g, concession=concession, limit=None)
    node = g.nodes[concession]
    return {
        "rate_returns_to": node.get("rate_before_pct"),
        "companies": sorted({r[0] for r in rows}),
        "projects": sorted({r[4][0] for r in rows if r[2] == "fulfilment"}),
        "commitments": sorted(m for _, m, _, _ in _out(g, concession, "CONDITIONAL_ON")),
    }


def what_if_breach(g, commitment: str) -> dict:
    concessions = {t for t, _, _, _ in _in(g, commitment, "CONDITIONAL_ON")}
    for rule, _, _, _ in _out(g, commitment, "GOVERNS"):
        concessions |= {t for t, _, _, _ in _in(g, rule, "CONDITIONAL_ON")}
    return {t: what_if_revoke(g, t) for t in sorted(concessions)}


def path(g, source: str, target: str, max_hops: int = 4) -> list[list[str]]:
    u = g.to_undirected(as_view=True)
    try:
        return list(nx.all_shortest_paths(u, source, target))[:100]
    except nx.NetworkXNoPath:
        return []


def _add_working_days(day: dt.date, n: int, calendar) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in calendar:
            n -= 1
    return day


def deadlines(g, as_of: dt.date) -> list[tuple]:
    calendar = holidays.country_holidays("US")
    out = []
    for m, d in g.nodes(data=True):
        if d.get("label") != "Commitment" or not d.get("deadline_amount"):
            continue
        n = int(d["deadline_amount"])
        for v, _, _, _ in _in(g, m, "FULFILS"):
            for _, p, _, fd in _out(g, v, "FUNDS"):
                if g.nodes[p].get("status") not in ("selected", "funded"):
                    continue
                start = fd.get("valid_from") or g.nodes[p].get("valid_from")
                if start is None:
                    continue
                if d.get("deadline_unit") == "working_days":
                    due = _add_working_days(start, n, calendar)
                else:
                    due = start + dt.timedelta(days=n)
                out.append((m, p, due, "met" if g.nodes[p].get("status") == "funded" else
                            "overdue" if due < as_of else "due"))  # fmt: skip
    return out


def conflicts(g) -> tuple[list, list]:
    claims = [
        (c, e, d.get("property"), d.get("value"))
        for c, d in g.nodes(data=True)
        if d.get("label") == "Claim"
        for _, e, _, _ in _out(g, c, "DISPUTES")
    ]
    flagged = [k for _, _, k, d in g.edges(keys=True, data=True) if "another source gives" in (d.get("note") or "")]
    return claims, flagged


def ledger_agreement(g, agreement: str) -> dict:
    commitments = [(m, g.nodes[m].get("amount_usd")) for _, m, _, _ in _out(g, agreement, "INCLUDES")]
    concessions = [
        (t, g.nodes[t].get("rate_before_pct"), g.nodes[t].get("rate_after_pct"))
        for _, t, _, _ in _out(g, agreement, "GRANTS")
    ]
    return {"commitments": commitments, "concessions": concessions}


def ledger_vehicle(g, vehicle: str) -> dict:
    by_status: Counter = Counter()
    for _, p, _, _ in _out(g, vehicle, "FUNDS"):
        by_status[g.nodes[p].get("status")] += g.nodes[p].get("cost_min_usd") or 0
    return {"amount": g.nodes[vehicle].get("amount_usd"), "by_status": dict(by_status)}


def _in_force(d: dict, day: dt.date) -> bool:
    start, end = d.get("valid_from"), d.get("valid_to")
    return (start is None or start <= day) and (end is None or day < end)


def diff(g, a: dt.date, b: dt.date) -> tuple[list, list]:
    added, removed = [], []
    for v, d in g.nodes(data=True):
        x, y = _in_force(d, a), _in_force(d, b)
        if x != y:
            (added if y else removed).append(v)
    for u, v, k, d in g.edges(keys=True, data=True):
        x = _in_force(d, a) and _in_force(g.nodes[u], a) and _in_force(g.nodes[v], a)
        y = _in_force(d, b) and _in_force(g.nodes[u], b) and _in_force(g.nodes[v], b)
        if x != y:
            (added if y else removed).append(k)
    return added, removed


def critical(g, limit: int = 10, top: int = 5) -> tuple[int, list, list, dict]:
    """Nodes and relationships whose removal breaks the most (company, concession)
    dependencies (every chain of the pair goes through them, the pair's own ends aside),
    with the pairs each breaks; and degree and betweenness centrality per label on the
    undirected simple graph, Source nodes aside (betweenness from the same seeded sample of
    pivots as graph/questions/critical.py above 2,000 nodes)."""
    chains: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in exposure(g) + fulfilment(g):
        chains[(row[0], row[1])].append(row)
    nodes: dict[str, list] = defaultdict(list)
    rels: dict[str, list] = defaultdict(list)
    for pair, found in sorted(chains.items()):
        for v in set.intersection(*(set(r[4]) for r in found)) - set(pair):
            nodes[v].append(pair)
        for k in set.intersection(*(set(r[3]) for r in found)):
            rels[k].append(pair)
    top_nodes = sorted(nodes.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]
    top_rels = sorted(rels.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:limit]
    simple = nx.Graph()
    simple.add_nodes_from(v for v, d in g.nodes(data=True) if d.get("label") != "Source")
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    degree = nx.degree_centrality(simple)
    k = max(8, min(64, 1_000_000 // len(simple))) if len(simple) > 2_000 else None
    between = nx.betweenness_centrality(simple, k=k, seed=0)
    by_label: dict[str, list] = defaultdict(list)
    for v in sorted(simple, key=lambda v: (_label(g, v) or "", -between[v], -degree[v], v)):
        if len(by_label[_label(g, v) or ""]) < top:
            by_label[_label(g, v) or ""].append((v, degree[v], between[v]))
    return len(chains), top_nodes, top_rels, dict(by_label)
