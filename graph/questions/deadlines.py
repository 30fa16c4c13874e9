"""Deadlines: from a selection date and a rule such as "45 working days", the due date
under a named holiday calendar, and whether it is due, overdue or met as of a day.

**Day 0.** The selection day is day 0, whatever day of the week it is; day 1 is the next
working day after it (the next calendar day for a calendar-day rule); the due date is day N.
A working day is a Monday to Friday that is not a public holiday of the calendar: `US`,
`JP`, or a union such as `US+JP` (a day off in either country is skipped), from the
`holidays` library. A calendar-day due date is not moved when it falls on a weekend or
holiday.

**Rules.** Every Commitment with `deadline_amount` and `deadline_unit` is a rule. It
applies to the projects funded (FUNDS) by a vehicle that FULFILS the commitment, or a
commitment it GOVERNS. A project is selected when its FUNDS relationship (or the project)
has status `selected` or `funded`; its selection day is the FUNDS relationship's
`valid_from`; it is met when either status is `funded` (the graph has no funding date).
`selected_on` evaluates a hypothetical selection instead, for every rule.

**Disputes.** When a Claim DISPUTES the rule's `deadline_unit` or `deadline_amount` (a
source says "45 days" where another says "45 working days"), both readings are computed
and every row of that rule is flagged `disputed`, each with its sources.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Literal

import holidays
from pydantic import BaseModel, Field

from graph.model import Node, Relationship
from graph.questions.dependencies import Evidence, RawChain
from graph.questions.evidence import EntityRef, Hop, SourceQuote, quotes
from graph.questions.projection import QuestionGraph, as_graph
from graph.store import GraphStore, gc_paused

CONVENTION = (
    "The selection day is day 0; day 1 is the next working day after it (the next calendar day for a "
    "calendar-day rule); the due date is day N. Working days are Monday to Friday, skipping the public "
    "holidays of the calendar (US, JP, or a union such as US+JP)."
)
Status = Literal["not_started", "due", "overdue", "met", "unknown"]
Unit = Literal["working_days", "calendar_days"]


class CalendarError(ValueError):
    """A calendar name the holidays library does not know."""


@cache
def _holidays_in(code: str, year: int) -> dict[dt.date, str]:
    """One country's public holidays that fall in one year (observed days included; the
    library files an observed day under the year it falls in)."""
    return dict(holidays.country_holidays(code, years=year))


@cache
def _calendar_year(codes: tuple[str, ...], year: int) -> dict[dt.date, str]:
    """The holidays of a calendar (one or more countries) in one year, named as
    `holiday_name` names them; built once per calendar and year."""
    names: dict[dt.date, list[str]] = {}
    for code in codes:
        for day, name in _holidays_in(code, year).items():
            if name and day.year == year:
                names.setdefault(day, []).append(f"{code}: {name}" if len(codes) > 1 else name)
    return {day: "; ".join(parts) for day, parts in sorted(names.items())}


@cache
def _weekday_holidays(codes: tuple[str, ...], year: int) -> list[dt.date]:
    """The days off of a calendar in one year that fall on a weekday, sorted."""
    return [day for day in _calendar_year(codes, year) if day.weekday() < 5]


def parse_calendar(calendar: str) -> tuple[str, ...]:
    """Country codes (ISO alpha-2) of a calendar name such as ``US``, ``JP`` or ``US+JP``
    (a space or a comma also joins, since a URL turns ``+`` into a space).

    >>> parse_calendar("us+JP"), parse_calendar("US JP"), parse_calendar("JP,US,JP")
    (('US', 'JP'), ('US', 'JP'), ('JP', 'US'))
    """
    codes = tuple(dict.fromkeys(part.upper() for part in re.split(r"[+ ,]", calendar.strip())))
    supported = holidays.list_supported_countries()
    bad = [c for c in codes if len(c) != 2 or c not in supported]
    if not codes or bad:
        raise CalendarError(f"unknown holiday calendar {calendar!r}: use country codes such as US, JP or US+JP")
    return codes


def holiday_name(day: dt.date, codes: tuple[str, ...]) -> str | None:
    """The holiday's name on `day` in any of the calendars (joined when several), or None."""
    return _calendar_year(codes, day.year).get(day)


class HolidaySkipped(BaseModel):
    date: dt.date
    name: str


