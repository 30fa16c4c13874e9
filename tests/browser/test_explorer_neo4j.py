"""The explorer on Neo4j: it draws from the Neo4j store, and the Cypher console shows a
query's answer as a table and lights its nodes and relationships up in the graph."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_explorer, require_route

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]


def test_cypher_console_draws_and_tabulates_on_neo4j(page, neo4j_server) -> None:
    p = page.page
    open_explorer(p, neo4j_server.url)
    assert p.text_content("#store-badge") == "neo4j store"
    total = p.evaluate("() => fetch('/api/stats').then(r => r.json()).then(s => s.nodes)")
    assert p.evaluate("() => nodes.length") == total > 30
    require_route(p, "/api/cypher")
    p.click("#tabs button[data-tab=cypher]")
    assert not p.is_disabled("#pane-cypher textarea")
    p.fill("#pane-cypher textarea", "MATCH (c:Company)-[r:LEADS]->(p:Project) RETURN c.name AS company, c, r, p")
    p.click("#pane-cypher button")
    p.wait_for_selector("#pane-cypher table.cypher-table tbody tr", timeout=20_000)
    headers = p.evaluate("() => [...document.querySelectorAll('#pane-cypher th')].map(th => th.textContent)")
    assert headers == ["company", "c", "r", "p"]
    assert p.text_content("#pane-cypher tbody td") == "SoftBank Group"
    lit = set(p.evaluate("() => nodes.get({filter: n => n.dgHighlight}).map(n => n.id)"))
    assert {"company:softbank-group", "project:data-center-infrastructure-initiative"} <= lit
    assert p.evaluate("() => edges.get({filter: e => e.dgHighlight}).length") == 1
    # A write is refused by the endpoint, and the console says so.
    p.fill("#pane-cypher textarea", "CREATE (n:Company {name: 'x'})")
    p.click("#pane-cypher button")
    p.wait_for_selector("#pane-cypher .answer .error", timeout=20_000)
    assert "read-only" in p.text_content("#pane-cypher .answer .error")
    # Chromium logs every 4xx answer; this 403 is the refusal the test asked for.
    refused = "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    assert page.errors.count(refused) == 1
    page.errors.remove(refused)
    page.screenshot("explorer-cypher-neo4j")
    page.check()
