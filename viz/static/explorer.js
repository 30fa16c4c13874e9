// dealgraph explorer: draws graph views from the API with vis-network (vendored, no CDN).
// Untrusted text (names, quotes) only ever goes into the page through textContent (see common.js).
// Globals kept for tests and power users: window.network, window.nodes, window.edges (vis DataSets),
// window.dg (state and actions).
"use strict";

const el = DG.el;
const EXPAND_PAGE = 50; // neighbours added per double-click; "show more" adds the next page
// Views bigger than this are drawn first by our own overview canvas (overview.js) while
// vis-network takes them FEED_CHUNK items at a time, one slice per task; then vis-network
// takes over.
const OVERVIEW_ABOVE = 3000;
const FEED_CHUNK = 2000;

const state = {
  colors: {},
  labelInfo: new Map(), // label -> {color, description}
  typeInfo: new Map(), // type -> description
  hiddenLabels: new Set(),
  hiddenTypes: new Set(),
  edgeData: new Map(), // edge id -> edge JSON from the API
  center: null, // base view: the whole graph (null) or this entity's neighbourhood
  depth: 2,
  expanded: [], // ids expanded (one entry per page loaded), in order: replayed from the URL
  more: new Map(), // id -> {next, total, name}: neighbourhoods with pages left
  asOf: null,
  selected: null,
  tab: "details",
  args: {}, // panel arguments kept in the URL: dep, whatif, from, to
  highlight: null, // {nodes: Set, edges: Set, name}
  store: "",
  openapi: null,
  loading: null,
  // Views over OVERVIEW_ABOVE nodes: vis-network gets no relationship labels (their
  // bookkeeping costs every frame, drawn or not; drawEdgeTypes writes the types once zoomed
  // in) and dots without a border (at overview scale a 1-pixel border hides the colour).
  lean: false,
};
const nodes = new vis.DataSet();
const edges = new vis.DataSet();
window.nodes = nodes;
window.edges = edges;
window.dgTiming = { firstDraw: null, dataLoaded: null, nodes: 0, visReady: null };
// vis-network draws from views of the DataSets. Small views pass straight through; a big one
// is let through in slices (startOverview) while the overview draws it, so the page stays responsive.
const feed = { active: false, nodes: new Set(), edges: new Set(), token: null };
const visNodes = new vis.DataView(nodes, { filter: (n) => !feed.active || feed.nodes.has(n.id) });
const visEdges = new vis.DataView(edges, { filter: (e) => !feed.active || feed.edges.has(e.id) });
let overview = null; // the DG.Overview while vis-network is being fed, else null
let retiring = null; // the overview after the hand-over, until vis-network has drawn

// -- API -------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json", ...(options.headers || {}) }, ...options });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const err = body && body.error ? body.error : { code: String(response.status), message: response.statusText };
    throw new ApiError(response.status, err.code, err.message);
  }
  return body;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => q.append(key, v));
    else q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

async function openapiPaths() {
  if (!state.openapi) {
    try {
      state.openapi = (await api("/openapi.json")).paths || {};
    } catch (_) {
      state.openapi = {};
    }
  }
  return state.openapi;
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

// -- URL state: everything needed to reopen the view lives in the hash ---------------------------
// #center=ID&depth=2&exp=ID&exp=ID&sel=ID&as_of=YYYY-MM-DD&hide=Label&hidetype=TYPE&tab=path&from=ID&to=ID

let writingHash = false;

function writeUrl() {
  const q = new URLSearchParams();
  if (state.center) q.set("center", state.center);
  if (state.center && state.depth !== 2) q.set("depth", String(state.depth));
  state.expanded.forEach((id) => q.append("exp", id));
  if (state.selected) q.set("sel", state.selected);
  if (state.asOf) q.set("as_of", state.asOf);
  [...state.hiddenLabels].sort().forEach((l) => q.append("hide", l));
  [...state.hiddenTypes].sort().forEach((t) => q.append("hidetype", t));
  if (state.tab !== "details") q.set("tab", state.tab);
  for (const [key, value] of Object.entries(state.args)) if (value) q.set(key, value);
  const hash = q.toString();
  if (location.hash.slice(1) !== hash) {
    writingHash = true;
    history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
    writingHash = false;
  }
}

function readUrl() {
  const q = new URLSearchParams(location.hash.slice(1));
  state.center = q.get("center") || null;
  state.depth = Math.max(1, Math.min(10, parseInt(q.get("depth") || "2", 10) || 2));
  state.expanded = q.getAll("exp");
  state.selected = q.get("sel") || null;
  const day = q.get("as_of");
  state.asOf = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null;
  state.hiddenLabels = new Set(q.getAll("hide"));
  state.hiddenTypes = new Set(q.getAll("hidetype"));
  state.tab = q.get("tab") || "details";
  state.args = {};
  for (const key of ["dep", "whatif", "from", "to"]) if (q.get(key)) state.args[key] = q.get(key);
}

// -- the network ---------------------------------------------------------------------------------

const network = new vis.Network(document.getElementById("graph"), { nodes: visNodes, edges: visEdges }, DG.networkOptions(0));
window.network = network;
DG.watchArrows(network, () => document.body.dataset.big === "true");
let awaitingDraw = false;

function markDrawn() {
  if (window.dgTiming.firstDraw === null) {
    window.dgTiming.firstDraw = performance.now();
    window.dgTiming.nodes = nodes.length;
  }
  document.body.dataset.drawn = "true";
}

const EDGE_FONT_PX = 9; // DG.networkOptions' edges.font.size
const LABEL_FROM_PX = 6; // its scaling.label.drawThreshold
// The relationship types of a lean view, written where vis-network would (the middle of the
// line, 9 px on a white halo), once they are readable: only those whose middle is on screen.
function drawEdgeTypes(ctx) {
  const scale = network.getScale();
  if (EDGE_FONT_PX * scale < LABEL_FROM_PX) return;
  const box = document.getElementById("graph").getBoundingClientRect();
  const a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: box.width, y: box.height });
  ctx.save();
  ctx.font = `${EDGE_FONT_PX}px arial`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.lineWidth = 2;
  ctx.strokeStyle = "#ffffff";
  for (const id of network.body.edgeIndices) {
    const { from, to } = network.body.edges[id];
    if (!from || !to) continue;
    const x = (from.x + to.x) / 2, y = (from.y + to.y) / 2;
    if (x < a.x || x > b.x || y < a.y || y > b.y) continue;
    const item = edges.get(id);
    if (!item) continue;
    ctx.fillStyle = (item.font && item.font.color) || "#666666";
    ctx.strokeText(item.dgType, x, y);
    ctx.fillText(item.dgType, x, y);
  }
  ctx.restore();
}

network.on("afterDrawing", (ctx) => {
  if (awaitingDraw && nodes.length) {
    awaitingDraw = false;
    markDrawn();
  }
  if (state.lean) drawEdgeTypes(ctx);
  if (retiring) {
    retiring.destroy();
    retiring = null;
    window.dgTiming.visReady = performance.now();
    document.body.dataset.vis = "ready";
  }
});

// -- big views: the overview, and feeding vis-network in slices -----------------------------------

function overviewSource() {
  const ns = [], es = [];
  nodes.forEach((n) => ns.push(n));
  edges.forEach((e) => es.push(e));
  return { nodes: ns, edges: es };
}

nodes.on("*", () => overview && overview.invalidate());
edges.on("*", () => overview && overview.invalidate());

