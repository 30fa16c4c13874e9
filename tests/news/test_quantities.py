"""Step 4: money, rates, durations and rules, dates resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.news.quantities import find_dates, find_durations, find_money, find_percents, parse_publication_date

PUB = dt.date(2026, 2, 17)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("$550 billion", 550e9, "USD"),
        ("$350 million", 350e6, "USD"),
        ("US$3.5bn", 3.5e9, "USD"),
        ("\u20ac200 billion", 200e9, "EUR"),
        ("25.5 billion pounds", 25.5e9, "GBP"),
        ("350 trillion won", 350e12, "KRW"),
        ("$1,200", 1200.0, "USD"),
    ],
)
def test_money(text: str, value: float, currency: str) -> None:
    [q] = find_money(f"a deal worth {text} was agreed")
    assert q.text == text
    assert q.value == pytest.approx(value)
    assert q.attrs["currency"] == currency


def test_rates() -> None:
    found = find_percents("cut from 25% to 15 percent, 2.5 percentage points lower")
    assert [(q.text, q.value, q.attrs["unit"]) for q in found] == [
        ("25%", 25.0, "percent"),
        ("15 percent", 15.0, "percent"),
        ("2.5 percentage points", 2.5, "points"),
    ]


def test_deadline_rules() -> None:
    [rule] = find_durations("Japan has 45 working days after project selection to initiate funding.")
    assert rule.value == 45
    assert rule.attrs == {"unit": "working_days", "trigger": "project selection", "relation": "after"}
    [plain] = find_durations("Japan has 45 days after project selection to initiate funding.")
    assert plain.attrs["unit"] == "calendar_days"
    [words] = find_durations("over four years")
    assert (words.value, words.attrs["unit"]) == (4, "years")


@pytest.mark.parametrize(
    ("sentence", "text", "expected", "precision"),
    [
        ("Last July, Trump announced the deal.", "Last July", "2025-07-01", "month"),
        ("The two officials plan to meet on Thursday.", "on Thursday", "2026-02-19", "day"),
        ("The two officials met on Thursday.", "on Thursday", "2026-02-12", "day"),
        ("Takaichi plans to visit the United States in March.", "in March", "2026-03-01", "month"),
        ("the agreement reached last year", "last year", "2025-01-01", "year"),
        ("She won earlier this month.", "earlier this month", "2026-02-01", "month"),
        ("It was signed on July 22, 2025.", "July 22, 2025", "2025-07-22", "day"),
        ("They spoke yesterday.", "yesterday", "2026-02-16", "day"),
    ],
)
def test_dates_resolve_against_publication(sentence: str, text: str, expected: str, precision: str) -> None:
    dates = [q for q in find_dates(sentence, PUB) if q.text == text]
    assert dates, f"{text!r} not found in {sentence!r}"
    assert dates[0].value.isoformat() == expected
    assert dates[0].attrs["precision"] == precision


def test_relative_dates_without_publication_keep_their_text() -> None:
    [q] = find_dates("They met on Thursday.", None)
    assert q.text == "on Thursday" and q.value is None


def test_publication_date_from_page_header() -> None:
    day, note = parse_publication_date(["Stock News", "Yesterday"], dt.date(2026, 2, 18))
    assert day == dt.date(2026, 2, 17)
    assert "Yesterday" in note
    assert parse_publication_date(["March 3, 2026"], dt.date(2026, 5, 1)) == (dt.date(2026, 3, 3), None)
    assert parse_publication_date(["Stock News"], dt.date(2026, 5, 1)) == (None, None)