class Count(BaseModel):
    due_on: dt.date
    holidays_skipped: list[HolidaySkipped]
    weekend_days_skipped: int


def add_working_days(day0: dt.date, n: int, codes: tuple[str, ...]) -> Count:
    """Day N counting working days after day 0 (see the module docstring).

    >>> c = add_working_days(dt.date(2026, 2, 17), 45, ("US",))
    >>> c.due_on, c.weekend_days_skipped, c.holidays_skipped
    (datetime.date(2026, 4, 21), 18, [])
    """
    due, k, off = _count_working_days(day0, n, codes)
    skipped = [HolidaySkipped(date=day, name=_calendar_year(codes, day.year)[day]) for day in off]
    return Count(due_on=due, holidays_skipped=skipped, weekend_days_skipped=(due - day0).days - k)


def _count_working_days(day0: dt.date, n: int, codes: tuple[str, ...]) -> tuple[dt.date, int, list[dt.date]]:
    """(day N, how many weekdays up to it, the holidays skipped on weekdays) after day 0."""
    if n <= 0:
        return day0, 0, []
    # Day N is the k-th weekday after day 0, where k = N + the holidays (on weekdays) up to
    # it: the smallest such k, found by recounting until the holidays stop adding days.
    k = n
    while True:
        due = _nth_weekday_after(day0, k)
        off = _holidays_between(day0, due, codes)
        if n + len(off) == k:
            return due, k, off
        k = n + len(off)


_TO_NEXT_WEEKDAY = (1, 1, 1, 1, 3, 2, 1)  # days from a Monday, ..., a Sunday to the next weekday
_LAST = dt.date.max.toordinal()


def _nth_weekday_after(day: dt.date, k: int) -> dt.date:
    """The k-th Monday-to-Friday day after `day` (k >= 1).

    >>> _nth_weekday_after(dt.date(2026, 2, 13), 1), _nth_weekday_after(dt.date(2026, 2, 14), 6)
    (datetime.date(2026, 2, 16), datetime.date(2026, 2, 23))
    """
    weekday = day.weekday()
    first = day.toordinal() + _TO_NEXT_WEEKDAY[weekday]  # 7 days on from a weekday is 5 weekdays on
    weeks, rest = divmod(k - 1, 5)
    ordinal = first + 7 * weeks + rest + (2 if (weekday + _TO_NEXT_WEEKDAY[weekday]) % 7 + rest > 4 else 0)
    if ordinal > _LAST:
        raise OverflowError("date value out of range")
    return dt.date.fromordinal(ordinal)


def _holidays_between(a: dt.date, b: dt.date, codes: tuple[str, ...]) -> list[dt.date]:
    """The days off of a calendar that fall on a weekday in (a, b], in order."""
    found: list[dt.date] = []
    for year in range(a.year, b.year + 1):
        days = _weekday_holidays(codes, year)
        found += days[bisect.bisect_right(days, a) : bisect.bisect_right(days, b)]
    return found


MAX_COUNT_DAYS = 3_660  # ten years: beyond, days_left is not given


def working_days_between(a: dt.date, b: dt.date, codes: tuple[str, ...]) -> int | None:
    """Working days in (a, b] (negative when b is before a); None when they are more than
    ten years apart. Counted by whole weeks, less the holidays that fall on a weekday.

    >>> working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 20), ("US",))  # Washington's Birthday
    4
    """
    if b < a:
        days = working_days_between(b, a, codes)
        return None if days is None else -days
    span = (b - a).days
    if span > MAX_COUNT_DAYS:
        return None
    weeks, rest = divmod(span, 7)
    weekdays = weeks * 5 + sum(1 for i in range(1, rest + 1) if (a.weekday() + i) % 7 < 5)
    return weekdays - len(_holidays_between(a, b, codes))


class DeadlineRule(BaseModel):
    amount: int
    unit: Unit
    trigger: str | None = None
    action: str | None = None
    origin: Literal["stored", "claim"] = Field(
        description="stored: the commitment's own value; claim: a disputing Claim's value."
    )
    claim: EntityRef | None = Field(None, description="The Claim node giving this reading, when origin is claim.")
    sources: list[SourceQuote] = Field(description="The sources of this reading of the rule.")