function startOverview(camera) {
  overview = new DG.Overview(document.getElementById("graph-wrap"), overviewSource, {
    click: ({ node, edge }) => clicked(node, edge),
    doubleClick: (id) => expand(id),
    tooltip: (id) => (nodes.get(id) ? nodes.get(id).title : ""),
  });
  if (camera) overview.camera = { x: camera.position.x, y: camera.position.y, scale: camera.scale };
  else overview.fit();
  overview.selected = state.selected;
  overview.draw();
  markDrawn();
  document.body.dataset.vis = "loading";
  const token = {};
  feed.token = token;
  network.body.emitter.emit("_blockRedraw"); // nothing to see until it holds the whole view
  muteVis(true);
  const nodeIds = nodes.getIds(), edgeIds = edges.getIds();
  let i = 0, j = 0;
  const step = () => {
    if (feed.token !== token) return;
    if (window.dgPauseFeed) return setTimeout(step, 50); // tests hold the overview with this
    // Nodes first: a relationship is attached on arrival only when both its ends are there.
    if (i < nodeIds.length) {
      nodeIds.slice(i, i + FEED_CHUNK).forEach((id) => feed.nodes.add(id));
      i += FEED_CHUNK;
      visNodes.refresh();
    } else if (j < edgeIds.length) {
      edgeIds.slice(j, j + FEED_CHUNK).forEach((id) => feed.edges.add(id));
      j += FEED_CHUNK;
      visEdges.refresh();
    }
    if (i >= nodeIds.length && j >= edgeIds.length) handOver();
    else setTimeout(step, 0);
  };
  setTimeout(step, 0);
}

// vis-network holds the view (or must, now): it takes over with the overview's camera. The
// overview stays on top, deaf to the pointer, until vis-network's first frame (next task).
function handOver() {
  if (!overview) return false;
  feed.active = false;
  feed.token = null;
  visNodes.refresh(); // whatever is left, and whatever arrived meanwhile
  visEdges.refresh();
  const camera = overview.camera;
  retiring = overview;
  retiring.canvas.style.pointerEvents = "none";
  overview = null;
  muteVis(false); // its passes now, still without drawing: one frame, on the next task
  network.moveTo({ position: { x: camera.x, y: camera.y }, scale: camera.scale, animation: false });
  if (state.selected && nodes.get(state.selected)) network.selectNodes([state.selected]);
  network.body.emitter.emit("_allowRedraw");
  network.body.emitter.emit("_requestRedraw");
  return true;
}

// Actions that need vis-network itself (focus, highlight, export, growing the view) finish
// feeding it first: at most the rest of the first seconds after a big view opens. True when
// it handed over just now (vis-network has not drawn yet).
function ensureVis() {
  return handOver();
}

// vis-network answers each change of its data with passes over everything it holds (visible
// indices, value ranges, clusters, edge reconnection): tens of milliseconds at 10,000 nodes,
// per slice. While it is fed, those passes are held back and run once when it is whole.
function muteVis(on) {
  const emitter = network.body.emitter;
  if (on && !emitter.dgEmit) {
    const emit = emitter.emit;
    emitter.dgEmit = emit;
    emitter.emit = function (name, ...args) {
      if (name === "_dataChanged" || name === "_dataUpdated") {
        emitter.dgPending = true;
        return this;
      }
      return emit.call(this, name, ...args);
    };
  } else if (!on && emitter.dgEmit) {
    emitter.emit = emitter.dgEmit;
    delete emitter.dgEmit;
    if (emitter.dgPending) {
      emitter.dgPending = false;
      emitter.emit("_dataChanged");
    }
  }
}

function stopOverview() {
  for (const canvas of [overview, retiring]) if (canvas) canvas.destroy();
  overview = retiring = null;
  muteVis(false);
  feed.active = false;
  feed.token = null;
  feed.nodes = new Set();
  feed.edges = new Set();
  network.body.emitter.emit("_allowRedraw");
}

// Where a node is: vis-network's place once it holds it, else the DataSet's.
function positionOf(id) {
  if (!overview) return network.getPositions([id])[id] || null;
  const n = nodes.get(id);
  return n && typeof n.x === "number" ? { x: n.x, y: n.y } : null;
}

function cameraNow() {
  if (overview) return { position: { x: overview.camera.x, y: overview.camera.y }, scale: overview.camera.scale };
  return { position: network.getViewPosition(), scale: network.getScale() };
}

network.on("stabilizationIterationsDone", () => {
  network.setOptions({ physics: false });
  document.body.dataset.stable = "true";
});

function nodeHidden(n) {
  return state.hiddenLabels.has(n.label);
}

// Only the type filter hides a relationship itself: vis-network does not draw a relationship
// whose end is hidden, so hiding a label touches its nodes only (not 10,000 edges).
function edgeHidden(e) {
  return state.hiddenTypes.has(e.type);
}

function styledNode(n, reset = false) {
  const item = DG.visNode(n, nodeHidden(n));
  if (reset) {
    // An update merges options: put back what a highlight may have changed.
    item.font = { color: "#222222", strokeWidth: 0 };
    item.borderWidth = state.lean ? 0 : 1;
  }
  if (state.highlight) {
    if (state.highlight.nodes.has(n.id)) {
      item.borderWidth = 3;
      item.dgHighlight = true;
      item.font = { color: "#000000", strokeWidth: 3, strokeColor: "#ffffff" };
    } else {
      item.color = DG.FADED;
      item.font = { color: "#b5b5b5" };
      item.dgHighlight = false;
    }
  } else {
    item.dgHighlight = false;
  }
  return item;
}

function styledEdge(e, reset = false) {
  const item = DG.visEdge(e, edgeHidden(e));
  if (state.lean) delete item.label; // drawn by drawEdgeTypes instead
  if (reset) {
    item.color = DG.EDGE_COLOR;
    item.width = 1;
    item.font = { color: "#666666" };
  }
  if (state.highlight) {
    if (state.highlight.edges.has(e.id)) {
      item.color = { color: "#e8590c", highlight: "#e8590c", hover: "#e8590c" };
      item.width = 3;
      item.dgHighlight = true;
    } else {
      item.color = { color: "#e4e4e4", highlight: "#999999", hover: "#999999" };
      item.font = { color: "#cccccc" };
      item.dgHighlight = false;
    }
  }
  return item;
}

// Place nodes that have no position: next to a drawn neighbour, else on a ring around `anchor`
// (or the middle of the screen). Physics stays off, so nothing else moves.
function placeNew(items, viewEdges, anchor) {
  const loose = items.filter((it) => typeof it.x !== "number");
  if (!loose.length) return;
  const known = new Map(items.filter((it) => typeof it.x === "number").map((it) => [it.id, { x: it.x, y: it.y }]));
  const pos = (id) => known.get(id) || (nodes.get(id) ? positionOf(id) : null);
  const centre = (anchor && pos(anchor)) || cameraNow().position;
  let ring = loose;
  if (!anchor) {
    const neighbours = new Map();
    for (const e of viewEdges) {
      for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
        if (!neighbours.has(a)) neighbours.set(a, []);
        neighbours.get(a).push(b);
      }
    }
    ring = loose.filter((it) => {
      const other = (neighbours.get(it.id) || []).find((b) => pos(b));
      if (!other) return true;
      const p = pos(other);
      const a = (hashCode(it.id) % 360) * (Math.PI / 180);
      it.x = p.x + 90 * Math.cos(a);
      it.y = p.y + 90 * Math.sin(a);
      known.set(it.id, { x: it.x, y: it.y });
      return false;
    });
  }
  // Each further page around the same node goes on a wider ring, turned by half a step.
  const rings = anchor ? ringsAround.get(anchor) || 0 : 0;
  if (anchor && ring.length) ringsAround.set(anchor, rings + 1);
  const radius = Math.max(150, ring.length * 9) + rings * 90;
  ring.forEach((it, i) => {
    const a = (2 * Math.PI * (i + (rings % 2) * 0.5)) / ring.length;
    it.x = centre.x + radius * Math.cos(a);
    it.y = centre.y + radius * Math.sin(a);
  });
}
const ringsAround = new Map(); // node id -> rings of neighbours already placed around it

