"""Step 5: claims: (subject, relation, object, attributes) from the patterns trade news uses.

The extractor reads the sentences in order, keeping a little discourse state (the last
officials named, the agreement and investment vehicle in focus, the projects just listed,
the commitments of the previous sentence), so that "the two officials", "the agreement",
"the investment fund", "Failure to do so" and "He" find what they refer to.

Entities found here are document entities (DocEntity): a label, a proposed name, the
properties the text gives, the spans that mention them. Step 6 (resolve.py) matches them
to the store. Each claim cites the sentence it comes from and, when it joins two sentences,
the other one as evidence. Patterns (one method each):

- posts: "U.S. Commerce Secretary Lutnick", "Minister of Economy, Trade and Industry, X";
- bodies: "Japan's Ministry of ...", legislatures;
- projects: "a <described> project [in <place>] [for <purpose>] led by <Company>",
  "companies such as A, B and C", "identified a range of potential projects, with estimated
  costs ranging from $A to $B", "advanced to the final stage of the review process";
- vehicles: "a $N investment vehicle established by <Country>", "projects funded by <vehicle>";
- agreements: "<A> and <B> reached a trade agreement", "a similar agreement with <C>";
- concessions: "25% ... tariff rate would be reduced to 15%", "cut from A% to B%",
  "a 15% tariff on X", "lower tariffs on automobiles";
- commitments: "<Country> committed to investing $N in X and opening its market for Y";
  rules: "<Country> has 45 working days after project selection to initiate funding";
  consequences: "Failure to do so could result in ..."; "In return, ...";
- events: negotiations/talks between A and B; "plan to meet in <place> on <day>"; "won a
  historic election victory in <body>"; "<A>'s visit to <country>", "plans to visit";
  "announced on social media that"; "threatened to raise tariffs on <X>"; "<body> confirmed";
- rivalry: "<A>, a major competitor of <B> in <sector>".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from graph.ids import normalise
from loaders.news import lexicon as lx
from loaders.news.mentions import Gazetteer, Mention, country_of, find_mentions, strip_company_suffix
from loaders.news.quantities import Quantity, find_quantities
from loaders.news.text import Sentence


@dataclass
class DocEntity:
    """An entity as this article describes it, before it is matched to the store."""

    key: str
    label: str
    name: str
    props: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # spans in the cleaned text
    sentences: list[int] = field(default_factory=list)  # sentences that say something about it
    strong: bool = False
    known_id: str | None = None
    iso3: str | None = None  # a Country's code, or an official's or body's country
    full_names: list[str] = field(default_factory=list)  # officials: every full name the text gives

    def cite(self, sentence: int) -> None:
        if sentence not in self.sentences:
            self.sentences.append(sentence)


@dataclass
class Claim:
    subject: str  # DocEntity key
    relation: str
    object: str  # DocEntity key
    attributes: dict[str, Any]
    sentence: int
    confidence: float
    pattern: str
    evidence: list[int] = field(default_factory=list)


_FUTURE = re.compile(
    r"\b(?:will|plans?|planned|planning|to meet|to visit|scheduled|expected|set to|is due|would|"
    r"intends?|aims?|upcoming|next)\b",
    re.IGNORECASE,
)
_SUBJECT_PRONOUN = re.compile(r"^(?:He|She)\b")
_UNIQUE_HEADS = {
    "President",
    "Prime Minister",
    "Vice President",
    "Chancellor",
    "Premier",
    "King",
    "Queen",
    "Emperor",
    "Deputy Prime Minister",
    "Crown Prince",
}
_INVEST_VERBS = {
    "invest": "investment",
    "investing": "investment",
    "buy": "purchase",
    "buying": "purchase",
    "purchase": "purchase",
    "purchasing": "purchase",
    "import": "purchase",
    "importing": "purchase",
    "open": "market_access",
    "opening": "market_access",
    "remove": "market_access",
    "removing": "market_access",
    "eliminate": "market_access",
    "eliminating": "market_access",
    "lower": "market_access",
    "lowering": "market_access",
    "cut": "market_access",
    "cutting": "market_access",
    "grant": "market_access",
    "granting": "market_access",
    "allow": "market_access",
    "allowing": "market_access",
    "accept": "market_access",
    "accepting": "market_access",
    "expand": "market_access",
    "expanding": "market_access",
    "scrap": "market_access",
    "scrapping": "market_access",
    "provide": "investment",
    "providing": "investment",
    "spend": "investment",
    "spending": "investment",
    "build": "investment",
    "building": "investment",
    "fund": "investment",
    "funding": "investment",
    "finance": "investment",
    "financing": "investment",
}
_BASE = {
    "investing": "invest",
    "buying": "buy",
    "purchasing": "purchase",
    "importing": "import",
    "opening": "open",
    "removing": "remove",
    "eliminating": "eliminate",
    "lowering": "lower",
    "cutting": "cut",
    "granting": "grant",
    "allowing": "allow",
    "accepting": "accept",
    "expanding": "expand",
    "scrapping": "scrap",
    "providing": "provide",
    "spending": "spend",
    "building": "build",
    "funding": "fund",
    "financing": "finance",
}
_VERB_ALT = "|".join(sorted(_INVEST_VERBS, key=len, reverse=True))
_COMMIT_VERBS = (
    r"committed|commits|pledged|pledges|promised|promises|agreed|agrees|vowed|vows|undertook|undertaken|offered|"
    r"offers|intends|intended|plans|planned|aims|aimed|is\sset|are\sset|is\sexpected|are\sexpected"
)
_COMMIT = re.compile(
    rf"\b(?:(?:has|have|had|also|already|previously|further|would)\s){{0,2}}(?:{_COMMIT_VERBS})\s(?:to\s)?"
    rf"(?=(?:{_VERB_ALT})\b)(?P<rest>.+)$"
)
_COMMIT_WILL = re.compile(
    r"\b(?:will|would|must|is\sto|are\sto|shall)\s(?:also\s)?"
    r"(?=(?:invest|buy|purchase|import|open|remove|eliminate|spend|provide|scrap|lower|cut)\b)(?P<rest>.+)$"
)
_CLAUSE_SPLIT = re.compile(
    rf"(?:,\s|\s)(?:and|as\swell\sas|while\salso|plus)\s(?:(?:has|have|had|also)\s)*(?:(?:{_COMMIT_VERBS})\s)?"
    rf"(?:to\s)?(?=(?:{_VERB_ALT})\b)|,\s(?:to\s)?(?=(?:{_VERB_ALT})\b)"
)
_INVESTMENT_NOUN = re.compile(
    r"(?P<money>(?:US)?\$\s?\d[\d,.]*\s?(?:trillion|billion|million|bn|tn))\s(?:of|in)\s(?:new\s)?"
    r"(?P<who>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?\s)?investments?\s(?:in|into)\s(?:the\s)?"
    r"(?P<where>[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2})"
)
_CONDITION = re.compile(
    r"\b(?:once|provided(?:\sthat)?|on\scondition\sthat|as\slong\sas|if|in\sexchange\sfor|in\sreturn\sfor|"
    r"conditional\son)\s(?P<clause>[^;]+)"
)
_PREPOSITIONS = r"(?:and|or|but|under|by|for|in|on|at|with|from|after|before|as|so|because|if|unless|or|of|to|than)"
_DAYS_RULE_ACTION = re.compile(rf"^\s(?:to|in\swhich\sto)\s(?P<action>[a-z]+(?:\s(?!{_PREPOSITIONS}\b)[a-z]+){{0,3}})")
_CONSEQUENCE = re.compile(
    r"\b(?:failure|failing)\s(?:to\s(?:do\sso|comply|meet\s[\w\s]+?|pay|invest|fund\s?\w*))?.*?\b(?:could|would|may|might|"
    r"will|can)\s(?:result\sin|lead\sto|trigger|mean|prompt|cause)\s(?P<consequence>[^;]+?)\.?$",
    re.IGNORECASE,
)
_IF_FAILS = re.compile(
    r"\bif\s(?P<who>[A-Z][\w.' ]+?)\s(?:fails?|failed|does\snot|doesn't|misses|missed)\b.*?,\s.*?\b(?:could|would|"
    r"may|might|will)\s(?P<consequence>[^;]+?)\.?$",
)
_IN_RETURN = re.compile(r"^\s*(?:In\sreturn|In\sexchange|In\sturn|As\spart\sof\sthe\s(?:deal|agreement|pact))\b")
_RATE_FROM_TO = re.compile(
    r"(?:from|of)\s(?:over\s|more\sthan\s|about\s|around\s|nearly\s|up\sto\s|as\smuch\sas\s)?(?P<a>\d+(?:\.\d+)?)\s?"
    r"(?:%|percent|per\scent)\s(?:to|down\sto)\s(?:about\s|around\s|just\s)?(?P<b>\d+(?:\.\d+)?)\s?(?:%|percent|per\scent)",
    re.IGNORECASE,
)
_RATE_REDUCED_TO = re.compile(
    r"(?P<a>\d+(?:\.\d+)?)\s?(?:%|percent|per\scent)\s(?P<measure>(?:[a-z-]+\s){0,3}?(?:tariffs?|duty|duties|levy|"
    r"levies)(?:\s(?:rate|rates))?)\b(?:[^.;%]{0,80}?)\b(?:reduced|cut|lowered|lower|trimmed|slashed|brought\sdown|"
    r"drop|dropped|fall|fell|decreased)\s(?:to|at)\s(?P<b>\d+(?:\.\d+)?)\s?(?:%|percent|per\scent)",
    re.IGNORECASE,
)
_RATE_DOWN_FROM = re.compile(
    r"(?P<b>\d+(?:\.\d+)?)\s?(?:%|percent|per\scent)\s(?P<measure>(?:[a-z-]+\s){0,3}?(?:tariffs?|duty|duties|levy|"
    r"levies))(?:\s(?:on|for)\s(?P<on>[^,.;]{1,60}?))?,?\s(?:down\sfrom|compared\swith|instead\sof|rather\sthan|"
    r"lower\sthan|from)\s(?:the\s)?(?:(?:previously\s)?(?:threatened|planned|proposed|earlier|current|existing)\s)?"
    r"(?P<a>\d+(?:\.\d+)?)\s?(?:%|percent)",
    re.IGNORECASE,
)
_RATE_ONLY = re.compile(
    r"(?P<b>\d+(?:\.\d+)?)\s?(?:%|percent|per\scent)\s(?P<measure>(?:[a-z-]+\s){0,2}?(?:tariffs?|duty|duties|levy|"
    r"levies)|(?:tariff|duty)\s(?:rate|ceiling|cap))(?:\s(?:on|for)\s(?P<on>[^,.;]{1,60}?))?(?=[,.;]|\s(?:and|from|"
    r"under|as|in|starting|from|while|which|that|for)\b|$)",
    re.IGNORECASE,
)
_PCT = (
    r"(?:over\s|more\sthan\s|about\s|around\s|nearly\s|up\sto\s|as\smuch\sas\s)?"
    r"(?P<{g}>\d+(?:\.\d+)?)\s?(?:%|percent|per\scent)"
)
_RATE_TO_FROM = re.compile(
    r"\b(?:to|at)\s"
    + _PCT.format(g="b")
    + r"\s(?:from|down\sfrom)\s(?:the\s|a\s)?(?:[\w-]+\s){0,3}?"
    + _PCT.format(g="a"),
    re.IGNORECASE,
)
_TARIFF_PHRASE = re.compile(
    r"(?P<adj>(?:[a-z-]+\s){0,2}?)(?P<word>tariffs?|duty|duties|levy|levies)(?:\s(?:rate|rates))?"
    r"(?:\s(?:on|for)\s(?P<on>(?:[A-Z][\w.]*\s)?[a-z][\w-]*(?:\s(?!will\b|would\b|to\b|from\b|is\b|are\b|was\b|were\b)"
    r"[a-z][\w-]*){0,2}))?",
    re.IGNORECASE,
)
_REDUCE_VERB = re.compile(
    r"\b(?:reduc\w*|cut\w*|lower\w*|halv\w*|slash\w*|trim\w*|eas\w*|brought\sdown|bring\sdown|fall\w*|fell|"
    r"drop\w*|decreas\w*|scal\w*\sback|roll\w*\sback)\b",
    re.IGNORECASE,
)
_RATE_CEILING = re.compile(
    r"\b(?:tariff|duty)\s(?P<kind>ceiling|cap|rate|level)\sof\s(?P<b>\d+(?:\.\d+)?)\s?(?:%|percent)", re.IGNORECASE
)
_CONCESSION_CUE = re.compile(
    r"\b(?:lower\w*|reduc\w*|cut|ceiling|cap(?:ped)?|down\sfrom|instead\sof|preferential|face|set\sat|agreed|"
    r"deal|agreement|pact|under\sthe)\b"
)
_DUTY_FREE_ACCESS = re.compile(
    r"\b(?:give|gives|giving|grant|grants|granting|offer|offers|allow|allows)\s(?P<goods>(?:[A-Z][\w.]*\s)?[a-z][\w-]*"
    r"(?:(?:,\s|\sand\s)[a-z][\w-]*){0,3})\s(?:duty|tariff)-free\saccess|"
    r"\b(?:duty|tariff)-free\saccess\sfor\s(?P<goods2>(?:[A-Z][\w.]*\s)?[a-z][\w-]*(?:(?:,\s|\sand\s)[a-z][\w-]*){0,3})"
)
_QUOTA = re.compile(
    r"\b(?:up\sto|quota\sof)\s(?P<volume>\d[\d.,]*\s(?:million\s|thousand\s)?(?:metric\s)?(?:tons|tonnes|vehicles|"
    r"cars|units|barrels))\sof\s(?P<goods>[a-z][\w-]*(?:\s[a-z][\w-]*)?)\s(?:a\syear\s|annually\s|per\syear\s)?"
    r"(?:free\sof|exempt\sfrom|duty-free|tariff-free|without)"
)
_OWNS = re.compile(
    r"(?P<owner>[A-Z][\w&.'-]*(?:\s[A-Z][\w&.'-]*){0,3}),\s(?:which|that)\s(?:owns|controls|acquired|bought)\s"
    r"(?P<owned>[A-Z][\w&.'-]*(?:\s[A-Z][\w&.'-]*){0,3})"
)
_LOWER_TARIFFS_ON = re.compile(
    r"\b(?P<adj>lower|reduced|zero|lowered|preferential|tariff-free|duty-free)\s(?P<measure>tariffs?|duties|duty|"
    r"access)\s(?:on|for)\s(?P<on>[a-z][\w-]*(?:\s(?!and\b|or\b|but\b)[a-z][\w-]*){0,3})",
)
_MEASURE_TRIM = {
    "the",
    "a",
    "an",
    "originally",
    "planned",
    "proposed",
    "current",
    "existing",
    "new",
    "higher",
    "previous",
    "previously",
    "threatened",
    "so-called",
    "blanket",
    "base",
    "baseline",
}
_NEGOTIATION = re.compile(
    r"\b(?:negotiations|talks|discussions|consultations)\s(?:between|with|involving)\s(?P<who>[^;]{3,200}?)(?=,?\s(?:will|"
    r"comes?|came|is|are|was|were|has|have|had|on|over|about|to|in|at|ended|began|resumed|continue|continued|could|"
    r"would|may|might|failed|stalled|broke)\b|;|\.?$)"
)
_MEET = re.compile(
    r"\b(?P<aux>plans?\sto|planned\sto|are\sscheduled\sto|is\sscheduled\sto|are\sset\sto|is\sset\sto|will|would|"
    r"are\sexpected\sto|is\sexpected\sto|agreed\sto|hope\sto|hopes\sto|intend\sto|intends\sto|are\sdue\sto|is\sdue\sto)?"
    r"\s?(?P<verb>meet|met|meeting|meets|speak|spoke|speaks|talked|talk|held\stalks|hold\stalks|holds\stalks)"
    r"(?:\s(?:with|to)\s(?P<with>(?:U\.S\.|[^,.;])+?)|\s(?P<object>(?:U\.S\.\s|[A-Z][\w.]*\s){0,4}[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)*))?"
    r"(?:\s(?:by|over\sthe)\s(?P<phone>phone|telephone|video\slink|videoconference))?"
    r"(?:\s(?:in|at)\s(?:the\s)?(?P<place>[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?))?(?=\W|$)"
)
_ELECTION = re.compile(
    r"\b(?:won|wins|win|secured|clinched)\s(?:a|an|the)?\s?(?:[\w-]+\s){0,2}?(?:election|vote|leadership\srace|"
    r"landslide|majority)(?:\svictory|\swin)?(?:\sin\s(?:the\s)?(?P<where>[A-Z][\w']*(?:\s(?:of\s)?[A-Z][\w']*){0,4}))?"
)
_VISIT_NOUN = re.compile(
    r"(?P<who>[A-Z][\w.-]+)'s\s(?:(?:[\w-]+\s){0,2})?visit\sto\s(?:the\s)?(?P<where>[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2})"
)
_VISIT_VERB = re.compile(
    r"\b(?P<aux>plans?\sto|will|is\sset\sto|is\sexpected\sto|is\sscheduled\sto|intends\sto|is\sdue\sto|hopes\sto)?\s?"
    r"(?P<verb>visit|visited|visits|travel\sto|traveled\sto|travelled\sto|fly\sto|flew\sto)\s(?:the\s)?"
    r"(?P<where>[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2})"
)
_ANNOUNCE = re.compile(
    r"\b(?:announced|said|declared|posted|wrote|stated|revealed|unveiled)\s(?P<channel>on\ssocial\smedia|on\s[A-Z]\w+"
    r"(?:\s[A-Z]\w+)?|in\sa\s(?:statement|post|speech|televised\saddress|press\sconference|social\smedia\spost)|at\sa\s"
    r"(?:press\sconference|news\sconference|briefing|summit))?\s?that\b"
)
_THREAT = re.compile(
    r"\bthreaten(?:ed|s|ing)?\sto\s(?P<verb>raise|impose|reimpose|re-impose|hike|increase|slap|levy|double)\s"
    r"(?P<what>tariffs|duties|levies|tariff\srates)\son\s(?P<on>(?:U\.S\.|U\.K\.|E\.U\.|[^,.;])+?)(?=[,.;]|\s(?:if|unless|after|over|as|"
    r"because|and)\b|$)"
)
_CONFIRM = re.compile(r"\b(?:confirmed|announced|said|stated|reported|disclosed)\s(?:on\s\w+\s)?that\b")
_COMPETITOR = re.compile(
    r"(?P<a>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?),\s(?:a|an|the)\s(?:[\w-]+\s)?(?:competitor|rival)\s(?:of|to)\s"
    r"(?P<b>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?:\sin\s(?P<sector>[a-z][\w-]*(?:\s[a-z][\w-]*){0,3}))?"
)
_COMPETES = re.compile(
    r"(?P<a>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\s(?:competes|compete|rivals)\s(?:with\s)?(?P<b>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)"
    r"(?:\sin\s(?P<sector>[a-z][\w-]*(?:\s[a-z][\w-]*){0,3}))?"
)
_ESTABLISHED_BY = re.compile(
    r"\b(?:established|created|set\sup|launched|formed|backed|financed|funded)\sby\s(?:the\s)?(?P<who>[A-Z][\w.']*"
    r"(?:\s[A-Z][\w.']*)?)"
)
_ESTABLISHES = re.compile(
    r"\b(?:established|created|set\sup|launched|formed|will\sset\sup|will\screate)\s(?:a|an|the)\s"
)
_FUNDED_BY = re.compile(r"\bprojects?\s(?:to\sbe\s)?(?:funded|financed|backed|bankrolled)\sby\b")
_VEHICLE_FUNDS = re.compile(r"\b(?:will|would|to|could)\s(?:fund|finance|invest\sin|back|bankroll)\b")
_REVIEW = re.compile(
    r"\b(?:advanced|moved|progressed|reached|entered|are|is|were|was)\s(?:to|into|in|at)?\s?(?:the\s)?(?P<stage>final|"
    r"last|first|initial|early)?\s?(?:stage|phase|round)s?\sof\s(?:the\s)?(?:review|selection|approval|vetting)"
    r"(?:\sprocess)?|\bunder\s(?:final\s)?review\b|\bshortlisted\b"
)
_PROJECT_SET = re.compile(
    r"\b(?P<verb>identified|proposed|selected|shortlisted|unveiled|announced|listed|picked|approved)\s(?:a\s(?:range|"
    r"list|number|series|slate|pipeline)\sof|several|dozens\sof|a\shandful\sof|\d+|two|three|four|five|six|seven|eight|"
    r"nine|ten)\s(?P<adj>(?:potential|possible|candidate|priority|initial|new|major)\s)?projects\b"
)
_COST_RANGE = re.compile(
    r"cost[s]?\s(?:ranging\s)?from\s(?P<a>\S+\s(?:million|billion|trillion))\s(?:to|and)\s"
    r"(?:as\shigh\sas\s)?(?P<b>\S+\s(?:million|billion|trillion))"
)
_INVESTMENTS_IN = re.compile(r"\binvestments?\s(?:in|into|across)\s")
_STATUS_WORDS = [
    (re.compile(r"\bfinal\sstage\sof\s(?:the\s)?review|\bfinal\sreview\b"), "final_review"),
    (re.compile(r"\bunder\sreview\b|\bbeing\sreviewed\b"), "under_review"),
    (re.compile(r"\b(?:was|were|been|have\sbeen|has\sbeen)\sselected\b"), "selected"),
    (re.compile(r"\b(?:was|were|been|have\sbeen|has\sbeen)\s(?:funded|financed)\b"), "funded"),
    (re.compile(r"\bcancel(?:l)?ed\b|\bscrapped\b"), "cancelled"),
]


def _surname(name: str) -> str:
    return lx.family_name(name)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _fmt_pct(value: float) -> str:
    return f"{value:g}%"


class Extractor:
    """Runs the claim patterns over an article's sentences; see the module docstring."""

    def __init__(
        self,
        sentences: list[Sentence],
        gazetteer: Gazetteer | None = None,
        published: dt.date | None = None,
        title_index: int | None = None,
    ) -> None:
        self.sentences = sentences
        self.gazetteer = gazetteer
        self.published = published
        self.title_index = title_index
        self.entities: dict[str, DocEntity] = {}
        self.claims: list[Claim] = []
        self.mentions: dict[int, list[Mention]] = {}
        self.quantities: dict[int, list[Quantity]] = {}
        # Discourse state.
        self.officials: list[str] = []  # keys, in order of mention (latest last)
        self.subject_official: str | None = None
        self.agreement_focus: str | None = None
        self.agreements_by_parties: dict[frozenset[str], str] = {}
        self.vehicle_focus: str | None = None
        self.vehicle_sentence: int | None = None
        self.funded_by_sentence: int | None = None
        self.projects_last: tuple[int, list[str]] | None = None
        self.commitments_last: tuple[int, list[str]] | None = None
        self.concessions: list[tuple[str, str | None]] = []  # (concession key, agreement key)
        self.investment_commitments: list[tuple[str, int]] = []
        self.review_events: list[tuple[str, int]] = []
        self.negotiations: list[tuple[str, int]] = []
        self.events_by_sentence: dict[int, list[str]] = {}
        self.first_mention: dict[str, int] = {}
        self.committers: dict[str, str] = {}
        self.agreement_parties: dict[str, list[str]] = {}

    # -- registry ------------------------------------------------------------------------------

    def entity(
        self,
        key: str,
        label: str,
        name: str,
        sentence: int | None = None,
        span: tuple[int, int] | None = None,
        strong: bool = False,
        **props: Any,
    ) -> DocEntity:
        ent = self.entities.get(key)
        if ent is None:
            ent = DocEntity(key, label, name, strong=strong)
            self.entities[key] = ent
            self.first_mention[key] = (sentence if sentence is not None else 10**6) * 100_000 + (
                span[0] if span else 99_999
            )
        ent.strong = ent.strong or strong
        for k, v in props.items():
            if v is not None and k not in ent.props:
                ent.props[k] = v
        if span and span not in ent.mentions:
            ent.mentions.append(span)
        if sentence is not None:
            ent.cite(sentence)
        return ent

    def claim(
        self,
        subject: str | None,
        relation: str,
        obj: str | None,
        sentence: int,
        confidence: float,
        pattern: str,
        evidence: list[int] | None = None,
        **attrs: Any,
    ) -> None:
        if not subject or not obj or subject == obj:
            return
        attrs = {k: v for k, v in attrs.items() if v is not None}
        for existing in self.claims:
            if (existing.subject, existing.relation, existing.object) == (subject, relation, obj):
                for s in [sentence, *(evidence or [])]:
                    if s != existing.sentence and s not in existing.evidence:
                        existing.evidence.append(s)
                for k, v in attrs.items():
                    existing.attributes.setdefault(k, v)
                existing.confidence = max(existing.confidence, confidence)
                return
        ev = [e for e in dict.fromkeys(evidence or []) if e != sentence]
        self.claims.append(Claim(subject, relation, obj, attrs, sentence, confidence, pattern, ev))

    def _span(self, s: Sentence, start: int, end: int) -> tuple[int, int]:
        return (s.start + start, s.start + end)

    def _next_company_start(self, s: Sentence, m: Mention) -> int:
        later = [o.start for o in self.ms(s, ("Company",)) if o.start >= m.end]
        return min(later) if later else m.end

    def _mention_entity(self, s: Sentence, m: Mention) -> DocEntity | None:
        span = self._span(s, m.start, m.end)
        if m.label == "Country":
            code = m.attrs["iso3"]
            ent = self.entity(f"Country:{code}", "Country", m.name, s.index, span, True, iso3=code)
            ent.iso3 = code
            surface = m.text[:-2] if m.text.endswith("'s") else m.text
            if surface != m.name and m.source == "country" and surface not in ent.aliases:
                ent.aliases.append(surface)
            if m.entity_id:
                ent.known_id = m.entity_id
            return ent
        if m.label == "Official":
            name = m.name
            key = f"Official:{normalise(_surname(name))}"
            ent = self.entity(key, "Official", name, s.index, span, m.strong)
            if len(name.split()) >= 2:
                if name not in ent.full_names:
                    ent.full_names.append(name)
                if len(ent.name.split()) < 2:
                    if ent.name not in ent.aliases:
                        ent.aliases.append(ent.name)
                    ent.name = name
                if _surname(name) not in ent.aliases:
                    ent.aliases.append(_surname(name))
            if m.entity_id:
                ent.known_id = m.entity_id
            if m.attrs.get("country") and not ent.iso3:
                ent.iso3 = m.attrs["country"]
            return ent
        if m.label == "Organization":
            name = lx.ORG_ABBREVIATIONS.get(m.name, m.name)
            key = m.entity_id or f"Organization:{normalise(name)}"
            ent = self.entity(key, "Organization", name, s.index, span, m.strong, kind=m.attrs.get("kind"))
            if name != m.name and m.name not in ent.aliases:
                ent.aliases.append(m.name)
            if m.entity_id:
                ent.known_id = m.entity_id
            if m.attrs.get("country"):
                ent.iso3 = ent.iso3 or m.attrs["country"]
            return ent
        if m.label == "Company":
            base = strip_company_suffix(m.name) or m.name
            key = m.entity_id or f"Company:{normalise(base)}"
            existing = self.entities.get(key)
            if existing is None and not m.entity_id:
                # "SoftBank" after "SoftBank Group": the same company.
                for other in self.entities.values():
                    if other.label == "Company" and normalise(strip_company_suffix(other.name)) == normalise(base):
                        key = other.key
                        break
            ent = self.entity(key, "Company", m.name, s.index, span, m.strong)
            if len(m.name) > len(ent.name) and normalise(m.name).startswith(normalise(ent.name)):
                if ent.name not in ent.aliases:
                    ent.aliases.append(ent.name)
                ent.name = m.name
            elif m.name != ent.name and m.name not in ent.aliases:
                ent.aliases.append(m.name)
            if m.entity_id:
                ent.known_id = m.entity_id
            return ent
        if m.label == "Sector":
            key = m.entity_id or f"Sector:{normalise(m.name)}"
            ent = self.entity(key, "Sector", m.name, s.index, span, True)
            if m.entity_id:
                ent.known_id = m.entity_id
            return ent
        return None

    def sector(self, name: str, s: Sentence, span: tuple[int, int] | None = None) -> DocEntity:
        known = None
        if self.gazetteer:
            hits = self.gazetteer.index.get(normalise(name)) or self.gazetteer.index.get(normalise(name).rstrip("s"))
            known = next((e.id for e, _ in hits or [] if e.label == "Sector"), None)
        key = known or f"Sector:{normalise(name)}"
        for ent in self.entities.values():
            if ent.label == "Sector" and normalise(ent.name) == normalise(name):
                key = ent.key
        ent = self.entity(key, "Sector", name, s.index, span, True)
        if known:
            ent.known_id = known
        return ent

    # -- helpers -------------------------------------------------------------------------------

    def ms(
        self, s: Sentence, labels: tuple[str, ...] | None = None, start: int = 0, end: int | None = None
    ) -> list[Mention]:
        end = len(s.text) if end is None else end
        return [
            m
            for m in self.mentions[s.index]
            if (labels is None or m.label in labels) and m.start >= start and m.end <= end
        ]

    def key_of(self, s: Sentence, m: Mention) -> str | None:
        ent = self._mention_entity(s, m)
        return ent.key if ent else None

    def countries_in(self, s: Sentence, start: int = 0, end: int | None = None) -> list[str]:
        keys: list[str] = []
        for m in self.ms(s, ("Country",), start, end):
            key = f"Country:{m.attrs['iso3']}"
            if key not in keys:
                keys.append(key)
        return keys

    def main_countries(self) -> list[str]:
        """The two countries the article mentions most so far, when they stand out from the rest."""
        counts = sorted(((len(e.sentences), k) for k, e in self.entities.items() if e.label == "Country"), reverse=True)
        if len(counts) < 2 or counts[1][0] < 2 or (len(counts) > 2 and counts[2][0] == counts[1][0]):
            return []
        return [counts[0][1], counts[1][1]]

    def parties_in(self, s: Sentence, start: int = 0, end: int | None = None) -> list[str]:
        """Countries, and unions of countries (the EU), named in a span: who can be party to a deal."""
        keys: list[str] = []
        for m in self.ms(s, ("Country", "Organization"), start, end):
            if m.label == "Organization" and m.name not in lx.UNIONS:
                continue
            key = self.key_of(s, m)
            if key and key not in keys:
                keys.append(key)
        return keys

    def country_key(self, code: str | None, s: Sentence | None = None) -> str | None:
        if not code:
            return None
        key = f"Country:{code}"
        if key not in self.entities:
            self.entity(key, "Country", lx.country_name(code), s.index if s else None, None, True, iso3=code)
            self.entities[key].iso3 = code
        return key

    def resolve_place(self, text: str) -> str | None:
        text = text.strip()
        if text.startswith("the "):
            text = text[4:]
        return lx.CAPITALS.get(text) or country_of(text) or lx.place_country(text)

    def official_from(self, s: Sentence, text: str, offset: int) -> list[str]:
        keys = []
        for m in self.ms(s, ("Official",), offset, offset + len(text)):
            key = self.key_of(s, m)
            if key and key not in keys:
                keys.append(key)
        return keys

    def main_subject(self, s: Sentence) -> str | None:
        """The official a sentence is about: its first official, or the last one for He/She."""
        if _SUBJECT_PRONOUN.match(s.text) and self.subject_official:
            return self.subject_official
        people = self.ms(s, ("Official",))
        return self.key_of(s, people[0]) if people else None

    def future(self, s: Sentence) -> bool:
        return bool(_FUTURE.search(s.text))

    def dates(self, s: Sentence, start: int = 0, end: int | None = None) -> list[Quantity]:
        end = len(s.text) if end is None else end
        return [q for q in self.quantities[s.index] if q.kind == "date" and start <= q.start and q.end <= end]

    def money(self, s: Sentence, start: int = 0, end: int | None = None) -> list[Quantity]:
        end = len(s.text) if end is None else end
        return [q for q in self.quantities[s.index] if q.kind == "money" and start <= q.start and q.end <= end]

    def agreement_for(self, parties: set[str]) -> str | None:
        for key_parties, key in self.agreements_by_parties.items():
            if parties and parties <= key_parties:
                return key
        return None

    # -- run -----------------------------------------------------------------------------------

    def run(self) -> Extractor:
        for s in self.sentences:
            headline = s.index == self.title_index
            self.mentions[s.index] = self.add_surnames(s, find_mentions(s.text, self.gazetteer))
            self.quantities[s.index] = find_quantities(s.text, self.published)
            if headline:
                # A headline is title-cased: trust only countries, known names and sectors in it.
                self.mentions[s.index] = [
                    m for m in self.mentions[s.index] if m.source in ("gazetteer", "country", "demonym", "sector")
                ]
                for m in self.mentions[s.index]:
                    self._mention_entity(s, m)
                continue
            self.sentence(s)
        self.finish()
        return self

    def add_surnames(self, s: Sentence, mentions: list[Mention]) -> list[Mention]:
        """A bare surname ("Trump", "Ebrard") of an official the article already named is that official;
        a company named earlier is that company when its name comes again."""
        surnames = {}
        for ent in self.entities.values():
            if ent.label == "Official":
                surnames[_surname(ent.name)] = ent
        companies = {}
        for ent in self.entities.values():
            if ent.label == "Company":
                for form in (ent.name, *ent.aliases):
                    if len(form) >= 3:
                        companies[form] = ent
        if companies:
            pattern = re.compile(
                r"\b(?:" + "|".join(re.escape(n) for n in sorted(companies, key=len, reverse=True)) + r")\b"
            )
            extra = []
            for match in pattern.finditer(s.text):
                if any(m.start < match.end() and match.start() < m.end for m in mentions):
                    continue
                ent = companies[match.group()]
                extra.append(
                    Mention(
                        match.group(),
                        match.start(),
                        match.end(),
                        "Company",
                        ent.name,
                        "coreference",
                        ent.known_id,
                        {"strong": False},
                    )
                )
            mentions = sorted([*mentions, *extra], key=lambda m: (m.start, -(m.end - m.start)))
        if not surnames:
            return mentions
        pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(n) for n in sorted(surnames, key=len, reverse=True)) + r")\b"
        )
        added = []
        for match in pattern.finditer(s.text):
            if any(m.start < match.end() and match.start() < m.end for m in mentions):
                continue
            ent = surnames[match.group()]
            added.append(
                Mention(
                    match.group(),
                    match.start(),
                    match.end(),
                    "Official",
                    ent.name,
                    "coreference",
                    ent.known_id,
                    {"strong": False},
                )
            )
        return sorted([*mentions, *added], key=lambda m: (m.start, -(m.end - m.start)))

    def sentence(self, s: Sentence) -> None:
        for m in self.mentions[s.index]:
            self._mention_entity(s, m)
        subject = self.main_subject(s)
        self.posts(s)
        self.vehicles(s)
        self.agreements(s)
        self.concessions_in(s)
        self.commitments(s)
        self.events(s)
        self.projects(s)
        self.rivalry(s)
        self.sector_investments(s)
        for m in self.ms(s, ("Official",)):
            key = self.key_of(s, m)
            if key:
                if key in self.officials:
                    self.officials.remove(key)
                self.officials.append(key)
        if subject:
            self.subject_official = subject

    # -- posts and bodies ----------------------------------------------------------------------

    def posts(self, s: Sentence) -> None:
        previous_role = None
        for m in self.ms(s, ("Official",)):
            ent = self._mention_entity(s, m)
            role = m.attrs.get("role")
            if role == "counterpart":
                role = previous_role
            elif role:
                previous_role = role
            if not ent or not role or role.lower() in lx.CORPORATE_TITLES:
                continue
            head = m.attrs.get("head", "")
            specific = role != head or head in _UNIQUE_HEADS
            country = m.attrs.get("country") or ent.iso3
            org_match = re.match(r"(?:Minister|Secretary|Ministry)\s(?:of|for)\s(?P<field>.+)$", role)
            if org_match and country:
                org_name = (
                    f"Ministry of {org_match.group('field')}"
                    if role.startswith("Minister")
                    else (f"Department of {org_match.group('field')}")
                )
                org = self.organization(
                    org_name, "ministry" if role.startswith("Minister") else "department", s, country
                )
                self.claim(ent.key, "HOLDS_POSITION", org.key, s.index, 0.9, "title of ministry", role=role)
                self.claim(org.key, "PART_OF", self.country_key(country, s), s.index, 0.8, "title of ministry")
                continue
            if m.attrs.get("org") and m.attrs["org"] in lx.KNOWN_ORGS:
                kind, org_country = lx.KNOWN_ORGS[m.attrs["org"]]
                org = self.organization(m.attrs["org"], kind, s, org_country)
                self.claim(ent.key, "HOLDS_POSITION", org.key, s.index, 0.8, "title in a body", role=role)
                continue
            if m.attrs.get("org") and not country:
                org_text = m.attrs["org"]
                for om in self.ms(s, ("Organization",)):
                    if om.name == org_text or om.text == org_text:
                        self.claim(
                            ent.key, "HOLDS_POSITION", self.key_of(s, om), s.index, 0.8, "appositive title", role=role
                        )
                continue
            if specific and country:
                self.claim(
                    ent.key,
                    "HOLDS_POSITION",
                    self.country_key(country, s),
                    s.index,
                    0.9 if m.attrs.get("country") else 0.6,
                    "title",
                    role=role,
                )
        for m in self.ms(s, ("Organization",)):
            ent = self._mention_entity(s, m)
            if not ent:
                continue
            if m.attrs.get("country"):
                self.claim(ent.key, "PART_OF", self.country_key(m.attrs["country"], s), s.index, 0.9, "possessive body")
            elif m.attrs.get("kind") == "legislature" and not ent.iso3:
                people = [p for p in self.ms(s, ("Official",)) if p.attrs.get("country")]
                codes = {p.attrs["country"] for p in people} or {
                    c.attrs["iso3"] for c in self.ms(s, ("Country",)) if c.source == "demonym"
                }
                if len(codes) == 1:
                    code = codes.pop()
                    ent.iso3 = code
                    self.claim(ent.key, "PART_OF", self.country_key(code, s), s.index, 0.5, "legislature by context")

    def organization(self, name: str, kind: str, s: Sentence, country: str | None) -> DocEntity:
        name = lx.ORG_ABBREVIATIONS.get(name, name)
        key = f"Organization:{normalise(name)}"
        if self.gazetteer:
            hit = next((e for e, _ in self.gazetteer.index.get(normalise(name), []) if e.label == "Organization"), None)
            if hit:
                key = hit.id
        ent = self.entity(key, "Organization", name, s.index, None, True, kind=kind)
        if key != f"Organization:{normalise(name)}":
            ent.known_id = key
        ent.iso3 = ent.iso3 or country
        return ent

    # -- investment vehicles -------------------------------------------------------------------

    def vehicles(self, s: Sentence) -> None:
        for m in self.mentions[s.index]:
            if m.label != "InvestmentVehicle":
                continue
            span = self._span(s, m.start, m.end)
            if m.attrs.get("anaphor"):
                if self.vehicle_focus:
                    ent = self.entities[self.vehicle_focus]
                    ent.mentions.append(span)
                    ent.cite(s.index)
                    alias = m.name
                    if alias not in ent.aliases and alias != ent.name:
                        ent.aliases.append(alias)
                continue
            amount = None
            for q in self.money(s, m.start, m.end):
                amount = q.attrs.get("usd")
            key = f"InvestmentVehicle:{normalise(m.name)}"
            if self.gazetteer:
                hit = next(
                    (e for e, _ in self.gazetteer.index.get(normalise(m.name), []) if e.label == "InvestmentVehicle"),
                    None,
                )
                if hit:
                    key = hit.id
            ent = self.entity(key, "InvestmentVehicle", m.name, s.index, span, False, amount_usd=amount)
            if key.startswith("investmentvehicle:"):
                ent.known_id = key
            self.vehicle_focus = ent.key
            self.vehicle_sentence = s.index
            after = s.text[m.end : m.end + 80]
            owner = m.attrs.get("owner")
            owner_code = (country_of(owner) or lx.CAPITALS.get(owner)) if owner else None
            if owner_code:
                self.claim(self.country_key(owner_code, s), "ESTABLISHES", ent.key, s.index, 0.7, "country's vehicle")
            by = _ESTABLISHED_BY.match(after.lstrip()) if after.strip() else None
            if by:
                code = country_of(by.group("who"))
                if code:
                    self.claim(
                        self.country_key(code, s), "ESTABLISHES", ent.key, s.index, 0.9, "vehicle established by"
                    )
            before = s.text[max(0, m.start - 60) : m.start]
            est = _ESTABLISHES.search(before)
            if est:
                countries = self.ms(s, ("Country",), 0, m.start)
                if countries:
                    self.claim(
                        self.key_of(s, countries[-1]), "ESTABLISHES", ent.key, s.index, 0.7, "establishes vehicle"
                    )
            if _FUNDED_BY.search(s.text[: m.start]):
                self.funded_by_sentence = s.index

    # -- agreements ----------------------------------------------------------------------------

    def agreements(self, s: Sentence) -> None:
        for m in self.ms(s, ("Agreement",)):
            span = self._span(s, m.start, m.end)
            if m.attrs.get("named"):
                key = m.entity_id or f"Agreement:{normalise(m.name)}"
                ent = self.entity(key, "Agreement", m.name, s.index, span, True, kind=m.attrs["kind"])
                self.agreement_focus = ent.key
                continue
            mods = m.attrs.get("mods") or []
            parties: list[str] = []
            with_match = re.match(r"\s(?:with|between)\s(?:the\s)?(?P<who>(?:U\.S\.|U\.K\.|[^,.;])+)", s.text[m.end :])
            clause_start = max(s.text.rfind(";", 0, m.start), s.text.rfind(":", 0, m.start), 0)
            possessive = m.attrs.get("det") in ("their", "its")
            if with_match:
                others = self.parties_in(s, m.end, m.end + len(with_match.group()))
                if others:
                    subject = self.main_subject(s)
                    mine = self.entities[subject].iso3 if subject and self.entities[subject].iso3 else None
                    first = f"Country:{mine}" if mine else None
                    if not first:
                        known = [k for k in self.first_mention if k.startswith("Country:") and k not in others]
                        known.sort(key=lambda k: self.first_mention[k])
                        first = known[0] if known else None
                    parties = [p for p in [first, *others] if p]
            if not parties and (not m.attrs.get("definite") or possessive or not self.agreement_focus):
                parties = self.parties_in(s, clause_start, m.start)
                if len(parties) < 2 and m.attrs.get("definite"):
                    parties = []
            if not parties and "bilateral" in mods:
                parties = self.parties_in(s)
            if not parties and m.attrs.get("definite") and not self.agreement_focus:
                # "Under the deal struck last year, ...": the deal between the two countries the article is about.
                parties = self.main_countries()
                confidence_note = "main countries"
                _ = confidence_note
            if (not parties or len(parties) < 2) and m.attrs.get("definite") and self.agreement_focus:
                ent = self.entities[self.agreement_focus]
                ent.mentions.append(span)
                ent.cite(s.index)
                self.agreement_status(s, ent, m)
                continue
            if len(parties) < 2:
                continue
            parties = sorted(dict.fromkeys(parties), key=lambda k: self.first_mention.get(k, 10**12))
            codes = frozenset(self.entities[p].iso3 or p for p in parties)
            key = self.agreements_by_parties.get(codes)
            if key is None:
                trade = (
                    m.attrs["head"]
                    in ("trade agreement", "trade deal", "trade pact", "trade accord", "free trade agreement", "fta")
                    or "trade" in mods
                )
                kind_word = "trade agreement" if trade else m.attrs["head"]
                if kind_word in ("deal", "pact", "accord"):
                    kind_word = "trade agreement"
                name = "-".join(self.entities[p].name for p in parties) + " " + kind_word
                key = f"Agreement:{'-'.join(sorted(codes))}"
                self.agreements_by_parties[codes] = key
                self.entity(key, "Agreement", name, s.index, span, False, kind=m.attrs["kind"])
            ent = self.entities[key]
            if span not in ent.mentions:
                ent.mentions.append(span)
            ent.cite(s.index)
            known_parties = self.agreement_parties.setdefault(key, [])
            known_parties += [p for p in parties if p not in known_parties]
            for p in parties:
                if self.entities[p].label == "Country":
                    self.claim(p, "PARTY_TO", key, s.index, 0.8 if len(parties) == 2 else 0.6, "parties to agreement")
            self.agreement_focus = key if "similar" not in mods else (self.agreement_focus or key)
            self.agreement_status(s, ent, m)

    def agreement_status(self, s: Sentence, ent: DocEntity, m: Mention) -> None:
        window = s.text[max(0, m.start - 60) : m.end + 40].lower()
        if re.search(r"\b(?:signed|inked)\b", window):
            ent.props.setdefault("status", "signed")
        elif re.search(r"\b(?:took effect|in force|came into force|entered into force)\b", window):
            ent.props.setdefault("status", "in_force")
        elif re.search(r"\b(?:reached|announced|struck|agreed|sealed|clinched|unveiled)\b", window):
            ent.props.setdefault("status", "announced")
        elif re.search(r"\b(?:negotiating|negotiations|talks)\b", window):
            ent.props.setdefault("status", "negotiating")

    # -- projects ------------------------------------------------------------------------------

    def projects(self, s: Sentence) -> None:
        found: list[str] = []
        for m in self.ms(s, ("Project",)):
            span = self._span(s, m.start, m.end)
            key = f"Project:{normalise(m.name)}"
            ent = self.entity(key, "Project", m.name, s.index, span, False, location=m.attrs.get("place"))
            found.append(key)
            for rx, status in _STATUS_WORDS:
                if rx.search(s.text):
                    ent.props.setdefault("status", status)
                    break
            for q in self.money(s, m.start, m.end):
                ent.props.setdefault("cost_max_usd", q.attrs.get("usd"))
            descriptors = [
                part
                for word in m.attrs.get("descriptors") or []
                for part in word.split("-")
                if part and part not in lx.PLACE_MODIFIERS
            ]
            if descriptors:
                words = descriptors[-3:]
                known = [
                    lx.sector_name(" ".join(descriptors[a:b]))
                    for a in range(len(descriptors))
                    for b in range(len(descriptors), a, -1)
                    if lx.sector_name(" ".join(descriptors[a:b]))
                ]
                if known and not lx.sector_name(" ".join(words)):
                    words = known[0].lower().split()
                self.claim(
                    key, "IN_SECTOR", self.sector(lx.pluralise_sector(words), s).key, s.index, 0.7, "project descriptor"
                )
            purpose = m.attrs.get("purpose")
            if purpose:
                words = [
                    w
                    for w in purpose.split()
                    if w
                    not in (
                        "applications",
                        "use",
                        "uses",
                        "production",
                        "manufacturing",
                        "industry",
                        "industries",
                        "supply",
                        "exports",
                        "markets",
                    )
                ]
                if words:
                    self.claim(
                        key,
                        "IN_SECTOR",
                        self.sector(lx.pluralise_sector(words), s).key,
                        s.index,
                        0.6,
                        "project purpose",
                    )
            place = m.attrs.get("place")
            place_code = (country_of(place) or lx.place_country(place)) if place else None
            if place_code:
                self.claim(key, "LOCATED_IN", self.country_key(place_code, s), s.index, 0.8, "project place")
            # "<project> led by <Company>"
            tail = s.text[m.end : m.end + 80]
            agent = re.match(
                r"(?:\s(?:in|at|near|off)\s(?:the\s)?[A-Z][\w-]*(?:\s(?:of\s)?[A-Z][\w-]*){0,3})?"
                r",?\s(?:which\sis\s|that\sis\s|which\swill\sbe\s|to\sbe\s|being\s)?(?P<verb>led|operated|run|built|"
                r"developed|spearheaded|headed|backed|supplied|constructed)\sby\s",
                tail,
            )
            if agent:
                for c in self.ms(s, ("Company",), m.end, m.end + len(tail)):
                    if c.start - m.end <= len(agent.group()) + 2:
                        rel = {
                            "led": "LEADS",
                            "spearheaded": "LEADS",
                            "headed": "LEADS",
                            "developed": "LEADS",
                            "operated": "OPERATES",
                            "run": "OPERATES",
                            "supplied": "SUPPLIES",
                        }.get(agent.group("verb"), "PARTICIPATES_IN")
                        self.claim(self.key_of(s, c), rel, key, s.index, 0.9, f"project {agent.group('verb')} by")
                        break
            # "..., with Hitachi supplying transformers"
            for wm in re.finditer(
                r"\bwith\s(?P<name>[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*){0,3})\s(?P<verb>supplying|"
                r"providing|building|operating|managing|financing)\b",
                s.text[m.end : m.end + 160],
            ):
                for c in self.ms(s, ("Company",), m.end + wm.start("name"), m.end + wm.end("name")):
                    rel = {"supplying": "SUPPLIES", "providing": "SUPPLIES", "operating": "OPERATES"}.get(
                        wm.group("verb"), "PARTICIPATES_IN"
                    )
                    self.claim(self.key_of(s, c), rel, key, s.index, 0.7, f"with company {wm.group('verb')}")
        # "<Company> will lead/build/operate <project>", "<Company>, which is building a <project>",
        # "<Companies> are expected to take part in a <project>", "... with partner <Company>".
        projects_here = self.ms(s, ("Project",))
        for c in self.ms(s, ("Company",)):
            after = s.text[c.end : c.end + 90]
            verb = re.match(
                r",?\s(?:(?:which|that|who)\s)?(?:will\s|is\sto\s|plans\sto\s|has\sagreed\sto\s|would\s|is\s|are\s|was\s|"
                r"were\s|will\sbe\s|has\sbeen\s|have\sbeen\s|are\sexpected\sto\s|is\sexpected\sto\s)?(?:also\s)?"
                r"(?P<verb>lead|leads|leading|build|builds|building|construct\w*|operat\w*|develop\w*|supply|supplies|"
                r"supplying|join|joins|joining|participat\w*\sin|invest\w*\sin|take\spart\sin|taking\spart\sin|"
                r"partner\w*\son|run|runs|running)\b",
                after,
            )
            if verb:
                targets = [p for p in projects_here if p.start > c.end]
                if targets and targets[0].start - c.end < 120:
                    v = verb.group("verb")
                    rel = (
                        "LEADS"
                        if v.startswith(("lead", "develop", "build", "construct"))
                        else "OPERATES"
                        if v.startswith(("operat", "run"))
                        else "SUPPLIES"
                        if v.startswith("suppl")
                        else "PARTICIPATES_IN"
                    )
                    subjects = [c]
                    # "A and B are expected to take part in": every company listed before the verb.
                    listed = [
                        o
                        for o in self.ms(s, ("Company",))
                        if o.end <= c.start
                        and re.fullmatch(
                            r"(?:,\s|\sand\s|,\sand\s)", s.text[o.end : self._next_company_start(s, o)] or ""
                        )
                    ]
                    subjects = [*listed, c]
                    for subject in subjects:
                        self.claim(
                            self.key_of(s, subject),
                            rel,
                            f"Project:{normalise(targets[0].name)}",
                            s.index,
                            0.7,
                            "company verb project",
                        )
        for match in re.finditer(r"\bwith\s(?:its\s)?(?:(?P<demonym>[A-Z][a-z]+)\s)?partners?\s", s.text):
            partners = [c for c in self.ms(s, ("Company",)) if 0 <= c.start - match.end() < 3]
            targets = [p for p in projects_here if p.end <= match.start()]
            for c in partners:
                if targets:
                    self.claim(
                        self.key_of(s, c),
                        "PARTICIPATES_IN",
                        f"Project:{normalise(targets[-1].name)}",
                        s.index,
                        0.6,
                        "with partner",
                    )
        # "Steelmakers Ternium and ...": the industry a company is in.
        for c in self.ms(s, ("Company",)):
            noun = re.search(
                r"(?i:\b(?P<noun>[a-z]+(?:makers?|builders?|miners?|producers?|refiners?|carriers?)))\s"
                r"(?:[A-Z][\w.&-]*\s(?:(?:de|del|la)\s)?){0,4}(?:and\s)?$",
                s.text[max(0, c.start - 80) : c.start],
            )
            if noun:
                sector = lx.COMPANY_NOUN_SECTORS.get(noun.group("noun").lower().rstrip("s"))
                if sector:
                    self.claim(
                        self.key_of(s, c), "IN_SECTOR", self.sector(sector, s).key, s.index, 0.6, "industry noun"
                    )
        # "Chinese partner Zhejiang Huayou Cobalt", "Japanese conglomerate SoftBank": where a company is based.
        for c in self.ms(s, ("Company",)):
            before = re.search(
                r"(?P<demonym>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s(?:[a-z-]+\s)?(?:" + lx.COMPANY_NOUNS + r")\s$",
                s.text[max(0, c.start - 60) : c.start],
            )
            if before and before.group("demonym") in lx.DEMONYMS:
                code = lx.DEMONYMS[before.group("demonym")]
                self.claim(self.key_of(s, c), "BASED_IN", self.country_key(code, s), s.index, 0.7, "demonym company")
        # "Tata Motors, which owns Jaguar Land Rover": ownership.
        for match in _OWNS.finditer(s.text):
            owner = [c for c in self.ms(s, ("Company",)) if c.start == match.start("owner")]
            owned = [c for c in self.ms(s, ("Company",)) if c.start == match.start("owned")]
            if owner and owned:
                self.claim(self.key_of(s, owned[0]), "SUBSIDIARY_OF", self.key_of(s, owner[0]), s.index, 0.8, "owns")
        # "identified a range of potential projects, with estimated costs ranging from $A to $B"
        match = _PROJECT_SET.search(s.text)
        if match:
            during = re.search(r"\b[Dd]uring\s(?P<what>[^,]+?),", s.text)
            event_key = None
            base = _cap((match.group("adj") or "potential ").strip() + " projects")
            name = base
            if during:
                ev = [k for k in self.events_by_sentence.get(s.index, [])]
                if ev:
                    event_key = ev[0]
                    name = f"{base} {match.group('verb')} during {self.entities[event_key].name}"
            status = {
                "identified": "identified",
                "proposed": "proposed",
                "selected": "selected",
                "shortlisted": "under_review",
                "approved": "selected",
            }.get(match.group("verb"), "identified")
            key = f"Project:{normalise(name)}"
            span = self._span(s, match.start(), match.end())
            ent = self.entity(key, "Project", name, s.index, span, False, status=status)
            cost = _COST_RANGE.search(s.text)
            if cost:
                amounts = self.money(s, cost.start(), cost.end())
                if len(amounts) >= 2:
                    ent.props.setdefault("cost_min_usd", amounts[0].attrs.get("usd"))
                    ent.props.setdefault("cost_max_usd", amounts[-1].attrs.get("usd"))
            if event_key:
                self.claim(event_key, "CONCERNS", key, s.index, 0.7, "projects identified during event")
            found.append(key)
        # "involving companies such as A, B and C": they take part in the projects just named.
        involve = re.search(
            r"\b(?:involving|including|with\sparticipation\sfrom|with)\s(?:companies|firms|"
            r"businesses|groups|corporations)\s(?:such\sas|including|like)\b",
            s.text,
        )
        targets = found or (
            self.projects_last[1] if self.projects_last and s.index - self.projects_last[0] <= 2 else []
        )
        if involve and targets:
            for c in self.ms(s, ("Company",), involve.start()):
                for t in targets[-1:] if not found else targets:
                    self.claim(
                        self.key_of(s, c),
                        "PARTICIPATES_IN",
                        t,
                        s.index,
                        0.5 if not found else 0.6,
                        "companies involved",
                        evidence=[] if found else [self.projects_last[0]] if self.projects_last else [],
                    )
        # "projects have advanced to the final stage of the review process": a review event.
        review = _REVIEW.search(s.text)
        if review and found:
            if self.vehicle_focus:
                name = f"Review of {self.entities[self.vehicle_focus].name} projects"
            else:
                name = "Project review"
            key = f"Event:review:{normalise(name)}"
            ev = self.entity(
                key, "Event", name, s.index, self._span(s, review.start(), review.end()), False, kind="review"
            )
            self.review_events.append((ev.key, s.index))
            for p in found:
                self.claim(key, "CONCERNS", p, s.index, 0.7, "projects under review")
            if self.vehicle_focus:
                self.claim(
                    key,
                    "CONCERNS",
                    self.vehicle_focus,
                    s.index,
                    0.5,
                    "review of vehicle projects",
                    evidence=[self.vehicle_sentence] if self.vehicle_sentence is not None else [],
                )
        if found:
            self.projects_last = (s.index, found)

    # -- tariff concessions --------------------------------------------------------------------

    def _measure(self, text: str) -> str:
        words = [w for w in text.lower().split() if w not in _MEASURE_TRIM and not _REDUCE_VERB.fullmatch(w)]
        words = [w for w in words if w not in ("will", "would", "to", "and", "its", "their", "on", "be", "been", "is")]
        words = [w for w in words if w not in ("rate", "rates")]
        if words and words[-1] == "tariffs":
            words[-1] = "tariff"
        return " ".join(words) or "tariff"

    def _party_in(self, s: Sentence, text: str, offset: int) -> str | None:
        """The first country, union or capital named in a piece of the sentence."""
        for m in self.ms(s, ("Country", "Organization"), offset, offset + len(text)):
            if m.label == "Country" or m.name in lx.UNIONS:
                return self.key_of(s, m)
        for match in re.finditer(r"[A-Z][\w.]*(?:\s[A-Z][\w.]*)?", text):
            code = lx.CAPITALS.get(match.group())
            if code:
                return self.country_key(code, s)
        return None

    def _tariff_parties(
        self, s: Sentence, agreement: str | None, on_text: str | None, clause: tuple[int, int], verb_at: int
    ) -> tuple[str | None, str | None]:
        """(conceding party, beneficiary) of a concession stated in `s`.

        The beneficiary is whose goods the tariff is on ("tariffs on Korean cars", "EU goods"); the
        conceding party is the subject that lowers it ("Washington will lower", "India will halve"),
        the country whose tariff it is ("U.S. tariffs on"), or else the other party to the deal."""
        parties = []
        if agreement:
            parties = [c.subject for c in self.claims if c.relation == "PARTY_TO" and c.object == agreement]
            parties += [
                k
                for k in self.entities
                if k.startswith("Organization:")
                and self.entities[k].name in lx.UNIONS
                and agreement in self.entities
                and normalise(self.entities[k].name) in normalise(self.entities[agreement].name)
            ]
        beneficiary = None
        if on_text:
            where = s.text.find(on_text, clause[0])
            beneficiary = self._party_in(s, on_text, where) if where >= 0 else None
        conceder = None
        subject = self._subject_before(s, verb_at)
        if subject and subject != beneficiary and subject not in (on_text or ""):
            conceder = subject
        # The subject before the verb, or the tariff's owner ("U.S. tariffs").
        head = s.text[clause[0] : verb_at]
        head = (
            re.split(r"\b(?:on|for|from|of|into|to)\s", head)[0] if re.search(r"\btariffs?\b", head) is None else head
        )
        owner = re.search(
            r"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?:'s)?\s(?:[a-z-]+\s)?(?:tariffs?|duties|duty|levies)\b", head
        )
        candidates = []
        if owner:
            candidates.append((owner.group(1), clause[0] + owner.start(1)))
        subj = re.match(r"\s*(?:[A-Z][a-z]+,\s)?(?:the\s)?([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)", head)
        if subj:
            candidates.append((subj.group(1), clause[0] + subj.start(1)))
        for text, at in candidates if conceder is None else []:
            key = self._party_in(s, text, at)
            if key and key != beneficiary:
                conceder = key
                break
        if not conceder:
            entering = re.search(
                r"\b(?:entering|into|imported\sinto|sold\sin|to)\s(?:the\s)?([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)",
                s.text[clause[0] : clause[1]],
            )
            if entering:
                key = self._party_in(s, entering.group(1), clause[0] + entering.start(1))
                if key and key != beneficiary:
                    conceder = key
        if not conceder and beneficiary and beneficiary in parties and len(parties) == 2:
            conceder = next(p for p in parties if p != beneficiary)
        if conceder and not beneficiary and len(parties) == 2 and conceder in parties:
            beneficiary = next(p for p in parties if p != conceder)
        if not conceder and len(parties) == 2 and "Country:USA" in parties:
            # Reciprocal and Section 232 tariffs are US measures: the US concedes by default.
            conceder = "Country:USA"
            beneficiary = beneficiary or next(p for p in parties if p != conceder)
        if beneficiary == conceder:
            beneficiary = None
        return conceder, beneficiary

    def concessions_in(self, s: Sentence) -> None:
        text = s.text
        if not re.search(r"\b(?:tariffs?|duty|duties|levy|levies|duty-free|tariff-free|quota)\b", text, re.IGNORECASE):
            return
        agreement = self.agreement_focus
        taken: list[tuple[int, int]] = []

        def clause_of(pos: int) -> tuple[int, int]:
            a = max(text.rfind(";", 0, pos), text.rfind(" - ", 0, pos), -1) + 1
            b_candidates = [i for i in (text.find(";", pos), text.find(" - ", pos)) if i >= 0]
            return a, min(b_candidates) if b_candidates else len(text)

        def add(
            name: str,
            measure: str,
            before: float | None,
            after: float | None,
            span: tuple[int, int],
            on_text: str | None,
            confidence: float,
            verb_at: int | None = None,
            sides: tuple[str | None, str | None] | None = None,
        ) -> None:
            if any(a < span[1] and span[0] < b for a, b in taken):
                return
            taken.append(span)
            key = f"TariffConcession:{normalise(name)}"
            window = text.lower()
            status = (
                "announced" if re.search(r"\b(?:announced|would|will|agreed|reached|plans?|signed)\b", window) else None
            )
            if re.search(r"\b(?:took\seffect|takes\seffect|in\sforce|came\sinto\sforce|effective)\b", window):
                status = "in_force"
            ent = self.entity(
                key,
                "TariffConcession",
                name,
                s.index,
                self._span(s, *span),
                False,
                measure=measure,
                rate_before_pct=before,
                rate_after_pct=after,
                status=status,
            )
            self.concessions.append((ent.key, agreement))
            clause = clause_of(span[0])
            conceder, beneficiary = (
                sides
                if sides and sides[0]
                else self._tariff_parties(s, agreement, on_text, clause, verb_at if verb_at is not None else span[0])
            )
            self.claim(agreement, "GRANTS", key, s.index, confidence, "agreement grants concession")
            if conceder and self.entities[conceder].label == "Country":
                self.claim(conceder, "CONCEDES", key, s.index, confidence - 0.1, "conceding country")
            if beneficiary and self.entities[beneficiary].label == "Country":
                self.claim(key, "BENEFITS", beneficiary, s.index, confidence - 0.1, "beneficiary country")
            if on_text:
                where = text.find(on_text, clause[0])
                for sm in self.ms(s, ("Sector",), where, where + len(on_text)):
                    self.claim(key, "COVERS", self.key_of(s, sm), s.index, confidence, "concession covers sector")

        def tariff_before(pos: int) -> re.Match[str] | None:
            window = text[max(0, pos - 90) : pos]
            phrases = list(_TARIFF_PHRASE.finditer(window))
            found = phrases[-1] if phrases else None
            if found is None:
                return None
            if not _REDUCE_VERB.search(window[max(0, found.start() - 40) :]):
                return None
            return found

        for rx in (_RATE_REDUCED_TO, _RATE_DOWN_FROM):
            for match in rx.finditer(text):
                measure = self._measure(match.group("measure"))
                a, b = float(match.group("a")), float(match.group("b"))
                on_text = match.groupdict().get("on")
                name = f"{_cap(measure)} rate reduced from {_fmt_pct(a)} to {_fmt_pct(b)}"
                if on_text:
                    word = _cap(match.group("measure").split()[-1])
                    name = f"{word} on {on_text} reduced from {_fmt_pct(a)} to {_fmt_pct(b)}"
                    measure = f"{measure} on {on_text}"
                add(name, measure, a, b, (match.start(), match.end()), on_text, 0.8)
        for rx in (_RATE_FROM_TO, _RATE_TO_FROM):
            for match in rx.finditer(text):
                if any(x <= match.start() < y for x, y in taken):
                    continue
                phrase = tariff_before(match.start())
                if phrase is None:
                    continue
                a, b = float(match.group("a")), float(match.group("b"))
                if b >= a:
                    continue
                offset = max(0, match.start() - 90)
                on_text = phrase.group("on")
                word = phrase.group("word")
                measure = self._measure(phrase.group("adj") + " " + word if phrase.group("adj") else word)
                verb = _REDUCE_VERB.search(text[offset + phrase.end() : match.start()])
                if verb:
                    verb_at = offset + phrase.end() + verb.start()
                else:
                    before_verb = list(
                        _REDUCE_VERB.finditer(text[max(0, offset + phrase.start() - 40) : offset + phrase.end()])
                    )
                    verb_at = (
                        (max(0, offset + phrase.start() - 40) + before_verb[-1].start())
                        if before_verb
                        else (offset + phrase.start())
                    )
                if on_text:
                    name = f"{_cap(word.lower())} on {on_text} reduced from {_fmt_pct(a)} to {_fmt_pct(b)}"
                    measure = f"{measure} on {on_text}"
                else:
                    name = f"{_cap(measure)} rate reduced from {_fmt_pct(a)} to {_fmt_pct(b)}"
                add(name, measure, a, b, (offset + phrase.start(), match.end()), on_text, 0.8, verb_at)
        for match in _RATE_CEILING.finditer(text):
            if any(x <= match.start() < y for x, y in taken):
                continue
            b = float(match.group("b"))
            goods = re.search(
                r"((?:most|all|many)\s)?(?P<goods>(?:[A-Z][\w.]*\s)?(?:[a-z]+\s)?(?:goods|imports|products|exports))"
                r"[^.;]{0,60}$",
                text[: match.start()],
            )
            on_text = goods.group("goods") if goods else None
            kind = match.group("kind")
            name = f"{_fmt_pct(b)} tariff {kind}" + (f" on {on_text}" if on_text else "")
            add(name, f"tariff {kind}", None, b, (match.start(), match.end()), on_text, 0.7)
        for match in _RATE_ONLY.finditer(text):
            if any(x <= match.start() < y or x < match.end() <= y for x, y in taken):
                continue
            window = text[max(0, match.start() - 50) : match.end() + 40].lower()
            if not _CONCESSION_CUE.search(window):
                continue
            if re.search(r"\b(?:raise|raised|hike|threaten\w*|increase[sd]?|up\sfrom|slap|remain\w*)\b", window):
                continue
            measure = self._measure(match.group("measure"))
            on_text = match.group("on")
            b = float(match.group("b"))
            name = f"{_fmt_pct(b)} {measure}" + (f" on {on_text}" if on_text else "")
            if on_text:
                measure = f"{measure} on {on_text}"
            add(name, measure, None, b, (match.start(), match.end()), on_text, 0.6)
        for match in _DUTY_FREE_ACCESS.finditer(text):
            goods = match.group("goods") or match.group("goods2")
            name = f"Duty-free access for {goods}"
            add(
                name,
                f"duty-free access for {goods}",
                None,
                0.0,
                (match.start(), match.end()),
                goods,
                0.7,
                match.start(),
            )
        for match in _QUOTA.finditer(text):
            goods = match.group("goods")
            # "The United States agreed to let Mexico ship up to ...": who grants, who ships.
            sides = None
            let = re.search(
                r"(?:^|,\s|\sthat\s)(?:[Tt]he\s)?(?P<grantor>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\s(?:\w+\s){0,3}?"
                r"(?:let|allow|allowed|allows|permit|permits|permitted)\s(?:the\s)?"
                r"(?P<who>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\s(?:to\s)?\w+\s$",
                text[: match.start()],
            )
            if let:
                grantor = self._party_in(s, let.group("grantor"), let.start("grantor"))
                who = self._party_in(s, let.group("who"), let.start("who"))
                if grantor and who:
                    sides = (grantor, who)
            name = f"Duty-free quota of {match.group('volume')} of {goods}"
            add(
                name,
                f"tariff-rate quota for {goods}",
                None,
                0.0,
                (match.start(), match.end()),
                f"{goods}",
                0.7,
                match.start(),
                sides,
            )
        for match in _LOWER_TARIFFS_ON.finditer(text):
            on_text = match.group("on")
            name = _cap(match.group())
            measure = f"{match.group('measure')} on {on_text}"
            add(name, measure, None, None, (match.start(), match.end()), on_text, 0.7, match.start())

    # -- commitments, rules, consequences ------------------------------------------------------

    def _subject_before(self, s: Sentence, pos: int) -> str | None:
        """The country (or union) that is the subject of a verb at `pos`: the nearest one named before it
        in its clause that is not the object of a preposition ("of U.S. energy")."""
        clause_start = 0
        for boundary in re.finditer(r";|,\s|\s(?:that|which|where|whereby|who)\s", s.text[:pos]):
            clause_start = boundary.end()
        best = None
        for m in self.ms(s, ("Country", "Organization"), clause_start, pos):
            if m.label == "Organization" and m.name not in lx.UNIONS:
                continue
            before = s.text[max(0, m.start - 12) : m.start]
            if re.search(r"\b(?:of|in|to|from|for|with|on|into|by|than|at|entering)\s(?:the\s)?$", before.lower()):
                continue
            if re.search(r"(?<![.!?]\s)\b[A-Z][a-z]+\s$", before) and not re.search(r"\b(?:The|In|But|And)\s$", before):
                continue  # "Garuda Indonesia": part of a longer name
            after = s.text[m.end : m.end + 20]
            if not m.attrs.get("possessive") and re.match(
                r"\s[a-z]+\s(?:goods|imports|exports|products|energy)\b|"
                r"\s(?:goods|imports|exports|products|energy)\b",
                after,
            ):
                continue
            best = m
        if best is not None:
            return self.key_of(s, best)
        for match in re.finditer(r"[A-Z][a-z]+", s.text[clause_start:pos]):
            code = lx.CAPITALS.get(match.group())
            if code:
                return self.country_key(code, s)
        return None

    def _commitment(self, s: Sentence, clause: str, at: int, committer: str | None, pattern: str) -> str | None:
        words = clause.split()
        if not words:
            return None
        if re.search(r"\bwithin\s(?:\d+|[a-z]+)\s(?:working\s|business\s|calendar\s)?(?:days|weeks|months)\b", clause):
            return None  # "must provide funding within 45 days of ...": a deadline rule, read below
        span_here = (s.start + at, s.start + at + len(clause))
        for key, _ in self.concessions:
            if s.index in self.entities[key].sentences and any(
                a < span_here[1] and span_here[0] < b for a, b in self.entities[key].mentions
            ):
                return None  # "will lower tariffs on X to 15%": a concession, not a commitment
        kind = _INVEST_VERBS.get(words[0].lower())
        if not kind:
            return None
        clause = re.split(
            r",\s(?=(?:a|an|the|which|while|who|as|with|designed|making|according|officials|the\sstatement)\b)|;|"
            r"\s-\s|\s(?:in\sexchange|in\sreturn|once|provided|if|unless)\b",
            clause,
        )[0].rstrip(" ,.")
        words = clause.split()
        base = _BASE.get(words[0].lower(), words[0].lower())
        body = " ".join(words[1:])
        body = (
            re.sub(r"\b(?:its|their|his|her)\s", "", body)
            if base in ("eliminate", "remove", "scrap")
            else re.sub(r"\b(?:its|their|his|her)\b", "the", body)
        )
        name = _cap(f"{base} {body}".strip())
        amounts = self.money(s, at, at + len(clause))
        amount = amounts[0].attrs.get("usd") if amounts else None
        key = f"Commitment:{normalise(name)}"
        span = self._span(s, at, at + len(clause))
        self.entity(key, "Commitment", name, s.index, span, False, kind=kind, amount_usd=amount, status="pledged")
        if kind in ("market_access", "purchase"):
            for sm in self.ms(s, ("Sector",), at, at + len(clause)):
                self.claim(key, "COVERS", self.key_of(s, sm), s.index, 0.7, "commitment covers sector")
        if kind == "investment":
            self.investment_commitments.append((key, s.index))
        if committer:
            self.committers[key] = committer
        if committer and self.entities[committer].label == "Country":
            self.claim(committer, "MAKES", key, s.index, 0.8, pattern)
        return key

    def commitments(self, s: Sentence) -> None:
        made: list[str] = []
        agreement = self.agreement_focus
        text = s.text
        matches = [m for m in (_COMMIT.search(text), _COMMIT_WILL.search(text)) if m]
        matches.sort(key=lambda m: m.start())
        for match in matches[:1]:
            committer = self._subject_before(s, match.start())
            if match.re is _COMMIT_WILL and committer is None:
                continue
            if committer is None:
                subject = self.main_subject(s)
                if subject and self.entities[subject].iso3:
                    committer = self.country_key(self.entities[subject].iso3, s)
            rest_start = match.start("rest")
            rest = match.group("rest").rstrip(".")
            pieces: list[tuple[int, str]] = []
            pos = 0
            for cut in _CLAUSE_SPLIT.finditer(rest):
                pieces.append((pos, rest[pos : cut.start()]))
                pos = cut.end()
            pieces.append((pos, rest[pos:]))
            for offset, clause in pieces:
                # "buying $15 billion of U.S. energy and $4.5 billion of farm goods": one verb, two objects.
                parts = re.split(r"\s(?:and|as\swell\sas)\s(?=(?:US)?\$\d)", clause)
                verb = clause.split()[0] if clause.split() else ""
                cursor = 0
                for n, part in enumerate(parts):
                    where = clause.find(part, cursor)
                    cursor = where + len(part)
                    phrase = part if n == 0 else f"{verb} {part}"
                    at = rest_start + offset + where
                    key = self._commitment(s, phrase, at, committer, "country commits")
                    if key:
                        made.append(key)
        # "in exchange for $350 billion of Korean investment in the U.S."
        for match in _INVESTMENT_NOUN.finditer(text):
            who = match.group("who")
            code = country_of(who.strip()) if who else None
            committer = self.country_key(code, s) if code else self._subject_before(s, match.start())
            if committer is None:
                continue
            where = match.group("where")
            where_code = country_of(where)
            where_name = (
                f"the {lx.country_name(where_code)}"
                if where_code and lx.country_name(where_code).startswith("United")
                else (lx.country_name(where_code) if where_code else where)
            )
            name = f"Invest {match.group('money')} in {where_name}"
            key = f"Commitment:{normalise(name)}"
            if key in made:
                continue
            self.entity(
                key,
                "Commitment",
                name,
                s.index,
                self._span(s, match.start(), match.end()),
                False,
                kind="investment",
                amount_usd=self.money(s, match.start(), match.end())[0].attrs.get("usd")
                if self.money(s, match.start(), match.end())
                else None,
                status="pledged",
            )
            self.investment_commitments.append((key, s.index))
            self.committers[key] = committer
            if self.entities[committer].label == "Country":
                self.claim(committer, "MAKES", key, s.index, 0.7, "investment pledge")
            made.append(key)
        # "... once Brussels introduces legislation to eliminate its duties on U.S. industrial goods"
        conditions: list[str] = []
        for match in _CONDITION.finditer(text):
            clause = match.group("clause")
            inner = [k for k in made if any(s.start + match.start() <= a < s.end for a, _ in self.entities[k].mentions)]
            if inner:
                conditions += inner
                continue
            verb = re.search(rf"\b(?:{_VERB_ALT})\b", clause)
            if not verb:
                continue
            at = match.start("clause") + verb.start()
            committer = self._subject_before(s, at)
            key = self._commitment(s, clause[verb.start() :], at, committer, "condition")
            if key:
                made.append(key)
                conditions.append(key)
        here = [k for k, _ in self.concessions if s.index in self.entities[k].sentences]
        for concession in here:
            for key in conditions:
                self.claim(concession, "CONDITIONAL_ON", key, s.index, 0.7, "concession conditional on")
        # Deadline rules: "Japan has 45 working days after project selection to initiate funding".
        for q in self.quantities[s.index]:
            if q.kind != "duration" or "trigger" not in q.attrs:
                continue
            action = _DAYS_RULE_ACTION.match(s.text[q.end :])
            act = action.group("action") if action else None
            if not act:
                must = re.search(
                    r"\b(?:must|has\sto|have\sto|needs?\sto|is\srequired\sto|are\srequired\sto)\s"
                    r"(?P<action>[a-z]+(?:\s[a-z]+){0,10}?)\s(?:within|no\slater\sthan)\s$",
                    s.text[: q.start],
                )
                act = must.group("action") if must else None
            if not act:
                continue
            unit = q.attrs["unit"]
            unit_words = {"working_days": "working days", "calendar_days": "days"}.get(unit, unit)
            act = re.sub(r"\b(?:its|their)\s", "", act)
            name = _cap(f"{act} within {q.value} {unit_words} of {q.attrs['trigger']}")
            kind = "funding_rule"
            if re.search(r"\b(?:tariff|market|access|quota)", act):
                kind = "market_access"
            elif re.search(r"\b(?:buy|purchase|import)", act):
                kind = "purchase"
            key = f"Commitment:rule:{normalise(act)}"
            subject_countries = self.ms(s, ("Country",), 0, q.start)
            committer = self.key_of(s, subject_countries[-1]) if subject_countries else None
            ent = self.entity(
                key,
                "Commitment",
                name,
                s.index,
                self._span(s, q.start, q.end),
                False,
                kind=kind,
                deadline_amount=int(q.value),
                deadline_unit=unit if unit in ("working_days", "calendar_days") else None,
                deadline_trigger=q.attrs["trigger"],
                deadline_action=act,
            )
            made.append(ent.key)
            self.claim(committer, "MAKES", key, s.index, 0.8, "deadline rule")
            if committer:
                self.committers[key] = committer
            same = [
                c
                for c, _ in self.investment_commitments
                if committer
                and any(x.subject == committer and x.object == c and x.relation == "MAKES" for x in self.claims)
            ]
            if same:
                self.claim(key, "GOVERNS", same[-1], s.index, 0.6, "rule governs commitment")
        if made and agreement:
            parties = set(self.agreement_parties.get(agreement, []))
            for key in made:
                makers = {c.subject for c in self.claims if c.relation == "MAKES" and c.object == key}
                if key in self.committers:
                    makers.add(self.committers[key])
                if not parties or makers & parties:
                    conf = (
                        0.8 if re.search(r"\b(?:under|terms|as\spart)\b.*\b(?:agreement|deal|pact)\b", s.text) else 0.6
                    )
                    self.claim(agreement, "INCLUDES", key, s.index, conf, "agreement includes commitment")
        if made and _IN_RETURN.match(s.text):
            for concession, grant_agreement in self.concessions:
                if agreement is None or grant_agreement in (None, agreement):
                    for key in made:
                        self.claim(concession, "CONDITIONAL_ON", key, s.index, 0.6, "in return for")
        # "Failure to do so could result in ..."
        consequence = _CONSEQUENCE.search(s.text) or _IF_FAILS.search(s.text)
        if consequence:
            targets = made or (
                self.commitments_last[1] if self.commitments_last and s.index - self.commitments_last[0] <= 1 else []
            )
            evidence = [] if made else [self.commitments_last[0]] if self.commitments_last else []
            text = consequence.group("consequence").strip()
            for concession, grant_agreement in self.concessions:
                if agreement is None or grant_agreement in (None, agreement):
                    for key in targets:
                        self.claim(
                            concession,
                            "CONDITIONAL_ON",
                            key,
                            s.index,
                            0.6,
                            "failure could result in",
                            evidence=evidence,
                            consequence=text,
                        )
        if made:
            self.commitments_last = (s.index, made)

    # -- events --------------------------------------------------------------------------------

    def event(
        self,
        s: Sentence,
        kind: str,
        name: str,
        key: str,
        span: tuple[int, int],
        status: str | None = None,
        place: str | None = None,
        date_span: tuple[int, int] | None = None,
    ) -> DocEntity:
        ent = self.entity(
            key, "Event", name, s.index, self._span(s, *span), False, kind=kind, status=status, place=place
        )
        self.events_by_sentence.setdefault(s.index, []).append(key)
        dates = self.dates(s, *(date_span or (0, len(s.text))))
        for q in dates:
            if q.value and q.attrs.get("precision") == "day":
                ent.props.setdefault("starts_on", q.value)
                break
        return ent

    def _names(self, keys: list[str]) -> str:
        ordered = sorted(keys, key=lambda k: self.first_mention.get(k, 10**12))
        return "-".join(_surname(self.entities[k].name) for k in ordered)

    def events(self, s: Sentence) -> None:
        text = s.text
        subject = self.main_subject(s)
        future = self.future(s)
        # Negotiations / talks between A and B.
        for match in _NEGOTIATION.finditer(text):
            who = match.group("who")
            place = None
            at_place = re.search(r"\s(?:in|at)\s(?P<place>[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?)$", who)
            if at_place and self.resolve_place(at_place.group("place")):
                place = at_place.group("place")
                who = who[: at_place.start()]
            after_place = re.match(r"\s(?:in|at)\s(?P<place>[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?)", text[match.end("who") :])
            if not place and after_place and self.resolve_place(after_place.group("place")):
                place = after_place.group("place")
            people = self.official_from(s, who, match.start("who"))
            if len(people) == 1 and re.match(r"\w+\swith\b", text[match.start() :]):
                # "X said ... after talks with Y": the speaker is the other side.
                speakers = [k for k in (self.key_of(s, p) for p in self.ms(s, ("Official",), 0, match.start())) if k]
                people = [*speakers[-1:], *people]
            people = list(dict.fromkeys(people))
            if len(people) < 2:
                continue
            ordered = sorted(people, key=lambda k: self.first_mention.get(k, 10**12))
            key = "Event:negotiation:" + "+".join(sorted(ordered))
            noun = "talks" if text[match.start() :].startswith("talks") else "negotiations"
            name = f"{self._names(people)} {noun}" + (f" in {place}" if place else "")
            ev = self.event(s, "negotiation", name, key, (match.start(), match.end()), place=place)
            code = self.resolve_place(place) if place else None
            if code:
                self.claim(key, "HELD_IN", self.country_key(code, s), s.index, 0.7, "talks place")
            self.negotiations.append((ev.key, s.index))
            for p in people:
                self.claim(p, "ATTENDS", key, s.index, 0.8, "negotiations between", role="negotiator")
        # Meetings.
        for match in _MEET.finditer(text):
            if re.search(r"\b(?:visit|travel|fly|trip)\w*\b", text[max(0, match.start() - 80) : match.start()]):
                continue  # "plans to visit X ... to meet with Y": part of the visit
            before = text[: match.start("aux") if match.group("aux") else match.start("verb")]
            people: list[str] = []
            if re.search(
                r"\b(?:the\s)?(?:two|both)\s(?:officials|ministers|leaders|sides|men|women|negotiators)\s*$",
                before.rstrip()[-40:] + " ",
            ) or re.search(r"(?:two|both)\s(?:officials|ministers|leaders|negotiators)\s(?:\w+\s){0,2}$", before):
                people = self.officials[-2:]
            else:
                relative = re.search(
                    r"(?P<who>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)*),\s(?:who|which)\s(?:\w+\s){0,2}$", before
                )
                pronoun = re.search(r"\b(?:he|she)\s(?:\w+\s){0,3}$", before)
                if relative:
                    people = self.official_from(s, relative.group("who"), relative.start("who"))
                elif pronoun:
                    speakers = self.ms(s, ("Official",), 0, pronoun.start())
                    people = [self.key_of(s, speakers[-1])] if speakers else []
                else:
                    clause_start = max(before.rfind(","), before.rfind(";"), 0)
                    people = self.official_from(s, before[clause_start:], clause_start)
            people = [p for p in people if p]
            for group in ("with", "object"):
                if match.group(group):
                    people += self.official_from(s, match.group(group), match.start(group))
            people = list(dict.fromkeys(people))
            if len(people) < 2:
                continue
            verb = match.group("verb")
            if verb.startswith(("speak", "spoke", "talk")) and not (
                match.group("phone") or match.group("aux") or re.search(r"\b(?:phone|telephone|call)\b", text)
            ):
                continue
            place = match.group("place")
            code = self.resolve_place(place) if place else None
            phone = bool(match.group("phone")) or re.search(r"\b(?:phone|telephone)\b", text) is not None
            spoken = verb.startswith(("speak", "spoke", "talk"))
            noun = "phone call" if phone and spoken else "call" if spoken else "talks" if "talks" in verb else "meeting"
            preposition = (
                "at" if place and text[match.start("place") - 3 : match.start("place")].strip() == "at" else "in"
            )
            name = f"{self._names(people)} {noun}" + (f" {preposition} {place}" if place else "")
            key = "Event:meeting:" + "+".join(sorted(people)) + (f"@{normalise(place)}" if place else "")
            status = "planned" if match.group("aux") or future else "held"
            ev = self.event(s, "meeting", name, key, (match.start("verb"), match.end()), status, place)
            for p in people:
                ev_evidence = [i for i in self.entities[p].sentences if i != s.index][:1]
                self.claim(p, "ATTENDS", key, s.index, 0.7, "plan to meet", evidence=ev_evidence)
            if code:
                self.claim(key, "HELD_IN", self.country_key(code, s), s.index, 0.7, "meeting place")
            self._confirms(s, key, match.start())
        # Elections.
        for match in _ELECTION.finditer(text):
            winners = self.ms(s, ("Official",), 0, match.start())
            if not winners:
                continue
            winner = self.key_of(s, winners[-1])
            where = match.group("where")
            org = None
            if where:
                for om in self.ms(s, ("Organization",), match.start("where") - 4, match.end("where") + 1):
                    org = om
            name = f"{_surname(self.entities[winner].name)}'s " + (f"{org.name} " if org else "") + "election victory"
            key = f"Event:election:{winner}" + (f"@{normalise(org.name)}" if org else "")
            self.event(s, "election", name, key, (match.start(), match.end()), "held")
            self.claim(winner, "ATTENDS", key, s.index, 0.8, "won election", role="winner")
            if org:
                self.claim(key, "CONCERNS", self.key_of(s, org), s.index, 0.7, "election in body")
        # Visits.
        visits: list[tuple[str, int, int, str, bool]] = []
        for match in _VISIT_NOUN.finditer(text):
            who = [
                m
                for m in self.ms(s, ("Official",))
                if m.start <= match.start("who") < m.end + 1 or (m.end == match.end("who"))
            ]
            if not who:
                continue
            visits.append((self.key_of(s, who[0]), match.start(), match.end(), match.group("where"), False))
        for match in _VISIT_VERB.finditer(text):
            if any(a <= match.start("verb") < b for _, a, b, _, _ in visits):
                continue
            visitor = self.ms(s, ("Official",), 0, match.start())
            key = self.key_of(s, visitor[-1]) if visitor else (subject if _SUBJECT_PRONOUN.match(text) else None)
            if not key:
                continue
            planned = bool(match.group("aux")) or match.group("verb") in ("visit", "travel to", "fly to")
            visits.append((key, match.start("verb"), match.end(), match.group("where"), planned))
        for visitor, start, end, where, planned in visits:
            where = where.rstrip(".")
            code = self.resolve_place(where)
            where_name = lx.country_name(code) if code and country_of(where) else where
            dates = self.dates(s, end, min(len(text), end + 30))
            month = None
            if dates and dates[0].attrs.get("precision") == "month" and dates[0].text.lower().startswith("in "):
                month = dates[0].text.split()[-1]
            place_words = (
                f"the {where_name}" if where_name.startswith(("United", "Netherlands", "Philippines")) else (where_name)
            )
            name = (
                f"{_surname(self.entities[visitor].name)}'s "
                + (f"{month} " if month else "")
                + f"visit to {place_words}"
            )
            key = f"Event:visit:{visitor}@{normalise(where_name)}" + (f"@{month.lower()}" if month else "")
            status = "planned" if planned or future else "held"
            ev = self.event(
                s, "visit", name, key, (start, end), status, where_name, date_span=(end, min(len(text), end + 30))
            )
            self.claim(visitor, "ATTENDS", ev.key, s.index, 0.8, "visit", role="visitor")
            if code:
                self.claim(ev.key, "HELD_IN", self.country_key(code, s), s.index, 0.8, "visit to country")
            meet = re.search(r"\bto\smeet\s(?:with\s)?(?P<who>(?:U\.S\.|U\.K\.|[^,.;])+)", text[end:])
            if meet:
                for p in self.official_from(s, meet.group("who"), end + meet.start("who")):
                    if p != visitor:
                        self.claim(p, "ATTENDS", ev.key, s.index, 0.7, "meets during visit")
        # Announcements.
        for match in _ANNOUNCE.finditer(text):
            speakers = self.ms(s, ("Official",), 0, match.start())
            if not speakers or match.start() - speakers[-1].end > 40:
                continue
            speaker = self.key_of(s, speakers[-1])
            channel = (match.group("channel") or "").strip()
            channel_word = re.sub(r"^(?:on|in\sa|at\sa)\s", "", channel)
            if channel_word.endswith(" post"):
                channel_word = channel_word[:-5]
            about = [m for m in self.ms(s, ("Agreement",), match.end())]
            what = ""
            if about:
                head = about[0].attrs.get("head", "agreement")
                what = (
                    " of the trade agreement"
                    if "trade" in head or "trade" in (about[0].attrs.get("mods") or [])
                    else f" of the {head}"
                )
            if not channel_word and not about:
                continue
            name = (
                f"{_surname(self.entities[speaker].name)}'s "
                + (f"{channel_word} " if channel_word else "")
                + (f"announcement{what}")
            )
            key = f"Event:announcement:{speaker}:{normalise(name)}"
            self.event(
                s,
                "announcement",
                name,
                key,
                (match.start(), match.end()),
                "held",
                channel_word if channel_word == "social media" else None,
            )
            self.claim(speaker, "ATTENDS", key, s.index, 0.8, "announced", role="announcer")
            if self.agreement_focus and about:
                self.claim(key, "CONCERNS", self.agreement_focus, s.index, 0.7, "announcement of agreement")
        # Threats.
        for match in _THREAT.finditer(text):
            issuer = subject
            before = self.ms(s, ("Official",), 0, match.start())
            if before:
                issuer = self.key_of(s, before[-1])
            if not issuer:
                continue
            on = match.group("on")
            who = _surname(self.entities[issuer].name)
            name = f"{who}'s threat to {match.group('verb')} {match.group('what')} on {on}"
            key = f"Event:threat:{issuer}:{normalise(on)}"
            self.event(s, "threat", name, key, (match.start(), match.end()), "held")
            evidence: list[int] = []
            prev = [i for i in self.entities[issuer].sentences if i < s.index]
            if _SUBJECT_PRONOUN.match(text) and prev:
                evidence = [prev[-1]]
            self.claim(issuer, "ATTENDS", key, s.index, 0.8, "threatened", evidence=evidence, role="issuer")
            for sm in self.ms(s, ("Sector",), match.start("on"), match.end("on")):
                self.claim(key, "CONCERNS", self.key_of(s, sm), s.index, 0.7, "threat concerns sector")
            targets = self.countries_in(s, match.start("on"), match.end("on"))
            for t in targets:
                self.claim(key, "CONCERNS", t, s.index, 0.8, "threat concerns country")
                codes = {self.entities[t].iso3}
                for parties, agreement in self.agreements_by_parties.items():
                    if codes <= parties:
                        mentioned = [i for i in self.entities[agreement].sentences if i < s.index]
                        self.claim(
                            key,
                            "CONCERNS",
                            agreement,
                            s.index,
                            0.5,
                            "threat concerns agreement",
                            evidence=mentioned[-1:],
                        )
        # Concessions and agreements announced in the same sentence.
        for key in self.events_by_sentence.get(s.index, []):
            if self.entities[key].props.get("kind") == "announcement":
                for concession, _ in self.concessions:
                    if s.index in self.entities[concession].sentences:
                        self.claim(key, "CONCERNS", concession, s.index, 0.7, "announcement of concession")

    def _confirms(self, s: Sentence, event_key: str, event_start: int) -> None:
        match = _CONFIRM.search(s.text[:event_start])
        if not match:
            return
        speakers = self.ms(s, ("Organization", "Official"), 0, match.start())
        if speakers:
            self.claim(self.key_of(s, speakers[-1]), "CONFIRMS", event_key, s.index, 0.8, "confirmed that")

    # -- rivalry, sector lists -----------------------------------------------------------------

    def rivalry(self, s: Sentence) -> None:
        for rx in (_COMPETITOR, _COMPETES):
            for match in rx.finditer(s.text):
                a, b = country_of(match.group("a")), country_of(match.group("b"))
                if not a or not b or a == b:
                    continue
                sector = match.group("sector")
                self.claim(
                    self.country_key(a, s),
                    "COMPETES_WITH",
                    self.country_key(b, s),
                    s.index,
                    0.8,
                    "competitor of",
                    sector=sector,
                )

    def sector_investments(self, s: Sentence) -> None:
        """'The framework includes investments in energy, AI and critical minerals': the projects in
        focus belong to those sectors."""
        match = _INVESTMENTS_IN.search(s.text)
        if not match or self.ms(s, ("Project",)):
            return
        if not self.projects_last or s.index - self.projects_last[0] > 2:
            return
        target = self.projects_last[1][-1]
        end = re.search(r"[;.]|,\s(?:involving|including|with|which|while)\b", s.text[match.end() :])
        stop = match.end() + (end.start() if end else len(s.text))
        for sm in self.ms(s, ("Sector",), match.end(), stop):
            self.claim(
                target,
                "IN_SECTOR",
                self.key_of(s, sm),
                s.index,
                0.5,
                "investments in sectors",
                evidence=[self.projects_last[0]],
            )

    # -- whole-article inferences ----------------------------------------------------------------

    def finish(self) -> None:
        # A vehicle that "funds projects" funds the projects the article names.
        if self.vehicle_focus and self.funded_by_sentence is not None:
            for ent in list(self.entities.values()):
                if ent.label == "Project":
                    first = ent.sentences[0]
                    self.claim(
                        self.vehicle_focus,
                        "FUNDS",
                        ent.key,
                        first,
                        0.5,
                        "projects funded by vehicle",
                        evidence=[self.funded_by_sentence],
                    )
        # A vehicle whose size matches an investment commitment carries it out.
        if self.vehicle_focus:
            vehicle = self.entities[self.vehicle_focus]
            amount = vehicle.props.get("amount_usd")
            for key, sentence in self.investment_commitments:
                if amount and self.entities[key].props.get("amount_usd") == amount:
                    self.claim(
                        self.vehicle_focus,
                        "FULFILS",
                        key,
                        sentence,
                        0.6,
                        "vehicle matches commitment",
                        evidence=vehicle.sentences[:1],
                    )
        # Negotiations over "a final agreement" concern what is being finalised: the projects under
        # review and the vehicle that would fund them.
        for key, sentence in self.negotiations:
            text = self.sentences[sentence].text
            if not re.search(r"\b(?:final\sagreement|decision|deal|outcome)\b", text):
                continue
            for review, review_sentence in self.review_events:
                for claim in [c for c in self.claims if c.subject == review and c.relation == "CONCERNS"]:
                    self.claim(
                        key,
                        "CONCERNS",
                        claim.object,
                        sentence,
                        0.4,
                        "negotiation over projects under review",
                        evidence=[review_sentence, *claim.evidence],
                    )