class Deadline(BaseModel):
    commitment: EntityRef
    rule: DeadlineRule
    disputed: bool = Field(description="True when sources disagree on the rule; each reading is its own row.")
    project: EntityRef | None = Field(None, description="The selected project; null for a hypothetical selection.")
    hypothetical: bool = False
    selected_on: dt.date | None = None
    due_on: dt.date | None = None
    status: Status
    days_left: int | None = Field(
        None, description="Days (in the rule's unit) from as_of to the due date; negative when overdue; null when met."
    )
    holidays_skipped: list[HolidaySkipped] = Field(default_factory=list)
    weekend_days_skipped: int = 0
    explanation: str
    chain: list[Hop] = Field(default_factory=list, description="From the rule to the project it applies to.")


class DeadlinesResult(BaseModel):
    as_of: dt.date
    calendar: str
    convention: str = CONVENTION
    total: int = Field(description="How many rows there are (every rule, project and reading), before paging.")
    offset: int = Field(0, description="How many rows, by due date, come before this page.")
    truncated: bool = Field(False, description="True when `deadlines` holds fewer rows than `total`.")
    next_offset: int | None = Field(None, description="The offset of the next page; null on the last one.")
    deadlines: list[Deadline] = Field(description="By due date (rows without one last), then rule and project.")
    notes: list[str] = Field(default_factory=list)


def _fmt(day: dt.date) -> str:
    return f"{day:%a} {day.isoformat()}"


# One reading of a rule: (amount, unit, the Claim giving it or None for the stored value).
Reading = tuple[int, str, Node | None]


def _readings(graph: QuestionGraph, node: Node, disputes: Sequence[Relationship]) -> list[Reading]:
    """The stored reading of a rule, then one per Claim disputing its unit or amount
    (`disputes`: the DISPUTES relationships into the rule, whatever their dates)."""
    p = node.props
    stored: Reading = (int(p["deadline_amount"]), p["deadline_unit"], None)
    readings = [stored]
    for rel in disputes:
        if not graph.rel_ok(rel):
            continue
        claim = graph.record(rel.start)
        if claim is None or claim.props.get("property") not in ("deadline_unit", "deadline_amount"):
            continue
        value = str(claim.props.get("value", ""))
        try:
            if claim.props["property"] == "deadline_unit":
                if value not in ("working_days", "calendar_days"):
                    continue
                readings.append((stored[0], value, claim))
            else:
                readings.append((int(float(value)), stored[1], claim))
        except ValueError:
            continue
    return readings


def _rules(graph: QuestionGraph, node: Node, readings: list[Reading], evidence: Evidence) -> list[DeadlineRule]:
    """The readings of a rule as DeadlineRule, each with its sources."""
    p = node.props
    amount, unit, _ = readings[0]
    stored = DeadlineRule(
        amount=amount,
        unit=unit,
        trigger=p.get("deadline_trigger"),
        action=p.get("deadline_action"),
        origin="stored",
        sources=[q for q in quotes(node) if q.source not in _claim_sources(graph, node.id)] or quotes(node),
    )
    rules = [stored]
    for amount, unit, claim in readings[1:]:
        assert claim is not None
        update = {"amount": amount, "unit": unit, "origin": "claim", "claim": evidence.ref(claim.id)}
        rules.append(stored.model_copy(update={**update, "sources": quotes(claim)}))
    return rules


def _due(reading: Reading, day0: dt.date | None, codes: tuple[str, ...]) -> dt.date | None:
    """The due date of a reading for a selection on day0 (None when unknown or past year 9999)."""
    amount, unit, _ = reading
    if day0 is None:
        return None
    try:
        if unit == "working_days":
            return _count_working_days(day0, amount, codes)[0]
        return day0 + dt.timedelta(days=amount)
    except OverflowError:
        return None


def _claim_sources(graph: QuestionGraph, node_id: str) -> set[str]:
    """Sources that only disagree: those of the Claims disputing the node."""
    found: set[str] = set()
    for rel in graph.inn(node_id, "DISPUTES"):
        claim = graph.record(rel.start)
        if claim is not None:
            found.update(claim.props.get("sources", []))
    return found


# The relationships of one type at a node (FULFILS into a commitment, GOVERNS out of a rule),
# whatever their dates.
Links = Callable[[str], Sequence[Relationship]]