function hashCode(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

// Add nodes and edges of a view; returns how many nodes were new.
function addView(view, anchor) {
  const fresh = view.nodes.filter((n) => !nodes.get(n.id));
  const freshIds = new Set(fresh.map((n) => n.id));
  const items = fresh.map((n) => styledNode(n));
  placeNew(items, view.edges, anchor);
  const update = view.nodes.filter((n) => !freshIds.has(n.id));
  nodes.add(items);
  if (update.length) nodes.update(update.map((n) => ({ id: n.id, dg: { ...nodes.get(n.id).dg, ...n } })));
  view.edges.forEach((e) => {
    const known = state.edgeData.get(e.id);
    state.edgeData.set(e.id, known && known.sources && !e.sources ? { ...e, sources: known.sources } : e);
  });
  edges.update(view.edges.filter((e) => nodes.get(e.source) && nodes.get(e.target)).map((e) => styledEdge(e)));
  refreshLegendCounts();
  return fresh.length;
}

// -- loading the whole view (on start, on an as-of change, on a URL change) ------------------------

function baseUrl() {
  return "/api/views/graph" + query({ center: state.center, depth: state.center ? state.depth : null, as_of: state.asOf });
}

async function loadAll(prefetched) {
  const token = {};
  state.loading = token;
  document.body.dataset.ready = "false";
  setStatus("loading…");
  const before = {};
  nodes.forEach((n) => {
    const p = positionOf(n.id);
    if (p) before[n.id] = p;
  });
  const camera = cameraNow();
  let view;
  try {
    view = await (prefetched || api(baseUrl()));
  } catch (error) {
    if (state.loading === token) {
      setStatus(`could not load the graph: ${error.message}`);
      document.body.dataset.ready = "error";
    }
    return;
  }
  if (state.loading !== token) return;
  const big = view.nodes.length > 1000;
  const huge = view.nodes.length > OVERVIEW_ABOVE && view.nodes.some((n) => typeof n.x === "number");
  network.setOptions(DG.networkOptions(view.nodes.length));
  state.lean = huge;
  network.setOptions({ nodes: { borderWidth: huge ? 0 : 1 } });
  network.dgArrows = !big;
  document.body.dataset.big = String(big);
  const keep = Object.keys(before).length > 0;
  for (const n of view.nodes) {
    if (before[n.id]) {
      n.x = before[n.id].x;
      n.y = before[n.id].y;
    }
  }
  const needsPhysics = !view.nodes.some((n) => typeof n.x === "number");
  state.edgeData.clear();
  state.more.clear();
  ringsAround.clear();
  window.dgTiming.dataLoaded = performance.now();
  window.dgTiming.layout = view.layout || null;
  // Fill the DataSets while the network is detached from them, then attach once: vis builds
  // its bodies and draws one time instead of once per add (for 10,000 nodes, seconds).
  network.setData({ nodes: new vis.DataSet(), edges: new vis.DataSet() });
  stopOverview();
  feed.active = huge;
  edges.clear();
  nodes.clear();
  addView(view);
  window.dgTiming.added = performance.now();
  awaitingDraw = !huge;
  network.setData({ nodes: visNodes, edges: visEdges });
  if (huge) startOverview(keep ? camera : null);
  else document.body.dataset.vis = "ready";
  let notes = [];
  for (const id of state.expanded) {
    const page = await fetchPage(id, pageOffset(id));
    if (state.loading !== token) return;
    if (page) addPage(id, page);
  }
  refreshMoreBar();
  if (needsPhysics && nodes.length) {
    document.body.dataset.stable = "false";
    network.setOptions({ physics: DG.PHYSICS });
    network.stabilize(200);
  } else {
    document.body.dataset.stable = "true";
    if (overview) overview.requestDraw(); // the overview keeps its camera
    else if (keep) network.moveTo({ ...camera, animation: false });
    else network.fit({ animation: false });
  }
  applySelection();
  if (view.truncated) notes.push("cut at the node limit");
  if (state.asOf) notes.push(`as of ${state.asOf}`);
  if (view.layout && view.layout.kind === "server") notes.push(`laid out on the server${view.layout.cached ? " (cached)" : ""}`);
  setStatus(`${nodes.length} nodes, ${edges.length} relationships${notes.length ? " · " + notes.join(" · ") : ""}`);
  if (!view.nodes.length && state.center && state.asOf) setStatus(`${state.center} was not in force on ${state.asOf}`);
  document.body.dataset.ready = "true";
}

// -- expanding: pages of neighbours ---------------------------------------------------------------

const pagesLoaded = new Map(); // id -> offset of the next page while replaying

function pageOffset(id) {
  const offset = pagesLoaded.get(id) || 0;
  pagesLoaded.set(id, offset + EXPAND_PAGE);
  return offset;
}

async function fetchPage(id, offset) {
  try {
    return await api(`/api/views/expand/${encodeURIComponent(id)}` + query({ offset, limit: EXPAND_PAGE, as_of: state.asOf }));
  } catch (error) {
    setStatus(error.message);
    return null;
  }
}

function addPage(id, page) {
  if (page.center && !nodes.get(id)) {
    const item = styledNode(page.center);
    placeNew([item], page.edges, null);
    nodes.add([item]);
  }
  const view = { nodes: page.nodes, edges: page.edges };
  const added = addView(view, id);
  const name = nodes.get(id) ? nodes.get(id).dg.name : id;
  if (page.next_offset !== null && page.next_offset !== undefined) {
    state.more.set(id, { next: page.next_offset, total: page.total, name });
  } else {
    state.more.delete(id);
  }
  return added;
}

async function expand(id) {
  ensureVis();
  setStatus("expanding…");
  pagesLoaded.delete(id);
  const already = state.expanded.filter((x) => x === id).length;
  const offset = state.more.has(id) ? state.more.get(id).next : 0;
  const page = await fetchPage(id, offset);
  if (!page) return 0;
  if (offset === 0 && already) state.expanded = state.expanded.filter((x) => x !== id);
  state.expanded.push(id);
  const added = addPage(id, page);
  refreshMoreBar();
  const left = state.more.has(id) ? ` · ${page.total - state.more.get(id).next} more` : "";
  setStatus(`${added} new node(s) around ${nodes.get(id) ? nodes.get(id).dg.name : id}${left}`);
  writeUrl();
  return added;
}

function refreshMoreBar() {
  const bar = document.getElementById("more");
  const items = [...state.more.entries()];
  bar.replaceChildren(
    ...items.slice(-3).map(([id, m]) => {
      const left = m.total - m.next;
      const n = Math.min(EXPAND_PAGE, left);
      return el(
        "div",
        { class: "more-item" },
        `${m.name}: ${m.next} of ${m.total} neighbours shown `,
        el("button", { type: "button", "data-id": id, onclick: () => expand(id) }, `show ${n} more`),
      );
    }),
  );
  bar.hidden = items.length === 0;
}

// -- legend: labels and relationship types, each a filter --------------------------------------

function toggleLabel(label) {
  if (state.hiddenLabels.has(label)) state.hiddenLabels.delete(label);
  else state.hiddenLabels.add(label);
  applyFilters();
  writeUrl();
}

function toggleType(type) {
  if (state.hiddenTypes.has(type)) state.hiddenTypes.delete(type);
  else state.hiddenTypes.add(type);
  applyFilters();
  writeUrl();
}
window.toggleLabel = toggleLabel;
window.toggleType = toggleType;

function applyFilters() {
  const nodeChanges = [];
  nodes.forEach((n) => {
    const hidden = state.hiddenLabels.has(n.dgLabel);
    if (!!n.hidden !== hidden) nodeChanges.push({ id: n.id, hidden });
  });
  nodes.update(nodeChanges);
  const edgeChanges = [];
  edges.forEach((e) => {
    const data = state.edgeData.get(e.id);
    const hidden = data ? edgeHidden(data) : false;
    if (!!e.hidden !== hidden) edgeChanges.push({ id: e.id, hidden });
  });
  edges.update(edgeChanges);
  document.querySelectorAll("#legend li").forEach((li) => {
    const set = li.dataset.kind === "label" ? state.hiddenLabels : state.hiddenTypes;
    const off = set.has(li.dataset.name);
    li.classList.toggle("off", off);
    li.setAttribute("aria-checked", String(!off));
  });
}

function refreshLegendCounts() {
  const labels = {}, types = {};
  nodes.forEach((n) => { labels[n.dgLabel] = (labels[n.dgLabel] || 0) + 1; });
  edges.forEach((e) => { types[e.dgType] = (types[e.dgType] || 0) + 1; });
  for (const [kind, counts] of [["label", labels], ["type", types]]) {
    document.querySelectorAll(`#legend li[data-kind="${kind}"]`).forEach((li) => {
      const n = counts[li.dataset.name] || 0;
      li.querySelector(".count").textContent = n ? String(n) : "";
      li.style.display = n || (kind === "label" ? state.hiddenLabels : state.hiddenTypes).has(li.dataset.name) ? "" : "none";
    });
  }
}

function buildLegend(schema) {
  const labels = document.getElementById("legend-labels");
  for (const entry of schema.labels) {
    state.colors[entry.label] = entry.color;
    state.labelInfo.set(entry.label, entry);
    labels.append(DG.legendItem("label", entry.label, entry.color, entry.description, toggleLabel));
  }
  const types = document.getElementById("legend-types");
  for (const t of schema.relationship_types) {
    state.typeInfo.set(t.type, t.description);
    types.append(DG.legendItem("type", t.type, null, t.description, toggleType));
  }
}

// -- the side panel ---------------------------------------------------------------------------

function pane(name) {
  let div = document.getElementById(`pane-${name}`);
  if (!div) {
    div = el("div", { id: `pane-${name}`, class: "pane", "data-tab": name });
    document.getElementById("panel").append(div);
  }
  return div;
}

function showTab(name, { write = true } = {}) {
  if (!TABS[name]) name = "details";
  state.tab = name;
  document.querySelectorAll("#tabs button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
  document.querySelectorAll("#panel .pane").forEach((p) => { p.hidden = p.dataset.tab !== name; });
  const div = pane(name);
  div.hidden = false;
  if (!div.dataset.built) {
    div.dataset.built = "true";
    TABS[name].build(div);
  }
  if (TABS[name].open) TABS[name].open(div);
  if (write) writeUrl();
}

function nameOf(id) {
  const n = nodes.get(id);
  return n ? n.dg.name : id;
}

let detailToken = 0;
async function showEntity(id, { switchTab = true } = {}) {
  const token = ++detailToken;
  const div = pane("details");
  if (switchTab) showTab("details", { write: false });
  try {
    const e = await api(`/api/entities/${encodeURIComponent(id)}`);
    if (token !== detailToken) return;
    const actions = el("div", { class: "actions" });
    actions.append(el("button", { type: "button", onclick: () => expand(id) }, state.more.has(id) ? "show more neighbours" : "expand"));
    actions.append(el("button", { type: "button", onclick: () => pickPath("from", id) }, "path from here"));
    actions.append(el("button", { type: "button", onclick: () => pickPath("to", id) }, "path to here"));
    if (e.label === "Company" || e.label === "TariffConcession") {
      actions.append(el("button", { type: "button", onclick: () => runDependencies(id) }, "dependencies"));
    }
    if (e.label === "TariffConcession") {
      actions.append(el("button", { type: "button", onclick: () => runWhatIf(id) }, "what if revoked?"));
    }
    if (e.label === "Commitment") {
      actions.append(el("button", { type: "button", onclick: () => runWhatIf(id) }, "what if breached?"));
    }
    div.replaceChildren(...DG.entityContent(e, state.colors[e.label]), actions);
  } catch (error) {
    if (token !== detailToken) return;
    div.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

async function showEdge(id) {
  const e = state.edgeData.get(id);
  if (!e) return;
  const token = ++detailToken;
  const div = pane("details");
  showTab("details", { write: false });
  div.replaceChildren(...DG.edgeContent(e, nameOf));
  if (!e.sources) {
    try {
      const full = await api(`/api/views/relationships/${encodeURIComponent(id)}` + query({ start: e.source }));
      state.edgeData.set(id, full);
      if (token === detailToken) div.replaceChildren(...DG.edgeContent(full, nameOf));
    } catch (error) {
      if (token === detailToken) div.append(el("p", { class: "error" }, error.message));
    }
  }
}

function markSelected(id) {
  if (overview) {
    overview.selected = id;
    overview.requestDraw();
  } else if (id) network.selectNodes([id]);
  else network.unselectAll();
}

function select(id) {
  state.selected = id;
  writeUrl();
  if (id && nodes.get(id)) {
    markSelected(id);
    showEntity(id);
  } else {
    markSelected(null);
  }
}

function applySelection() {
  if (state.selected && nodes.get(state.selected)) {
    markSelected(state.selected);
    showEntity(state.selected, { switchTab: false });
  }
}

// A click on the drawing (vis-network's or the overview's): a node, else a relationship, else nothing.
function clicked(node, edge) {
  if (node) select(node);
  else if (edge) {
    state.selected = null;
    if (overview) markSelected(null);
    writeUrl();
    showEdge(edge);
  } else {
    state.selected = null;
    if (overview) markSelected(null);
    writeUrl();
  }
}

network.on("click", (params) => clicked(params.nodes[0] || null, params.edges[0] || null));
network.on("doubleClick", (params) => {
  if (params.nodes.length) expand(params.nodes[0]);
});

// Bring an entity into view (loading its neighbourhood if it is not drawn), select it, show it.
async function focusEntity(id) {
  ensureVis();
  if (!nodes.get(id)) {
    await expand(id);
    if (!nodes.get(id)) return;
  }
  select(id);
  network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
  await showEntity(id);
}
window.focusEntity = focusEntity;

// -- search with suggestions -------------------------------------------------------------------

const searchBox = document.getElementById("search");
const suggestions = document.getElementById("suggestions");
let suggestTimer = null;
let suggestItems = [];
let suggestIndex = -1;

function renderSuggestions(items) {
  suggestItems = items;
  suggestIndex = items.length ? 0 : -1;
  suggestions.replaceChildren(
    ...items.map((item, i) =>
      el(
        "li",
        {
          role: "option",
          id: `suggestion-${i}`,
          "data-id": item.id,
          "aria-selected": String(i === suggestIndex),
          onmousedown: (ev) => {
            ev.preventDefault();
            chooseSuggestion(i);
          },
        },
        el("span", { class: "swatch", style: `background:${state.colors[item.label] || "#999"}` }),
        el("span", { class: "suggestion-name" }, item.name),
        el("span", { class: "suggestion-label" }, item.label),
        nodes.get(item.id) ? null : el("span", { class: "suggestion-new", title: "not drawn yet" }, "+"),
      ),
    ),
  );
  suggestions.hidden = items.length === 0;
  searchBox.setAttribute("aria-expanded", String(!suggestions.hidden));
}

function moveSuggestion(delta) {
  if (!suggestItems.length) return;
  suggestIndex = (suggestIndex + delta + suggestItems.length) % suggestItems.length;
  suggestions.querySelectorAll("li").forEach((li, i) => li.setAttribute("aria-selected", String(i === suggestIndex)));
  searchBox.setAttribute("aria-activedescendant", `suggestion-${suggestIndex}`);
}

async function chooseSuggestion(i) {
  const item = suggestItems[i];
  if (!item) return;
  suggestions.hidden = true;
  searchBox.value = item.name;
  await focusEntity(item.id);
  setStatus("");
}

async function suggest() {
  const q = searchBox.value.trim();
  if (!q) return renderSuggestions([]);
  try {
    const page = await api("/api/entities" + query({ q, limit: 10 }));
    if (searchBox.value.trim() === q) renderSuggestions(page.items);
  } catch (error) {
    setStatus(error.message);
  }
}

searchBox.addEventListener("input", () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(suggest, 120);
});
searchBox.addEventListener("keydown", (ev) => {
  if (ev.key === "ArrowDown") { ev.preventDefault(); moveSuggestion(1); }
  else if (ev.key === "ArrowUp") { ev.preventDefault(); moveSuggestion(-1); }
  else if (ev.key === "Escape") { suggestions.hidden = true; searchBox.blur(); }
});
searchBox.addEventListener("blur", () => setTimeout(() => { suggestions.hidden = true; }, 150));

document.getElementById("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearTimeout(suggestTimer);
  if (!suggestions.hidden && suggestIndex >= 0) return chooseSuggestion(suggestIndex);
  const q = searchBox.value.trim();
  if (!q) return;
  try {
    const page = await api("/api/entities" + query({ q, limit: 1 }));
    if (!page.items.length) return setStatus(`nothing matches “${q}”`);
    await focusEntity(page.items[0].id);
    setStatus("");
  } catch (error) {
    setStatus(error.message);
  }
});

// -- highlighting answers (chains of hops from the questions API) -----------------------------------

// Hops are {id, type, from: {id, name, label}, to: {...}, properties, sources}. Nodes and
// relationships of a chain that are not drawn yet are added, so an answer is always visible.
function chainView(hops) {
  const ns = new Map(), es = [];
  for (const h of hops) {
    for (const end of [h.from, h.to]) {
      if (end && end.id) ns.set(end.id, { id: end.id, name: end.name, label: end.label, aliases: [], color: state.colors[end.label] });
    }
    es.push({ id: h.id, type: h.type, source: h.from.id, target: h.to.id, properties: h.properties || {}, sources: h.sources });
  }
  return { nodes: [...ns.values()], edges: es };
}

function highlight(hopLists, name, extraNodes = []) {
  ensureVis();
  const hops = hopLists.flat();
  const view = chainView(hops);
  addView(view);
  state.highlight = {
    name,
    nodes: new Set([...view.nodes.map((n) => n.id), ...extraNodes]),
    edges: new Set(view.edges.map((e) => e.id)),
  };
  restyle();
  const ids = [...state.highlight.nodes].filter((id) => nodes.get(id));
  if (ids.length) network.fit({ nodes: ids, animation: false, maxZoomLevel: 1.4 });
  document.body.dataset.highlight = name;
}

function clearHighlight() {
  if (!state.highlight) return;
  state.highlight = null;
  restyle();
  delete document.body.dataset.highlight;
}

function restyle() {
  ensureVis();
  nodes.update(nodes.get().map((n) => styledNode(n.dg, true)).map(({ x, y, ...rest }) => rest));
  edges.update(edges.get().map((e) => state.edgeData.get(e.id)).filter(Boolean).map((e) => styledEdge(e, true)));
}

window.dg = { state, api, expand, loadAll, highlight, clearHighlight, select, showTab, focusEntity, writeUrl, showEdge, overview: () => overview };

// -- question panels ---------------------------------------------------------------------------

const MISSING = (route) =>
  el(
    "p",
    { class: "missing" },
    `This question is not served by this API yet (${route} is missing). `,
    "Update dealgraph, or use the CLI once it has the command.",
  );

async function hasRoute(route) {
  return Boolean((await openapiPaths())[route]);
}

// The names of a GET route's query parameters, from the server's OpenAPI document (the
// questions API is young: the panels follow what the server says it takes).
async function routeParams(route) {
  const op = (await openapiPaths())[route];
  return op && op.get ? (op.get.parameters || []).map((p) => p.name) : [];
}

async function question(div, name, params, render) {
  const route = `/api/questions/${name}`;
  const out = div.querySelector(".answer");
  out.replaceChildren(el("p", { class: "hint" }, "asking…"));
  if (!(await hasRoute(route))) {
    out.replaceChildren(MISSING(route));
    return null;
  }
  try {
    const result = await api(route + query({ ...params, as_of: state.asOf }));
    out.replaceChildren(...render(result));
    return result;
  } catch (error) {
    if (error.status === 404 && error.message === "Not Found") out.replaceChildren(MISSING(route));
    else out.replaceChildren(el("p", { class: "error" }, error.message));
    return null;
  }
}

function entityLink(ref) {
  return el(
    "a",
    { href: "#", class: "entity-link", "data-id": ref.id, onclick: (ev) => { ev.preventDefault(); focusEntity(ref.id); } },
    ref.name || ref.id,
  );
}

function chainLine(hops) {
  const line = el("div", { class: "chain" });
  if (!hops.length) return line;
  const first = hops[0].forward === false ? hops[0].to : hops[0].from;
  line.append(entityLink(first));
  for (const h of hops) {
    const forward = h.forward !== false;
    line.append(el("span", { class: "hop" }, forward ? ` —${h.type}→ ` : ` ←${h.type}— `));
    line.append(entityLink(forward ? h.to : h.from));
  }
  return line;
}

// A picker: a search box with suggestions that fills a hidden id; `labels` limits the search.
function picker(placeholder, labels, onPick, initial) {
  const wrap = el("div", { class: "picker" });
  const input = el("input", { type: "search", placeholder, "aria-label": placeholder });
  const list = el("ul", { class: "picker-list", role: "listbox", hidden: true });
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) { list.hidden = true; return; }
      const pages = await Promise.all(
        (labels.length ? labels : [null]).map((label) => api("/api/entities" + query({ q, label, limit: 8 }))),
      );
      const items = pages.flatMap((p) => p.items).slice(0, 10);
      list.replaceChildren(
        ...items.map((item) =>
          el(
            "li",
            { role: "option", "data-id": item.id, onmousedown: (ev) => { ev.preventDefault(); choose(item); } },
            el("span", { class: "swatch", style: `background:${state.colors[item.label] || "#999"}` }),
            item.name,
            el("span", { class: "suggestion-label" }, item.label),
          ),
        ),
      );
      list.hidden = !items.length;
    }, 120);
  });
  input.addEventListener("blur", () => setTimeout(() => { list.hidden = true; }, 150));
  function choose(item) {
    input.value = item.name;
    input.dataset.id = item.id;
    list.hidden = true;
    onPick(item.id);
  }
  wrap.append(input, list);
  wrap.set = (id) => {
    input.dataset.id = id || "";
    input.value = id ? nameOf(id) : "";
    if (id && !nodes.get(id)) api(`/api/entities/${encodeURIComponent(id)}`).then((e) => { input.value = e.name; }).catch(() => {});
  };
  if (initial) wrap.set(initial);
  return wrap;
}

