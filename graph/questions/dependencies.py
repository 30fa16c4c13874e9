"""Dependencies: which companies depend on which tariff concessions, and how.

Two kinds, each explained hop by hop:

- **exposure**: the company sells into a sector the concession covers, from a country the
  concession benefits::

      company -EXPORTS|IN_SECTOR-> sector <-COVERS- concession -BENEFITS-> country <-BASED_IN- company

  An EXPORTS relationship whose `to` names a destination market (ISO alpha-3) counts only
  when that market is a country that CONCEDES the concession (a Japanese car maker selling
  to Mexico does not depend on a US tariff cut); without `to`, or when the concession names
  no conceding country, it counts.

- **fulfilment**: the company carries a project that a vehicle funds to fulfil the
  commitment the concession is conditional on, directly or through a funding rule that
  governs that commitment::

      company -LEADS|PARTICIPATES_IN|OPERATES|SUPPLIES-> project <-FUNDS- vehicle
              -FULFILS-> commitment [<-GOVERNS- rule] <-CONDITIONAL_ON- concession

Every distinct chain is one row, so a company that leads two funded projects has two
fulfilment rows for the same concession. The walk is driven from the side that is given
(a company, a concession, or the relationships of the types involved when neither is) and
memoised per project, vehicle and commitment, so no company's neighbourhood is traversed
more than once.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from graph.model import Relationship
from graph.questions.evidence import EntityRef, Hop, chain_text, hop, ref
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore, gc_paused

Kind = Literal["exposure", "fulfilment"]
KINDS: tuple[Kind, ...] = ("exposure", "fulfilment")
PARTICIPATION = ("LEADS", "PARTICIPATES_IN", "OPERATES", "SUPPLIES")
SELLS = ("EXPORTS", "IN_SECTOR")

# A chain before it becomes evidence: (relationship, walked forward?) per hop.
RawChain = tuple[tuple[Relationship, bool], ...]
RawRow = tuple[str, str, Kind, RawChain]


class Dependency(BaseModel):
    """One way a company depends on a concession, with the chain that shows it."""

    company: EntityRef
    concession: EntityRef
    kind: Kind = Field(description="exposure (sells into a covered sector) or fulfilment (carries the commitment).")
    via: list[EntityRef] = Field(description="The nodes between the company and the concession, in walk order.")
    summary: str = Field(description="The chain in one line.")
    chain: list[Hop]


class DependenciesResult(BaseModel):
    as_of: dt.date | None = Field(description="The day the graph was seen on; null: every fact, whatever its dates.")
    company: str | None = None
    concession: str | None = None
    total: int = Field(description="How many dependencies (chains) there are.")
    pairs: int = Field(description="How many distinct (company, concession) pairs they link.")
    truncated: bool = Field(False, description="True when `dependencies` was cut at the limit.")
    dependencies: list[Dependency]


def _concessions_of_commitment(
    graph: QuestionGraph, commitment: str, concession: str | None
) -> list[tuple[str, RawChain]]:
    """Concessions conditional on `commitment`, directly or through a rule that governs it."""
    found: list[tuple[str, RawChain]] = []
    for co in graph.inn(commitment, "CONDITIONAL_ON"):
        if graph.label(co.start) == "TariffConcession" and concession in (None, co.start):
            found.append((co.start, ((co, False),)))
    for gov in graph.inn(commitment, "GOVERNS"):
        if graph.label(gov.start) != "Commitment":
            continue
        for co in graph.inn(gov.start, "CONDITIONAL_ON"):
            if graph.label(co.start) == "TariffConcession" and concession in (None, co.start):
                found.append((co.start, ((gov, False), (co, False))))
    return found


def _fulfilment(graph: QuestionGraph, company: str | None, concession: str | None) -> list[RawRow]:
    by_commitment: dict[str, list[tuple[str, RawChain]]] = {}
    by_vehicle: dict[str, list[tuple[str, RawChain]]] = {}
    by_project: dict[str, list[tuple[str, RawChain]]] = {}

    def commitment_up(m: str) -> list[tuple[str, RawChain]]:
        if m not in by_commitment:
            by_commitment[m] = _concessions_of_commitment(graph, m, concession)
        return by_commitment[m]

    def vehicle_up(v: str) -> list[tuple[str, RawChain]]:
        if v not in by_vehicle:
            by_vehicle[v] = [
                (t, ((fu, True), *tail))
                for fu in graph.out(v, "FULFILS")
                if graph.label(fu.end) == "Commitment"
                for t, tail in commitment_up(fu.end)
            ]
        return by_vehicle[v]

    def project_up(p: str) -> list[tuple[str, RawChain]]:
        if p not in by_project:
            by_project[p] = [
                (t, ((f, False), *tail))
                for f in graph.inn(p, "FUNDS")
                if graph.label(f.start) == "InvestmentVehicle"
                for t, tail in vehicle_up(f.start)
            ]
        return by_project[p]

    participations: Iterable[Relationship]
    if company is not None:
        participations = graph.out(company, *PARTICIPATION)
    elif concession is not None:
        participations = [w for p in sorted(projects_under(graph, concession)) for w in graph.inn(p, *PARTICIPATION)]
    else:
        participations = graph.relationships(*PARTICIPATION)
    rows: list[RawRow] = []
    for w in participations:
        if graph.label(w.start) != "Company" or graph.label(w.end) != "Project":
            continue
        for t, tail in project_up(w.end):
            rows.append((w.start, t, "fulfilment", ((w, True), *tail)))
    return rows


def commitments_under(graph: QuestionGraph, concession: str) -> list[tuple[str, RawChain]]:
    """Commitments a concession rests on: those it is conditional on, and those their rules govern."""
    found: list[tuple[str, RawChain]] = []
    for co in graph.out(concession, "CONDITIONAL_ON"):
        if graph.label(co.end) != "Commitment":
            continue
        found.append((co.end, ((co, True),)))
        for gov in graph.out(co.end, "GOVERNS"):
            if graph.label(gov.end) == "Commitment":
                found.append((gov.end, ((co, True), (gov, True))))
    return found


def projects_under(graph: QuestionGraph, concession: str) -> dict[str, list[RawChain]]:
    """Projects funded by a vehicle that fulfils a commitment the concession rests on, with
    the chains from the concession to each project."""
    found: dict[str, list[RawChain]] = defaultdict(list)
    for commitment, head in commitments_under(graph, concession):
        for fu in graph.inn(commitment, "FULFILS"):
            if graph.label(fu.start) != "InvestmentVehicle":
                continue
            for f in graph.out(fu.start, "FUNDS"):
                if graph.label(f.end) == "Project":
                    found[f.end].append((*head, (fu, False), (f, True)))
    return found


def _exposure_of_company(graph: QuestionGraph, company: str, concession: str | None) -> list[RawRow]:
    """Exposure driven from one company: its sectors and home countries, then the
    concessions that cover the one and benefit the other."""
    conceders: dict[str, set[str]] = {}
    benefiting: dict[str, dict[str, list[Relationship]]] = {}
    bases = graph.out(company, "BASED_IN")
    rows: list[RawRow] = []
    for s in graph.out(company, *SELLS):
        if graph.label(s.end) != "Sector":
            continue
        market = s.props.get("to") if s.type == "EXPORTS" else None
        key = str(market).upper() if market else None
        for bi in bases:
            if bi.end not in benefiting:
                table: dict[str, list[Relationship]] = defaultdict(list)
                for b in graph.inn(bi.end, "BENEFITS"):
                    table[b.start].append(b)
                benefiting[bi.end] = table
            by_concession = benefiting[bi.end]
            for cv in graph.inn(s.end, "COVERS"):
                t = cv.start
                if t not in by_concession or concession not in (None, t) or graph.label(t) != "TariffConcession":
                    continue
                if key:
                    if t not in conceders:
                        conceders[t] = {r.start for r in graph.inn(t, "CONCEDES")}
                    if conceders[t] and key not in conceders[t]:
                        continue
                for b in by_concession[t]:
                    rows.append((company, t, "exposure", ((s, True), (cv, False), (b, True), (bi, False))))
    return rows


def _exposure_of_concession(graph: QuestionGraph, concession: str) -> list[RawRow] | None:
    """Exposure driven from one concession's beneficiary countries (the companies based
    there, then what they sell), or None when the sellers of the covered sectors are fewer
    (then `_exposure` walks from the sectors). Both walks find the same chains."""
    benefits: dict[str, list[Relationship]] = defaultdict(list)
    for b in graph.out(concession, "BENEFITS"):
        benefits[b.end].append(b)
    covers: dict[str, list[Relationship]] = defaultdict(list)
    for cv in graph.out(concession, "COVERS"):
        if graph.label(cv.end) == "Sector":
            covers[cv.end].append(cv)
    residents = sum(len(graph.inn(country, "BASED_IN")) for country in benefits)
    sellers = sum(len(graph.inn(sector, *SELLS)) for sector in covers)
    if sellers <= residents:
        return None
    conceders = {r.start for r in graph.inn(concession, "CONCEDES")}
    rows: list[RawRow] = []
    for country, bens in benefits.items():
        for bi in graph.inn(country, "BASED_IN"):
            if graph.label(bi.start) != "Company":
                continue
            for kind in SELLS:  # one type at a time: out() then returns its list without a copy
                for s in graph.out(bi.start, kind):
                    cvs = covers.get(s.end)
                    if not cvs:
                        continue
                    market = s.props.get("to") if kind == "EXPORTS" else None
                    if market and conceders and str(market).upper() not in conceders:
                        continue
                    rows += [
                        (bi.start, concession, "exposure", ((s, True), (cv, False), (b, True), (bi, False)))
                        for cv in cvs
                        for b in bens
                    ]
    return rows


def _exposure(graph: QuestionGraph, company: str | None, concession: str | None) -> list[RawRow]:
    if company is not None:
        return _exposure_of_company(graph, company, concession)
    if concession is not None:
        if graph.label(concession) != "TariffConcession":
            return []
        found = _exposure_of_concession(graph, concession)
        if found is not None:
            return found
        concessions = [concession]
    else:
        concessions = [n.id for n in graph.nodes("TariffConcession")]

    # Per sector, its sellers grouped by home country, then by export market (None: any):
    # a concession then reads the groups of its beneficiary countries only, instead of
    # scanning every seller of every sector it covers.
    by_sector: dict[str, dict[str, dict[str | None, list[tuple[Relationship, Relationship]]]]] = {}

    def sellers(sector: str) -> dict[str, dict[str | None, list[tuple[Relationship, Relationship]]]]:
        if sector not in by_sector:
            table: dict[str, dict[str | None, list]] = defaultdict(lambda: defaultdict(list))
            for s in graph.inn(sector, *SELLS):
                if graph.label(s.start) != "Company":
                    continue
                market = s.props.get("to") if s.type == "EXPORTS" else None
                key = str(market).upper() if market else None
                for bi in graph.out(s.start, "BASED_IN"):
                    table[bi.end][key].append((s, bi))
            by_sector[sector] = table
        return by_sector[sector]

    rows: list[RawRow] = []
    for t in concessions:
        benefits: dict[str, list[Relationship]] = defaultdict(list)
        for b in graph.out(t, "BENEFITS"):
            benefits[b.end].append(b)
        if not benefits:
            continue
        conceders = {r.start for r in graph.inn(t, "CONCEDES")}
        for cv in graph.out(t, "COVERS"):
            if graph.label(cv.end) != "Sector":
                continue
            table = sellers(cv.end)
            for country, bens in benefits.items():
                for market, pairs in table.get(country, {}).items():
                    if market and conceders and market not in conceders:
                        continue
                    for s, bi in pairs:
                        for b in bens:
                            rows.append((s.start, t, "exposure", ((s, True), (cv, False), (b, True), (bi, False))))
    return rows


def sort_key(row: RawRow) -> tuple:
    """Rows by company, concession, kind, then shortest chain first, then relationship ids."""
    return (row[0], row[1], row[2], len(row[3]), [step[0].id for step in row[3]])


def dependency_rows(
    graph: QuestionGraph,
    company: str | None = None,
    concession: str | None = None,
    kinds: Iterable[Kind] = KINDS,
    ordered: bool = True,
) -> list[RawRow]:
    """The dependencies as raw rows (company id, concession id, kind, chain), sorted by
    `sort_key` unless `ordered` is false.

    The building block of `dependencies`, `what_if` and `critical`; no evidence is built.
    """
    kinds = set(kinds)
    rows: list[RawRow] = []
    with gc_paused():
        if "exposure" in kinds:
            rows += _exposure(graph, company, concession)
        if "fulfilment" in kinds:
            rows += _fulfilment(graph, company, concession)
        if ordered:
            rows.sort(key=sort_key)
    return rows


class Evidence:
    """Builds evidence for raw rows, sharing the Hop and EntityRef of a record across rows."""

    def __init__(self, graph: QuestionGraph) -> None:
        self.graph = graph
        self._hops: dict[tuple[str, bool], Hop] = {}
        self._refs: dict[str, EntityRef] = {}

    def ref(self, node_id: str) -> EntityRef:
        found = self._refs.get(node_id)
        if found is None:
            found = self._refs[node_id] = ref(self.graph, node_id)
        return found

    def hop(self, rel: Relationship, forward: bool = True) -> Hop:
        key = (rel.id, forward)
        found = self._hops.get(key)
        if found is None:
            found = self._hops[key] = hop(self.graph, rel, forward, self.ref)
        return found

    def chain(self, raw: RawChain) -> list[Hop]:
        return [self.hop(rel, forward) for rel, forward in raw]

    def dependency(self, row: RawRow) -> Dependency:
        company, concession, kind, raw = row
        chain = self.chain(raw)
        via = [h.exit for h in chain if h.exit.id not in (company, concession)]
        return Dependency(
            company=self.ref(company),
            concession=self.ref(concession),
            kind=kind,
            via=via,
            summary=chain_text(chain),
            chain=chain,
        )


def dependencies(
    graph: QuestionGraph | GraphStore,
    company: str | None = None,
    concession: str | None = None,
    as_of: dt.date | None = None,
    kinds: Iterable[Kind] = KINDS,
    limit: int | None = None,
) -> DependenciesResult:
    """Which companies depend on which tariff concessions, each with its evidence chain.

    Parameters
    ----------
    graph : a QuestionGraph, or any GraphStore (projected first)
    company, concession : ids to keep only one company's or one concession's dependencies
    as_of : the day to see the graph on (None: every fact, whatever its dates)
    kinds : "exposure", "fulfilment" or both
    limit : most rows to return (`total` still counts them all)

    Raises UnknownEntity when `company` or `concession` is not in the graph.

    Examples
    --------
    >>> from graph.model import Node, Relationship
    >>> n = lambda i, label: Node(i, label, {"name": i})
    >>> r = lambda i, t, a, b: Relationship(i, t, a, b, {})
    >>> g = QuestionGraph(
    ...     [n("acme", "Company"), n("plant", "Project"), n("fund", "InvestmentVehicle"),
    ...      n("invest", "Commitment"), n("cut", "TariffConcession")],
    ...     [r("r1", "LEADS", "acme", "plant"), r("r2", "FUNDS", "fund", "plant"),
    ...      r("r3", "FULFILS", "fund", "invest"), r("r4", "CONDITIONAL_ON", "cut", "invest")])
    >>> result = dependencies(g, company="acme")
    >>> [(d.company.id, d.concession.id, d.kind) for d in result.dependencies]
    [('acme', 'cut', 'fulfilment')]
    >>> result.dependencies[0].summary
    'acme -LEADS-> plant <-FUNDS- fund -FULFILS-> invest <-CONDITIONAL_ON- cut'
    """
    graph = as_graph(graph, as_of)
    if company is not None:
        graph.require(company, "company", "Company")
    if concession is not None:
        graph.require(concession, "concession", "TariffConcession")
    with gc_paused():
        rows = dependency_rows(graph, company, concession, kinds, ordered=False)
        return build_result(graph, rows, company, concession, limit)


def select(rows: list, limit: int | None) -> list:
    """The first `limit` rows by `sort_key` (all of them, sorted, without a limit)."""
    if limit is not None and limit < len(rows):
        return heapq.nsmallest(limit, rows, key=sort_key)
    return sorted(rows, key=sort_key)


def build_result(
    graph: QuestionGraph,
    rows: list[RawRow],
    company: str | None,
    concession: str | None,
    limit: int | None,
) -> DependenciesResult:
    """The typed result for raw rows in any order: the first `limit` rows by `sort_key`,
    and counts over all of them."""
    shown = select(rows, limit)
    return typed_result(graph, shown, rows, company, concession)


def typed_result(
    graph: QuestionGraph,
    shown: list[RawRow],
    rows: list,
    company: str | None,
    concession: str | None,
) -> DependenciesResult:
    """The typed result for the rows shown, with counts over `rows` (all of them; only
    their company and concession ids are read). Shared with the native Cypher path."""
    evidence = Evidence(graph)
    with gc_paused():
        return DependenciesResult(
            as_of=graph.as_of,
            company=company,
            concession=concession,
            total=len(rows),
            pairs=len({(r[0], r[1]) for r in rows}),
            truncated=len(shown) < len(rows),
            dependencies=[evidence.dependency(r) for r in shown],
        )
