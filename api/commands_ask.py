"""`dealgraph ask QUESTION ...`: the questions of graph/questions/ on the command line.

Each command prints a readable table by default and the API's JSON with `--json` (the same
typed result, evidence included). `--quotes` adds every hop's sources with their quotes.
An empty embedded store is filled from the bundled dataset first, as `dealgraph serve` does.

The store helpers of api/cli.py are imported inside the commands, so that api/cli.py can
import this module at its top.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from rich.table import Table

from api.cli_common import DataDirOption, StoreOption, err, fail, make_settings, opened, out, print_json
from graph.questions import ask
from graph.questions.deadlines import CalendarError
from graph.questions.evidence import Hop
from graph.questions.projection import UnknownEntity

ask_app = typer.Typer(
    help="Ask the graph a question: dependencies, what-if, deadlines, diff, path, conflicts, ledger, critical.",
    no_args_is_help=True,
)

T = TypeVar("T")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (the API's answer) instead of tables.")]
QuotesOption = Annotated[bool, typer.Option("--quotes", help="Show every hop with its sources and quotes.")]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="See the graph as it stood on this day (YYYY-MM-DD)."),
]


def _date(value: str | None, option: str) -> dt.date | None:

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def _ask(data_dir: Path | None, store: str | None, question: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Open the store, fill it if it is an empty embedded one, ask, and turn errors into one line."""
    from loaders.dataset import load_dataset

    with opened(make_settings(data_dir, store)) as graph_store:
        if graph_store.name == "embedded" and graph_store.counts().nodes == 0:
            load_dataset(graph_store)
            err.print("empty store: loaded the bundled dataset", highlight=False)
        try:
            return question(graph_store, *args, **kwargs)
        except UnknownEntity as exc:
            words = exc.entity_id.split(":", 1)[-1].replace("-", " ")
            hits, _ = graph_store.search(words, limit=5)
            hint = f"; did you mean {', '.join(h.id for h in hits)}?" if hits else ""
            raise fail(f"--{exc.parameter.replace('_', '-')}: {exc}{hint}") from None
        except CalendarError as exc:
            raise fail(f"--calendar: {exc}") from None


def _emit_json(result: BaseModel) -> None:

    print_json(result.model_dump(mode="json", by_alias=True))


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "every fact, whatever its dates"


def _usd(value: float | None) -> str:
    if value is None:
        return "?"
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return f"${value / size:,.4g}{unit}"
    return f"${value:,.0f}"


def _range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "?"
    if low is None or high is None or low == high:
        return _usd(low if low is not None else high)
    return f"{_usd(low)}-{_usd(high)}"


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value:g}%"


def _hops(chain: list[Hop]) -> str:
    """A chain as one hop per line, for a table cell."""
    return "\n".join(f"-{h.type}-> {h.to.name}" if h.forward else f"<-{h.type}- {h.from_.name}" for h in chain)


def _print_quotes(chains: Iterable[tuple[str, list[Hop]]]) -> None:
    for title, chain in chains:
        out.print(f"[bold]{title}[/]", highlight=False)
        for hop in chain:
            arrow = f"{hop.from_.name} -{hop.type}-> {hop.to.name}"
            out.print(f"  {arrow}", highlight=False)
            for source in hop.sources:
                span = f" [dim][{source.start}:{source.end}][/]" if source.start >= 0 else ""
                out.print(f'    [dim]{source.source}:[/] "{source.quote}"{span}', highlight=False)


