"""`dealgraph ask ...` through typer's CliRunner, on the fixture dataset and the seed."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.embedded import EmbeddedStore
from tests.questions.conftest import load_deals
from tests.questions.names import ACCORD, FACILITY, INVEST, KESTREL, RULE, SOFTBANK, TEXTILE

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli-deals")
    load_deals(EmbeddedStore(path))
    return str(path)


def ask(data_dir: str, *args: str):
    return runner.invoke(app, ["ask", *args, "--data-dir", data_dir, "--store", "embedded"], env={"COLUMNS": "200"})


def test_dependencies_table_and_json(data_dir) -> None:
    table = ask(data_dir, "dependencies", "--company", KESTREL)
    assert table.exit_code == 0, table.output
    assert "3 dependencies (2 company-concession pairs)" in table.output
    assert "-EXPORTS-> Automobiles" in table.output and "<-CONDITIONAL_ON- Auto tariff cut" in table.output
    as_json = json.loads(ask(data_dir, "dependencies", "--company", KESTREL, "--json").stdout)
    assert as_json["total"] == 3
    assert as_json["dependencies"][0]["chain"][0]["from"]["id"] == KESTREL


def test_dependencies_quotes(data_dir) -> None:
    result = ask(data_dir, "dependencies", "--company", KESTREL, "--kind", "exposure", "--quotes")
    assert '"Kestrel Motors, based in Japan, exports cars to the United States."' in result.output


def test_deadlines_for_a_selection_on_17_february_on_the_seed(tmp_path) -> None:
    result = ask(str(tmp_path), "deadlines", "--selected-on", "2026-02-17", "--calendar", "US", "--as-of", "2026-03-02")
    assert result.exit_code == 0, result.output
    assert "empty store: loaded the bundled dataset" in result.output
    assert "2026-04-21" in result.output and "due" in result.output
    assert "Washington's Birthday (Mon 2026-02-16) falls before day 0" in result.output
    deps = ask(str(tmp_path), "dependencies", "--company", SOFTBANK, "--json")
    assert json.loads(deps.stdout)["pairs"] == 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["what-if", "--breach", INVEST], "Concessions that fall"),
        (["what-if", "--revoke", TEXTILE, "--as-of", "2025-06-01"], "Saigon Weave"),
        (["deadlines", "--as-of", "2026-03-01", "--commitment", RULE], "disputed"),
        (["deadlines", "--as-of", "2026-03-01", "--limit", "2", "--offset", "1"], "showing rows 2-3 of 6"),
        (["diff", "--from", "2025-12-15", "--to", "2026-01-15"], "Removed (5)"),
        (["diff", "--breach", INVEST, "--as-of", "2026-03-01"], "breached"),
        (["path", KESTREL, "JPN", "--max-hops", "3"], "5 chain(s)"),
        (["path", KESTREL, "JPN", "--directed", "--quotes"], "Kestrel Motors -BASED_IN-> Japan"),
        (["conflicts"], "calendar_days"),
        (["ledger", "--agreement", ACCORD], "Conditions"),
        (["ledger", "--vehicle", FACILITY], "Unallocated"),
        (["critical", "--limit", "3"], "Critical nodes"),
    ],
)
def test_every_command_prints_a_table_and_json(data_dir, args, expected) -> None:
    result = ask(data_dir, *args)
    assert result.exit_code == 0, result.output
    assert expected in result.output
    as_json = ask(data_dir, *args, "--json")
    assert as_json.exit_code == 0, as_json.output
    assert isinstance(json.loads(as_json.stdout), dict)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["dependencies", "--company", "company:kestrel"],
            "--company: no Company with id 'company:kestrel'; did you mean company:kestrel-motors?",
        ),
        (["dependencies", "--as-of", "2026-13-01"], "--as-of: '2026-13-01' is not a date"),
        (["dependencies", "--kind", "both"], "--kind"),
        (["what-if"], "give exactly one of --revoke and --breach"),
        (["deadlines", "--calendar", "ZZ"], "--calendar: unknown holiday calendar"),
        (["diff", "--from", "2025-01-01"], "give --from and --to"),
        (["ledger"], "give exactly one of --agreement and --vehicle"),
        (["path", "JPN", "company:nobody"], "--target: no entity with id"),
    ],
)
def test_errors_are_one_line_and_exit_1(data_dir, args, message) -> None:
    result = ask(data_dir, *args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert message in " ".join(result.output.split())
