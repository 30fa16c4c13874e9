"""Fixtures for the question tests: the seed and the hand-made fixture dataset, loaded
into embedded stores (and, for the parity tests, into Neo4j)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.questions.projection import QuestionGraph
from loaders.dataset import load_dataset

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEALS = FIXTURES / "deals.yaml"
DEALS_UPDATE = FIXTURES / "deals-update.yaml"


def load_deals(store, update: bool = True):
    load_dataset(store, DEALS)
    if update:
        load_dataset(store, DEALS_UPDATE)
    return store


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("seed"))
    load_dataset(store)
    return store


@pytest.fixture(scope="session")
def seed_graph(seed_store: EmbeddedStore) -> QuestionGraph:
    return QuestionGraph.from_store(seed_store)


@pytest.fixture(scope="session")
def deals_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """deals.yaml, then deals-update.yaml (one Claim, one flagged relationship)."""
    return load_deals(EmbeddedStore(tmp_path_factory.mktemp("deals")))


@pytest.fixture(scope="session")
def deals(deals_store: EmbeddedStore) -> QuestionGraph:
    return QuestionGraph.from_store(deals_store)


@pytest.fixture(scope="session")
def deals_first(tmp_path_factory: pytest.TempPathFactory) -> QuestionGraph:
    """deals.yaml alone: no source disagrees yet."""
    return QuestionGraph.from_store(load_deals(EmbeddedStore(tmp_path_factory.mktemp("deals1")), update=False))
