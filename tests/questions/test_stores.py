"""The seed answers on each store (`any_store`: embedded, and Neo4j under -m neo4j)."""

from __future__ import annotations

import datetime as dt

from graph.questions import ask
from loaders.dataset import load_dataset
from tests.questions.names import POTENTIAL, SEED_RECIP, SEED_RULE, SOFTBANK, TOSHIBA, WESTINGHOUSE


def test_seed_questions_on_each_store(any_store) -> None:
    load_dataset(any_store)
    deps = ask.dependencies(any_store, concession=SEED_RECIP)
    assert {d.company.id for d in deps.dependencies} == {SOFTBANK, TOSHIBA, WESTINGHOUSE}
    assert {d.kind for d in deps.dependencies} == {"fulfilment"}
    for company in (WESTINGHOUSE, TOSHIBA):
        assert {d.via[0].id for d in deps.dependencies if d.company.id == company} == {POTENTIAL}
    lost = ask.what_if(any_store, breach=SEED_RULE).concessions
    assert [(c.rate_now_pct, c.returns_to_pct) for c in lost if c.concession.id == SEED_RECIP] == [(15.0, 25.0)]
    (d,) = ask.deadlines(
        any_store, as_of=dt.date(2026, 3, 2), calendar="US", selected_on=dt.date(2026, 2, 17)
    ).deadlines
    assert d.due_on == dt.date(2026, 4, 21)
