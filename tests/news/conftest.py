"""Fixtures for the article loader's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_TEXT = Path(__file__).resolve().parents[2] / "loaders" / "data" / "sources" / "000_0de8b12887b33d2a.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")