function section(title, ...children) {
  return el("section", { class: "answer-section" }, el("h3", {}, title), ...children);
}

function money(v) {
  if (v === null || v === undefined) return "";
  if (v >= 1e9) return `$${(v / 1e9).toLocaleString("en-US", { maximumFractionDigits: 1 })} billion`;
  if (v >= 1e6) return `$${(v / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 })} million`;
  return `$${v.toLocaleString("en-US")}`;
}

// Dependencies: pick a company or a concession; every chain lights up.
let depPicker = null;
async function runDependencies(id) {
  state.args.dep = id;
  showTab("dependencies");
  if (depPicker) depPicker.set(id);
  const div = pane("dependencies");
  const node = nodes.get(id);
  let label = node ? node.dg.label : null;
  if (!label) {
    try { label = (await api(`/api/entities/${encodeURIComponent(id)}`)).label; } catch (_) { label = null; }
  }
  const params = label === "TariffConcession" ? { concession: id } : { company: id };
  const result = await question(div, "dependencies", params, (r) => {
    const rows = r.dependencies || [];
    if (!rows.length) return [el("p", { class: "hint" }, `No dependencies${state.asOf ? ` as of ${state.asOf}` : ""}.`)];
    // One block per (company, concession) pair, its chains beneath: "how", hop by hop.
    const pairs = new Map();
    for (const d of rows) {
      const key = `${d.company.id}\u0000${d.concession.id}`;
      if (!pairs.has(key)) pairs.set(key, { company: d.company, concession: d.concession, kinds: new Set(), chains: [] });
      pairs.get(key).kinds.add(d.kind);
      pairs.get(key).chains.push(d.chain);
    }
    return [
      el("p", { class: "summary" }, `${r.total} chain(s) linking ${r.pairs} company–concession pair(s)${r.truncated ? " (cut at the limit)" : ""}.`),
      ...[...pairs.values()].map((pair) =>
        el(
          "div",
          { class: "dependency" },
          el("div", { class: "dep-head" }, entityLink(pair.company), " depends on ", entityLink(pair.concession),
            ...[...pair.kinds].map((k) => el("span", { class: "kind" }, k))),
          ...pair.chains.map(chainLine),
        ),
      ),
    ];
  });
  if (result) highlight((result.dependencies || []).map((d) => d.chain), "dependencies", [id]);
  writeUrl();
}

