"""Measure the article loader: against the curated seed dataset, and against hand-written
gold files (tests/news/eval/*.txt + *.yaml). `python -m loaders.news.evaluate` prints both.

Matching rules (the same for every article):
- an entity matches when the labels agree and the names do: equal after normalising, one is
  an alias of the other, or they share at least 80% of their content words (so "Lutnick-Akazawa
  meeting" matches "Lutnick-Akazawa meeting in Washington");
- a claim matches when its relation is the same, its two ends match, and one of the sentences
  it cites (its quote or its evidence) overlaps a quote the gold cites, or contains it;
- a quantity matches when its kind and its text (case-folded) are the same.
Each gold item is matched at most once.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.ids import normalise
from loaders.dataset import BUNDLED_DATASET, parse_dataset
from loaders.news.pipeline import Analysis, analyse, read_text
from loaders.news.quantities import find_quantities
from loaders.news.resolve import similarity

EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "news" / "eval"
SEED_TEXT = Path(__file__).resolve().parents[1] / "data" / "sources" / "000_0de8b12887b33d2a.txt"
MENTION_LABELS = ("Country", "Official", "Organization", "Company", "Sector", "Project", "InvestmentVehicle")


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.found += other.found
        self.correct += other.correct
        self.missed += other.missed
        self.spurious += other.spurious


def names_match(a: str, b: str, aliases: tuple[str, ...] = ()) -> bool:
    """Whether two names denote the same thing (see the module docstring).

    >>> names_match("Lutnick-Akazawa meeting", "Lutnick-Akazawa meeting in Washington")
    True
    >>> names_match("Trump's visit to Japan", "Takaichi's visit to the United States")
    False
    """
    na = normalise(a)
    if na == normalise(b) or any(na == normalise(x) for x in aliases):
        return True
    return any(similarity(a, x) >= 0.8 for x in (b, *aliases))


def _entity_names(analysis: Analysis) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    out = {}
    for key, ent in analysis.entities.items():
        r = analysis.resolutions[key]
        name = r.stored.props.get("name", ent.name) if r.stored else ent.name
        aliases = tuple(ent.aliases) + ((ent.name,) if name != ent.name else ())
        out[key] = (ent.label, name, aliases)
    return out


def _match_entities(analysis: Analysis, gold: list[tuple[str, str, tuple[str, ...]]]) -> dict[int, str]:
    """Gold index -> analysis entity key, one to one, exact names first."""
    mine = _entity_names(analysis)
    pairs: dict[int, str] = {}
    used: set[str] = set()
    for exact in (True, False):
        for i, (label, name, aliases) in enumerate(gold):
            if i in pairs:
                continue
            for key, (mlabel, mname, maliases) in mine.items():
                if key in used or mlabel != label:
                    continue
                ok = (
                    (
                        normalise(mname) == normalise(name)
                        or normalise(mname) in {normalise(a) for a in aliases}
                        or normalise(name) in {normalise(a) for a in maliases}
                    )
                    if exact
                    else names_match(mname, name, aliases) or any(names_match(m, name, aliases) for m in maliases)
                )
                if ok:
                    pairs[i] = key
                    used.add(key)
                    break
    return pairs


def _claim_spans(analysis: Analysis, claim) -> list[tuple[int, int]]:
    return [
        (analysis.sentences[i].orig_start, analysis.sentences[i].orig_end) for i in [claim.sentence, *claim.evidence]
    ]


def _quote_ok(spans: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> bool:
    return any(a < d and c < b for a, b in spans for c, d in quotes)


def score_claims(
    analysis: Analysis, gold_entities: list[tuple[str, str, tuple[str, ...]]], gold_claims: list[dict[str, Any]]
) -> Score:
    """gold_claims: {relation, subject: gold index, object: gold index, quotes: [(start, end)]}."""
    pairs = _match_entities(analysis, gold_entities)
    score = Score(expected=len(gold_claims), found=len(analysis.claims))
    matched_mine: set[int] = set()
    for g in gold_claims:
        subject, obj = pairs.get(g["subject"]), pairs.get(g["object"])
        hit = None
        if subject and obj:
            for j, c in enumerate(analysis.claims):
                if j in matched_mine or c.relation != g["relation"] or c.subject != subject or c.object != obj:
                    continue
                if not g["quotes"] or _quote_ok(_claim_spans(analysis, c), g["quotes"]):
                    hit = j
                    break
        if hit is None:
            s_name = gold_entities[g["subject"]][1]
            o_name = gold_entities[g["object"]][1]
            score.missed.append(f"{s_name} {g['relation']} {o_name}")
        else:
            matched_mine.add(hit)
            score.correct += 1
    names = _entity_names(analysis)
    for j, c in enumerate(analysis.claims):
        if j not in matched_mine:
            score.spurious.append(f"{names[c.subject][1]} {c.relation} {names[c.object][1]}")
    return score


def score_entities(
    analysis: Analysis, gold_entities: list[tuple[str, str, tuple[str, ...]]], labels: tuple[str, ...] | None = None
) -> Score:
    gold = [(i, g) for i, g in enumerate(gold_entities) if labels is None or g[0] in labels]
    pairs = _match_entities(analysis, [g for _, g in gold])
    mine = [k for k, e in analysis.entities.items() if labels is None or e.label in labels]
    score = Score(expected=len(gold), found=len(mine), correct=len(pairs))
    score.missed = [f"{g[0]}/{g[1]}" for i, (_, g) in enumerate(gold) if i not in pairs]
    used = set(pairs.values())
    score.spurious = [f"{analysis.entities[k].label}/{analysis.entities[k].name}" for k in mine if k not in used]
    return score


# -- the seed dataset ---------------------------------------------------------------------------


def seed_report(store=None) -> dict[str, Score]:
    """Entities and facts of the bundled dataset that the loader recovers from the seed article,
    starting from `store` (None: an empty store)."""
    dataset = parse_dataset(BUNDLED_DATASET)
    analysis = analyse(read_text(SEED_TEXT.read_bytes()), store)
    index: dict[str, int] = {}
    gold_entities: list[tuple[str, str, tuple[str, ...]]] = []
    for node in dataset.nodes:
        if node.label == "Source":
            continue
        index[node.id] = len(gold_entities)
        gold_entities.append((node.label, node.props["name"], tuple(node.props.get("aliases", []))))
    gold_claims = [
        {
            "relation": r.type,
            "subject": index[r.start],
            "object": index[r.end],
            "quotes": [(c.start, c.end) for c in r.citations],
        }
        for r in dataset.relationships
    ]
    return {
        "entities": score_entities(analysis, gold_entities),
        "claims": score_claims(analysis, gold_entities, gold_claims),
    }


# -- the hand-written evaluation set -------------------------------------------------------------


def load_gold(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def eval_article(text_path: Path) -> dict[str, Score]:
    gold = load_gold(text_path.with_suffix(".yaml"))
    text = read_text(text_path.read_bytes())
    published = gold.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    analysis = analyse(text, None, published=published)
    entities = [(e["label"], e["name"], tuple(e.get("aliases", []))) for e in gold.get("entities", [])]
    by_name = {normalise(e[1]): i for i, e in enumerate(entities)}
    claims = []
    for c in gold.get("claims", []):
        quotes = []
        if c.get("quote"):
            start = text.find(c["quote"])
            if start < 0:
                raise ValueError(f"{text_path}: quote not in the text: {c['quote']!r}")
            quotes.append((start, start + len(c["quote"])))
        try:
            claims.append(
                {
                    "relation": c["relation"],
                    "subject": by_name[normalise(c["subject"])],
                    "object": by_name[normalise(c["object"])],
                    "quotes": quotes,
                }
            )
        except KeyError as exc:
            raise ValueError(f"{text_path}: claim names an entity not listed: {exc}") from None
    # Quantities: everything the finder reports over the article's sentences.
    found = []
    for s in analysis.sentences:
        for q in find_quantities(s.text, published):
            found.append((q.kind, q.text.lower()))
    expected = [(q["kind"], str(q["text"]).lower()) for q in gold.get("quantities", [])]
    qscore = Score(expected=len(expected), found=len(found))
    pool = list(found)
    for item in expected:
        if item in pool:
            pool.remove(item)
            qscore.correct += 1
        else:
            qscore.missed.append(f"{item[0]}: {item[1]}")
    qscore.spurious = [f"{k}: {t}" for k, t in pool]
    return {
        "mentions": score_entities(analysis, entities, MENTION_LABELS),
        "entities": score_entities(analysis, entities),
        "quantities": qscore,
        "claims": score_claims(analysis, entities, claims),
    }


def eval_set(directory: Path = EVAL_DIR) -> tuple[dict[str, dict[str, Score]], dict[str, Score]]:
    per_article: dict[str, dict[str, Score]] = {}
    total: dict[str, Score] = {}
    for text_path in sorted(directory.glob("*.txt")):
        scores = eval_article(text_path)
        per_article[text_path.stem] = scores
        for step, score in scores.items():
            total.setdefault(step, Score()).add(score)
    return per_article, total


def _row(name: str, score: Score) -> str:
    return (
        f"| {name} | {score.expected} | {score.found} | {score.correct} | {score.precision:.2f} | {score.recall:.2f} |"
    )


def main(argv: list[str] | None = None) -> int:
    verbose = "-v" in (argv or sys.argv[1:])
    print("## Seed article (empty store)\n")
    print("| step | expected | found | correct | precision | recall |\n|---|---|---|---|---|---|")
    seed = seed_report()
    for step, score in seed.items():
        print(_row(step, score))
    if verbose:
        for step, score in seed.items():
            for item in score.missed:
                print(f"  missed {step}: {item}")
    per_article, total = eval_set()
    print(f"\n## Evaluation set ({len(per_article)} articles)\n")
    print("| article | step | expected | found | correct | precision | recall |\n|---|---|---|---|---|---|---|")
    for article, scores in per_article.items():
        for step, score in scores.items():
            print(f"| {article} " + _row(step, score))
    print("\n| all articles | expected | found | correct | precision | recall |\n|---|---|---|---|---|---|")
    for step, score in total.items():
        print(_row(step, score))
    if verbose:
        for article, scores in per_article.items():
            for step, score in scores.items():
                for item in score.missed:
                    print(f"  {article} missed {step}: {item}")
                for item in score.spurious:
                    print(f"  {article} spurious {step}: {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
