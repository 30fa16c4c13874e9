"""The docs name every route, CLI command, setting, label and relationship type (datasette's habit)."""

from __future__ import annotations

from pathlib import Path

import click
import typer.main

from api.app import create_app
from api.cli import app as cli_app
from api.settings import Settings
from graph.schema import load_schema

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_api_route_is_documented() -> None:
    text = (DOCS / "api.md").read_text()
    routes = list(create_app(Settings(data_dir="/nonexistent")).openapi()["paths"])
    assert routes
    missing = [route for route in routes if f"{route}" not in text]
    assert missing == []


def _commands(group: click.Group, prefix: str) -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_every_cli_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    commands = _commands(typer.main.get_command(cli_app), "dealgraph")
    assert "dealgraph load" in commands
    assert [c for c in commands if f"`{c}" not in text] == []


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    names = [f"DEALGRAPH_{name.upper()}" for name in Settings.model_fields]
    assert [n for n in names if f"`{n}`" not in text] == []


def test_every_label_and_type_is_documented() -> None:
    text = (DOCS / "data-model.md").read_text()
    schema = load_schema()
    assert [n for n in [*schema.labels, *schema.relationships] if f"`{n}`" not in text] == []
