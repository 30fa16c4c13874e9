"""Ledgers: what each side of an agreement gives and gets, and where a vehicle's money goes.

**Agreement** (reciprocity): for each country PARTY_TO the agreement, the concessions it
CONCEDES and the commitments it MAKES (what it gives), against the concessions that
BENEFIT it and the commitments the other parties make (what it gets). Concessions and
commitments belong to the agreement when it GRANTS / INCLUDES them (or an agreement it
INCLUDES does). `conditions` pairs each concession with the commitments it is
CONDITIONAL_ON, with the consequence the sources give.

**Vehicle**: the amount pledged (the vehicle's `amount_usd`, and the commitments it
FULFILS), then each project it FUNDS at its stage — `funded` when the FUNDS relationship or
the project has status funded, `selected` when either is selected, `cancelled`, else
`candidate` — with its cost, and totals per stage.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from graph.questions.dependencies import PARTICIPATION, Evidence, RawChain
from graph.questions.evidence import EntityRef, Hop
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore

Stage = Literal["candidate", "selected", "funded", "cancelled"]
STAGES: tuple[Stage, ...] = ("candidate", "selected", "funded", "cancelled")


class LedgerItem(BaseModel):
    entity: EntityRef
    kind: Literal["concession", "commitment"]
    detail: str = Field(description="The rate change or the amount, in words.")
    amount_usd: float | None = None
    chain: list[Hop] = Field(description="From the agreement to the item, and to the country that gives it.")


class Side(BaseModel):
    country: EntityRef
    gives: list[LedgerItem]
    gets: list[LedgerItem]
    gives_usd: float = Field(description="Sum of amount_usd of the commitments it makes.")
    gets_usd: float = Field(description="Sum of amount_usd of the commitments made to it.")


class Condition(BaseModel):
    concession: EntityRef
    commitment: EntityRef
    consequence: str | None = None
    chain: list[Hop]


class AgreementLedger(BaseModel):
    agreement: EntityRef
    sides: list[Side]
    unassigned: list[LedgerItem] = Field(description="Items of the agreement no party is recorded to give.")
    conditions: list[Condition]


class ProjectLine(BaseModel):
    project: EntityRef
    stage: Stage
    status: str | None = None
    selected_on: dt.date | None = Field(None, description="The FUNDS relationship's valid_from, when selected.")
    cost_min_usd: float | None = None
    cost_max_usd: float | None = None
    companies: list[EntityRef]
    chain: list[Hop]


class StageTotal(BaseModel):
    stage: Stage
    projects: int
    cost_min_usd: float
    cost_max_usd: float
    without_cost: int


class VehicleLedger(BaseModel):
    vehicle: EntityRef
    pledged_usd: float | None = Field(None, description="The vehicle's amount_usd.")
    commitments: list[LedgerItem] = Field(description="The commitments it fulfils.")
    projects: list[ProjectLine]
    totals: list[StageTotal]
    unallocated_min_usd: float | None = Field(None, description="Pledged minus the most selected and funded may cost.")
    unallocated_max_usd: float | None = Field(None, description="Pledged minus the least they may cost.")


class LedgerResult(BaseModel):
    as_of: dt.date | None
    agreement: AgreementLedger | None = None
    vehicle: VehicleLedger | None = None


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value:g}%"


def _usd(value: float | None) -> str:
    return "" if value is None else f"${value:,.0f}"


def _agreement_items(graph: QuestionGraph, agreement: str) -> list[tuple[str, RawChain]]:
    """Concessions and commitments of the agreement and of agreements it includes."""
    found: list[tuple[str, RawChain]] = []
    seen = {agreement}
    frontier: list[tuple[str, RawChain]] = [(agreement, ())]
    while frontier:
        current, head = frontier.pop(0)
        for rel in graph.out(current, "GRANTS", "INCLUDES"):
            label = graph.label(rel.end)
            if label in ("TariffConcession", "Commitment"):
                found.append((rel.end, (*head, (rel, True))))
            elif label == "Agreement" and rel.end not in seen:
                seen.add(rel.end)
                frontier.append((rel.end, (*head, (rel, True))))
    return found


def agreement_ledger(graph: QuestionGraph, agreement: str, evidence: Evidence) -> AgreementLedger:
    parties = sorted({r.start for r in graph.inn(agreement, "PARTY_TO") if graph.label(r.start) == "Country"})
    gives: dict[str, list[LedgerItem]] = defaultdict(list)
    gets: dict[str, list[LedgerItem]] = defaultdict(list)
    unassigned: list[LedgerItem] = []
    conditions: list[Condition] = []
    for item, head in _agreement_items(graph, agreement):
        node = graph.record(item)
        assert node is not None
        p = node.props
        if node.label == "TariffConcession":
            detail = f"{p.get('measure', '')}: {_pct(p.get('rate_before_pct'))} -> {_pct(p.get('rate_after_pct'))}"
            givers = [(r.start, (r, False)) for r in graph.inn(item, "CONCEDES")]
            takers = [r.end for r in graph.out(item, "BENEFITS")]
            for co in graph.out(item, "CONDITIONAL_ON"):
                conditions.append(
                    Condition(
                        concession=evidence.ref(item),
                        commitment=evidence.ref(co.end),
                        consequence=co.props.get("consequence"),
                        chain=evidence.chain(((co, True),)),
                    )
                )
            kind: Literal["concession", "commitment"] = "concession"
        else:
            detail = f"{p.get('kind', '')} {_usd(p.get('amount_usd'))}".strip()
            givers = [(r.start, (r, False)) for r in graph.inn(item, "MAKES")]
            takers = []
            kind = "commitment"
        amount = p.get("amount_usd") if kind == "commitment" else None
        if not givers:
            unassigned.append(
                LedgerItem(
                    entity=evidence.ref(item), kind=kind, detail=detail, amount_usd=amount, chain=evidence.chain(head)
                )
            )
        for giver, step in givers:
            line = LedgerItem(
                entity=evidence.ref(item),
                kind=kind,
                detail=detail,
                amount_usd=amount,
                chain=evidence.chain((*head, step)),
            )
            gives[giver].append(line)
            receivers = takers if kind == "concession" else [c for c in parties if c != giver]
            for taker in receivers:
                gets[taker].append(line)

    def ordered(items: list[LedgerItem]) -> list[LedgerItem]:
        return sorted(items, key=lambda i: (i.kind != "concession", i.entity.name, i.entity.id))

    sides = []
    for country in sorted(set(parties) | set(gives) | set(gets)):
        g, t = ordered(gives.get(country, [])), ordered(gets.get(country, []))
        sides.append(
            Side(
                country=evidence.ref(country),
                gives=g,
                gets=t,
                gives_usd=float(sum(i.amount_usd or 0 for i in g)),
                gets_usd=float(sum(i.amount_usd or 0 for i in t)),
            )
        )
    conditions.sort(key=lambda c: (c.concession.id, c.commitment.id))
    return AgreementLedger(
        agreement=evidence.ref(agreement), sides=sides, unassigned=ordered(unassigned), conditions=conditions
    )


def stage_of(funds_status: str | None, project_status: str | None) -> Stage:
    """A project's stage in a vehicle's ledger.

    >>> stage_of("potential", "final_review"), stage_of("selected", None), stage_of(None, "funded")
    ('candidate', 'selected', 'funded')
    """
    statuses = {funds_status, project_status}
    if "funded" in statuses:
        return "funded"
    if "selected" in statuses:
        return "selected"
    if "cancelled" in statuses:
        return "cancelled"
    return "candidate"


def vehicle_ledger(graph: QuestionGraph, vehicle: str, evidence: Evidence) -> VehicleLedger:
    node = graph.record(vehicle)
    assert node is not None
    pledged = node.props.get("amount_usd")
    commitments = [
        LedgerItem(
            entity=evidence.ref(r.end),
            kind="commitment",
            detail=f"{graph.record(r.end).props.get('kind', '')} "  # type: ignore[union-attr]
            f"{_usd(graph.record(r.end).props.get('amount_usd'))}".strip(),  # type: ignore[union-attr]
            amount_usd=graph.record(r.end).props.get("amount_usd"),  # type: ignore[union-attr]
            chain=evidence.chain(((r, True),)),
        )
        for r in graph.out(vehicle, "FULFILS")
    ]
    lines = []
    for f in graph.out(vehicle, "FUNDS"):
        project = graph.record(f.end)
        if project is None or project.label != "Project":
            continue
        stage = stage_of(f.props.get("status"), project.props.get("status"))
        companies = sorted({w.start for w in graph.inn(f.end, *PARTICIPATION) if graph.label(w.start) == "Company"})
        lines.append(
            ProjectLine(
                project=evidence.ref(f.end),
                stage=stage,
                status=project.props.get("status"),
                selected_on=f.props.get("valid_from") if stage in ("selected", "funded") else None,
                cost_min_usd=project.props.get("cost_min_usd"),
                cost_max_usd=project.props.get("cost_max_usd"),
                companies=[evidence.ref(c) for c in companies],
                chain=evidence.chain(((f, True),)),
            )
        )
    lines.sort(key=lambda line: (STAGES.index(line.stage), line.project.name, line.project.id))
    totals = []
    for stage in STAGES:
        of_stage = [line for line in lines if line.stage == stage]
        costed = [line for line in of_stage if line.cost_min_usd is not None or line.cost_max_usd is not None]
        totals.append(
            StageTotal(
                stage=stage,
                projects=len(of_stage),
                cost_min_usd=float(sum(line.cost_min_usd or line.cost_max_usd or 0 for line in costed)),
                cost_max_usd=float(sum(line.cost_max_usd or line.cost_min_usd or 0 for line in costed)),
                without_cost=len(of_stage) - len(costed),
            )
        )
    allocated = [t for t in totals if t.stage in ("selected", "funded")]
    return VehicleLedger(
        vehicle=evidence.ref(vehicle),
        pledged_usd=pledged,
        commitments=commitments,
        projects=lines,
        totals=totals,
        unallocated_min_usd=None if pledged is None else pledged - sum(t.cost_max_usd for t in allocated),
        unallocated_max_usd=None if pledged is None else pledged - sum(t.cost_min_usd for t in allocated),
    )


def ledger(
    graph: QuestionGraph | GraphStore,
    agreement: str | None = None,
    vehicle: str | None = None,
    as_of: dt.date | None = None,
) -> LedgerResult:
    """The reciprocity ledger of an agreement, or the pledged/selected/funded ledger of a vehicle.

    Examples
    --------
    >>> from graph.model import Node, Relationship
    >>> g = QuestionGraph(
    ...     [Node("fund", "InvestmentVehicle", {"name": "fund", "amount_usd": 10.0}),
    ...      Node("p1", "Project", {"name": "p1", "status": "selected", "cost_min_usd": 3.0}),
    ...      Node("p2", "Project", {"name": "p2", "status": "funded", "cost_min_usd": 2.0, "cost_max_usd": 4.0})],
    ...     [Relationship("f1", "FUNDS", "fund", "p1", {}), Relationship("f2", "FUNDS", "fund", "p2", {})])
    >>> v = ledger(g, vehicle="fund").vehicle
    >>> [(p.project.id, p.stage) for p in v.projects], v.unallocated_min_usd, v.unallocated_max_usd
    ([('p1', 'selected'), ('p2', 'funded')], 3.0, 5.0)
    """
    if (agreement is None) == (vehicle is None):
        raise ValueError("give exactly one of agreement and vehicle")
    graph = as_graph(graph, as_of)
    evidence = Evidence(graph)
    if agreement is not None:
        graph.require(agreement, "agreement", "Agreement")
        return LedgerResult(as_of=graph.as_of, agreement=agreement_ledger(graph, agreement, evidence))
    graph.require(vehicle or "", "vehicle", "InvestmentVehicle")
    return LedgerResult(as_of=graph.as_of, vehicle=vehicle_ledger(graph, vehicle or "", evidence))
