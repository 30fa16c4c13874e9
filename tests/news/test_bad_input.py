"""Bad input gets a clear error and writes nothing: empty, binary, oversized, no recognisable content."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from loaders.news.pipeline import MAX_BYTES, IngestError, analyse, read_text

runner = CliRunner()

CASES = {
    "empty": (b"", "empty input", 400),
    "blank": (b"  \n\t\n", "empty input", 400),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary input", 400),
    "latin-1": ("Caf\u00e9 d\u00e9j\u00e0 vu".encode("latin-1"), "binary input", 400),
    "too large": (b"a" * (MAX_BYTES + 1), "limit", 413),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_text_refuses(name: str) -> None:
    data, message, status = CASES[name]
    with pytest.raises(IngestError) as info:
        read_text(data)
    assert message in str(info.value)
    assert info.value.status == status


@pytest.mark.parametrize(
    "text",
    [
        "1. 2. 3.",
        "Most Discussed\n  1. 1\n    \u00a0\n  2. 2\n",
        "Disclaimer: Investing carries risk. This is not financial advice. Do their own research.",
        "the quick brown fox jumps over the lazy dog again and again today",
    ],
)
def test_no_recognisable_content(text: str) -> None:
    with pytest.raises(IngestError) as info:
        analyse(read_text(text.encode()), None)
    assert info.value.status == 422
    assert "no recognisable" in str(info.value)


@pytest.mark.parametrize("name", ["empty", "binary", "too large"])
def test_cli_exits_1_with_one_line_and_writes_nothing(tmp_path: Path, name: str) -> None:
    data, message, _ = CASES[name]
    article = tmp_path / "article.txt"
    article.write_bytes(data)
    store_dir = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(article), "--store", "embedded", "--data-dir", str(store_dir)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not store_dir.exists() or not any(store_dir.iterdir())


def test_cli_reads_standard_input_and_refuses_no_content(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "-", "--data-dir", str(tmp_path)], input="1. 2. 3.\n")
    assert result.exit_code == 1
    assert "no recognisable" in result.output


def test_cli_missing_file_and_bad_date(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "no such file" in result.output
    article = tmp_path / "a.txt"
    article.write_text("Japan and the United States agreed on a trade deal on Thursday.")
    result = runner.invoke(app, ["ingest", str(article), "--published", "yesterday", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "--published" in result.output
