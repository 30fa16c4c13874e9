"""What-if: revoke a concession, or breach a commitment, and see what falls and who is exposed.

- ``revoke=C``: concession C is lost.
- ``breach=K``: every concession CONDITIONAL_ON commitment K is lost; the relationship's
  `consequence` (what the sources say may happen) is shown with it.

For each lost concession: the rate it returns to (`rate_before_pct`, "what returns if it
is revoked" in the schema) from the rate it holds now (`rate_after_pct`); the companies
that depend on it (both kinds of dependencies, each with its chain); the projects funded to
fulfil the commitments it rests on, with their costs; and the amounts of those commitments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from graph.questions.dependencies import (
    PARTICIPATION,
    Dependency,
    Evidence,
    Kind,
    RawChain,
    commitments_under,
    dependency_rows,
    projects_under,
)
from graph.questions.evidence import EntityRef, Hop, SourceQuote, quotes
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore


class LostConcession(BaseModel):
    concession: EntityRef
    measure: str | None = None
    rate_now_pct: float | None = Field(None, description="The concessionary rate (rate_after_pct).")
    returns_to_pct: float | None = Field(None, description="The rate without it (rate_before_pct); null when unknown.")
    consequence: str | None = Field(None, description="What the sources say may happen (CONDITIONAL_ON.consequence).")
    chain: list[Hop] = Field(description="Breach: the CONDITIONAL_ON hop from the concession to the commitment.")
    sources: list[SourceQuote] = Field(description="The concession's own sources.")


class CommitmentAtStake(BaseModel):
    commitment: EntityRef
    amount_usd: float | None = None
    chain: list[Hop] = Field(description="From the lost concession to the commitment.")


class CompanyAtStake(BaseModel):
    company: EntityRef
    concessions: list[EntityRef]
    kinds: list[Kind]
    dependencies: list[Dependency]


class ProjectAtStake(BaseModel):
    project: EntityRef
    status: str | None = None
    cost_min_usd: float | None = None
    cost_max_usd: float | None = None
    concessions: list[EntityRef]
    companies: list[EntityRef] = Field(description="Companies carrying the project (LEADS, PARTICIPATES_IN, ...).")
    chain: list[Hop] = Field(description="From a lost concession to the project (the shortest one).")


class Amounts(BaseModel):
    commitments_usd: float = Field(description="Sum of amount_usd of the distinct commitments at stake.")
    project_cost_min_usd: float = Field(description="Sum of cost_min_usd of the projects at stake that give one.")
    project_cost_max_usd: float = Field(description="Sum of cost_max_usd (or cost_min_usd) of those projects.")
    projects_without_cost: int = Field(description="Projects at stake whose cost the sources do not give.")


class WhatIfResult(BaseModel):
    as_of: dt.date | None
    scenario: Literal["revoke", "breach"]
    target: EntityRef
    concessions: list[LostConcession]
    commitments: list[CommitmentAtStake]
    companies: list[CompanyAtStake]
    projects: list[ProjectAtStake]
    amounts: Amounts
    notes: list[str] = Field(default_factory=list)


def lost_concessions(
    graph: QuestionGraph, revoke: str | None = None, breach: str | None = None
) -> list[tuple[str, RawChain, str | None]]:
    """(concession id, chain, consequence) of the concessions a scenario takes away, by id."""
    if revoke is not None:
        return [(revoke, (), None)] if graph.node_ok(revoke) else []
    lost: dict[str, tuple[str, RawChain, str | None]] = {}
    for co in graph.inn(breach or "", "CONDITIONAL_ON"):
        if graph.label(co.start) == "TariffConcession" and co.start not in lost:
            lost[co.start] = (co.start, ((co, True),), co.props.get("consequence"))
    return [lost[k] for k in sorted(lost)]


def what_if(
    graph: QuestionGraph | GraphStore,
    revoke: str | None = None,
    breach: str | None = None,
    as_of: dt.date | None = None,
) -> WhatIfResult:
    """What falls, and who is exposed, if a concession is revoked or a commitment breached.

    Exactly one of `revoke` (a TariffConcession id) and `breach` (a Commitment id).

    Examples
    --------
    >>> from graph.model import Node, Relationship
    >>> g = QuestionGraph(
    ...     [Node("cut", "TariffConcession", {"name": "cut", "rate_before_pct": 25.0, "rate_after_pct": 15.0}),
    ...      Node("invest", "Commitment", {"name": "invest", "amount_usd": 1e9})],
    ...     [Relationship("r1", "CONDITIONAL_ON", "cut", "invest", {"consequence": "tariffs return"})])
    >>> r = what_if(g, breach="invest")
    >>> [(c.concession.id, c.rate_now_pct, c.returns_to_pct, c.consequence) for c in r.concessions]
    [('cut', 15.0, 25.0, 'tariffs return')]
    >>> r.amounts.commitments_usd
    1000000000.0
    """
    if (revoke is None) == (breach is None):
        raise ValueError("give exactly one of revoke and breach")
    graph = as_graph(graph, as_of)
    if revoke is not None:
        target = graph.require(revoke, "revoke", "TariffConcession")
    else:
        target = graph.require(breach or "", "breach", "Commitment")
    evidence = Evidence(graph)
    notes: list[str] = []
    if not graph.node_ok(target.id):
        notes.append(f"{target.props.get('name', target.id)} is not in force on {graph.as_of}: nothing falls")
    lost = lost_concessions(graph, revoke, breach)
    if breach is not None and graph.node_ok(breach) and not lost:
        notes.append("no concession is conditional on this commitment")

    concessions = []
    for cid, chain, consequence in lost:
        node = graph.record(cid)
        assert node is not None
        concessions.append(
            LostConcession(
                concession=evidence.ref(cid),
                measure=node.props.get("measure"),
                rate_now_pct=node.props.get("rate_after_pct"),
                returns_to_pct=node.props.get("rate_before_pct"),
                consequence=consequence,
                chain=evidence.chain(chain),
                sources=quotes(node),
            )
        )

    # Commitments the lost concessions rest on (the breached one first when it is among them).
    commitments: dict[str, CommitmentAtStake] = {}
    for cid, _, _ in lost:
        for commitment, chain in commitments_under(graph, cid):
            if commitment not in commitments:
                node = graph.record(commitment)
                commitments[commitment] = CommitmentAtStake(
                    commitment=evidence.ref(commitment),
                    amount_usd=node.props.get("amount_usd") if node else None,
                    chain=evidence.chain(chain),
                )

    # Companies: every dependency on a lost concession.
    by_company: dict[str, list[Dependency]] = defaultdict(list)
    for cid, _, _ in lost:
        for row in dependency_rows(graph, concession=cid):
            by_company[row[0]].append(evidence.dependency(row))
    companies = [
        CompanyAtStake(
            company=deps[0].company,
            concessions=list({d.concession.id: d.concession for d in deps}.values()),
            kinds=sorted({d.kind for d in deps}),
            dependencies=deps,
        )
        for _, deps in sorted(by_company.items())
    ]

    # Projects: funded by vehicles fulfilling the commitments the lost concessions rest on.
    project_chains: dict[str, list[tuple[str, RawChain]]] = defaultdict(list)
    for cid, _, _ in lost:
        for project, chains in projects_under(graph, cid).items():
            project_chains[project].extend((cid, c) for c in chains)
    projects = []
    for project, found in sorted(project_chains.items()):
        node = graph.record(project)
        assert node is not None
        shortest = min(found, key=lambda item: (len(item[1]), tuple(r.id for r, _ in item[1])))
        carriers = sorted({w.start for w in graph.inn(project, *PARTICIPATION) if graph.label(w.start) == "Company"})
        projects.append(
            ProjectAtStake(
                project=evidence.ref(project),
                status=node.props.get("status"),
                cost_min_usd=node.props.get("cost_min_usd"),
                cost_max_usd=node.props.get("cost_max_usd"),
                concessions=[evidence.ref(c) for c in sorted({c for c, _ in found})],
                companies=[evidence.ref(c) for c in carriers],
                chain=evidence.chain(shortest[1]),
            )
        )

    costed = [p for p in projects if p.cost_min_usd is not None or p.cost_max_usd is not None]
    amounts = Amounts(
        commitments_usd=float(sum(c.amount_usd or 0.0 for c in commitments.values())),
        project_cost_min_usd=float(sum(p.cost_min_usd or p.cost_max_usd or 0.0 for p in costed)),
        project_cost_max_usd=float(sum(p.cost_max_usd or p.cost_min_usd or 0.0 for p in costed)),
        projects_without_cost=len(projects) - len(costed),
    )
    return WhatIfResult(
        as_of=graph.as_of,
        scenario="revoke" if revoke is not None else "breach",
        target=evidence.ref(target.id),
        concessions=concessions,
        commitments=list(commitments.values()),
        companies=companies,
        projects=projects,
        amounts=amounts,
        notes=notes,
    )
