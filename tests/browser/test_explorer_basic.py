"""The explorer skeleton in real Chromium: it draws, a click shows a quote, nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.browser.conftest import node_position

pytestmark = pytest.mark.browser


def open_explorer(page, live_server) -> None:
    page.page.goto(live_server.url + "/")
    page.page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.page.wait_for_selector("body[data-stable=true]", timeout=30_000)


def test_draws_the_seed_graph_offline(page, live_server) -> None:
    open_explorer(page, live_server)
    drawn = page.page.evaluate("() => Object.keys(network.getPositions()).length")
    total = page.page.evaluate("() => fetch('/api/stats').then(r => r.json()).then(s => s.nodes)")
    assert drawn == total > 30
    page.screenshot("explorer-seed")
    page.check()


def test_click_on_a_node_shows_its_quote(page, live_server) -> None:
    open_explorer(page, live_server)
    page.page.evaluate("() => network.fit({animation: false})")
    page.page.evaluate(
        "() => network.moveTo({position: network.getPositions(['company:softbank-group'])"
        "['company:softbank-group'], scale: 1.5, animation: false})"
    )
    where = node_position(page.page, "company:softbank-group")
    page.page.mouse.click(where["x"], where["y"])
    quote = page.page.wait_for_selector("#panel blockquote.quote", timeout=10_000)
    assert "SoftBank" in quote.text_content()
    assert page.page.text_content("#panel h2") == "SoftBank Group"
    page.screenshot("explorer-softbank-panel")
    page.check()


def test_double_click_expands_through_the_api(page, live_server) -> None:
    open_explorer(page, live_server)
    # Start from a view of one node, so the expansion has something to add.
    page.page.evaluate("() => { nodes.clear(); edges.clear(); }")
    page.page.evaluate("() => focusEntity('company:softbank-group')")
    page.page.evaluate("() => { nodes.remove(nodes.getIds().filter(id => id !== 'company:softbank-group')); }")
    page.page.evaluate("() => network.moveTo({position: {x: 0, y: 0}, scale: 1, animation: false})")
    page.page.evaluate("() => network.moveNode('company:softbank-group', 0, 0)")
    before = page.page.evaluate("() => nodes.length")
    where = node_position(page.page, "company:softbank-group")
    page.page.mouse.dblclick(where["x"], where["y"])
    page.page.wait_for_function(f"() => nodes.length > {before}", timeout=10_000)
    page.check()