def _links(every: QuestionGraph, whole: bool) -> tuple[Links, Links]:
    """(FULFILS into, GOVERNS out of) a commitment: grouped from one pass over each type
    (when every rule is asked: most rules have neither), else looked up per node."""
    if not whole:
        return (lambda node_id: every.inn(node_id, "FULFILS")), (lambda node_id: every.out(node_id, "GOVERNS"))
    into: dict[str, list[Relationship]] = defaultdict(list)
    for rel in every.relationships("FULFILS"):
        into[rel.end].append(rel)
    out: dict[str, list[Relationship]] = defaultdict(list)
    for rel in every.relationships("GOVERNS"):
        out[rel.start].append(rel)
    return (lambda node_id: into.get(node_id, ())), (lambda node_id: out.get(node_id, ()))


# A way a rule reaches a project selected or funded, whatever the dates: (the chain from the
# rule to the commitment a vehicle fulfils, FULFILS, FUNDS, project, met, and the days it is in
# force: from, until (exclusive; None: no end), where every relationship and node on it is).
Way = tuple[RawChain, Relationship, Relationship, Node, bool, dt.date, dt.date | None]
Funded = dict[str, list[tuple[Relationship, Node, bool]]]  # per vehicle: (FUNDS, project, met)


def _ways(every: QuestionGraph, rule: str, links: tuple[Links, Links], funded: Funded) -> list[Way]:
    """The ways of one rule, whatever their dates; `funded` keeps each vehicle's selected
    projects for the next rule."""
    fulfils, governs = links
    governed: list[tuple[str, RawChain]] = [(rule, ())]
    governed += [(g.end, ((g, True),)) for g in governs(rule) if every.label(g.end) == "Commitment"]
    ways: list[Way] = []
    for commitment, head in governed:
        for fu in fulfils(commitment):
            if fu.start not in funded:
                funded[fu.start] = _selected_funds(every, every.out(fu.start, "FUNDS"))
            ways += [
                (head, fu, f, project, met, *_span(every, (*head, (fu, False), (f, True))))
                for f, project, met in funded[fu.start]
            ]
    return ways


def _span(every: QuestionGraph, chain: RawChain) -> tuple[dt.date, dt.date | None]:
    """The days on which every relationship of `chain` and both its ends are in force (the
    intersection of their validities; empty when from >= until): what `rel_ok` checks."""
    start, end = dt.date.min, None
    for rel, _ in chain:
        for props in (rel.props, every.record(rel.start).props, every.record(rel.end).props):  # type: ignore[union-attr]
            a, b = props.get("valid_from"), props.get("valid_to")
            if a is not None and a > start:
                start = a
            if b is not None and (end is None or b < end):
                end = b
    return start, end


def all_ways(every: QuestionGraph) -> dict[str, list[Way]]:
    """The ways of every rule, whatever their dates: built once per projection (its `shared`
    memo) and filtered by day per question, since most of `deadlines` is this walk."""
    links = _links(every, whole=True)
    funded: Funded = {}
    found = {}
    for node in every.nodes("Commitment"):
        if _is_rule(node):
            ways = _ways(every, node.id, links, funded)
            if ways:
                found[node.id] = ways
    return found


def _disputes(every: QuestionGraph) -> dict[str, list[Relationship]]:
    """DISPUTES relationships by the node they dispute, whatever their dates."""
    found: dict[str, list[Relationship]] = defaultdict(list)
    for rel in every.relationships("DISPUTES"):
        found[rel.end].append(rel)
    return dict(found)


def _is_rule(node: Node) -> bool:
    return node.props.get("deadline_amount") is not None and node.props.get("deadline_unit") is not None


def _selected_projects(graph: QuestionGraph, ways: list[Way]) -> list[tuple[str, Node, RawChain, dt.date | None, bool]]:
    """(project id, FUNDS status, chain, selection day, met) for the ways of a rule (in
    force) that count on the graph's day, one per project and FUNDS (the shortest chain)."""
    day = graph.as_of
    found: dict[str, tuple] = {}
    for head, fu, f, project, met, start, end in ways:
        if day is not None and not (start <= day and (end is None or day < end)):
            continue
        chain = (*head, (fu, False), (f, True))
        key = f"{f.end}|{f.id}"
        if key not in found or len(chain) < len(found[key][2]):
            found[key] = (f.end, project, chain, f.props.get("valid_from"), met)
    return [found[k] for k in sorted(found)]


