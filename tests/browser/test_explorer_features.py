"""The explorer in real Chromium: search, expansion, legend filters, as-of, question panels,
export (HTML from file://, PNG), URL state, escaping of hostile text. Every test fails if a
request leaves 127.0.0.1 or the page logs an error (see conftest.py), and saves a
screenshot to test-artifacts/."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from tests.browser.conftest import click_node, node_position, open_explorer, require_route, watch_page

pytestmark = pytest.mark.browser

SOFTBANK = "company:softbank-group"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "company:img-src-x-onerror-alert-1"


def drawn_ids(page) -> set[str]:
    """Ids of the nodes in the DataSet that are not hidden."""
    return set(page.evaluate("() => nodes.get({filter: n => !n.hidden}).map(n => n.id)"))


def url_state(page) -> dict[str, list[str]]:
    return parse_qs(page.evaluate("() => location.hash.slice(1)"))


def test_search_suggests_then_selects_and_the_panel_quotes(page, live_server) -> None:
    p = page.page
    open_explorer(p, live_server.url)
    p.fill("#search", "softb")
    p.wait_for_selector("#suggestions li[data-id]", timeout=10_000)
    first = p.text_content("#suggestions li .suggestion-name")
    assert first == "SoftBank Group"
    p.press("#search", "Enter")
    p.wait_for_function(f"() => network.getSelectedNodes()[0] === '{SOFTBANK}'", timeout=10_000)
    quote = p.wait_for_selector("#pane-details blockquote.quote", timeout=10_000)
    assert "SoftBank" in quote.text_content()
    assert p.text_content("#pane-details h2") == "SoftBank Group"
    assert p.text_content("#pane-details .aliases") == "SoftBank"
    # The selected node keeps its own colour (vis would paint it light blue): only the border changes.
    colors = p.evaluate(f"() => nodes.get('{SOFTBANK}').color")
    assert colors["highlight"]["background"] == colors["background"] == "#d62728"
    assert url_state(p)["sel"] == [SOFTBANK]
    page.screenshot("explorer-search-selected")
    page.check()


def test_double_click_grows_the_graph(page, live_server) -> None:
    p = page.page
    open_explorer(p, live_server.url, f"center={SOFTBANK}&depth=1")
    before = p.evaluate("() => nodes.length")
    assert before == 3  # SoftBank and its two projects
    click_node(p, "project:potential-projects-identified-during-trump-s-visit-to-japan", double=True)
    p.wait_for_function(f"() => nodes.length > {before}", timeout=10_000)
    grown = p.evaluate("() => nodes.length")
    assert grown > before + 3
    # New nodes were placed around the expanded one (physics stays off, nothing else moved).
    assert p.evaluate("() => Object.values(network.getPositions()).every(q => isFinite(q.x) && isFinite(q.y))")
    assert url_state(p)["exp"] == ["project:potential-projects-identified-during-trump-s-visit-to-japan"]
    page.screenshot("explorer-expanded")
    page.check()


def test_legend_toggles_hide_a_label_and_a_relationship_type(page, live_server) -> None:
    p = page.page
    open_explorer(p, live_server.url)
    sectors = set(p.evaluate("() => nodes.get({filter: n => n.dgLabel === 'Sector'}).map(n => n.id)"))
    assert len(sectors) == 9 and sectors <= drawn_ids(p)
    p.click("#legend li[data-kind=label][data-name=Sector]")
    assert not (sectors & drawn_ids(p))
    assert p.get_attribute("#legend li[data-name=Sector]", "aria-checked") == "false"
    # Relationships into hidden nodes are not drawn either (vis-network's visible edges).
    drawn_types = "() => [...new Set(network.body.edgeIndices.map(id => edges.get(id).dgType))]"
    assert "IN_SECTOR" not in p.evaluate(drawn_types) and "FUNDS" in p.evaluate(drawn_types)
    p.click("#legend li[data-kind=type][data-name=CONCERNS]")
    assert p.evaluate("() => edges.get({filter: e => e.dgType === 'CONCERNS'}).every(e => e.hidden)")
    assert "CONCERNS" not in p.evaluate(drawn_types)
    assert p.evaluate("() => edges.get({filter: e => e.dgType === 'FUNDS'}).every(e => !e.hidden)")
    state = url_state(p)
    assert state["hide"] == ["Sector"] and state["hidetype"] == ["CONCERNS"]
    page.screenshot("explorer-legend-filtered")
    p.click("#legend li[data-kind=label][data-name=Sector]")
    assert sectors <= drawn_ids(p)
    # Shown again in their own colour (vis "groups" would repaint updated nodes in a palette colour).
    drawn_colors = p.evaluate(
        "() => nodes.get({filter: n => n.dgLabel === 'Sector'})"
        ".map(n => network.body.nodes[n.id].options.color.background)"
    )
    assert set(drawn_colors) == {"#7f7f7f"}
    page.check()


def test_dependencies_panel_lights_up_softbanks_chain(page, live_server) -> None:
    p = page.page
    open_explorer(p, live_server.url)
    require_route(p, "/api/questions/dependencies")
    p.click("#tabs button[data-tab=dependencies]")
    p.fill("#pane-dependencies .picker input", "SoftBank")
    p.click("#pane-dependencies .picker-list li[data-id='company:softbank-group']")
    p.wait_for_selector("body[data-highlight=dependencies]", timeout=15_000)
    lit = set(p.evaluate("() => nodes.get({filter: n => n.dgHighlight}).map(n => n.id)"))
    chain = {
        SOFTBANK,
        "project:data-center-infrastructure-initiative",
        "investmentvehicle:550-billion-investment-vehicle",
    }
    assert chain <= lit, lit
    assert any(i.startswith("tariffconcession:") for i in lit)
    assert "official:lutnick" not in lit
    assert p.evaluate("() => edges.get({filter: e => e.dgHighlight}).length") >= 3
    text = p.text_content("#pane-dependencies .answer")
    assert "SoftBank Group" in text and "depends on" in text
    assert url_state(p)["tab"] == ["dependencies"] and url_state(p)["dep"] == [SOFTBANK]
    page.screenshot("explorer-dependencies-softbank")
    # Esc clears the answer: every node and relationship is drawn in its own colour again.
    p.click("#graph")
    p.keyboard.press("Escape")
    p.wait_for_function("() => !document.body.dataset.highlight")
    drawn = p.evaluate(
        """() => ({lutnick: network.body.nodes['official:lutnick'].options.color.background,
                   softbank: network.body.nodes['company:softbank-group'].options.color.background,
                   edges: [...new Set(edges.getIds().map(id => network.body.edges[id].options.color.color))]})"""
    )
    assert drawn == {"lutnick": "#ff7f0e", "softbank": "#d62728", "edges": ["#a8a8a8"]}
    page.check()


def lit_nodes(page) -> set[str]:
    return set(page.evaluate("() => nodes.get({filter: n => n.dgHighlight}).map(n => n.id)"))


def test_what_if_panel_shows_rates_and_lights_up_the_exposed(page, live_server) -> None:
    p = page.page
    concession = "tariffconcession:reciprocal-tariff-rate-reduced-from-25-to-15"
    open_explorer(p, live_server.url, f"tab=whatif&whatif={concession}")
    require_route(p, "/api/questions/what-if")
    p.wait_for_selector("body[data-highlight=whatif]", timeout=15_000)
    text = p.text_content("#pane-whatif .answer")
    assert "tariff 15% → 25%" in text
    assert "Companies exposed" in text and "SoftBank Group" in text
    lit = lit_nodes(p)
    assert {concession, SOFTBANK, "project:data-center-infrastructure-initiative"} <= lit
    assert "official:lutnick" not in lit
    assert p.input_value("#pane-whatif .picker input") == "Reciprocal tariff rate reduced from 25% to 15%"
    page.screenshot("explorer-what-if")
    # A commitment is breached instead: every concession conditional on it falls.
    pledge = "commitment:invest-550-billion-in-the-united-states"
    p.evaluate("() => dg.clearHighlight()")
    p.evaluate(f"() => {{ location.hash = 'tab=whatif&whatif={pledge}'; }}")
    p.wait_for_function("() => document.querySelector('#pane-whatif .answer').textContent.includes('is breached')")
    p.wait_for_selector("body[data-highlight=whatif]", timeout=15_000)
    text = p.text_content("#pane-whatif .answer")
    assert "2 concession(s) fall" in text and "Lower tariffs on automobiles" in text
    page.check()


def test_path_panel_lights_up_the_shortest_chains(page, live_server) -> None:
    p = page.page
    open_explorer(p, live_server.url, f"tab=path&from={SOFTBANK}&to=JPN")
    require_route(p, "/api/questions/path")
    p.wait_for_selector("body[data-highlight=path]", timeout=15_000)
    assert {SOFTBANK, "JPN", "investmentvehicle:550-billion-investment-vehicle"} <= lit_nodes(p)
    assert "shortest chain(s) of 3 hop(s)" in p.text_content("#pane-path .answer")
    page.screenshot("explorer-path")
    page.check()


def test_deadlines_panel_lists_due_dates_in_order(page, deals_server) -> None:
    p = page.page
    open_explorer(p, deals_server.url, "as_of=2026-03-01&tab=deadlines")
    require_route(p, "/api/questions/deadlines")
    p.wait_for_selector("#pane-deadlines li.deadline", timeout=15_000)
    due = p.evaluate("() => [...document.querySelectorAll('#pane-deadlines li.deadline')].map(li => li.dataset.due)")
    assert len(due) >= 4 and due == sorted(due)
    text = p.text_content("#pane-deadlines .answer")
    assert "overdue" in text and "As of 2026-03-01" in text
    page.screenshot("explorer-deadlines")
    page.check()


def test_deadlines_panel_pages_with_show_more(page, deals_server) -> None:
    """Pages of two (the route rewritten to ask for them): "show more" appends the next page
    until every deadline is listed, in the same order as one page of all of them."""
    p = page.page
    with deals_server.client() as client:
        every = client.get("/api/questions/deadlines", params={"as_of": "2026-03-01", "limit": 500}).json()
    assert every["total"] > 4

    def two_at_a_time(route) -> None:
        route.continue_(url=route.request.url + "&limit=2")

    p.route("**/api/questions/deadlines?*", two_at_a_time)
    open_explorer(p, deals_server.url, "as_of=2026-03-01&tab=deadlines")
    require_route(p, "/api/questions/deadlines")
    p.wait_for_selector("#pane-deadlines li.deadline", timeout=15_000)
    assert p.locator("#pane-deadlines li.deadline").count() == 2
    assert f"2 of {every['total']} deadline(s)" in p.text_content("#pane-deadlines .shown")
    while p.is_visible("#pane-deadlines button.more-deadlines"):
        shown = p.locator("#pane-deadlines li.deadline").count()
        p.click("#pane-deadlines button.more-deadlines")
        p.wait_for_function(f"document.querySelectorAll('#pane-deadlines li.deadline').length > {shown}")
    due = p.evaluate("() => [...document.querySelectorAll('#pane-deadlines li.deadline')].map(li => li.dataset.due)")
    assert due == [d["due_on"] or "" for d in every["deadlines"]]
    page.check()


def test_conflicts_panel_shows_both_values(page, deals_server) -> None:
    p = page.page
    open_explorer(p, deals_server.url, "tab=conflicts")
    require_route(p, "/api/questions/conflicts")
    p.wait_for_selector("#pane-conflicts .conflict", timeout=15_000)
    values = p.evaluate("() => [...document.querySelectorAll('#pane-conflicts .values')].map(v => v.textContent)")
    assert any("working_days" in v and "calendar_days" in v for v in values)
    page.screenshot("explorer-conflicts")
    page.check()


def test_question_panels_say_so_when_a_route_is_missing(page, live_server) -> None:
    """An API without the questions routes: each panel names the missing route instead of failing."""
    p = page.page

    def without_questions(route) -> None:
        response = route.fetch()
        spec = response.json()
        spec["paths"] = {k: v for k, v in spec["paths"].items() if not k.startswith("/api/questions")}
        route.fulfill(response=response, body=json.dumps(spec))

    p.route("**/openapi.json", without_questions)
    open_explorer(p, live_server.url)
    p.click("#tabs button[data-tab=deadlines]")
    p.wait_for_selector("#pane-deadlines .missing", timeout=10_000)
    assert "/api/questions/deadlines is missing" in p.text_content("#pane-deadlines .missing")
    p.click("#tabs button[data-tab=conflicts]")
    p.wait_for_selector("#pane-conflicts .missing", timeout=10_000)
    page.screenshot("explorer-question-missing")
    page.check()


def test_cypher_console_on_the_embedded_store_says_how_to_start_neo4j(page, live_server) -> None:
    p = page.page
    open_explorer(p, live_server.url)
    p.click("#tabs button[data-tab=cypher]")
    text = p.text_content("#pane-cypher .missing")
    assert "dealgraph neo4j start" in text
    assert "DEALGRAPH_NEO4J_URI=bolt://127.0.0.1:7687 dealgraph load --store neo4j" in text
    assert p.is_disabled("#pane-cypher textarea")
    page.screenshot("explorer-cypher-embedded")
    page.check()


def test_as_of_redraws_the_graph_as_it_stood(page, dated_server) -> None:
    p = page.page
    open_explorer(p, dated_server.url)
    everything = drawn_ids(p)
    assert {"agreement:old-accord", "agreement:new-accord", "company:newco"} <= everything
    p.fill("#as-of", "2024-06-01")
    p.wait_for_function("() => !nodes.get('agreement:new-accord')", timeout=10_000)
    p.wait_for_selector("body[data-ready=true]")
    before = drawn_ids(p)
    assert "agreement:old-accord" in before and "company:newco" not in before
    assert {"USA", "JPN", "company:undated-corp"} <= before
    assert url_state(p)["as_of"] == ["2024-06-01"]
    page.screenshot("explorer-as-of-2024-06-01")
    p.fill("#as-of", "2025-07-01")
    p.wait_for_function("() => !!nodes.get('agreement:new-accord')", timeout=10_000)
    p.wait_for_selector("body[data-ready=true]")
    after = drawn_ids(p)
    assert "agreement:old-accord" not in after and {"agreement:new-accord", "company:newco"} <= after
    # Nodes present on both days stay where they were drawn.
    assert p.evaluate("() => edges.get().every(e => nodes.get(e.from) && nodes.get(e.to))")
    page.screenshot("explorer-as-of-2025-07-01")
    p.click("#as-of-clear")
    p.wait_for_function("() => !!nodes.get('agreement:old-accord') && !!nodes.get('company:newco')", timeout=10_000)
    page.check()


def test_exported_html_draws_from_file_without_a_server(page, live_server, tmp_path) -> None:
    p = page.page
    open_explorer(p, live_server.url)
    p.click("#legend li[data-kind=label][data-name=Event]")
    with p.expect_download() as info:
        p.click("#export-html")
    path = tmp_path / "view.html"
    info.value.save_as(path)
    html = path.read_text()
    assert "<script src=" not in html and "http://" not in html.split("dealgraph-data", 1)[0]
    drawn = p.evaluate("() => nodes.length")
    positions = p.evaluate("() => network.getPositions()")

    offline = watch_page(page, p.context.new_page())
    offline.goto(path.as_uri())
    offline.wait_for_selector("body[data-drawn=true]", timeout=30_000)
    assert offline.evaluate("() => nodes.length") == drawn
    assert offline.evaluate("() => edges.length") >= 70
    # Same positions as in the explorer, and the Event filter travelled with the file.
    there = offline.evaluate(f"() => network.getPositions(['{SOFTBANK}'])['{SOFTBANK}']")
    assert abs(there["x"] - positions[SOFTBANK]["x"]) < 1 and abs(there["y"] - positions[SOFTBANK]["y"]) < 1
    assert offline.evaluate("() => nodes.get({filter: n => n.dgLabel === 'Event'}).every(n => n.hidden)")
    click_node(offline, SOFTBANK)
    offline.wait_for_selector("#panel blockquote.quote", timeout=5_000)
    assert "SoftBank" in offline.text_content("#panel blockquote.quote")
    offline.screenshot(path=str(page.screenshot("explorer-before-export").parent / "export-from-file.png"))
    offline.close()
    page.check()


def test_png_export_is_a_picture_of_the_canvas(page, live_server, tmp_path) -> None:
    p = page.page
    open_explorer(p, live_server.url)
    with p.expect_download() as info:
        p.click("#export-png")
    path = tmp_path / "view.png"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    page.check()


def test_hostile_names_and_quotes_are_shown_as_text(page, hostile_server, tmp_path) -> None:
    p = page.page
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_explorer(p, hostile_server.url)
    p.fill("#search", "img")
    p.wait_for_selector("#suggestions li[data-id]", timeout=10_000)
    assert p.text_content("#suggestions li .suggestion-name") == HOSTILE
    p.press("#search", "Enter")
    p.wait_for_selector("#pane-details blockquote.quote", timeout=10_000)
    assert p.text_content("#pane-details h2") == HOSTILE
    assert p.text_content("#pane-details blockquote.quote") == "<script>alert(2)</script> said the <b>source</b> & more"
    assert p.text_content("#pane-details .aliases") == "</script><script>alert(3)</script>"
    assert "<b>Hostile</b> paste" in p.text_content("#pane-details .source-title")
    tags = "#side img, #side script, #side iframe, #side svg, #side b"
    assert p.evaluate(f"() => document.querySelectorAll('{tags}').length") == 0
    assert p.evaluate("() => document.querySelectorAll('a[href^=javascript]').length") == 0
    # The hover tooltip is text too.
    click_node(p, HOSTILE_ID)
    p.mouse.move(1, 1)
    where = node_position(p, HOSTILE_ID)
    p.mouse.move(where["x"], where["y"])
    p.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert p.text_content("div.vis-tooltip").startswith(HOSTILE)
    # vis sets the title with innerText, which turns newlines into <br>; nothing else may appear.
    assert p.evaluate("() => document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0
    page.screenshot("explorer-hostile-text")

    # The export carries the same strings safely: JSON in a script element with < escaped.
    with p.expect_download() as info:
        p.click("#export-html")
    path = tmp_path / "hostile.html"
    info.value.save_as(path)
    html = path.read_text()
    data_part = html.split('id="dealgraph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_part and "\\u003cimg src=x onerror=alert(1)>" in data_part
    offline = watch_page(page, p.context.new_page())
    offline.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    offline.goto(path.as_uri())
    offline.wait_for_selector("body[data-drawn=true]", timeout=30_000)
    offline.fill("#search", "onerror")
    offline.press("#search", "Enter")
    offline.wait_for_selector("#panel h2", timeout=5_000)
    assert offline.text_content("#panel h2") == HOSTILE
    assert offline.evaluate("() => document.querySelectorAll('#panel img, #panel script').length") == 0
    offline.close()
    assert dialogs == []
    page.check()


def test_url_state_round_trips(page, live_server) -> None:
    p = page.page
    open_explorer(p, live_server.url)
    click_node(p, SOFTBANK)
    p.wait_for_selector("#pane-details blockquote.quote", timeout=10_000)
    p.click("#legend li[data-kind=label][data-name=Event]")
    p.click("#legend li[data-kind=type][data-name=IN_SECTOR]")
    p.fill("#as-of", "2026-02-01")
    p.wait_for_function("() => location.hash.includes('as_of=2026-02-01')", timeout=10_000)
    p.wait_for_selector("body[data-ready=true]")
    click_node(p, "project:data-center-infrastructure-initiative", double=True)
    p.wait_for_function("() => location.hash.includes('exp=')", timeout=10_000)
    click_node(p, SOFTBANK)
    p.wait_for_function(f"() => location.hash.includes('sel={SOFTBANK.replace(':', '%3A')}')", timeout=10_000)
    url = p.evaluate("() => location.href")
    state = url_state(p)
    assert state["hide"] == ["Event"] and state["hidetype"] == ["IN_SECTOR"] and state["as_of"] == ["2026-02-01"]

    again = watch_page(page, p.context.new_page())
    again.goto(url)
    again.wait_for_selector("body[data-ready=true]", timeout=30_000)
    again.wait_for_function(f"() => network.getSelectedNodes()[0] === '{SOFTBANK}'", timeout=10_000)
    again.wait_for_selector("#pane-details blockquote.quote", timeout=10_000)
    assert again.input_value("#as-of") == "2026-02-01"
    assert again.get_attribute("#legend li[data-name=Event]", "aria-checked") == "false"
    assert again.get_attribute("#legend li[data-name=IN_SECTOR]", "aria-checked") == "false"
    assert again.evaluate("() => nodes.get({filter: n => n.dgLabel === 'Event'}).every(n => n.hidden)")
    assert again.evaluate("() => location.href") == url
    assert again.text_content("#pane-details h2") == "SoftBank Group"
    again.screenshot(path=str(page.screenshot("explorer-url-state-source").parent / "explorer-url-state-reopened.png"))
    again.close()
    page.check()


def test_big_view_is_laid_out_on_the_server_and_expands_in_pages(page, synthetic_server) -> None:
    p = page.page
    open_explorer(p, synthetic_server.url)
    info = p.evaluate("() => ({n: nodes.length, physics: network.physics.options.enabled})")
    assert info["n"] == 1201 and info["physics"] is False
    assert "laid out on the server" in p.text_content("#status")
    first_draw = p.evaluate("() => window.dgTiming.firstDraw")
    assert 0 < first_draw < 15_000
    page.screenshot("explorer-synthetic-1200")
    # Big views leave relationship sources out; a click on one fetches them.
    edge = p.evaluate("() => edges.getIds()[0]")
    assert p.evaluate(f"() => dg.state.edgeData.get('{edge}').sources") is None
    p.evaluate(f"() => dg.showEdge('{edge}')")
    p.wait_for_selector("#pane-details blockquote.quote", timeout=10_000)
    assert p.text_content("#pane-details blockquote.quote") == "synthetic record"
    # A hub with more neighbours than one page: double-click adds 50, "show N more" the next 50.
    hub = p.evaluate(
        """() => { const deg = {};
                   edges.forEach(e => { for (const x of [e.from, e.to]) deg[x] = (deg[x] || 0) + 1; });
                   return Object.entries(deg).sort((a, b) => b[1] - a[1])[0][0]; }"""
    )
    p.evaluate("() => { nodes.clear(); edges.clear(); }")
    p.evaluate(f"() => dg.expand('{hub}')")
    assert p.evaluate("() => nodes.length") == 51
    p.wait_for_selector("#more button", timeout=5_000)
    assert "show 50 more" in p.text_content("#more")
    p.click("#more button")
    p.wait_for_function("() => nodes.length === 101", timeout=10_000)
    assert url_state(p)["exp"] == [hub, hub]
    # The second page sits on its own ring: no two nodes share a place.
    spots = p.evaluate("() => Object.values(network.getPositions()).map(q => `${Math.round(q.x)},${Math.round(q.y)}`)")
    assert len(set(spots)) == 101
    p.evaluate("() => network.fit({animation: false})")
    page.screenshot("explorer-show-more")
    page.check()
