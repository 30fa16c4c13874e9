"""A graph view as ONE self-contained interactive HTML file: it opens from disk (file://)
with no server and no network.

Everything is inline: vis-network (the vendored standalone build), the explorer's shared
drawing code and stylesheet, a small viewer script, and the view's data as JSON inside
``<script type="application/json">`` with every ``<`` written as ``\\u003c``, so no name or
quote from an article can close the script element or open a tag. The viewer reads that
JSON with JSON.parse and shows every untrusted string through textContent.

>>> html = render_export({"title": "</script><img src=x onerror=alert(1)>", "nodes": [], "edges": []})
>>> "<img src=x" in html
False
>>> html.count("<script") == html.count("</script>")
True
"""

from __future__ import annotations

import html as htmllib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

STATIC = Path(__file__).resolve().parent / "static"
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


@cache
def _asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _inline_js(code: str) -> str:
    """JavaScript safe inside <script>: a literal `</script` (there is none today) is split."""
    return _SCRIPT_END.sub(r"<\\/\1", code).replace("<!--", "<\\!--")


def json_for_script(data: Any) -> str:
    r"""JSON to embed in a <script type="application/json"> element.

    >>> json_for_script({"name": "<b>&</b>"})
    '{"name":"\\u003cb>&\\u003c/b>"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_export(data: dict[str, Any]) -> str:
    """The HTML file for a view payload (see api/routes/views.py `_export_payload`)."""
    title = htmllib.escape(str(data.get("title") or "dealgraph view"))
    parts = [
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        # No network at all: the file may only use what it carries (and data: images for PNG).
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:\">\n",
        f"<title>{title}</title>\n<style>\n",
        _asset("explorer.css"),
        '\n</style>\n</head>\n<body class="export">\n',
        _asset("export-body.html"),
        '\n<script type="application/json" id="dealgraph-data">',
        json_for_script(data),
        "</script>\n<script>\n",
        _inline_js(_asset("vendor/vis-network.min.js")),
        "\n</script>\n<script>\n",
        _inline_js(_asset("common.js")),
        "\n</script>\n<script>\n",
        _inline_js(_asset("export-viewer.js")),
        "\n</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)
