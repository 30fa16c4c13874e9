"""Schemathesis on the question routes only (valid and invalid requests): no 5xx, every
response within its documented schema, invalid requests refused. tests/test_fuzz.py runs
the whole API; this keeps the questions covered on their own, on the fixture dataset."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from api.settings import Settings
from graph.embedded import EmbeddedStore
from tests.conftest import LiveServer
from tests.questions.conftest import load_deals

EXAMPLES_PER_OPERATION = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("fuzz-deals")
    load_deals(EmbeddedStore(data_dir))
    with LiveServer(Settings(data_dir=data_dir, store="embedded")) as live:
        yield live


def test_question_routes_answer_generated_requests_within_their_schema(server: LiveServer) -> None:
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    sent = 0
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/questions/"):
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def run(case) -> None:
                nonlocal sent
                sent += 1
                case.call_and_validate()

            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE
    assert operations == 9
    assert sent >= 400