// What-if: revoke a concession; exposed companies and projects light up, rates shown.
let whatifPicker = null;
async function runWhatIf(id) {
  state.args.whatif = id;
  showTab("whatif");
  if (whatifPicker) whatifPicker.set(id);
  const div = pane("whatif");
  const names = await routeParams("/api/questions/what-if");
  let label = nodes.get(id) ? nodes.get(id).dg.label : null;
  if (!label) {
    try { label = (await api(`/api/entities/${encodeURIComponent(id)}`)).label; } catch (_) { label = null; }
  }
  const params = names.includes("id") || !names.length ? { id } : label === "Commitment" ? { breach: id } : { revoke: id };
  const result = await question(div, "what-if", params, (r) => {
    const out = [];
    if (r.target) {
      out.push(el("p", { class: "summary" }, "If ", entityLink(r.target),
        r.scenario === "breach" ? ` is breached, ${(r.concessions || []).length} concession(s) fall:` : " is revoked:"));
    }
    for (const c of r.concessions || []) {
      const rate = c.rate_now_pct !== null && c.rate_now_pct !== undefined
        ? `tariff ${c.rate_now_pct}% → ${c.returns_to_pct !== null && c.returns_to_pct !== undefined ? c.returns_to_pct + "%" : "unknown"}`
        : "rate not given by the sources";
      out.push(el("div", { class: "lost" }, entityLink(c.concession), el("div", { class: "rate" }, rate), c.consequence ? el("div", { class: "consequence" }, c.consequence) : null));
    }
    out.push(section(`Companies exposed (${(r.companies || []).length})`,
      ...(r.companies || []).map((c) => el("div", { class: "company" }, entityLink(c.company), el("span", { class: "kind" }, (c.kinds || []).join(", "))))));
    out.push(section(`Projects exposed (${(r.projects || []).length})`,
      ...(r.projects || []).map((p) => el("div", { class: "project" }, entityLink(p.project),
        p.status ? el("span", { class: "status-pill" }, p.status) : null,
        p.cost_min_usd ? el("span", { class: "amount" }, ` ${money(p.cost_min_usd)}${p.cost_max_usd && p.cost_max_usd !== p.cost_min_usd ? "–" + money(p.cost_max_usd) : ""}`) : null))));
    if ((r.commitments || []).length) {
      out.push(section("Commitments at stake", ...r.commitments.map((c) => el("div", {}, entityLink(c.commitment), c.amount_usd ? ` ${money(c.amount_usd)}` : ""))));
    }
    if (r.amounts) {
      out.push(el("p", { class: "summary" }, `At stake: commitments ${money(r.amounts.commitments_usd) || "$0"}; project costs ${money(r.amounts.project_cost_min_usd) || "$0"}–${money(r.amounts.project_cost_max_usd) || "$0"}` +
        (r.amounts.projects_without_cost ? ` (${r.amounts.projects_without_cost} project(s) without a cost)` : "")));
    }
    for (const note of r.notes || []) out.push(el("p", { class: "hint" }, note));
    return out;
  });
  if (result) {
    const chains = [
      ...(result.concessions || []).map((c) => c.chain || []),
      ...(result.commitments || []).map((c) => c.chain || []),
      ...(result.projects || []).map((p) => p.chain || []),
      ...(result.companies || []).flatMap((c) => (c.dependencies || []).map((d) => d.chain)),
    ];
    const extra = [id, ...(result.companies || []).map((c) => c.company.id), ...(result.projects || []).map((p) => p.project.id)];
    highlight(chains, "whatif", extra.filter((x) => nodes.get(x)));
  }
  writeUrl();
}

