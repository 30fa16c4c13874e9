"""Deadlines: due dates in working days, computed by hand here (holidays listed by hand,
not read from the `holidays` library), and their status as of a day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.questions.deadlines import (
    CalendarError,
    add_working_days,
    deadlines,
    holiday_name,
    parse_calendar,
    working_days_between,
)
from tests.questions.names import FOLLOWUP, GEORGIA, OHIO, RULE, SEED_RULE, TEXAS

D = dt.date.fromisoformat

# Public holidays between November 2025 and April 2026, by hand (federal US; Japanese).
US_HOLIDAYS = {
    D("2025-11-11"): "Veterans Day",
    D("2025-11-27"): "Thanksgiving Day",
    D("2025-12-25"): "Christmas Day",
    D("2026-01-01"): "New Year's Day",
    D("2026-01-19"): "Martin Luther King Jr. Day",
    D("2026-02-16"): "Washington's Birthday",
}
JP_HOLIDAYS = {
    D("2026-01-01"): "New Year's Day",
    D("2026-01-12"): "Coming of Age Day",
    D("2026-02-11"): "Foundation Day",
    D("2026-02-23"): "Emperor's Birthday",
    D("2026-03-20"): "Vernal Equinox Day",
}


def by_hand(day0: dt.date, n: int, off: dict) -> dt.date:
    """Day n after day 0, counting Monday-Friday days that are not in `off`."""
    day = day0
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            n -= 1
    return day


def test_selection_on_17_february_2026_under_the_us_calendar(seed_graph) -> None:
    # Day 0 is Tue 17 Feb. Working days: 18-20 Feb (1-3), 23-27 Feb (4-8), 2-6 Mar (9-13),
    # 9-13 Mar (14-18), 16-20 Mar (19-23), 23-27 Mar (24-28), 30 Mar-3 Apr (29-33),
    # 6-10 Apr (34-38), 13-17 Apr (39-43), Mon 20 Apr (44), Tue 21 Apr (45). No US federal
    # holiday falls in between (Washington's Birthday, Mon 16 Feb, is the day before day 0);
    # nine weekends, 18 days, are skipped.
    expected = D("2026-04-21")
    assert by_hand(D("2026-02-17"), 45, US_HOLIDAYS) == expected
    r = deadlines(seed_graph, as_of=D("2026-03-02"), calendar="US", selected_on=D("2026-02-17"))
    (d,) = r.deadlines
    assert (d.commitment.id, d.hypothetical, d.project) == (SEED_RULE, True, None)
    assert (d.selected_on, d.due_on, d.status) == (D("2026-02-17"), expected, "due")
    assert d.holidays_skipped == [] and d.weekend_days_skipped == 18
    # As of Mon 2 Mar, 9 working days have passed (18 Feb .. 2 Mar), so 36 are left.
    assert d.days_left == 36
    assert (d.rule.amount, d.rule.unit, d.rule.origin, d.disputed) == (45, "working_days", "stored", False)
    assert d.rule.sources[0].quote == (
        "Under the terms of the agreement, Japan has 45 working days after project selection to initiate funding."
    )
    assert "day 1 is the next working day, Wed 2026-02-18" in d.explanation
    assert "end on Tue 2026-04-21" in d.explanation
    assert "Washington's Birthday (Mon 2026-02-16) falls before day 0" in d.explanation
    assert r.convention.startswith("The selection day is day 0; day 1 is the next working day")


def test_japanese_holidays_push_the_same_selection_two_days(seed_graph) -> None:
    # Emperor's Birthday (Mon 23 Feb) and Vernal Equinox Day (Fri 20 Mar) are skipped.
    expected = D("2026-04-23")
    assert by_hand(D("2026-02-17"), 45, JP_HOLIDAYS) == expected
    for calendar, names in (
        ("JP", ["Emperor's Birthday", "Vernal Equinox Day"]),
        ("US+JP", ["JP: Emperor's Birthday", "JP: Vernal Equinox Day"]),
    ):
        (d,) = deadlines(seed_graph, as_of=D("2026-03-02"), calendar=calendar, selected_on=D("2026-02-17")).deadlines
        assert d.due_on == expected
        assert [(h.date, h.name) for h in d.holidays_skipped] == list(
            zip([D("2026-02-23"), D("2026-03-20")], names, strict=True)
        )


def test_fixture_projects_as_of_1_march_2026(deals_first) -> None:
    # Georgia, selected Mon 1 Dec 2025: Christmas, New Year's Day and MLK Day skipped -> Thu 5 Feb,
    # overdue by 15 working days on 1 Mar (6 Feb, 9-13, 17-20 and 23-27 Feb; 16 Feb is a holiday).
    # Ohio, selected 17 Feb 2026: Tue 21 Apr, 37 working days left.
    # Texas, selected Mon 3 Nov 2025 and funded: Veterans Day, Thanksgiving, Christmas and New
    # Year's Day skipped -> Fri 9 Jan 2026; met.
    assert by_hand(D("2025-12-01"), 45, US_HOLIDAYS) == D("2026-02-05")
    assert by_hand(D("2025-11-03"), 45, US_HOLIDAYS) == D("2026-01-09")
    r = deadlines(deals_first, as_of=D("2026-03-01"), calendar="US")
    assert [(d.project.id, d.selected_on, d.due_on, d.status, d.days_left) for d in r.deadlines] == [
        (TEXAS, D("2025-11-03"), D("2026-01-09"), "met", None),
        (GEORGIA, D("2025-12-01"), D("2026-02-05"), "overdue", -15),
        (OHIO, D("2026-02-17"), D("2026-04-21"), "due", 37),
    ]  # by due date
    assert (r.total, r.truncated, r.next_offset) == (3, False, None)
    texas, georgia, _ = r.deadlines
    assert [h.name for h in georgia.holidays_skipped] == [
        "Christmas Day",
        "New Year's Day",
        "Martin Luther King Jr. Day",
    ]
    assert [h.date for h in texas.holidays_skipped] == [D("2025-11-11"), D("2025-11-27"), D("2025-12-25"),
                                                        D("2026-01-01")]  # fmt: skip
    assert all(d.commitment.id == RULE and not d.disputed for d in r.deadlines)
    # The chain says why the rule applies: rule -GOVERNS-> pledge <-FULFILS- facility -FUNDS-> project.
    assert [(h.type, h.forward) for h in georgia.chain] == [("GOVERNS", True), ("FULFILS", False), ("FUNDS", True)]
    assert georgia.chain[-1].properties == {"status": "selected", "valid_from": D("2025-12-01")}


def test_a_disputed_unit_gives_both_readings_flagged(deals) -> None:
    # deals-update.yaml says "45 days": calendar days count weekends and holidays.
    r = deadlines(deals, as_of=D("2026-03-01"), calendar="US")
    got = [(d.project.id, d.rule.unit, d.rule.origin, d.due_on, d.status, d.days_left) for d in r.deadlines]
    assert got == [  # by due date
        (TEXAS, "calendar_days", "claim", D("2025-12-18"), "met", None),
        (TEXAS, "working_days", "stored", D("2026-01-09"), "met", None),
        (GEORGIA, "calendar_days", "claim", D("2026-01-15"), "overdue", -45),
        (GEORGIA, "working_days", "stored", D("2026-02-05"), "overdue", -15),
        (OHIO, "calendar_days", "claim", D("2026-04-03"), "due", 33),
        (OHIO, "working_days", "stored", D("2026-04-21"), "due", 37),
    ]
    assert all(d.disputed for d in r.deadlines)
    claim = r.deadlines[0]
    assert [s.source for s in claim.rule.sources] == [FOLLOWUP]
    assert claim.rule.sources[0].quote.endswith("Japan has 45 days after a project is selected to fund it.")
    assert claim.rule.claim is not None and claim.rule.claim.label == "Claim"
    stored = r.deadlines[1]
    assert [s.quote for s in stored.rule.sources] == [
        "Japan must fund each selected project within 45 working days of its selection."
    ]


def test_a_page_of_rows_by_due_date_keeps_the_total(deals) -> None:
    whole = deadlines(deals, as_of=D("2026-03-01"), calendar="US")
    first = deadlines(deals, as_of=D("2026-03-01"), calendar="US", limit=4)
    rest = deadlines(deals, as_of=D("2026-03-01"), calendar="US", limit=4, offset=first.next_offset)
    assert (first.total, first.offset, first.truncated, first.next_offset) == (6, 0, True, 4)
    assert (rest.total, rest.offset, rest.truncated, rest.next_offset) == (6, 4, True, None)
    assert first.deadlines + rest.deadlines == whole.deadlines
    assert [d.due_on for d in whole.deadlines] == sorted(d.due_on for d in whole.deadlines)
    assert deadlines(deals, as_of=D("2026-03-01"), offset=6).deadlines == []
    with pytest.raises(ValueError, match="limit"):
        deadlines(deals, as_of=D("2026-03-01"), limit=0)


@pytest.mark.parametrize("day", ["2025-11-01", "2025-12-15", "2026-03-01", "2027-01-01"])
def test_one_rule_gives_its_rows_of_every_rule(deals, day) -> None:
    # One rule is walked on its own; every rule reads the ways kept with the projection.
    whole = deadlines(deals, as_of=D(day))
    for rule in {d.commitment.id for d in whole.deadlines} | {RULE}:
        one = deadlines(deals, as_of=D(day), commitment=rule).deadlines
        assert one == [d for d in whole.deadlines if d.commitment.id == rule]


def test_before_a_selection_the_project_is_not_listed(deals_first) -> None:
    r = deadlines(deals_first, as_of=D("2025-11-01"))
    assert r.deadlines == []
    assert r.notes == ["Fund each selected project within 45 working days: no selected project as of 2025-11-01"]


def test_hypothetical_selection_after_as_of_has_not_started(deals_first) -> None:
    (d,) = deadlines(deals_first, as_of=D("2026-01-01"), selected_on=D("2026-02-17"), commitment=RULE).deadlines
    assert (d.status, d.days_left, d.due_on) == ("not_started", None, D("2026-04-21"))


def test_add_working_days_day_0_convention() -> None:
    # A selection on a Friday: day 1 is the Monday after.
    assert add_working_days(D("2026-03-06"), 1, ("US",)).due_on == D("2026-03-09")
    # A selection on a Saturday is still day 0; day 1 is Monday.
    assert add_working_days(D("2026-03-07"), 1, ("US",)).due_on == D("2026-03-09")
    assert add_working_days(D("2026-02-13"), 1, ("US",)).due_on == D("2026-02-17")  # skips Washington's Birthday


@pytest.mark.parametrize("bad", ["XX", "US+", "", "US+ZZ"])
def test_unknown_calendars_are_refused(bad: str) -> None:
    with pytest.raises(CalendarError):
        parse_calendar(bad)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.dates(min_value=D("2020-01-01"), max_value=D("2030-12-31")),
    st.integers(-800, 800),
    st.sampled_from([("US",), ("JP",), ("US", "JP")]),
)
def test_working_days_between_counts_like_a_walk(a: dt.date, span: int, codes) -> None:
    b = a + dt.timedelta(days=span)
    lo, hi = min(a, b), max(a, b)
    walked = sum(
        1
        for i in range(1, (hi - lo).days + 1)
        if (lo + dt.timedelta(days=i)).weekday() < 5 and not holiday_name(lo + dt.timedelta(days=i), codes)
    )
    assert working_days_between(a, b, codes) == (walked if b >= a else -walked)
    if span > 0:
        # Adding the counted working days to day 0 lands on the last working day up to b.
        n = working_days_between(a, b, codes)
        if n:
            due = add_working_days(a, n, codes).due_on
            assert due <= b and working_days_between(a, due, codes) == n


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.dates(min_value=D("2020-01-01"), max_value=D("2030-12-31")),
    st.integers(0, 400),
    st.sampled_from([("US",), ("JP",), ("US", "JP")]),
)
def test_add_working_days_equals_a_day_by_day_walk(day0: dt.date, n: int, codes) -> None:
    # add_working_days counts by whole weeks and the holidays in between; a walk steps one day at a time.
    day, weekend, skipped, counted = day0, 0, [], 0
    while counted < n:
        day += dt.timedelta(days=1)
        name = holiday_name(day, codes) if day.weekday() < 5 else None
        weekend += day.weekday() >= 5
        skipped += [(day, name)] if name else []
        counted += day.weekday() < 5 and not name
    count = add_working_days(day0, n, codes)
    assert (count.due_on, count.weekend_days_skipped) == (day, weekend)
    assert [(h.date, h.name) for h in count.holidays_skipped] == skipped