@ask_app.command("dependencies")
def dependencies_command(
    company: Annotated[str | None, typer.Option(help="Only this company (id).")] = None,
    concession: Annotated[str | None, typer.Option(help="Only this tariff concession (id).")] = None,
    as_of: AsOfOption = None,
    kind: Annotated[str | None, typer.Option(help="Only exposure or fulfilment.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Most rows to show.")] = None,
    quotes: QuotesOption = False,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which companies depend on which tariff concessions: exposure and fulfilment, hop by hop."""

    if kind not in (None, "exposure", "fulfilment"):
        raise fail(f"--kind: {kind!r} is not exposure or fulfilment")
    kinds = (kind,) if kind else ("exposure", "fulfilment")
    result = _ask(data_dir, store, ask.dependencies, company, concession, _date(as_of, "--as-of"), kinds, limit)
    if as_json:
        return _emit_json(result)
    table = Table(
        "company", "concession", "kind", "chain",
        title=f"{result.total} dependencies ({result.pairs} company-concession pairs), as of {_day(result.as_of)}",
    )  # fmt: skip
    for d in result.dependencies:
        table.add_row(d.company.name, d.concession.name, d.kind, _hops(d.chain), end_section=True)
    out.print(table)
    if result.truncated:
        out.print(f"[dim]showing {len(result.dependencies)} of {result.total}[/]")
    if quotes:
        _print_quotes((f"{d.company.name} / {d.concession.name} ({d.kind})", d.chain) for d in result.dependencies)


@ask_app.command("what-if")
def what_if_command(
    revoke: Annotated[str | None, typer.Option(help="A tariff concession to revoke (id).")] = None,
    breach: Annotated[str | None, typer.Option(help="A commitment to breach (id).")] = None,
    as_of: AsOfOption = None,
    quotes: QuotesOption = False,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """What falls, and who is exposed, if a concession is revoked or a commitment breached."""

    if (revoke is None) == (breach is None):
        raise fail("give exactly one of --revoke and --breach")
    result = _ask(data_dir, store, ask.what_if, revoke=revoke, breach=breach, as_of=_date(as_of, "--as-of"))
    if as_json:
        return _emit_json(result)
    out.print(f"[bold]{result.scenario} {result.target.name}[/] (as of {_day(result.as_of)})", highlight=False)
    for note in result.notes:
        out.print(f"[yellow]{note}[/]", highlight=False)
    lost = Table("concession lost", "rate now", "returns to", "consequence", title="Concessions that fall")
    for c in result.concessions:
        lost.add_row(c.concession.name, _pct(c.rate_now_pct), _pct(c.returns_to_pct), c.consequence or "")
    out.print(lost)
    companies = Table("company", "concessions", "kinds", "first chain", title="Companies exposed")
    for c in result.companies:
        companies.add_row(
            c.company.name,
            "\n".join(x.name for x in c.concessions),
            ", ".join(c.kinds),
            _hops(c.dependencies[0].chain),
            end_section=True,
        )
    out.print(companies)
    projects = Table("project", "status", "cost", "companies", title="Projects at stake")
    for p in result.projects:
        projects.add_row(
            p.project.name,
            p.status or "",
            _range(p.cost_min_usd, p.cost_max_usd),
            ", ".join(x.name for x in p.companies),
        )
    out.print(projects)
    a = result.amounts
    out.print(
        f"At stake: commitments {_usd(a.commitments_usd)}; projects "
        f"{_range(a.project_cost_min_usd, a.project_cost_max_usd)}"
        + (f" ({a.projects_without_cost} without a cost)" if a.projects_without_cost else ""),
        highlight=False,
    )
    if quotes:
        _print_quotes(
            (f"{d.company.name} / {d.concession.name} ({d.kind})", d.chain)
            for c in result.companies
            for d in c.dependencies
        )


@ask_app.command("deadlines")
def deadlines_command(
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="Status as of this day (default: today).")
    ] = None,
    calendar: Annotated[str, typer.Option(help="Holiday calendar: US, JP or US+JP.")] = "US",
    selected_on: Annotated[
        str | None,
        typer.Option("--selected-on", metavar="DATE", help="Evaluate a hypothetical project selection on this day."),
    ] = None,
    commitment: Annotated[str | None, typer.Option(help="Only this rule (a commitment id).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Most rows to show (by due date).")] = None,
    offset: Annotated[int, typer.Option(min=0, help="Rows (by due date) to skip.")] = 0,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Due dates of deadline rules in working days under a holiday calendar, and their status."""
    result = _ask(
        data_dir,
        store,
        ask.deadlines,
        as_of=_date(as_of, "--as-of"),
        calendar=calendar,
        selected_on=_date(selected_on, "--selected-on"),
        commitment=commitment,
        limit=limit,
        offset=offset,
    )
    if as_json:
        return _emit_json(result)
    out.print(f"[dim]{result.convention}[/]", highlight=False)
    table = Table(
        "rule", "reading", "project", "selected", "due", "status", "left",
        title=f"Deadlines as of {result.as_of.isoformat()} ({result.calendar} calendar)",
    )  # fmt: skip
    for d in result.deadlines:
        reading = f"{d.rule.amount} {d.rule.unit.replace('_', ' ')} ({d.rule.origin})" + (
            " [yellow]disputed[/]" if d.disputed else ""
        )
        table.add_row(
            d.commitment.name,
            reading,
            d.project.name if d.project else "(hypothetical)",
            d.selected_on.isoformat() if d.selected_on else "?",
            d.due_on.isoformat() if d.due_on else "?",
            d.status,
            "" if d.days_left is None else str(d.days_left),
        )
    out.print(table)
    if result.truncated:
        first, last = result.offset + 1, result.offset + len(result.deadlines)
        out.print(f"[dim]showing {f'rows {first}-{last}' if result.deadlines else 'no rows'} of {result.total}[/]")
    for d in result.deadlines:
        project = d.project.name if d.project else "hypothetical selection"
        out.print(f"[bold]{project}[/] ({d.rule.origin} reading): {d.explanation}", highlight=False)
        for source in d.rule.sources:
            out.print(f'  [dim]{source.source}:[/] "{source.quote}"', highlight=False)
    for note in result.notes:
        out.print(f"[dim]{note}[/]", highlight=False)


@ask_app.command("diff")
def diff_command(
    from_: Annotated[str | None, typer.Option("--from", metavar="DATE", help="The earlier day.")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="DATE", help="The later day.")] = None,
    revoke: Annotated[str | None, typer.Option(help="Scenario: baseline against revoking this concession.")] = None,
    breach: Annotated[str | None, typer.Option(help="Scenario: baseline against breaching this commitment.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Scenario: the baseline's day.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most facts listed as added and as removed.")] = 100,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Facts added, removed and changed between two days (valid_from/valid_to), or under a what-if."""

    scenario = revoke is not None or breach is not None
    if scenario and (from_ or to):
        raise fail("give either --from and --to, or a scenario (--revoke or --breach)")
    if revoke is not None and breach is not None:
        raise fail("give one of --revoke and --breach")
    if not scenario and not (from_ and to):
        raise fail("give --from and --to (or a scenario: --revoke or --breach)")
    result = _ask(
        data_dir,
        store,
        ask.diff,
        _date(from_, "--from"),
        _date(to, "--to"),
        revoke=revoke,
        breach=breach,
        as_of=_date(as_of, "--as-of"),
        limit=limit,
    )
    if as_json:
        return _emit_json(result)
    if result.mode == "dates":
        heading = f"from {result.from_} to {result.to}"
    else:
        heading = f"{result.scenario} (baseline as of {_day(result.as_of)})"
    out.print(f"[bold]diff {heading}[/]", highlight=False)
    for title, facts, total in (
        ("Added", result.added, result.added_total),
        ("Removed", result.removed, result.removed_total),
    ):
        shown = f"{total}" if total == len(facts) else f"{total}, first {len(facts)} shown"
        table = Table("kind", "label / type", "name", "valid from", "valid to", title=f"{title} ({shown})")
        for f in facts:
            table.add_row(
                f.kind,
                f.label,
                f.name,
                f.valid_from.isoformat() if f.valid_from else "",
                f.valid_to.isoformat() if f.valid_to else "",
            )
        out.print(table)
    changed = Table("subject", "property", "before", "after", title=f"Changed ({len(result.changed)})")
    for c in result.changed:
        changed.add_row(c.subject, c.property, str(c.before), str(c.after))
    out.print(changed)


@ask_app.command("path")
def path_command(
    source: Annotated[str, typer.Argument(metavar="A", help="Entity id to start from.")],
    target: Annotated[str, typer.Argument(metavar="B", help="Entity id to reach.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=8, help="Longest chain.")] = 4,
    directed: Annotated[bool, typer.Option("--directed", help="Follow stored directions only.")] = False,
    as_of: AsOfOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Most chains.")] = 100,
    quotes: QuotesOption = False,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Shortest paths and every distinct relationship chain up to N hops between two entities."""
    result = _ask(
        data_dir,
        store,
        ask.path,
        source,
        target,
        max_hops=max_hops,
        directed=directed,
        as_of=_date(as_of, "--as-of"),
        limit=limit,
    )
    if as_json:
        return _emit_json(result)
    if result.shortest_hops is None:
        out.print(f"no chain of at most {result.max_hops} hops from {result.source.name} to {result.target.name}")
        return
    table = Table(
        "hops", "chain",
        title=f"{len(result.chains)} chain(s) from {result.source.name} to {result.target.name}, "
        f"shortest {result.shortest_hops} hop(s)" + (" (truncated)" if result.truncated else ""),
    )  # fmt: skip
    for c in result.chains:
        table.add_row(str(c.length), f"{c.nodes[0].name}\n{_hops(c.hops)}", end_section=True)
    out.print(table)
    if quotes:
        _print_quotes((c.summary, c.hops) for c in result.chains)


@ask_app.command("conflicts")
def conflicts_command(
    entity: Annotated[str | None, typer.Option(help="Only conflicts about this entity (id).")] = None,
    as_of: AsOfOption = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Where sources disagree: the stored value and the other one, side by side, with sources."""
    result = _ask(data_dir, store, ask.conflicts, entity=entity, as_of=_date(as_of, "--as-of"))
    if as_json:
        return _emit_json(result)

    def cited(value: object, sources: list) -> str:
        quoted = "; ".join(f'"{s.quote}"' if s.quote else s.source for s in sources)
        return f"{value}\n[dim]{quoted}[/]" if quoted else str(value)

    table = Table("entity", "property", "stored", "other", title=f"Claims ({len(result.claims)})")
    for c in result.claims:
        table.add_row(
            c.entity.name,
            c.property,
            cited(c.stored_value, c.stored_sources),
            cited(c.claimed_value, c.claim_sources),
        )
    out.print(table)
    rels = Table(
        "relationship",
        "property",
        "stored",
        "other",
        "sources",
        title=f"Flagged relationships ({len(result.relationships)})",
    )
    for r in result.relationships:
        h = r.relationship
        rels.add_row(
            f"{h.from_.name} -{h.type}-> {h.to.name}",
            r.property,
            str(r.stored_value),
            r.other_value,
            "; ".join(f'"{s.quote}"' if s.quote else s.source for s in r.sources),
        )
    out.print(rels)


@ask_app.command("ledger")
def ledger_command(
    agreement: Annotated[str | None, typer.Option(help="An agreement (id): reciprocity of its sides.")] = None,
    vehicle: Annotated[
        str | None, typer.Option(help="An investment vehicle (id): pledged -> selected -> funded.")
    ] = None,
    as_of: AsOfOption = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Each side's concessions against the other side's commitments; or a vehicle's projects by stage."""

    if (agreement is None) == (vehicle is None):
        raise fail("give exactly one of --agreement and --vehicle")
    result = _ask(data_dir, store, ask.ledger, agreement=agreement, vehicle=vehicle, as_of=_date(as_of, "--as-of"))
    if as_json:
        return _emit_json(result)
    if result.agreement is not None:
        a = result.agreement
        out.print(f"[bold]{a.agreement.name}[/] (as of {_day(result.as_of)})", highlight=False)
        for side in a.sides:
            table = Table("gives", "detail", "gets", "detail", title=side.country.name)
            for i in range(max(len(side.gives), len(side.gets))):
                g = side.gives[i] if i < len(side.gives) else None
                t = side.gets[i] if i < len(side.gets) else None
                table.add_row(
                    g.entity.name if g else "", g.detail if g else "", t.entity.name if t else "", t.detail if t else ""
                )
            table.add_row("[bold]committed[/]", _usd(side.gives_usd), "[bold]committed to it[/]", _usd(side.gets_usd))
            out.print(table)
        conditions = Table("concession", "conditional on", "consequence", title="Conditions")
        for c in a.conditions:
            conditions.add_row(c.concession.name, c.commitment.name, c.consequence or "")
        out.print(conditions)
        for item in a.unassigned:
            out.print(f"[yellow]no party recorded as giving[/] {item.entity.name}", highlight=False)
        return
    v = result.vehicle
    assert v is not None
    out.print(f"[bold]{v.vehicle.name}[/]: pledged {_usd(v.pledged_usd)} (as of {_day(result.as_of)})", highlight=False)
    for c in v.commitments:
        out.print(f"  fulfils {c.entity.name} ({c.detail})", highlight=False)
    table = Table("stage", "project", "status", "selected on", "cost", "companies", title="Projects")
    for p in v.projects:
        table.add_row(
            p.stage,
            p.project.name,
            p.status or "",
            p.selected_on.isoformat() if p.selected_on else "",
            _range(p.cost_min_usd, p.cost_max_usd),
            ", ".join(c.name for c in p.companies),
        )
    out.print(table)
    totals = Table("stage", "projects", "cost", "without cost", title="Totals")
    for t in v.totals:
        totals.add_row(t.stage, str(t.projects), _range(t.cost_min_usd, t.cost_max_usd), str(t.without_cost))
    out.print(totals)
    out.print(f"Unallocated: {_range(v.unallocated_min_usd, v.unallocated_max_usd)}", highlight=False)


@ask_app.command("critical")
def critical_command(
    as_of: AsOfOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many critical nodes and relationships.")] = 10,
    top: Annotated[int, typer.Option(min=1, max=100, help="Nodes per label in the centrality table.")] = 5,
    centrality: Annotated[bool, typer.Option("--centrality/--no-centrality", help="Compute centrality.")] = True,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Nodes and relationships whose removal breaks the most company-concession dependencies; centrality."""
    result = _ask(
        data_dir, store, ask.critical, as_of=_date(as_of, "--as-of"), limit=limit, top=top, with_centrality=centrality
    )
    if as_json:
        return _emit_json(result)
    out.print(
        f"{result.dependencies} company-concession dependencies ({result.chains} chains), as of {_day(result.as_of)}",
        highlight=False,
    )
    nodes = Table("node", "label", "breaks", "dependencies it breaks", title="Critical nodes")
    for n in result.nodes:
        pairs = "; ".join(f"{p.company.name} / {p.concession.name}" for p in n.pairs[:3])
        more = f" (+{len(n.pairs) - 3})" if len(n.pairs) > 3 else ""
        nodes.add_row(n.entity.name, n.entity.label, str(n.breaks), pairs + more)
    out.print(nodes)
    rels = Table("relationship", "breaks", title="Critical relationships")
    for r in result.relationships:
        h = r.relationship
        rels.add_row(f"{h.from_.name} -{h.type}-> {h.to.name}", str(r.breaks))
    out.print(rels)
    if result.centrality:
        table = Table("label", "node", "degree", "betweenness", title="Centrality (top per label)")
        for group in result.centrality:
            for c in group.nodes:
                table.add_row(group.label, c.entity.name, f"{c.degree:.3f}", f"{c.betweenness:.3f}")
        out.print(table)
        if result.betweenness_sample:
            out.print(f"[dim]betweenness estimated from {result.betweenness_sample} sampled pivots[/]")