function daysText(d) {
  if (d.days_left === null || d.days_left === undefined || d.status === "met") return "";
  const unit = d.rule.unit.replace("_", " ");
  return d.days_left < 0 ? `${-d.days_left} ${unit} overdue` : `${d.days_left} ${unit} left`;
}

function deadlineItem(d) {
  return el("li", { class: `deadline status-${d.status}`, "data-due": d.due_on || "" },
    el("div", { class: "due" }, d.due_on || "no due date", el("span", { class: "status-pill" }, d.status),
      daysText(d) ? el("span", { class: "days" }, daysText(d)) : null),
    el("div", {}, entityLink(d.commitment), d.project ? [" · ", entityLink(d.project)] : null, d.hypothetical ? el("span", { class: "hint" }, " (hypothetical selection)") : null),
    el("div", { class: "rule" }, `${d.rule.amount} ${d.rule.unit.replace("_", " ")}${d.rule.trigger ? " after " + d.rule.trigger : ""}${d.disputed ? " · disputed reading" : ""}`),
  );
}

// The server sends deadlines by due date a page at a time; "show more" appends the next page.
async function runDeadlines() {
  const div = pane("deadlines");
  const calendar = div.querySelector("select.calendar");
  const selected = div.querySelector("input.selected-on");
  const params = { calendar: calendar ? calendar.value : null, selected_on: selected && selected.value ? selected.value : null };
  await question(div, "deadlines", params, (r) => {
    if (!(r.deadlines || []).length) return [el("p", { class: "hint" }, "No deadline rules in the graph.")];
    const list = el("ol", { class: "deadlines" }, ...r.deadlines.map(deadlineItem));
    const shown = el("p", { class: "summary shown" });
    const more = el("button", { type: "button", class: "more-deadlines" }, "show more");
    let next = r.next_offset;
    const update = () => {
      shown.textContent = `As of ${r.as_of} · calendar ${r.calendar} · ${list.children.length} of ${r.total} deadline(s)`;
      more.hidden = next === null || next === undefined;
    };
    more.onclick = async () => {
      more.disabled = true;
      try {
        const page = await api("/api/questions/deadlines" + query({ ...params, as_of: state.asOf, offset: next }));
        list.append(...(page.deadlines || []).map(deadlineItem));
        next = page.next_offset;
        update();
      } catch (error) {
        more.after(el("p", { class: "error" }, error.message));
      } finally {
        more.disabled = false;
      }
    };
    update();
    return [shown, list, more, ...(r.notes || []).map((n) => el("p", { class: "hint" }, n))];
  });
}

