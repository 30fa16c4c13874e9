"""Step 6: resolution: match the article's entities to the store, propose ids for the rest,
and find where the article contradicts what the store holds.

Names resolve through the gazetteer (names and aliases; an official's surname alone; a
company without its legal suffix; "U.S." = "United States"). Entities the article only
describes resolve through the graph around them: an agreement by its parties, a tariff
concession by the agreement that grants it and its measure or rates, a commitment by the
country that makes it and its kind, an investment vehicle by the country that set it up or
its size, an event by its kind and the officials who take part, a project by the words of
its description.

Nothing here writes. A contradiction is reported as a conflict; the records step emits the
article's value and graph/model.py's merge keeps it beside the stored one as a Claim.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from graph.ids import node_id, normalise
from graph.model import LIFECYCLE_KEYS, PROSE_KEYS, Node
from graph.store import GraphStore
from loaders.news import lexicon as lx
from loaders.news.claims import Claim, DocEntity
from loaders.news.mentions import Gazetteer, strip_company_suffix

_STOP = {"the", "a", "an", "of", "in", "on", "for", "to", "and", "s", "with", "within", "by", "from", "at"}
_COMPARABLE_SKIP = {"name", "aliases", "disputed", "candidate", "reported_on", *LIFECYCLE_KEYS, *PROSE_KEYS}


def _words(text: str) -> set[str]:
    out = set()
    for w in normalise(text).split():
        if w in _STOP:
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") else w)
    return out


def similarity(a: str, b: str) -> float:
    """How much two descriptions share: overlap of content words over the shorter one.

    >>> similarity("Synthetic diamond project", "Synthetic diamond project for semiconductor applications")
    1.0
    >>> round(similarity("Trump's visit to Japan", "Takaichi's visit to the United States"), 2)
    0.33
    """
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


@dataclass
class Resolution:
    id: str
    known: bool  # already in the store
    status: str  # known | candidate
    stored: Node | None = None
    how: str = ""


@dataclass
class Conflict:
    entity: str  # DocEntity key
    id: str
    property: str
    stored: Any
    article: Any
    sentence: int | None


@dataclass
class ResolveResult:
    resolutions: dict[str, Resolution] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)


def _natural_key(ent: DocEntity) -> str:
    if ent.label == "Country":
        return ent.iso3 or ent.name
    return ent.name


def _strong(ent: DocEntity, claims: list[Claim]) -> bool:
    """Strong evidence: a pattern that names it unambiguously (a country, a titled full name, a legal
    suffix, a ministry), or several sentences and a confident claim."""
    if ent.strong and (ent.label != "Official" or len(ent.name.split()) >= 2):
        return True
    confident = any(c.confidence >= 0.8 and ent.key in (c.subject, c.object) for c in claims)
    return len(ent.sentences) >= 2 and confident


class Resolver:
    def __init__(self, store: GraphStore | None, gazetteer: Gazetteer | None) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self._rel_cache: dict[tuple[str, str], list] = {}

    def _node(self, node_id: str) -> Node | None:
        return self.store.get_node(node_id) if self.store else None

    def _rels(self, node_id: str, rel_type: str):
        key = (node_id, rel_type)
        if key not in self._rel_cache:
            self._rel_cache[key] = self.store.relationships_of([node_id], [rel_type]) if self.store else []
        return self._rel_cache[key]

    def _by_name(self, ent: DocEntity) -> str | None:
        if not self.gazetteer:
            return None
        forms = [ent.name, *ent.aliases]
        if ent.label == "Company":
            forms += [strip_company_suffix(f) for f in forms]
        for form in forms:
            for entry, _ in self.gazetteer.index.get(normalise(form), []):
                if entry.label == ent.label:
                    return entry.id
            if ent.label == "Sector":
                for entry, _ in self.gazetteer.index.get(normalise(form).rstrip("s"), []):
                    if entry.label == "Sector":
                        return entry.id
        return None

    def resolve(self, entities: dict[str, DocEntity], claims: list[Claim]) -> ResolveResult:
        result = ResolveResult()
        res = result.resolutions
        order = [
            "Country",
            "Official",
            "Organization",
            "Company",
            "Sector",
            "Agreement",
            "InvestmentVehicle",
            "TariffConcession",
            "Commitment",
            "Project",
            "Event",
        ]
        ents = sorted(entities.values(), key=lambda e: (order.index(e.label) if e.label in order else 99, e.key))
        taken: set[str] = set()
        for ent in ents:
            found, how = None, ""
            if ent.known_id and self._node(ent.known_id):
                found, how = ent.known_id, "name or alias"
            elif ent.label == "Country" and ent.iso3 and self._node(ent.iso3):
                found, how = ent.iso3, "country code"
            else:
                found = self._by_name(ent)
                how = "name or alias" if found else ""
                if not found and self.store:
                    found, how = self._by_context(ent, entities, claims, res)
            if found and found in taken and ent.label not in ("Country",):
                found = None
            if found:
                taken.add(found)
                res[ent.key] = Resolution(found, True, "known", self._node(found), how)
            else:
                nid = node_id(ent.label, _natural_key(ent))
                status = "known" if _strong(ent, claims) else "candidate"
                res[ent.key] = Resolution(nid, False, status, None, "proposed")
        result.conflicts = self.conflicts(entities, res)
        return result

    # -- resolution through the surrounding graph -----------------------------------------------

    def _linked(
        self, claims: list[Claim], res: dict[str, Resolution], relation: str, obj_key: str, subject_side: bool = True
    ) -> list[str]:
        """Resolved ids of the entities linked to `obj_key` by `relation` in the article's claims."""
        out = []
        for c in claims:
            if c.relation != relation:
                continue
            other = (
                c.subject
                if subject_side and c.object == obj_key
                else c.object
                if (not subject_side and c.subject == obj_key)
                else None
            )
            if other and other in res and res[other].known:
                out.append(res[other].id)
        return out

    def _by_context(
        self, ent: DocEntity, entities: dict[str, DocEntity], claims: list[Claim], res: dict[str, Resolution]
    ) -> tuple[str | None, str]:
        label = ent.label
        if label == "Official" and self.gazetteer:
            surname = normalise(lx.family_name(ent.name))
            hits = [e for e, _ in self.gazetteer.index.get(surname, []) if e.label == "Official"]
            if len(hits) == 1:
                return hits[0].id, "surname"
        if label == "Agreement":
            parties = set(self._linked(claims, res, "PARTY_TO", ent.key))
            if len(parties) >= 2:
                found = []
                for party in parties:
                    ids = {r.end for r in self._rels(party, "PARTY_TO")}
                    found.append(ids)
                common = set.intersection(*found) if found else set()
                if len(common) == 1:
                    return common.pop(), "parties"
        if label == "InvestmentVehicle":
            makers = self._linked(claims, res, "ESTABLISHES", ent.key)
            options = {r.end for m in makers for r in self._rels(m, "ESTABLISHES")}
            if len(options) == 1:
                return options.pop(), "established by"
            if ent.props.get("amount_usd") and self.store:
                for node in self._candidates("InvestmentVehicle"):
                    if node.props.get("amount_usd") == ent.props["amount_usd"]:
                        return node.id, "amount"
        if label == "TariffConcession":
            grantors = self._linked(claims, res, "GRANTS", ent.key)
            options = [self._node(r.end) for g in grantors for r in self._rels(g, "GRANTS")]
            options = [o for o in options if o is not None]
            best = self._pick(ent, options, ("measure", "rate_before_pct", "rate_after_pct"))
            if best:
                return best, "granted by the same agreement"
        if label == "Commitment":
            makers = self._linked(claims, res, "MAKES", ent.key)
            options = [self._node(r.end) for m in makers for r in self._rels(m, "MAKES")]
            options = [o for o in options if o is not None and o.props.get("kind") == ent.props.get("kind")]
            if len(options) == 1:
                return options[0].id, "made by the same country, same kind"
            best = self._pick(ent, options, ("amount_usd", "deadline_trigger", "deadline_action"))
            if best:
                return best, "made by the same country"
        if label == "Project":
            scored = [(similarity(ent.name, n.props.get("name", "")), n.id) for n in self._candidates("Project")]
            scored = [s for s in scored if s[0] >= 0.6]
            if scored:
                scored.sort(reverse=True)
                if len(scored) == 1 or scored[0][0] > scored[1][0]:
                    return scored[0][1], "description"
        if label == "Event":
            people = set(self._linked(claims, res, "ATTENDS", ent.key))
            options = []
            for node in self._candidates("Event"):
                if node.props.get("kind") != ent.props.get("kind"):
                    continue
                attendees = {r.start for r in self._rels(node.id, "ATTENDS")}
                overlap = len(people & attendees)
                score = similarity(ent.name, node.props.get("name", ""))
                if overlap or score >= 0.75:
                    options.append((overlap, score, node.id))
            if options:
                options.sort(reverse=True)
                if len(options) == 1 or options[0][:2] > options[1][:2]:
                    return options[0][2], "kind and participants"
        if label == "Sector" and self.store:
            for node in self._candidates("Sector"):
                if _words(node.props.get("name", "")) == _words(ent.name):
                    return node.id, "name"
        return None, ""

    def _candidates(self, label: str) -> list[Node]:
        if not self.store:
            return []
        nodes, _ = self.store.list_nodes(label, limit=10_000)
        return nodes

    def _pick(self, ent: DocEntity, options: list[Node], keys: tuple[str, ...]) -> str | None:
        if not options:
            return None
        if len(options) == 1:
            return options[0].id
        scored = []
        for node in options:
            score = sum(1 for k in keys if k in ent.props and node.props.get(k) == ent.props[k])
            score += similarity(ent.name, node.props.get("name", ""))
            scored.append((score, node.id))
        scored.sort(reverse=True)
        if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
        return None

    # -- conflicts -------------------------------------------------------------------------------

    def conflicts(self, entities: dict[str, DocEntity], res: dict[str, Resolution]) -> list[Conflict]:
        out = []
        for key, ent in entities.items():
            r = res.get(key)
            if not r or not r.stored:
                continue
            stored = r.stored.props
            if ent.label == "Official":
                known_names = {normalise(stored.get("name", ""))} | {normalise(a) for a in stored.get("aliases", [])}
                for full in ent.full_names:
                    if normalise(full) not in known_names:
                        out.append(Conflict(key, r.id, "name", stored.get("name"), full, _sentence_of(ent, full)))
                        break
            for prop, value in ent.props.items():
                if prop in _COMPARABLE_SKIP or value is None:
                    continue
                current = stored.get(prop)
                if current is None:
                    continue
                if isinstance(current, float) and isinstance(value, (int, float)) and float(value) == current:
                    continue
                if isinstance(current, dt.date) and isinstance(value, dt.date) and current == value:
                    continue
                if current != value and not _same_text(current, value):
                    out.append(Conflict(key, r.id, prop, current, value, ent.sentences[0] if ent.sentences else None))
        return out


def _same_text(a: Any, b: Any) -> bool:
    """Two wordings of one value: equal after normalising, or one a fuller wording of the other
    ("reciprocal tariff" and "reciprocal tariff on Japanese goods")."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    na, nb = normalise(a), normalise(b)
    return na == nb or f" {na} " in f" {nb} " or f" {nb} " in f" {na} "


def _sentence_of(ent: DocEntity, _: str) -> int | None:
    return ent.sentences[0] if ent.sentences else None


def name_for_record(ent: DocEntity, r: Resolution, conflicts: list[Conflict]) -> str:
    """The name written for an entity: the stored one for known entities, except an official whose
    full name the article gives differently (then the article's, which the merge keeps as a Claim)."""
    if r.stored is None:
        return ent.name
    for c in conflicts:
        if c.entity == ent.key and c.property == "name":
            return str(c.article)
    return r.stored.props.get("name", ent.name)


_ = re