def _selected_funds(graph: QuestionGraph, funds: list[Relationship]) -> list[tuple[Relationship, Node, bool]]:
    """(FUNDS, project, met) for the projects selected or funded (the day is checked per question)."""
    selected = []
    for f in funds:
        project = graph.record(f.end)
        if project is None or project.label != "Project":
            continue
        statuses = {f.props.get("status"), project.props.get("status")}
        if statuses & {"selected", "funded"}:
            selected.append((f, project, "funded" in statuses))
    return selected


def _evaluate(
    rule: DeadlineRule, day0: dt.date | None, met: bool, as_of: dt.date, codes: tuple[str, ...], calendar: str
) -> dict:
    what = f" to {rule.action}" if rule.action else ""
    if day0 is None:
        return {
            "status": "met" if met else "unknown",
            "explanation": f"The selection date is not recorded, so the {rule.amount} "
            f"{rule.unit.replace('_', ' ')}{what} cannot be counted." + (" Funded: met." if met else ""),
        }
    try:
        return _evaluate_dated(rule, day0, met, as_of, codes, calendar, what)
    except OverflowError:
        return {
            "status": "met" if met else "unknown",
            "explanation": f"Selected on {day0.isoformat()}: the due date falls outside the calendar (years 1-9999).",
        }


def _evaluate_dated(
    rule: DeadlineRule, day0: dt.date, met: bool, as_of: dt.date, codes: tuple[str, ...], calendar: str, what: str
) -> dict:
    if rule.unit == "working_days":
        count = add_working_days(day0, rule.amount, codes)
        due = count.due_on
        first = add_working_days(day0, 1, codes).due_on
        skipped = count.holidays_skipped
        weekend = f"{count.weekend_days_skipped} weekend days"
        if skipped:
            listed = ", ".join(f"{h.name} ({_fmt(h.date)})" for h in skipped)
            plural = "s" if len(skipped) > 1 else ""
            skipping = f"skipping {weekend} and {len(skipped)} public holiday{plural}: {listed}"
        else:
            skipping = f"skipping {weekend} (no {calendar} public holiday falls on a weekday in between)"
        text = (
            f"Selected on {_fmt(day0)} (day 0); day 1 is the next working day, {_fmt(first)}. "
            f"{rule.amount} working days{what} under the {calendar} calendar end on {_fmt(due)}, {skipping}."
        )
        week = [day0 - dt.timedelta(days=i) for i in range(min(7, (day0 - dt.date.min).days), -1, -1)]
        before = [(d, holiday_name(d, codes)) for d in week]
        before = [(d, name) for d, name in before if name]
        if before:
            d, name = before[-1]
            where = "is day 0" if d == day0 else "falls before day 0"
            text += f" {name} ({_fmt(d)}) {where}, so it does not count."
        left = working_days_between(as_of, due, codes) if as_of >= day0 else None
        extra = {"holidays_skipped": skipped, "weekend_days_skipped": count.weekend_days_skipped}
    else:
        due = day0 + dt.timedelta(days=rule.amount)
        text = (
            f"Selected on {_fmt(day0)} (day 0); {rule.amount} calendar days{what} end on {_fmt(due)} "
            "(weekends and holidays count; the date is not moved)."
        )
        left = (due - as_of).days if as_of >= day0 else None
        extra = {}
    if met:
        status: Status = "met"
        left = None
        text += " Funded: met."
    elif as_of < day0:
        status = "not_started"
        text += f" As of {as_of.isoformat()} the count has not started."
    elif as_of <= due:
        status = "due"
        count_left = f", {left} {rule.unit.replace('_', ' ')} left" if left is not None else ""
        text += f" As of {as_of.isoformat()}: due{count_left}."
    else:
        status = "overdue"
        late = f" by {-left} {rule.unit.replace('_', ' ')}" if left is not None else ""
        text += f" As of {as_of.isoformat()}: overdue{late}."
    return {"status": status, "due_on": due, "days_left": left, "explanation": text, **extra}