let fromPicker = null, toPicker = null;
function pickPath(which, id) {
  state.args[which] = id;
  showTab("path");
  (which === "from" ? fromPicker : toPicker).set(id);
  if (state.args.from && state.args.to) runPath();
  writeUrl();
}

async function runPath() {
  const div = pane("path");
  const { from, to } = state.args;
  if (!from || !to) return;
  const names = await routeParams("/api/questions/path");
  const [a, b] = names.includes("from") ? ["from", "to"] : names.includes("source") ? ["source", "target"] : ["from_id", "to_id"];
  const result = await question(div, "path", { [a]: from, [b]: to }, (r) => {
    if (!r.shortest || !r.shortest.length) return [el("p", { class: "hint" }, `No chain within ${r.max_hops} hops.`)];
    return [
      el("p", { class: "summary" }, `${r.shortest.length} shortest chain(s) of ${r.shortest_hops} hop(s); ${r.chains.length} chain(s) up to ${r.max_hops} hops${r.truncated ? " (cut)" : ""}.`),
      ...r.shortest.map((c) => chainLine(c.hops)),
    ];
  });
  if (result) highlight((result.shortest || []).map((c) => c.hops), "path", [from, to]);
}

async function runConflicts() {
  const div = pane("conflicts");
  const result = await question(div, "conflicts", {}, (r) => {
    if (!r.total) return [el("p", { class: "hint" }, "No conflicting claims.")];
    return [
      ...(r.claims || []).map((c) =>
        el("div", { class: "conflict" },
          el("div", {}, entityLink(c.entity), ` · ${c.property}`),
          el("div", { class: "values" }, el("span", { class: "stored" }, String(c.stored_value)), " vs ", el("span", { class: "claimed" }, String(c.claimed_value))),
          DG.sourcesBlock([...(c.stored_sources || []), ...(c.claim_sources || [])]))),
      ...(r.relationships || []).map((c) =>
        el("div", { class: "conflict" },
          chainLine([c.relationship]),
          el("div", { class: "values" }, `${c.property}: `, el("span", { class: "stored" }, String(c.stored_value)), " vs ", el("span", { class: "claimed" }, String(c.other_value))))),
    ];
  });
  if (result) {
    const chains = [...(result.claims || []).map((c) => c.chain || []), ...(result.relationships || []).map((c) => [c.relationship])];
    if (chains.flat().length) highlight(chains, "conflicts");
  }
}

// -- Cypher console -----------------------------------------------------------------------------

function neo4jHelp() {
  return el("div", { class: "missing" },
    el("p", {}, "Cypher runs on Neo4j; this server uses the embedded store. To query with Cypher:"),
    el("pre", {}, "dealgraph neo4j start\n" +
      "DEALGRAPH_NEO4J_URI=bolt://127.0.0.1:7687 dealgraph load --store neo4j\n" +
      "DEALGRAPH_NEO4J_URI=bolt://127.0.0.1:7687 dealgraph serve"),
    el("p", {}, "then reopen this page."));
}

function looksLikeNode(v) {
  return v && typeof v === "object" && !Array.isArray(v) && typeof v.id === "string" && (v.label || v.labels) && !("start" in v && "end" in v);
}

function looksLikeRel(v) {
  return v && typeof v === "object" && typeof v.type === "string" && (("start" in v && "end" in v) || ("source" in v && "target" in v));
}

function cellText(v) {
  if (v === null || v === undefined) return "";
  if (looksLikeNode(v)) return `(${v.name || v.properties && v.properties.name || v.id})`;
  if (looksLikeRel(v)) return `[:${v.type}]`;
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

async function runCypher(div) {
  const text = div.querySelector("textarea").value.trim();
  const out = div.querySelector(".answer");
  if (!text) return;
  out.replaceChildren(el("p", { class: "hint" }, "running…"));
  if (!(await hasRoute("/api/cypher"))) {
    out.replaceChildren(el("p", { class: "missing" }, "The Cypher endpoint (POST /api/cypher) is not in this version of the API yet."));
    return;
  }
  try {
    const r = await api("/api/cypher", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query: text }) });
    const columns = r.columns || (r.rows && r.rows.length && !Array.isArray(r.rows[0]) ? Object.keys(r.rows[0]) : []);
    const rows = (r.rows || []).map((row) => (Array.isArray(row) ? row : columns.map((c) => row[c])));
    const table = el("table", { class: "cypher-table" },
      el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", {}, c)))),
      el("tbody", {}, ...rows.map((row) => el("tr", {}, ...row.map((v) => el("td", {}, cellText(v)))))));
    // The graph: nodes and relationships found in the result (or its `graph` member) are drawn and lit up.
    const found = { nodes: new Map(), edges: new Map() };
    const walk = (v) => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (looksLikeNode(v)) {
        const label = v.label || (v.labels && v.labels[0]);
        found.nodes.set(v.id, { id: v.id, label, name: v.name || (v.properties && v.properties.name) || v.id, aliases: [], color: state.colors[label] });
      } else if (looksLikeRel(v)) {
        const id = v.id || `${v.start || v.source}-${v.type}-${v.end || v.target}`;
        found.edges.set(id, { id, type: v.type, source: v.start || v.source, target: v.end || v.target, properties: v.properties || {} });
      } else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(r.graph ? [r.graph.nodes || [], r.graph.edges || r.graph.relationships || []] : rows);
    const drawn = { nodes: [...found.nodes.values()], edges: [...found.edges.values()].filter((e) => found.nodes.has(e.source) || nodes.get(e.source)) };
    if (drawn.nodes.length) {
      ensureVis();
      addView(drawn);
      state.highlight = { name: "cypher", nodes: new Set(found.nodes.keys()), edges: new Set(found.edges.keys()) };
      restyle();
    }
    out.replaceChildren(
      el("p", { class: "summary" }, `${rows.length} row(s)${r.truncated ? " (cut at the row cap)" : ""}; ${drawn.nodes.length} node(s) drawn`),
      table,
    );
  } catch (error) {
    out.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

// -- tabs ---------------------------------------------------------------------------------------

const TABS = {
  details: {
    build(div) {
      div.append(el("p", { class: "hint" }, "Click a node or relationship to see its properties and sources. Double-click a node to expand it."));
    },
  },
  dependencies: {
    build(div) {
      depPicker = picker("Company or concession…", ["Company", "TariffConcession"], runDependencies, state.args.dep);
      div.append(el("h3", {}, "Dependencies"),
        el("p", { class: "hint" }, "Which companies depend on which tariff concessions, and how: pick a company or a concession."),
        depPicker, el("div", { class: "answer" }));
    },
  },
  whatif: {
    build(div) {
      whatifPicker = picker("Concession to revoke, or commitment to breach…", ["TariffConcession", "Commitment"], runWhatIf, state.args.whatif);
      div.append(el("h3", {}, "What if a concession is revoked (or a commitment breached)?"),
        el("p", { class: "hint" }, "Pick a tariff concession to revoke, or a commitment to breach (every concession conditional on it falls): the companies and projects exposed light up, with the rates."),
        whatifPicker, el("div", { class: "answer" }));
    },
  },
  deadlines: {
    build(div) {
      const calendar = el("select", { class: "calendar", "aria-label": "Holiday calendar", onchange: () => runDeadlines() },
        ...["US", "JP", "US+JP"].map((c) => el("option", { value: c }, c)));
      const selected = el("input", { type: "date", class: "selected-on", "aria-label": "Hypothetical selection day", onchange: () => runDeadlines() });
      div.append(el("h3", {}, "Deadlines"),
        el("p", { class: "hint" }, "Due dates, soonest first, as of the date above (default: today). Working days skip weekends and the calendar's public holidays."),
        el("div", { class: "deadline-form" }, el("label", {}, "calendar ", calendar), el("label", {}, "if a project were selected on ", selected)),
        el("div", { class: "answer" }));
    },
    open: () => runDeadlines(),
  },
  path: {
    build(div) {
      fromPicker = picker("From…", [], (id) => pickPath("from", id), state.args.from);
      toPicker = picker("To…", [], (id) => pickPath("to", id), state.args.to);
      div.append(el("h3", {}, "Path between two entities"),
        el("p", { class: "hint" }, "Pick two entities (or use “path from here” / “path to here” on a node)."),
        fromPicker, toPicker, el("div", { class: "answer" }));
    },
  },
  conflicts: {
    build(div) {
      div.append(el("h3", {}, "Conflicts"), el("p", { class: "hint" }, "Claims from different sources that disagree, side by side."), el("div", { class: "answer" }));
    },
    open: () => runConflicts(),
  },
  cypher: {
    build(div) {
      const area = el("textarea", { rows: "5", spellcheck: "false", "aria-label": "Cypher query" });
      area.value = "MATCH (c:Company)-[r]->(p:Project) RETURN c, r, p LIMIT 25";
      const run = el("button", { type: "button", onclick: () => runCypher(div) }, "run (Ctrl+Enter)");
      area.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) runCypher(div); });
      div.append(el("h3", {}, "Cypher console"), el("div", { class: "cypher-form" }, area, run), el("div", { class: "answer" }));
    },
    open(div) {
      const out = div.querySelector(".answer");
      const controls = div.querySelectorAll("textarea, button");
      if (state.store !== "neo4j") {
        controls.forEach((c) => { c.disabled = true; });
        out.replaceChildren(neo4jHelp());
      } else {
        controls.forEach((c) => { c.disabled = false; });
      }
    },
  },
};

