"""Step 3: mentions: the names a sentence holds, each with its span and a label.

Sources of mentions, in order of trust:
- the gazetteer: known entities and their aliases, rebuilt from the graph (surname alone
  for officials, the name without its legal suffix for companies);
- countries and demonyms (pycountry plus lexicon.py: "U.S.", "Japanese", "South Korea's");
- people with titles and roles ("Commerce Secretary Lutnick", "Japan's Minister of Economy,
  Trade and Industry, Akira Akazawa", "Yeo Han-koo, South Korea's trade minister");
- bodies by name patterns ("Ministry of ...", "Commerce Department", legislatures);
- companies by legal suffix, by lists ("companies such as A, B and C"), by "led by X", by
  descriptors ("steelmaker Nippon Steel") and tickers;
- sectors from a lexicon; projects, investment vehicles and agreements as described
  ("a deepwater crude oil terminal project in the Gulf of Mexico", "a $550 billion
  investment vehicle", "the bilateral trade agreement").
Spans are relative to the string searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph.ids import normalise
from graph.store import GraphStore
from loaders.news import lexicon as lx

UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017e"
LO = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
TOK = rf"(?:Mc[{UP}][{LO}]+|O'[{UP}][{LO}]+|[{UP}][{LO}]+(?:-[{UP}{LO}][{LO}]+)*)"
NAME = rf"{TOK}(?:\s(?:[{UP}]\.\s)?(?:(?:von|van|der|den|de|da|di|del|la|le|bin|al)\s){{0,2}}{TOK}){{0,2}}"
CAPW = rf"(?:[{UP}][{LO}A-Z]+(?:'s)?|(?:[A-Z]\.){{2,3}}(?:'s)?|[A-Z]{{2,5}}(?:'s)?)"
CAPN = rf"(?:[{UP}0-9][\w&.'-]*[\w.]|[{UP}])"

_heads = sorted(lx.TITLE_HEADS, key=len, reverse=True)
TITLE_HEAD = "|".join(re.escape(h) for h in _heads)
LOWER_HEAD = "|".join(re.escape(h) for h in sorted(lx.LOWER_TITLE_HEADS, key=len, reverse=True))
DOM = "|".join(sorted(lx.DOMAIN_WORDS, key=len, reverse=True))
DOM_SEQ = rf"(?:{DOM})(?:(?:,\s|\s(?:and|&)\s|\s)(?:{DOM}))*"
_ROLE_PRE_WORDS = {
    "Vice",
    "Deputy",
    "Chief",
    "Senior",
    "Acting",
    "Former",
    "First",
    "Coordinating",
    "Cabinet",
    "Trade",
    "Commerce",
    "and",
    "&",
    "Executive",
    "Special",
    "Top",
    "Lead",
    "Principal",
    "Assistant",
}

_COUNTRYISH = "|".join(
    re.escape(n) for n in sorted({*lx.DEMONYMS, *lx.COUNTRY_ALIASES, *lx.CAPITALS}, key=len, reverse=True)
)
_KNOWN_ORG_ALT = "|".join(re.escape(n) for n in sorted(lx.KNOWN_ORGS, key=len, reverse=True))
PRE_WORD = (
    rf"(?:(?:{_COUNTRYISH}|[A-Z][a-z]+)'s|{_KNOWN_ORG_ALT}|{_COUNTRYISH}|{DOM}|"
    + "|".join(re.escape(w) for w in sorted(_ROLE_PRE_WORDS, key=len, reverse=True))
    + ")"
)
_TITLED = re.compile(
    rf"(?P<pre>(?:{PRE_WORD}\s){{0,5}})(?P<head>{TITLE_HEAD})(?P<tail>\s(?:of|for)\s(?:the\s)?{DOM_SEQ})?"
    rf"(?P<sep>,?\s)(?P<name>{NAME})"
)
_CORPORATE_TITLED = re.compile(
    rf"(?P<org>{CAPN}(?:\s{CAPN}){{0,2}}?)(?:'s)?\s(?P<head>CEO|Chief Executive Officer|Chief Executive|Chairman|"
    rf"Chairwoman|Founder|President|chief executive|chairman|founder|president)\s(?P<name>{NAME})"
)
_COUNTERPART = re.compile(rf"\b(?:his|her|their|its)\s(?P<pre>(?:{CAPW}\s)?)counterparts?,?\s(?P<name>{NAME})")
_LOWER_TITLED = re.compile(
    rf"(?P<pre>(?:{CAPW}\s){{1,3}})(?P<mods>(?:[a-z-]+\s){{0,2}})(?P<head>{LOWER_HEAD})\s(?P<name>{NAME})"
)
_APPOSITIVE = re.compile(
    rf"(?P<name>{NAME}),\s(?:the\s|a\s|an\s)?(?P<pre>(?:{CAPW}\s){{0,3}})(?P<mods>(?:[a-z-]+\s){{0,3}})"
    rf"(?P<head>{LOWER_HEAD})(?:\s(?:of|at|for)\s(?:the\s)?(?P<org>[{UP}][\w.&'-]*(?:(?:\s|,\s|\sand\s|\s&\s)[{UP}][\w.&'-]*){{0,6}}))?"
)
_ORG_OF = re.compile(
    rf"(?P<head>Ministry|Department|Office|Bureau|Agency|Commission|Council|Administration|Authority)\s(?:of|for)\s"
    rf"(?:the\s)?(?P<tail>{DOM_SEQ})"
)
_ORG_MODS = re.compile(
    rf"(?P<mods>(?:(?:{DOM})\s(?:and\s)?){{1,3}})(?P<head>Ministry|Department|Agency|Commission|Office|Bureau|Council|"
    rf"Administration|Authority)\b"
)
_LEGISLATURE = re.compile(
    r"\b(?:" + "|".join(re.escape(x) for x in sorted(lx.LEGISLATURES, key=len, reverse=True)) + r")\b"
)
_KNOWN_ORG = re.compile(
    r"\b(?:" + "|".join(re.escape(x) for x in sorted(lx.KNOWN_ORGS, key=len, reverse=True)) + r")\b"
)
_STRONG = "|".join(re.escape(s) for s in sorted(lx.STRONG_COMPANY_SUFFIXES, key=len, reverse=True))
_WEAK = "|".join(re.escape(s) for s in sorted(lx.WEAK_COMPANY_SUFFIXES, key=len, reverse=True))
_COMPANY_SUFFIX = re.compile(
    rf"(?P<name>(?:{CAPN}\s){{0,3}}?(?:{CAPN})\s(?:(?P<strong>{_STRONG})|(?P<weak>{_WEAK})))(?![\w-])"
)
_NAME_LIST = (
    rf"{CAPN}(?:\s{CAPN}){{0,3}}(?:,\s(?!and\b){CAPN}(?:\s{CAPN}){{0,3}})*"
    rf"(?:,?\s(?:and|or)\s{CAPN}(?:\s{CAPN}){{0,3}})?"
)
_COMPANY_LIST = re.compile(
    rf"\b(?:{lx.COMPANY_NOUNS})(?:,)?\s(?:such\sas|including|like|led\sby|among\sthem|namely)\s(?P<list>{_NAME_LIST})"
)
_COMPANY_AGENT = re.compile(
    rf"\b(?:led|operated|run|built|developed|backed|owned|financed|sponsored|proposed|spearheaded|headed)\sby\s"
    rf"(?:the\s)?(?P<name>{CAPN}(?:\s{CAPN}){{0,3}})"
)
_COMPANY_DESCRIPTOR = re.compile(
    rf"\b(?i:{lx.COMPANY_NOUNS})\s(?P<name>{CAPN}(?:\s(?:de\s|del\s|la\s)?{CAPN}){{0,4}})"
    rf"(?:\sand\s(?P<name2>{CAPN}(?:\s(?:de\s|del\s|la\s)?{CAPN}){{0,4}}))?"
)
_WITH_COMPANY = re.compile(
    rf"\bwith\s(?P<name>{CAPN}(?:\s{CAPN}){{0,3}})\s(?:supplying|providing|building|operating|delivering|"
    rf"contributing|financing|managing)\b"
)
_OWNERSHIP = re.compile(
    rf"(?P<owner>{CAPN}(?:\s{CAPN}){{0,3}}),\s(?:which|that)\s(?:owns|controls|acquired|bought)\s"
    rf"(?P<owned>{CAPN}(?:\s{CAPN}){{0,3}})"
)
_COMPANY_APPOSITIVE = re.compile(
    rf"(?P<name>{CAPN}(?:\s{CAPN}){{0,3}}),\s(?:a|an|the)\s(?:[\w-]+\s){{0,3}}(?:{lx.COMPANY_NOUNS})\b"
)
_TICKER = re.compile(rf"(?P<name>{CAPN}(?:\s{CAPN}){{0,3}})\s\((?:[A-Z]+:\s?)?[A-Z0-9]{{1,6}}(?:\.[A-Z]{{1,3}})?\)")
_ACRONYM_DEF = re.compile(r"\s\((?P<acr>[A-Z][A-Za-z]{1,7})\)")
_PROJECT = re.compile(
    r"\b(?P<det>(?i:a|an|the|its|their|two|three|several))\s(?P<mods>(?:[$\w][\w.,$-]*\s){1,6}?)"
    r"(?P<head>(?:" + "|".join(lx.PROJECT_HEADS) + r")(?:\s(?:project|initiative|development))?)(?P<plural>s)?\b"
    r"(?:\s(?P<prep>in|at|near|off|on)\s(?P<place>(?:the\s)?[A-Z][\w-]*(?:\s(?:of\s)?[A-Z][\w-]*){0,3}))?"
    r"(?:\s(?:for|to\sserve|serving)\s(?P<purpose>[a-z][\w-]*(?:\s[a-z][\w-]*){0,2}?\s(?:applications|use|uses|"
    r"production|manufacturing|industry|industries|supply|exports|markets))\b)?"
)
_VEHICLE = re.compile(
    r"\b(?P<det>(?i:a|an|the|its|their|this|that)|[A-Z][\w.]*'s)\s(?:(?P<money>(?:US)?\$\s?\d[\d,.]*\s?(?:trillion|billion|million|bn|tn))"
    r"(?:\s|-))?(?P<mods>(?:[a-z-]+\s){0,2}?)(?P<head>investment vehicle|investment fund|sovereign wealth fund|"
    r"investment facility|investment mechanism|investment platform|fund|vehicle|facility)\b"
)
_AGREEMENT = re.compile(
    r"\b(?P<det>a|an|the|this|that|its|their|last\syear's|this\syear's|[A-Z][\w.]*'s)\s(?P<mods>(?:[\w-]+\s){0,3}?)"
    r"(?P<head>" + "|".join(sorted((re.escape(k) for k in lx.AGREEMENT_HEADS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_NAMED_AGREEMENT = re.compile(
    rf"\b(?P<name>(?:(?:{CAPN}|of|and|on|for|the)\s){{1,7}}(?:Agreement|Deal|Pact|Accord|Treaty|Partnership"
    rf"|Framework))\b|\b(?P<acr>USMCA|NAFTA|CPTPP|RCEP|CETA|KORUS|CEPA|IPEF)\b"
)
_SECTOR_CONTEXT_BEFORE = re.compile(
    r"(?:tariffs?|duties|duty|levies|quotas?|investments?|imports?|exports?|shipments?|sales|production|purchases?|"
    r"exemptions?|access|carve-outs?|subsidies|market|tons|tonnes|barrels|cargoes|shipments)"
    r"\s(?:on|in|of|for)\s(?:[\w-]+,?\s){0,8}$|such\sas\s$|(?:including|in|on|into)\s$",
    re.IGNORECASE,
)
_SECTOR_CONTEXT_AFTER = re.compile(
    r"^\s(?:sector|sectors|industry|industries|imports|exports|products|production|tariffs?|makers|shipments|"
    r"market|markets|supply|supplies|companies|applications|output)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(rf"[{UP}{LO}0-9]+")
_SHORT_CASE_SENSITIVE = 3


@dataclass
class Mention:
    """A name found in a text: span, label, proposed name and what was learnt about it."""

    text: str
    start: int
    end: int
    label: str
    name: str
    source: str  # gazetteer | country | demonym | title | pattern | suffix | list | agent | sector | described
    entity_id: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def strong(self) -> bool:
        return bool(self.attrs.get("strong"))


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()


_normalise_token = lru_cache(maxsize=65536)(normalise)

_GAZETTEER_LABELS = ("Country", "Official", "Organization", "Company", "Sector", "InvestmentVehicle", "Agreement")


class Gazetteer:
    """Known names and aliases -> entities, matched on normalised tokens (longest first).

    >>> g = Gazetteer([GazetteerEntry("official:akira-akazawa", "Official", "Akira Akazawa"),
    ...                GazetteerEntry("company:softbank-group", "Company", "SoftBank Group")])
    >>> [(m.text, m.entity_id) for m in g.find("Minister Akazawa met SoftBank executives.")]
    [('Akazawa', 'official:akira-akazawa'), ('SoftBank', 'company:softbank-group')]
    """

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: dict[str, GazetteerEntry] = {}
        self.index: dict[str, list[tuple[GazetteerEntry, str]]] = {}
        self.max_tokens = 1
        for entry in entries:
            self.entries[entry.id] = entry
            for form in self._forms(entry):
                key = normalise(form)
                if not key:
                    continue
                bucket = self.index.setdefault(key, [])
                if all(e.id != entry.id for e, _ in bucket):
                    bucket.append((entry, form))
                self.max_tokens = max(self.max_tokens, len(key.split()))

    @staticmethod
    def _forms(entry: GazetteerEntry) -> list[str]:
        forms = [entry.name, *entry.aliases]
        if entry.label == "Official":
            tokens = entry.name.split()
            if len(tokens) >= 2:
                forms.append(lx.family_name(entry.name))
        elif entry.label == "Company":
            for form in list(forms):
                stripped = strip_company_suffix(form)
                if stripped != form and len(stripped) >= 3:
                    forms.append(stripped)
        elif entry.label == "Sector":
            for form in list(forms):
                if form.lower().endswith("s"):
                    forms.append(form[:-1])
        return forms

    @classmethod
    def from_store(cls, store: GraphStore) -> Gazetteer:
        entries = []
        for node in store.iter_nodes():
            if node.label in _GAZETTEER_LABELS:
                entries.append(
                    GazetteerEntry(
                        node.id, node.label, node.props.get("name", node.id), tuple(node.props.get("aliases") or ())
                    )
                )
        return cls(entries)

    def find(self, text: str) -> list[Mention]:
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        norm = [_normalise_token(t[0]) for t in tokens]
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            matched = False
            for n in range(min(self.max_tokens, len(tokens) - i), 0, -1):
                key = " ".join(norm[i : i + n])
                hits = self.index.get(key)
                if not hits:
                    continue
                start, end = tokens[i][1], tokens[i + n - 1][2]
                # Keep the dots of "U.S." inside the span.
                while end < len(text) and text[end] == "." and re.match(r"[A-Za-z]\.", text[end - 1 : end + 1]):
                    if end + 1 < len(text) and text[end + 1].isalpha():
                        break
                    end += 1
                    break
                surface = text[start:end]
                chosen = [(e, form) for e, form in hits if self._case_ok(e, form, surface)]
                if not chosen:
                    continue
                entry, _ = chosen[0]
                ambiguous = len({e.id for e, _ in chosen}) > 1
                attrs = {"ambiguous": ambiguous, "strong": True}
                if entry.label == "Country":
                    attrs["iso3"] = entry.id
                    if end < len(text) - 1 and text[end : end + 2] == "'s":
                        end += 2
                        surface = text[start:end]
                        attrs["possessive"] = True
                out.append(Mention(surface, start, end, entry.label, entry.name, "gazetteer", entry.id, attrs))
                i += n
                matched = True
                break
            if not matched:
                i += 1
        return out

    @staticmethod
    def _case_ok(entry: GazetteerEntry, form: str, surface: str) -> bool:
        if entry.label == "Sector":
            return True
        if not surface[:1].isupper() and not surface[:1].isdigit() and surface[:1] != "$":
            return False
        letters = re.sub(r"[^A-Za-z]", "", form)
        if len(letters) <= _SHORT_CASE_SENSITIVE:
            return re.sub(r"[^A-Za-z]", "", surface) == letters
        return True


def strip_company_suffix(name: str) -> str:
    """'SoftBank Group Corp.' -> 'SoftBank'.

    >>> strip_company_suffix("SoftBank Group Corp."), strip_company_suffix("Toshiba")
    ('SoftBank', 'Toshiba')
    """
    pattern = re.compile(rf"(?:,?\s(?:{_STRONG}))+$")
    return pattern.sub("", name).strip()


# -- countries ---------------------------------------------------------------------------------


def _country_pattern() -> re.Pattern[str]:
    names = set(lx.COUNTRY_ALIASES)
    import pycountry

    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                names.add(value)
    names |= set(lx.DEMONYMS)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:the\s)?(?P<name>{alternation})(?P<poss>'s)?(?![\w])")


_COUNTRY_RE = _country_pattern()
_PLACE_OF = re.compile(
    r"\b(?:Gulf|Bay|Sea|Strait|Straits|Bank|City|University|Port|Province|Islands?|Coast)\sof\s(?:the\s)?$"
)


def country_of(text: str) -> str | None:
    """ISO alpha-3 of a country name, short form, demonym or possessive, or None.

    >>> country_of("Japan's"), country_of("U.S."), country_of("South Korean"), country_of("Toyota")
    ('JPN', 'USA', 'KOR', None)
    """
    text = text.strip()
    if text.endswith("'s"):
        text = text[:-2]
    if text.lower().startswith("the "):
        text = text[4:]
    if text in lx.DEMONYMS:
        return lx.DEMONYMS[text]
    if text in lx.COUNTRY_ALIASES:
        return lx.COUNTRY_ALIASES[text]
    if not text[:1].isupper():
        return None
    return lx.country_index().get(normalise(text))


def find_countries(text: str) -> list[Mention]:
    """Countries by name, short form and demonym ("U.S.", "Japanese", "South Korea's").

    >>> [(m.text, m.name, m.source) for m in find_countries("U.S. and Japanese officials met South Korea's envoy")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('U.S.', 'United States', 'country'), ('Japanese', 'Japan', 'demonym'),
     ("South Korea's", 'South Korea', 'country')]
    """
    out = []
    for match in _COUNTRY_RE.finditer(text):
        surface = match.group("name")
        if _PLACE_OF.search(text[: match.start()]):
            continue  # "the Gulf of Mexico", "the Bank of Japan"
        if surface in ("US", "UK") and not text[match.start("name") : match.end("name")].isupper():
            continue
        # "US" inside a title-cased headline word or "us" pronoun is excluded by case above.
        code = lx.DEMONYMS.get(surface) if surface in lx.DEMONYMS and surface not in lx.COUNTRY_ALIASES else None
        source = "demonym" if code else "country"
        code = code or country_of(surface)
        if not code:
            continue
        start = match.start("name")
        end = match.end("poss") if match.group("poss") else match.end("name")
        attrs = {"iso3": code, "strong": True, "possessive": bool(match.group("poss"))}
        out.append(Mention(text[start:end], start, end, "Country", lx.country_name(code), source, code, attrs))
    return out


# -- people ------------------------------------------------------------------------------------


def _clean_name(name: str) -> str | None:
    tokens = name.split()
    while tokens and (tokens[-1].rstrip(".") in lx.NOT_NAMES or country_of(tokens[-1])):
        tokens.pop()
    if not tokens or tokens[0] in lx.NOT_NAMES or country_of(tokens[0]) or tokens[0] in lx.CAPITALS:
        return None
    if any(t in lx.DOMAIN_WORDS for t in tokens):
        return None
    return " ".join(tokens)


def _split_role_prefix(pre: str) -> tuple[str | None, str, str | None]:
    """Split words before a title into (country, role words, organisation or company)."""
    country = None
    org = None
    for known in sorted(lx.KNOWN_ORGS, key=len, reverse=True):
        hit = re.search(rf"(?<!\w){re.escape(known)}(?:'s)?(?!\w)", pre)
        if hit:
            org = known
            country = lx.KNOWN_ORGS[known][1]
            pre = pre[: hit.start()] + pre[hit.end() :]
            break
    words = pre.split()
    kept: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i : i + 2])
        if i + 1 < len(words) and country_of(two):
            country = country_of(two)
            i += 2
            continue
        if country_of(words[i]):
            country = country_of(words[i])
            kept = []
            i += 1
            continue
        kept.append(words[i])
        i += 1
    # Keep only the trailing words that can be part of a role.
    role_words: list[str] = []
    for w in reversed(kept):
        bare = w[:-2] if w.endswith("'s") else w
        if bare in lx.DOMAIN_WORDS or bare in _ROLE_PRE_WORDS:
            role_words.insert(0, bare)
        else:
            if bare not in lx.NOT_NAMES and bare[:1].isupper():
                org = bare
            break
    while role_words and role_words[0] in ("and", "&"):
        role_words.pop(0)
    return country, " ".join(role_words), org


def find_people(text: str) -> list[Mention]:
    """People with titles and roles.

    >>> [(m.name, m.attrs["role"], m.attrs.get("country")) for m in find_people(
    ...     "U.S. Commerce Secretary Lutnick and Japan's Minister of Economy, Trade and Industry, Akira Akazawa, met.")]
    [('Lutnick', 'Commerce Secretary', 'USA'), ('Akira Akazawa', 'Minister of Economy, Trade and Industry', 'JPN')]
    >>> [(m.name, m.attrs["role"]) for m in find_people("Yeo Han-koo, South Korea's trade minister, said so.")]
    [('Yeo Han-koo', 'trade minister')]
    """
    out: list[Mention] = []

    def add(
        name_span: tuple[int, int],
        name: str,
        role: str,
        country: str | None,
        org: str | None,
        strong: bool,
        role_span: tuple[int, int],
        head: str,
    ) -> None:
        start, end = name_span
        if any(m.start < end and start < m.end for m in out):
            return
        attrs: dict[str, Any] = {
            "role": role,
            "strong": strong,
            "role_start": role_span[0],
            "role_end": role_span[1],
            "head": head,
        }
        if country:
            attrs["country"] = country
        if org:
            attrs["org"] = org
        out.append(Mention(text[start:end], start, end, "Official", name, "title", None, attrs))

    for match in _TITLED.finditer(text):
        if "," in match.group("sep") and not match.group("tail"):
            continue
        name = _clean_name(match.group("name"))
        if not name:
            continue
        country, role_pre, org = _split_role_prefix(match.group("pre"))
        head = match.group("head")
        role = " ".join(x for x in (role_pre, head) if x) + (match.group("tail") or "")
        start = match.start("name")
        strong = len(name.split()) >= 2
        add(
            (start, start + len(name)),
            name,
            role.strip(),
            country,
            org,
            strong,
            (
                match.start("pre") + len(match.group("pre")) - len(role_pre) - (1 if role_pre else 0),
                match.end("tail") if match.group("tail") else match.end("head"),
            ),
            head,
        )
    for match in _CORPORATE_TITLED.finditer(text):
        name = _clean_name(match.group("name"))
        org = match.group("org")
        if not name or country_of(org) or org in lx.NOT_NAMES or org.split()[-1] in lx.DOMAIN_WORDS:
            continue
        start = match.start("name")
        add(
            (start, start + len(name)),
            name,
            match.group("head"),
            None,
            org,
            len(name.split()) >= 2,
            (match.start("head"), match.end("head")),
            match.group("head"),
        )
    for match in _LOWER_TITLED.finditer(text):
        name = _clean_name(match.group("name"))
        if not name:
            continue
        country, _, org = _split_role_prefix(match.group("pre"))
        if not country and not org:
            continue
        role = (match.group("mods") + match.group("head")).strip()
        start = match.start("name")
        add(
            (start, start + len(name)),
            name,
            role,
            country,
            org,
            len(name.split()) >= 2,
            (match.start("mods"), match.end("head")),
            match.group("head"),
        )
    for match in _COUNTERPART.finditer(text):
        name = _clean_name(match.group("name"))
        if not name:
            continue
        country, _, org = _split_role_prefix(match.group("pre") or "")
        add(
            (match.start("name"), match.start("name") + len(name)),
            name,
            "counterpart",
            country,
            None,
            len(name.split()) >= 2,
            (match.start(), match.start("name")),
            "counterpart",
        )
    for match in _APPOSITIVE.finditer(text):
        name = _clean_name(match.group("name"))
        if not name or name != match.group("name"):
            continue
        country, _, org = _split_role_prefix(match.group("pre") or "")
        role = (match.group("mods") + match.group("head")).strip()
        if match.group("org"):
            org_text = match.group("org")
            code = country_of(org_text)
            if code and not country:
                country = code
            elif not code:
                org = org_text
        add(
            (match.start("name"), match.end("name")),
            name,
            role,
            country,
            org,
            len(name.split()) >= 2,
            (match.start("mods"), match.end("head")),
            match.group("head"),
        )
    return sorted(out, key=lambda m: m.start)


# -- bodies and companies ----------------------------------------------------------------------


def _possessive_country_before(text: str, start: int) -> str | None:
    match = re.search(r"(?:(?<=\s)|^)((?:[A-Z][\w.]*\s)?[A-Z][\w.]*?(?:'s)?)\s$", text[:start])
    return country_of(match.group(1)) if match else None


def find_organizations(text: str) -> list[Mention]:
    """Ministries, departments, agencies, legislatures.

    >>> [(m.name, m.attrs["kind"], m.attrs.get("country")) for m in find_organizations(
    ...     "Japan's Ministry of Economy, Trade and Industry said; the Commerce Department agreed.")]
    [('Ministry of Economy, Trade and Industry', 'ministry', 'JPN'), ('Commerce Department', 'department', None)]
    """
    out: list[Mention] = []

    def add(start: int, end: int, name: str, kind: str, country: str | None, strong: bool) -> None:
        if any(m.start < end and start < m.end for m in out):
            return
        attrs: dict[str, Any] = {"kind": kind, "strong": strong}
        if country:
            attrs["country"] = country
        out.append(Mention(text[start:end], start, end, "Organization", name, "pattern", None, attrs))

    for match in _ORG_OF.finditer(text):
        kind = lx.ORG_HEADS.get(match.group("head"), "other")
        country = _possessive_country_before(text, match.start())
        add(match.start(), match.end(), match.group(), kind, country, True)
    for match in _ORG_MODS.finditer(text):
        kind = lx.ORG_HEADS.get(match.group("head"), "other")
        country = _possessive_country_before(text, match.start())
        add(match.start(), match.end(), match.group().strip(), kind, country, True)
    for match in _LEGISLATURE.finditer(text):
        country = _possessive_country_before(text, match.start())
        add(match.start(), match.end(), match.group(), "legislature", country, True)
    for match in _KNOWN_ORG.finditer(text):
        kind, country = lx.KNOWN_ORGS[match.group()]
        add(match.start(), match.end(), match.group(), kind, country, True)
    return out


def _plausible_company(name: str) -> bool:
    if name.endswith("'s"):
        name = name[:-2]
    if lx.CAPITALS.get(name) or lx.place_country(name):
        return False
    words = name.split()
    if not words or (words[0] in lx.NOT_NAMES and len(words) == 1):
        return False
    if country_of(name) or name in lx.CAPITALS:
        return False
    return not all(w in lx.NOT_NAMES or w in lx.DOMAIN_WORDS for w in words)


def find_companies(text: str) -> list[Mention]:
    """Companies by legal suffix, lists, agents, descriptors and tickers.

    >>> [(m.name, m.source) for m in find_companies(
    ...     "an initiative led by SoftBank Group, involving companies such as SoftBank, Westinghouse, and Toshiba")]
    [('SoftBank Group', 'suffix'), ('SoftBank', 'list'), ('Westinghouse', 'list'), ('Toshiba', 'list')]
    """
    out: list[Mention] = []

    def add(start: int, end: int, source: str, strong: bool) -> None:
        surface = text[start:end].rstrip(".,")
        if surface.startswith("the "):
            start, surface = start + 4, surface[4:]
        end = start + len(surface)
        if not _plausible_company(surface):
            return
        if any(m.start < end and start < m.end for m in out):
            return
        if source == "suffix" and not strong and text[:start].count('"') % 2 == 1:
            return  # a title-cased slogan in quotes, not a company
        out.append(Mention(surface, start, end, "Company", surface, source, None, {"strong": strong}))

    for match in _COMPANY_SUFFIX.finditer(text):
        words = match.group("name").split()
        # Drop leading words that are not part of the name ("The", "Japan's").
        while (
            words and (words[0] in lx.NOT_NAMES or words[0].endswith("'s") or country_of(words[0])) and len(words) > 2
        ):
            words.pop(0)
        if words and (words[0] in lx.NOT_NAMES or words[0] in lx.DEMONYMS or words[0].endswith("'s")):
            continue
        name = " ".join(words)
        if match.group("weak") and (lx.sector_name(name) or lx.sector_name(words[0])):
            continue
        start = match.end("name") - len(name)
        add(start, match.end("name"), "suffix", bool(match.group("strong")))
    for match in _COMPANY_LIST.finditer(text):
        for item in re.finditer(rf"{CAPN}(?:\s{CAPN}){{0,3}}", match.group("list")):
            start = match.start("list") + item.start()
            add(start, start + len(item.group()), "list", False)
    for match in _OWNERSHIP.finditer(text):
        for group in ("owner", "owned"):
            if match.group(group):
                add(match.start(group), match.end(group), "ownership", False)
    for pattern, source in (
        (_COMPANY_AGENT, "agent"),
        (_COMPANY_DESCRIPTOR, "descriptor"),
        (_COMPANY_APPOSITIVE, "appositive"),
        (_TICKER, "ticker"),
    ):
        for match in pattern.finditer(text):
            for group in ("name", "name2"):
                name = match.groupdict().get(group)
                if not name:
                    continue
                words = name.split()
                while words and words[-1] in lx.NOT_NAMES:
                    words.pop()
                if not words:
                    continue
                add(match.start(group), match.start(group) + len(" ".join(words)), source, source == "ticker")
    for match in _WITH_COMPANY.finditer(text):
        add(match.start("name"), match.end("name"), "partner", False)
    return out


# -- sectors, projects, vehicles, agreements ---------------------------------------------------

_SECTOR_RE = re.compile(
    r"\b(?P<form>" + "|".join(re.escape(f) for f in sorted(lx.SECTORS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def find_sectors(text: str) -> list[Mention]:
    """Sectors from the lexicon; ambiguous words ("oil", "steel") only in a trade context.

    >>> [m.name for m in find_sectors("investments in energy, artificial intelligence, and critical minerals")]
    ['Energy', 'Artificial intelligence', 'Critical minerals']
    >>> [m.name for m in find_sectors("tariffs on steel imports; the oil price")]
    ['Steel']
    """
    out: list[Mention] = []
    matches = list(_SECTOR_RE.finditer(text))
    strong_positions = [m.start() for m in matches if m.group("form").lower() not in lx.WEAK_SECTOR_FORMS]
    for match in matches:
        form = match.group("form")
        low = form.lower()
        if low in ("ai", "ev", "evs", "lng") and not form.isupper():
            continue
        if low in lx.WEAK_SECTOR_FORMS and any(re.search(r"\bsuch\sas\s$", text[o.end : match.start()]) for o in out):
            continue  # "agricultural products such as rice": an example of a sector already named
        if low in lx.WEAK_SECTOR_FORMS:
            before = text[: match.start()]
            after = text[match.end() :]
            listed = (
                any(abs(p - match.start()) < 60 for p in strong_positions)
                and re.search(r"(?:,|\band|\bor)\s*$", before[-6:] + " ") is not None
            )
            listed = listed or (
                bool(re.match(r"^\s*(?:,|and\b|or\b)", after))
                and any(abs(p - match.start()) < 60 for p in strong_positions)
            )
            if not (_SECTOR_CONTEXT_BEFORE.search(before) or _SECTOR_CONTEXT_AFTER.match(after) or listed):
                continue
        out.append(
            Mention(form, match.start(), match.end(), "Sector", lx.SECTORS[low], "sector", None, {"strong": True})
        )
    return out


_STOP_MODS = {
    "of",
    "to",
    "and",
    "or",
    "in",
    "on",
    "for",
    "with",
    "by",
    "that",
    "which",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "be",
    "been",
    "will",
    "would",
    "could",
    "as",
    "at",
    "from",
    "its",
    "their",
    "not",
    "stage",
    "process",
    "review",
    "range",
}


def find_projects(text: str) -> list[Mention]:
    """Projects described in the text: '<det> <modifiers> <project|initiative|terminal...>'.

    >>> [(m.name, m.attrs.get("place"), m.attrs["descriptors"]) for m in find_projects(
    ...     "a deepwater crude oil terminal project in the Gulf of Mexico, and a synthetic diamond "
    ...     "project for semiconductor applications")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Deepwater crude oil terminal project', 'Gulf of Mexico', ['crude', 'oil']),
     ('Synthetic diamond project for semiconductor applications', None, ['synthetic', 'diamond'])]
    """
    out = []
    for match in _PROJECT.finditer(text):
        raw_mods = match.group("mods").split()
        # The modifiers stop at the last function word: "stage of the review process: a data center ..."
        mods: list[str] = []
        for word in raw_mods:
            bare = word.strip(",.")
            if bare.lower() in _STOP_MODS or word.endswith((",", ".")) or not re.fullmatch(r"[$\w][\w$.-]*", bare):
                mods = []
                continue
            mods.append(bare)
        money = [w for w in mods if w.startswith("$") or w.lower() in ("billion", "million", "trillion", "bn")]
        descriptive = [w for w in mods if w not in money and w.lower() not in lx.GENERIC_MODIFIERS]
        if not descriptive or match.group("plural"):
            continue
        if (
            any(w[:1].isupper() and w.lower() not in lx.SECTORS and not w.isupper() for w in descriptive[:1])
            and len(descriptive) == 1
            and country_of(descriptive[0])
        ):
            continue
        head = match.group("head")
        words = [*descriptive, head]
        start = match.start("mods") + match.group("mods").find(descriptive[0])
        end = match.end("head")
        name_words = list(words)
        purpose = match.group("purpose")
        if purpose:
            name_words += ["for", *purpose.split()]
            end = match.end("purpose")
        elif match.group("place") and not match.group("prep"):
            pass
        name = " ".join(name_words)
        name = name[0].upper() + name[1:]
        sector_words = [w.lower() for w in descriptive if w.lower() not in lx.PLACE_MODIFIERS and not w[:1].isupper()]
        attrs: dict[str, Any] = {"strong": False, "head": head, "descriptors": sector_words}
        place = match.group("place")
        if place:
            if place.startswith("the "):
                place = place[4:]
            attrs["place"] = place
            attrs["place_start"] = match.start("place") + (4 if match.group("place").startswith("the ") else 0)
        if purpose:
            attrs["purpose"] = purpose
        if money:
            attrs["money_words"] = money
        out.append(Mention(text[start:end], start, end, "Project", name, "described", None, attrs))
    return out


def find_vehicles(text: str) -> list[Mention]:
    """Investment vehicles: 'a $550 billion investment vehicle', 'the investment fund'.

    >>> [(m.name, m.attrs.get("anaphor")) for m in find_vehicles("funded by a $550 billion investment vehicle; "
    ...     "the investment fund is central")]
    [('$550 billion investment vehicle', False), ('investment fund', True)]
    """
    out = []
    for match in _VEHICLE.finditer(text):
        head = match.group("head")
        money = match.group("money")
        mods = match.group("mods").strip()
        if not money and "investment" not in head and "investment" not in mods and "wealth" not in head:
            continue
        if mods and mods not in ("investment", "joint", "new", "special", "dedicated", "bilateral", "state-backed"):
            continue
        start = match.start("money") if money else match.start("mods") if mods else match.start("head")
        name = f"{money} {(mods + ' ') if mods else ''}{head}" if money else f"{(mods + ' ') if mods else ''}{head}"
        anaphor = not money and match.group("det").lower() in ("the", "this", "that", "its", "their")
        owner = match.group("det")[:-2] if match.group("det").endswith("'s") else None
        out.append(
            Mention(
                text[start : match.end()],
                start,
                match.end(),
                "InvestmentVehicle",
                name,
                "described",
                None,
                {
                    "strong": False,
                    "money": money,
                    "anaphor": anaphor,
                    "head": head,
                    "det": match.group("det").lower(),
                    "owner": owner,
                },
            )
        )
    return out


def find_agreements(text: str) -> list[Mention]:
    """Agreements: described ('the bilateral trade agreement', "last year's trade pact") or named.

    >>> [(m.text, m.attrs["kind"], m.attrs["definite"]) for m in find_agreements(
    ...     "reached a trade agreement; under the terms of the agreement and last year's trade pact")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('trade agreement', 'trade_agreement', False), ('agreement', 'trade_agreement', True),
     ('trade pact', 'trade_agreement', True)]
    """
    out: list[Mention] = []
    for match in _NAMED_AGREEMENT.finditer(text):
        name = match.group("name") or match.group("acr")
        words = name.split()
        while (words and words[0] in ("the", "The", "of", "and", "on", "for")) or (
            words and country_of(words[0]) and len(words) > 2 and False
        ):
            words.pop(0)
        name = " ".join(words)
        if len(words) < 2 and not match.group("acr"):
            continue
        start = match.end() - len(name) if match.group("name") else match.start("acr")
        kind = "framework" if name.endswith("Framework") else "trade_agreement"
        out.append(
            Mention(
                name,
                start,
                start + len(name),
                "Agreement",
                name,
                "named",
                None,
                {"strong": True, "kind": kind, "definite": True, "named": True},
            )
        )
    for match in _AGREEMENT.finditer(text):
        if any(m.start <= match.start("head") < m.end for m in out):
            continue
        head = match.group("head").lower()
        mods = match.group("mods").strip().lower().split()
        if mods and any(w in ("final", "no", "any") for w in mods):
            continue
        if any(not re.fullmatch(r"[a-z-]+", w) for w in mods):
            mods = []
        det = match.group("det").lower()
        kind = lx.AGREEMENT_HEADS[head]
        start = match.start("head") - (len(" ".join(mods)) + 1 if mods else 0)
        definite = det not in ("a", "an")
        attrs = {"strong": False, "kind": kind, "definite": definite, "mods": mods, "det": det, "head": head}
        if "similar" in mods or "another" in mods:
            attrs["definite"] = False
        out.append(
            Mention(
                text[match.start("head") : match.end()],
                match.start("head"),
                match.end(),
                "Agreement",
                head,
                "described",
                None,
                attrs,
            )
        )
        _ = start
    return out


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


_PRIORITY = {
    "gazetteer": 0,
    "title": 1,
    "pattern": 2,
    "named": 2,
    "suffix": 3,
    "ticker": 3,
    "list": 4,
    "agent": 5,
    "descriptor": 5,
    "appositive": 5,
    "country": 6,
    "demonym": 6,
    "sector": 7,
    "described": 8,
}


def find_mentions(text: str, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every mention in `text`, overlaps resolved (longer and more trusted first), by position.

    A gazetteer hit that is a bare surname inside a titled-person match yields to it, but the
    person keeps the known entity's id.
    """
    found: list[Mention] = []
    known = gazetteer.find(text) if gazetteer else []
    people = find_people(text)
    orgs = find_organizations(text)
    companies = find_companies(text)
    countries = find_countries(text)
    sectors = find_sectors(text)
    described = [*find_projects(text), *find_vehicles(text), *find_agreements(text)]
    # A person's mention covers the name; the gazetteer may know them by surname.
    for person in people:
        for k in known:
            if k.label == "Official" and person.start <= k.start and k.end <= person.end:
                person.entity_id = k.entity_id
                person.attrs["known_name"] = k.name
        for k in [k for k in known if k.label == "Official" and _overlaps(k, person)]:
            known.remove(k)
    for c in companies:
        for k in known:
            if k.label == "Company" and _overlaps(k, c) and c.end - c.start > k.end - k.start:
                c.entity_id = k.entity_id
                c.attrs["known_name"] = k.name
    # Organisation names swallow countries inside them ("Bank of Japan"), not vice versa.
    candidates = [*known, *people, *orgs, *companies, *countries, *sectors]
    candidates.sort(key=lambda m: (_PRIORITY.get(m.source, 9), -(m.end - m.start), m.start))
    for mention in candidates:
        if mention.label == "Country" and any(
            _overlaps(mention, f) and f.label in ("Organization", "Company", "Official") for f in found
        ):
            # A country inside a title prefix ("U.S. Commerce Secretary") is still a mention of the country.
            if not any(_overlaps(mention, f) and f.label in ("Organization", "Company") for f in found):
                found.append(mention)
            continue
        if any(_overlaps(mention, f) for f in found):
            continue
        found.append(mention)
    for mention in described:
        if mention.label == "Project" and any(
            _overlaps(mention, f) and f.label in ("Company", "Organization", "Official") for f in found
        ):
            continue
        found.append(mention)
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    return found
