"""Step 4: quantities: money, rates, durations and deadline rules, dates.

Each finder works on one string and returns spans relative to it. Dates are resolved
against the publication date when one is known ("last July", "Thursday", "in March",
"last year"); otherwise they keep their text and no value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
SCALES = {
    "trillion": 1e12,
    "tn": 1e12,
    "tln": 1e12,
    "t": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}
CURRENCY_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "USD": "USD",
    "\u20ac": "EUR",
    "EUR": "EUR",
    "\u00a3": "GBP",
    "GBP": "GBP",
    "\u00a5": "JPY",
    "JPY": "JPY",
    "\u20a9": "KRW",
    "KRW": "KRW",
    "\u20b9": "INR",
    "INR": "INR",
    "Rs": "INR",
    "C$": "CAD",
    "A$": "AUD",
    "CNY": "CNY",
    "RMB": "CNY",
}
CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "yen": "JPY",
    "won": "KRW",
    "rupees": "INR",
    "yuan": "CNY",
    "pesos": "MXN",
    "rupiah": "IDR",
}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"trillion|billion|million|thousand|tn|bn|bln|mn|mln|[tbmk](?![a-z])"
_MONEY_SYMBOL = re.compile(
    rf"(?P<cur>US\$|C\$|A\$|\$|\u20ac|\u00a3|\u00a5|\u20a9|\u20b9|\b(?:USD|EUR|GBP|JPY|KRW|INR|CNY|RMB|Rs\.?)\s?)"
    rf"\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE})\b)?",
    re.IGNORECASE,
)
_MONEY_WORD = re.compile(
    rf"\b(?P<num>{_NUM})\s?(?P<scale>trillion|billion|million|thousand)?\s(?:(?:US|U\.S\.)\s)?"
    rf"(?P<cur>dollars|dollar|euros|euro|pounds|yen|won|rupees|yuan|pesos|rupiah)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<num>{_NUM})\s?(?P<unit>%|percent\b|per cent\b|percentage points?\b)", re.IGNORECASE)
_NUMBER_WORD_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_DURATION = re.compile(
    rf"\b(?P<num>\d+|{_NUMBER_WORD_RE})[\s-](?P<kind>working|business|calendar)?[\s-]?"
    rf"(?P<unit>days?|weeks?|months?|years?)\b"
    rf"(?:\s(?P<rel>after|of|from|following|since|before|within)\s(?P<trigger>(?:the\s)?[a-z][a-z-]*(?:\s[a-z][a-z-]*){{0,3}}))?",
    re.IGNORECASE,
)
_VOLUME = re.compile(
    rf"\b(?P<num>{_NUM})\s?(?P<scale>million|billion|thousand)?\s(?:metric\s)?"
    rf"(?P<unit>tonnes|tons|tonne|ton|barrels|bpd|barrels per day|units|vehicles|cars|cubic meters)\b",
    re.IGNORECASE,
)
_YEAR = r"(?:19|20)\d{2}"
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b")),
    ("mdy", re.compile(rf"\b(?P<mon>[A-Z][a-z]{{2,8}})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>{_YEAR})\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<mon>[A-Z][a-z]{{2,8}})\.?,? (?P<y>{_YEAR})\b")),
    ("md", re.compile(r"\b(?P<mon>[A-Z][a-z]{2,8})\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?!,? \d)")),
    (
        "my",
        re.compile(
            rf"\b(?:(?P<rel>last|next|this|early|late|mid|in|by|since|until|from) )?"
            rf"(?P<mon>[A-Z][a-z]{{2,8}}),? (?P<y>{_YEAR})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "rel_month",
        re.compile(
            r"\b(?P<rel>last|next|this|in|early|late|mid-|since|by|until|from)[ -]?(?P<mon>January|February|March|"
            r"April|May|June|July|August|September|October|November|December)\b(?![ ,]*\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<rel>last|next|this|on|from|by|until) )?"
            r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "rel_unit",
        re.compile(
            r"\b(?P<rel>last|next|this|earlier this|later this|the previous|the following|the past|the coming)"
            r"\s(?P<unit>year|month|week)\b",
            re.IGNORECASE,
        ),
    ),
    ("year", re.compile(rf"\b(?:(?P<rel>in|by|since|until|from|of|before|after) )(?P<y>{_YEAR})\b", re.IGNORECASE)),
    ("yyear", re.compile(rf"(?P<y>{_YEAR})'s\b")),
    ("day", re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b", re.IGNORECASE)),
]
_FUTURE = re.compile(
    r"\b(?:will|plan|plans|planned|planning|to meet|to visit|scheduled|expected|set to|is due|are due|next|"
    r"upcoming|would|intends?|aims?|seeks?|hopes?)\b",
    re.IGNORECASE,
)


@dataclass
class Quantity:
    """A quantity found in a text: its kind, normalised value and span."""

    kind: str  # money | percent | duration | volume | date
    text: str
    start: int
    end: int
    value: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": value,
            **{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.attrs.items()},
        }


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def find_money(text: str) -> list[Quantity]:
    """Amounts of money, normalised to units (USD amounts also in `usd`).

    >>> [(q.text, q.value, q.attrs["currency"]) for q in find_money("$550 billion and US$3.5bn, 350 trillion won")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('$550 billion', 550000000000.0, 'USD'), ('US$3.5bn', 3500000000.0, 'USD'),
     ('350 trillion won', 350000000000000.0, 'KRW')]
    """
    found: list[Quantity] = []
    for match in _MONEY_SYMBOL.finditer(text):
        cur = match.group("cur").strip().rstrip(".")
        currency = CURRENCY_SYMBOLS.get(cur) or CURRENCY_SYMBOLS.get(cur.upper(), "USD")
        scale = (match.group("scale") or "").lower()
        if scale in {"t", "b", "m", "k"} and match.group("scale") not in {"T", "B", "M", "K", "t", "b", "m", "k"}:
            scale = ""
        value = _number(match.group("num")) * SCALES.get(scale, 1.0)
        end = match.end() if match.group("scale") else match.end("num")
        found.append(Quantity("money", text[match.start() : end], match.start(), end, value, {"currency": currency}))
    for match in _MONEY_WORD.finditer(text):
        if any(q.start <= match.start() < q.end for q in found):
            continue
        scale = (match.group("scale") or "").lower()
        value = _number(match.group("num")) * SCALES.get(scale, 1.0)
        currency = CURRENCY_WORDS[match.group("cur").lower()]
        found.append(Quantity("money", match.group(), match.start(), match.end(), value, {"currency": currency}))
    # "$5-6 billion": the scale of the upper end applies to the lower.
    for q in found:
        if q.attrs["currency"] == "USD":
            q.attrs["usd"] = q.value
    found.sort(key=lambda q: q.start)
    return found


def find_percents(text: str) -> list[Quantity]:
    """Rates in percent.

    >>> [(q.text, q.value) for q in find_percents("cut from 25% to 15 percent, up 2.5 percentage points")]
    [('25%', 25.0), ('15 percent', 15.0), ('2.5 percentage points', 2.5)]
    """
    out = []
    for match in _PERCENT.finditer(text):
        unit = "points" if "point" in match.group("unit").lower() else "percent"
        out.append(
            Quantity("percent", match.group(), match.start(), match.end(), _number(match.group("num")), {"unit": unit})
        )
    return out


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def find_durations(text: str) -> list[Quantity]:
    """Durations and deadline rules: amount, unit, and the trigger the count starts from.

    >>> [(q.value, q.attrs) for q in find_durations("Japan has 45 working days after project selection to pay")]
    [(45, {'unit': 'working_days', 'trigger': 'project selection', 'relation': 'after'})]
    >>> find_durations("within 90 days")[0].attrs
    {'unit': 'calendar_days'}
    """
    out = []
    for match in _DURATION.finditer(text):
        unit = match.group("unit").lower().rstrip("s")
        kind = (match.group("kind") or "").lower()
        if unit == "day":
            unit_name = "working_days" if kind in ("working", "business") else "calendar_days"
        else:
            unit_name = unit + "s"
        attrs: dict[str, Any] = {"unit": unit_name}
        end = match.end("unit")
        trigger = match.group("trigger")
        if trigger and match.group("rel").lower() in ("after", "of", "from", "following", "since"):
            words = trigger.split()
            if words[0].lower() == "the":
                words = words[1:]
            # Stop at the words that start the action ("... selection to initiate funding").
            kept: list[str] = []
            for w in words:
                if w.lower() in {"to", "and", "or", "but", "for", "in", "on", "by", "with", "that", "which"}:
                    break
                kept.append(w)
            if kept:
                attrs["trigger"] = " ".join(kept)
                attrs["relation"] = match.group("rel").lower()
                end = match.start("trigger") + text[match.start("trigger") :].index(kept[-1]) + len(kept[-1])
        out.append(
            Quantity("duration", text[match.start() : end], match.start(), end, _count(match.group("num")), attrs)
        )
    return out


def find_volumes(text: str) -> list[Quantity]:
    """Physical volumes (tonnes, barrels, vehicles) such as quotas.

    >>> [(q.value, q.attrs["unit"]) for q in find_volumes("a quota of 1.2 million tonnes")]
    [(1200000.0, 'tonnes')]
    """
    out = []
    for match in _VOLUME.finditer(text):
        unit = match.group("unit").lower()
        unit = {"tons": "tonnes", "tonne": "tonnes", "ton": "tonnes", "barrels per day": "bpd", "cars": "vehicles"}.get(
            unit, unit
        )
        value = _number(match.group("num")) * SCALES.get((match.group("scale") or "").lower(), 1.0)
        out.append(Quantity("volume", match.group(), match.start(), match.end(), value, {"unit": unit}))
    return out


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _resolve(
    kind: str, groups: dict[str, str | None], published: dt.date | None, future: bool
) -> tuple[dt.date | None, str]:
    """The date a match denotes and its precision (day, month, year)."""
    rel = (groups.get("rel") or "").lower().strip("- ")
    if kind == "iso":
        return dt.date(int(groups["y"]), int(groups["m"]), int(groups["d"])), "day"
    if kind in ("mdy", "dmy"):
        month = MONTHS.get((groups["mon"] or "").lower().rstrip("."))
        if not month:
            return None, "day"
        return dt.date(int(groups["y"]), month, int(groups["d"])), "day"
    if kind == "md":
        month = MONTHS.get((groups["mon"] or "").lower().rstrip("."))
        if not month or published is None:
            return None, "day"
        day = int(groups["d"])
        year = published.year
        try:
            guess = dt.date(year, month, day)
        except ValueError:
            return None, "day"
        if future and guess < published - dt.timedelta(days=60):
            guess = guess.replace(year=year + 1)
        elif not future and guess > published + dt.timedelta(days=60):
            guess = guess.replace(year=year - 1)
        return guess, "day"
    if kind == "my":
        month = MONTHS.get((groups["mon"] or "").lower())
        return (_month_start(int(groups["y"]), month), "month") if month else (None, "month")
    if kind == "rel_month":
        month = MONTHS[(groups["mon"] or "").lower()]
        if published is None:
            return None, "month"
        year = published.year
        if rel == "last" or (rel not in ("next",) and not future and rel != "this"):
            if month >= published.month and not (rel != "last" and month == published.month):
                year -= 1
        elif (rel == "next" or future) and month < published.month:
            year += 1
        return _month_start(year, month), "month"
    if kind == "weekday":
        if published is None:
            return None, "day"
        target = WEEKDAYS[(groups["wd"] or "").lower()]
        delta = (target - published.weekday()) % 7
        if rel == "next":
            return published + dt.timedelta(days=delta or 7), "day"
        if rel == "last" or not future:
            back = (published.weekday() - target) % 7
            return published - dt.timedelta(days=back or 7), "day"
        return published + dt.timedelta(days=delta), "day"
    if kind == "rel_unit":
        if published is None:
            return None, groups["unit"] or "year"
        unit = (groups["unit"] or "").lower()
        step = {"last": -1, "the previous": -1, "the past": -1, "next": 1, "the following": 1, "the coming": 1}.get(
            rel, 0
        )
        if unit == "year":
            return dt.date(published.year + step, 1, 1), "year"
        if unit == "month":
            month_index = published.year * 12 + published.month - 1 + step
            return dt.date(month_index // 12, month_index % 12 + 1, 1), "month"
        monday = published - dt.timedelta(days=published.weekday())
        return monday + dt.timedelta(weeks=step), "week"
    if kind in ("year", "yyear"):
        return dt.date(int(groups["y"]), 1, 1), "year"
    if kind == "day":
        if published is None:
            return None, "day"
        word = (groups["word"] or "").lower()
        return published + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word]), "day"
    return None, "day"


def find_dates(text: str, published: dt.date | None = None) -> list[Quantity]:
    """Dates, resolved against the publication date where they are relative.

    A weekday or a bare month points forward when the sentence speaks of the future
    ("plan to meet ... on Thursday"), backward otherwise ("met on Thursday").

    >>> pub = dt.date(2026, 2, 17)  # a Tuesday
    >>> [(q.text, q.value.isoformat(), q.attrs["precision"]) for q in find_dates(
    ...     "Last July, they agreed; they plan to meet on Thursday and visit in March.", pub)]
    [('Last July', '2025-07-01', 'month'), ('on Thursday', '2026-02-19', 'day'), ('in March', '2026-03-01', 'month')]
    >>> [(q.text, q.value.isoformat()) for q in find_dates("the deal reached last year", pub)]
    [('last year', '2025-01-01')]
    """
    found: list[Quantity] = []
    future = bool(_FUTURE.search(text))
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(q.start < match.end() and match.start() < q.end for q in found):
                continue
            groups = match.groupdict()
            if kind in ("md", "my", "mdy", "dmy") and (groups.get("mon") or "").lower().rstrip(".") not in MONTHS:
                continue
            if kind == "md" and (groups.get("mon") or "").lower() == "may" and not re.match(r"May \d", match.group()):
                continue
            try:
                value, precision = _resolve(kind, groups, published, future)
            except ValueError:
                continue
            attrs: dict[str, Any] = {
                "precision": precision,
                "relative": kind in ("md", "rel_month", "weekday", "rel_unit", "day"),
            }
            found.append(Quantity("date", match.group(), match.start(), match.end(), value, attrs))
    found.sort(key=lambda q: q.start)
    return found


def find_quantities(text: str, published: dt.date | None = None) -> list[Quantity]:
    """Every quantity in `text`, ordered by position (money, percent, duration, volume, date)."""
    items = [*find_money(text), *find_percents(text), *find_durations(text), *find_volumes(text)]
    for date in find_dates(text, published):
        if not any(q.start < date.end and date.start < q.end for q in items):
            items.append(date)
    items.sort(key=lambda q: (q.start, q.kind))
    return items


def parse_publication_date(lines: list[str], today: dt.date) -> tuple[dt.date | None, str | None]:
    """A publication date from the lines around a headline ("Yesterday", "March 3, 2026").

    Returns the date and a note when it is relative to the day the text was taken in.

    >>> parse_publication_date(["Stock News", "Yesterday"], dt.date(2026, 2, 18))
    (datetime.date(2026, 2, 17), 'dated "Yesterday", taken relative to 2026-02-18, the day of ingestion')
    """
    for line in lines:
        stripped = line.strip()
        for q in find_dates(stripped, today):
            if q.value is None:
                continue
            if q.attrs.get("precision") != "day":
                continue
            if q.attrs.get("relative"):
                return q.value, f'dated "{q.text}", taken relative to {today.isoformat()}, the day of ingestion'
            return q.value, None
        match = re.fullmatch(r"(\d+)\s+(hours?|minutes?|mins?)\s+ago", stripped, re.IGNORECASE)
        if match:
            return today, f'dated "{stripped}", taken relative to {today.isoformat()}, the day of ingestion'
    return None, None