document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));

// -- export -----------------------------------------------------------------------------------

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function viewTitle() {
  const base = state.center ? `dealgraph: ${nameOf(state.center)}` : "dealgraph view";
  return state.asOf ? `${base} as of ${state.asOf}` : base;
}

async function exportHtml() {
  ensureVis();
  setStatus("exporting…");
  const positions = network.getPositions();
  const body = {
    ids: nodes.getIds(),
    positions: Object.fromEntries(Object.entries(positions).map(([id, p]) => [id, [p.x, p.y]])),
    hidden_labels: [...state.hiddenLabels],
    hidden_types: [...state.hiddenTypes],
    selected: state.selected,
    as_of: state.asOf,
    title: viewTitle(),
  };
  try {
    const response = await fetch("/api/views/export", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`export failed (${response.status})`);
    download(await response.blob(), `${viewTitle().replace(/[^A-Za-z0-9_-]+/g, "-").toLowerCase()}.html`);
    setStatus(`exported ${body.ids.length} nodes as HTML`);
  } catch (error) {
    setStatus(error.message);
  }
}

function exportPng() {
  if (ensureVis()) network.redraw();
  const source = document.querySelector("#graph canvas");
  const canvas = document.createElement("canvas");
  canvas.width = source.width;
  canvas.height = source.height;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff"; // vis draws on a transparent canvas
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0);
  const url = canvas.toDataURL("image/png");
  const a = el("a", { href: url, download: `${viewTitle().replace(/[^A-Za-z0-9_-]+/g, "-").toLowerCase()}.png` });
  document.body.append(a);
  a.click();
  a.remove();
  return url;
}
window.dg.exportHtml = exportHtml;
window.dg.exportPng = exportPng;

document.getElementById("export-html").addEventListener("click", exportHtml);
document.getElementById("export-png").addEventListener("click", exportPng);
function fitView() {
  if (overview) {
    overview.fit();
    overview.requestDraw();
  } else network.fit({ animation: false });
}
document.getElementById("fit").addEventListener("click", fitView);

// -- as of -----------------------------------------------------------------------------------

const asOfInput = document.getElementById("as-of");
asOfInput.addEventListener("change", () => setAsOf(asOfInput.value || null));
document.getElementById("as-of-clear").addEventListener("click", () => setAsOf(null));

async function setAsOf(day) {
  if (day === state.asOf) return;
  state.asOf = day;
  asOfInput.value = day || "";
  writeUrl();
  pagesLoaded.clear();
  await loadAll();
  if (state.tab !== "details") rerunTab();
}
window.dg.setAsOf = setAsOf;

function rerunTab() {
  if (state.tab === "dependencies" && state.args.dep) runDependencies(state.args.dep);
  else if (state.tab === "whatif" && state.args.whatif) runWhatIf(state.args.whatif);
  else if (state.tab === "path" && state.args.from && state.args.to) runPath();
  else if (state.tab === "deadlines") runDeadlines();
  else if (state.tab === "conflicts") runConflicts();
}

// -- keyboard -----------------------------------------------------------------------------------

document.addEventListener("keydown", (ev) => {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement && document.activeElement.tagName);
  if (typing) return;
  if (ev.key === "/") {
    ev.preventDefault();
    searchBox.focus();
  } else if (ev.key === "Escape") {
    clearHighlight();
    select(null);
  } else if (ev.key === "f") {
    fitView();
  } else if (ev.key === "e" && state.selected) {
    expand(state.selected);
  }
});

// -- start ----------------------------------------------------------------------------------------

window.addEventListener("hashchange", () => {
  if (writingHash) return;
  const before = JSON.stringify([state.center, state.depth, state.expanded, state.asOf]);
  readUrl();
  asOfInput.value = state.asOf || "";
  applyFilters();
  const after = JSON.stringify([state.center, state.depth, state.expanded, state.asOf]);
  pagesLoaded.clear();
  (before !== after ? loadAll() : Promise.resolve()).then(() => {
    applySelection();
    showTab(state.tab, { write: false });
    rerunTab();
  });
});

async function start() {
  readUrl();
  asOfInput.value = state.asOf || "";
  // The big request first (index.html starts it before the scripts load, when it can).
  const early = window.dgPrefetch;
  const viewPromise = early && early.url === baseUrl() ? early.promise.catch(() => api(baseUrl())) : api(baseUrl());
  viewPromise.catch(() => {});
  const [schema, health] = await Promise.all([api("/api/schema"), api("/api/health")]);
  state.store = health.store;
  document.getElementById("store-badge").textContent = `${health.store} store`;
  buildLegend(schema);
  applyFilters();
  await loadAll(viewPromise);
  applyFilters();
  showTab(state.tab, { write: false });
  rerunTab();
  writeUrl();
}

start().catch((error) => {
  setStatus(`could not load the graph: ${error.message}`);
  document.body.dataset.ready = "error";
});