def deadlines(
    graph: QuestionGraph | GraphStore,
    as_of: dt.date | None = None,
    calendar: str = "US",
    selected_on: dt.date | None = None,
    commitment: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> DeadlinesResult:
    """Due dates of the deadline rules, and their status as of a day (default: today).

    Every row is dated and counted; the rows are ordered by due date (rows without one
    last; ties by rule, project and reading), and only the page `offset`, `offset + limit`
    (every row without `limit`) is explained, with its evidence.

    Examples
    --------
    >>> from graph.model import Node, Relationship
    >>> rule = Node("rule", "Commitment", {"name": "fund within 45 working days", "kind": "funding_rule",
    ...     "deadline_amount": 45, "deadline_unit": "working_days", "deadline_action": "initiate funding"})
    >>> r = deadlines(QuestionGraph([rule]), as_of=dt.date(2026, 3, 2), selected_on=dt.date(2026, 2, 17))
    >>> d = r.deadlines[0]
    >>> d.due_on, d.status, d.days_left, r.total
    (datetime.date(2026, 4, 21), 'due', 36, 1)
    """
    codes = parse_calendar(calendar)
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")
    if offset < 0:
        raise ValueError("offset must be at least 0")
    as_of = as_of or dt.date.today()
    graph = as_graph(graph, as_of)
    if commitment is not None:
        graph.require(commitment, "commitment", "Commitment")
    with gc_paused():
        return _deadlines(graph, as_of, codes, selected_on, commitment, limit, offset)


# A row before it is explained: (due date, rule, its readings, which reading, project id,
# chain, selection day, met).
_Row = tuple[dt.date | None, Node, list[Reading], int, str | None, RawChain, dt.date | None, bool]


def _deadlines(
    graph: QuestionGraph,
    as_of: dt.date,
    codes: tuple[str, ...],
    selected_on: dt.date | None,
    commitment: str | None,
    limit: int | None,
    offset: int,
) -> DeadlinesResult:
    notes: list[str] = []
    day = as_of.isoformat()
    rules = [n for n in graph.nodes("Commitment") if _is_rule(n) and commitment in (None, n.id)]
    ways_of: dict[str, list[Way]] = {}
    every = graph.at(None)
    if selected_on is None and commitment is not None:
        ways_of = {commitment: _ways(every, commitment, _links(every, whole=False), {})}
    elif selected_on is None:
        ways_of = graph.shared("deadline_ways", all_ways)
    if commitment is not None:
        disputes: Links = lambda node_id: every.inn(node_id, "DISPUTES")  # noqa: E731
    else:  # most rules have none: one pass over the type, kept with the projection
        table = graph.shared("deadline_disputes", _disputes)
        disputes = lambda node_id: table.get(node_id, ())  # noqa: E731
    # Every row with its due date, enough to order and count them ...
    rows: list[_Row] = []
    due_of: dict[tuple, dt.date | None] = {}
    for node in rules:
        readings = _readings(graph, node, disputes(node.id))
        if selected_on is not None:
            targets = [(None, (), selected_on, False)]
        else:
            found = _selected_projects(graph, ways_of.get(node.id, []))
            targets = [(pid, chain, day0, met) for pid, _, chain, day0, met in found]
            if not targets:
                notes.append(f"{node.props.get('name', node.id)}: no selected project as of {day}")
        for project, chain, day0, met in targets:
            for k, reading in enumerate(readings):
                key = (reading[0], reading[1], day0)  # rows selected on one day share their due date
                if key not in due_of:
                    due_of[key] = _due(reading, day0, codes)
                rows.append((due_of[key], node, readings, k, project, chain, day0, met))
    rows.sort(key=lambda row: (row[0] is None, row[0] or as_of))  # stable: ties stay by rule, project, reading
    end = len(rows) if limit is None else min(len(rows), offset + limit)
    # ... then the page, explained, with its evidence.
    calendar_name = "+".join(codes)
    evidence = Evidence(graph)
    rules_of: dict[str, list[DeadlineRule]] = {}
    page = []
    for _, node, readings, k, project, chain, day0, met in rows[offset:end]:
        if node.id not in rules_of:
            rules_of[node.id] = _rules(graph, node, readings, evidence)
        reading = rules_of[node.id][k]
        page.append(
            Deadline(
                commitment=evidence.ref(node.id),
                rule=reading,
                disputed=len(readings) > 1,
                project=evidence.ref(project) if project else None,
                hypothetical=project is None,
                selected_on=day0,
                chain=evidence.chain(chain),
                **_evaluate(reading, day0, met, as_of, codes, calendar_name),
            )
        )
    return DeadlinesResult(
        as_of=as_of,
        calendar=calendar_name,
        total=len(rows),
        offset=offset,
        truncated=len(page) < len(rows),
        next_offset=end if end < len(rows) else None,
        deadlines=page,
        notes=notes,
    )
