"""Big views (above 3,000 nodes): the explorer draws its own overview first, usable while
vis-network takes the view in slices, then hands over to vis-network with the same camera.
`window.dgPauseFeed` holds the hand-over so the overview can be driven; real Chromium."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

pytestmark = pytest.mark.browser

NODES = 3501  # 3,500 synthetic nodes and their Source


def open_overview(p, url: str, hash_: str = "") -> None:
    p.add_init_script("window.dgPauseFeed = true")
    p.goto(url + "/" + (f"#{hash_}" if hash_ else ""))
    p.wait_for_selector("body[data-ready=true]", timeout=60_000)
    p.wait_for_selector("body[data-drawn=true]", timeout=30_000)


def overview_point(p, node_id: str, scale: float = 1.0) -> dict[str, float]:
    """Centre the overview on a node at `scale`, then where the node is, in page coordinates."""
    return p.evaluate(
        """([id, scale]) => {
            const ov = dg.overview();
            const i = ov.index.get(id);
            ov.camera = {x: ov.xs[i], y: ov.ys[i], scale};
            ov.draw();
            const [x, y] = ov.toScreen(i);
            const rect = ov.canvas.getBoundingClientRect();
            return {x: rect.left + x, y: rect.top + y};
        }""",
        [node_id, scale],
    )


def url_state_of(p) -> dict[str, list[str]]:
    return parse_qs(p.evaluate("() => location.hash.slice(1)"))


def a_company(p) -> dict[str, str]:
    return p.evaluate(
        "() => { const n = nodes.get({filter: n => n.dgLabel === 'Company'})[0]; return {id: n.id, name: n.dg.name}; }"
    )


def test_overview_draws_first_and_answers_hover_click_pan_zoom_filter(page, overview_server) -> None:
    p = page.page
    open_overview(p, overview_server.url)
    timing = p.evaluate("() => window.dgTiming")
    assert timing["nodes"] == NODES and timing["firstDraw"] > 0 and timing["visReady"] is None
    assert p.evaluate("() => nodes.length") == NODES
    assert p.get_attribute("body", "data-vis") == "loading"
    assert p.is_visible("canvas.dg-overview")
    page.screenshot("explorer-overview-3500")
    company = a_company(p)
    where = overview_point(p, company["id"])
    # Hover: the node's tooltip, as text.
    p.mouse.move(where["x"], where["y"])
    p.wait_for_selector("div.dg-tooltip", state="visible", timeout=5_000)
    assert p.text_content("div.dg-tooltip").startswith(f"{company['name']} (Company)")
    # Click: selected, its details (from the API) in the panel, and in the URL.
    p.mouse.click(where["x"], where["y"])
    p.wait_for_function(f"() => document.querySelector('#pane-details h2')?.textContent === {company['name']!r}")
    assert p.text_content("#pane-details blockquote.quote") == "synthetic record"
    assert url_state_of(p)["sel"] == [company["id"]]
    assert p.evaluate("() => dg.overview().selected") == company["id"]
    # Drag pans, the wheel zooms about the pointer.
    before = p.evaluate("() => ({...dg.overview().camera})")
    p.mouse.move(where["x"], where["y"])
    p.mouse.down()
    p.mouse.move(where["x"] + 120, where["y"] + 40, steps=5)
    p.mouse.up()
    moved = p.evaluate("() => ({...dg.overview().camera})")
    assert abs(moved["x"] - (before["x"] - 120)) < 1 and abs(moved["y"] - (before["y"] - 40)) < 1
    p.mouse.wheel(0, -300)
    p.wait_for_function(f"() => dg.overview().camera.scale > {moved['scale']}")
    # The legend filter hides a label in the overview too.
    shown = "() => { const ov = dg.overview(); ov.draw(); return ov.hidden.reduce((a, h) => a + (h ? 0 : 1), 0); }"
    everyone = p.evaluate(shown)
    p.click('#legend li[data-kind="label"][data-name="Company"]')
    assert p.evaluate(shown) < everyone
    p.click('#legend li[data-kind="label"][data-name="Company"]')
    assert p.evaluate(shown) == everyone
    # Let vis-network finish: it takes over with the overview's camera and selection.
    camera = p.evaluate("() => ({...dg.overview().camera})")
    p.evaluate("() => { window.dgPauseFeed = false; }")
    p.wait_for_selector("body[data-vis=ready]", timeout=60_000)
    assert p.query_selector("canvas.dg-overview") is None
    assert p.evaluate("() => network.body.nodeIndices.length") == NODES
    assert p.evaluate("() => network.getSelectedNodes()") == [company["id"]]
    view = p.evaluate("() => ({scale: network.getScale(), ...network.getViewPosition()})")
    assert abs(view["scale"] - camera["scale"]) < 1e-6
    assert abs(view["x"] - camera["x"]) < 1 and abs(view["y"] - camera["y"]) < 1
    assert p.evaluate("() => window.dgTiming.visReady") > timing["firstDraw"]
    # Lean: vis-network has no relationship labels (the page writes the types once zoomed in)
    # and borderless dots.
    edge = p.evaluate("() => edges.getIds()[0]")
    assert p.evaluate(f"() => edges.get({edge!r}).label") is None
    assert p.evaluate(f"() => network.body.nodes[{company['id']!r}].options.borderWidth") == 0
    p.evaluate(
        f"""() => new Promise(done => {{
              network.once('afterDrawing', done);
              network.moveTo({{position: network.getPositions([{company["id"]!r}])[{company["id"]!r}], scale: 1.2}});
            }})"""
    )
    page.screenshot("explorer-overview-handed-over-zoomed")
    page.check()


def test_search_from_the_overview_hands_over_and_focuses(page, overview_server) -> None:
    p = page.page
    open_overview(p, overview_server.url)
    company = a_company(p)
    p.fill("#search", company["name"])
    p.wait_for_selector(f"#suggestions li[data-id='{company['id']}']", timeout=10_000)
    p.click(f"#suggestions li[data-id='{company['id']}']")
    # Focusing needs vis-network: the feed finishes at once, though it is paused.
    p.wait_for_selector("body[data-vis=ready]", timeout=30_000)
    p.wait_for_function(f"() => network.getSelectedNodes()[0] === {company['id']!r}", timeout=10_000)
    assert p.evaluate("() => network.body.edgeIndices.length") == p.evaluate("() => edges.length")
    p.wait_for_function(f"() => document.querySelector('#pane-details h2')?.textContent === {company['name']!r}")
    page.check()


def test_double_click_in_the_overview_expands(page, overview_server) -> None:
    p = page.page
    open_overview(p, overview_server.url)
    company = a_company(p)
    where = overview_point(p, company["id"])
    p.mouse.dblclick(where["x"], where["y"])
    p.wait_for_selector("body[data-vis=ready]", timeout=30_000)
    p.wait_for_function(f"() => location.hash.includes('exp=' + encodeURIComponent({company['id']!r}))")
    assert p.evaluate("() => nodes.length") == NODES  # the whole graph is drawn: nothing new
    page.check()


def test_reloading_during_the_overview_starts_over_cleanly(page, overview_server) -> None:
    p = page.page
    open_overview(p, overview_server.url)
    company = a_company(p)
    where = overview_point(p, company["id"], scale=0.5)
    camera = p.evaluate("() => ({...dg.overview().camera})")
    # A new day reloads the view while vis-network is still being fed: one overview, same camera.
    p.evaluate("() => dg.setAsOf('2026-01-01')")
    p.wait_for_function("() => location.hash.includes('as_of=2026-01-01') && document.body.dataset.ready === 'true'")
    assert p.evaluate("() => document.querySelectorAll('canvas.dg-overview').length") == 1
    assert p.evaluate("() => nodes.length") == NODES
    again = p.evaluate("() => ({...dg.overview().camera})")
    assert again == camera
    p.mouse.click(where["x"], where["y"])
    p.wait_for_function(f"() => document.querySelector('#pane-details h2')?.textContent === {company['name']!r}")
    p.evaluate("() => { window.dgPauseFeed = false; }")
    p.wait_for_selector("body[data-vis=ready]", timeout=60_000)
    assert p.evaluate("() => network.body.nodeIndices.length") == NODES
    assert p.evaluate("() => network.getSelectedNodes()") == [company["id"]]
    page.check()
