"""docker-compose.yml and the Dockerfile, checked statically (no Docker engine here)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from graph.neo4j_local import DOCKER_IMAGE, NEO4J_VERSION

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (parts[0].upper(), parts[1] if len(parts) > 1 else "")
        for parts in (line.strip().split(None, 1) for line in joined.splitlines() if line.strip())
    ]


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_neo4j_is_the_pinned_version_of_the_local_server(compose) -> None:
    image = compose["services"]["neo4j"]["image"]
    assert image == DOCKER_IMAGE == f"neo4j:{NEO4J_VERSION}-community"


def test_neo4j_has_a_healthcheck_that_runs_a_query(compose) -> None:
    check = compose["services"]["neo4j"]["healthcheck"]
    test = check["test"]
    command = test if isinstance(test, str) else " ".join(test)
    assert "cypher-shell" in command and "RETURN 1" in command
    assert check["retries"] >= 10 and "interval" in check and "start_period" in check


def test_neo4j_auth_and_data_come_from_outside_the_file(compose) -> None:
    neo4j = compose["services"]["neo4j"]
    auth = _env(neo4j)["NEO4J_AUTH"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", auth), "the password comes from the environment"
    named = [v.split(":")[0] for v in neo4j["volumes"]]
    assert "neo4j-data" in named and "neo4j-data" in compose["volumes"]
    assert any(v.endswith(":/data") for v in neo4j["volumes"])


def test_the_api_waits_for_a_healthy_neo4j_and_points_at_it(compose) -> None:
    api = compose["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["build"] in (".", {"context": "."}) or api["build"].get("context") == "."
    env = _env(api)
    assert env["DEALGRAPH_NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["DEALGRAPH_HOST"] == "0.0.0.0"
    assert env["DEALGRAPH_NEO4J_PASSWORD"] == _env(compose["services"]["neo4j"])["NEO4J_AUTH"].split("/", 1)[1]
    assert re.fullmatch(r"\$\{DEALGRAPH_API_TOKEN:\?[^}]+\}", env["DEALGRAPH_API_TOKEN"]), "the token is required"
    command = api.get("command")
    command = " ".join(command) if isinstance(command, list) else command or ""
    assert "dealgraph serve" in command


def test_the_dockerfile_installs_the_package_from_the_repo_with_pip(dockerfile) -> None:
    instructions = [name for name, _ in dockerfile]
    assert instructions[0] == "FROM" and re.match(r"python:3\.1[1-9]", dict(dockerfile)["FROM"])
    copies = [args for name, args in dockerfile if name == "COPY"]
    assert any(shlex.split(args)[0] == "." for args in copies), "the whole repo is copied in"
    runs = " && ".join(args for name, args in dockerfile if name == "RUN")
    assert re.search(r"\bpip install (--\S+ )*\.(\s|$)", runs), "pip install . (the README's way)"
    cmd = dict(dockerfile)["CMD"]
    assert "dealgraph" in cmd and "serve" in cmd
    assert "USER" in instructions, "the service does not run as root"


def test_the_build_context_leaves_out_the_neo4j_jars_and_data() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".neo4j" in ignored and ".git" in ignored
