// dealgraph explorer: draws graph views from the API with vis-network (vendored, no CDN).
// Untrusted text (names, quotes) only ever goes into the page through textContent.
"use strict";

const state = { colors: {}, hiddenLabels: new Set(), edgeData: new Map() };
const nodes = new vis.DataSet();
const edges = new vis.DataSet();
window.nodes = nodes;
window.edges = edges;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(message);
  }
  return body;
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

function visNode(n) {
  return {
    id: n.id,
    label: n.name.length > 40 ? n.name.slice(0, 38) + "…" : n.name,
    title: `${n.name} (${n.label})`, // a string title is shown as text by vis-network
    group: n.label,
    color: { background: state.colors[n.label] || "#ccc", border: "#555" },
    hidden: state.hiddenLabels.has(n.label),
    dg: n,
  };
}

function visEdge(e) {
  state.edgeData.set(e.id, e);
  return { id: e.id, from: e.source, to: e.target, label: e.type, title: e.type, arrows: "to" };
}

// New nodes around `anchor` (an expanded node) start on a ring around it, so physics can stay off.
function addView(view, anchor) {
  const fresh = view.nodes.filter((n) => !nodes.get(n.id));
  const centre = anchor && nodes.get(anchor) ? network.getPositions([anchor])[anchor] : null;
  nodes.update(view.nodes.map((n) => {
    const item = visNode(n);
    const i = fresh.indexOf(n);
    if (centre && i >= 0) {
      const angle = (2 * Math.PI * i) / fresh.length;
      item.x = centre.x + 150 * Math.cos(angle);
      item.y = centre.y + 150 * Math.sin(angle);
    }
    return item;
  }));
  edges.update(view.edges.map(visEdge));
  refreshLegendCounts();
  return fresh.length;
}

const network = new vis.Network(
  document.getElementById("graph"),
  { nodes, edges },
  {
    nodes: { shape: "dot", size: 14, font: { size: 12 } },
    edges: { font: { size: 9, align: "middle", color: "#666" }, color: "#aaa", smooth: false },
    physics: { solver: "forceAtlas2Based", stabilization: { iterations: 200 } },
    interaction: { hover: true, tooltipDelay: 150 },
  },
);
window.network = network;
// A short layout run, then physics off: nodes stay where the user (or a test) expects them.
function layout() {
  document.body.dataset.stable = "false";
  network.setOptions({ physics: { enabled: true } });
  network.stabilize(200);
}

network.on("stabilizationIterationsDone", () => {
  network.setOptions({ physics: false });
  document.body.dataset.stable = "true";
});

function legendItem(entry) {
  const count = el("span", { class: "count" });
  const item = el(
    "li",
    { "data-label": entry.label, title: entry.description },
    el("span", { class: "swatch", style: `background:${entry.color}` }),
    entry.label,
    count,
  );
  item.addEventListener("click", () => toggleLabel(entry.label, item));
  return item;
}

function toggleLabel(label, item) {
  if (state.hiddenLabels.has(label)) state.hiddenLabels.delete(label);
  else state.hiddenLabels.add(label);
  item.classList.toggle("off", state.hiddenLabels.has(label));
  nodes.update(nodes.get({ filter: (n) => n.group === label }).map((n) => ({ id: n.id, hidden: state.hiddenLabels.has(label) })));
}
window.toggleLabel = (label) => toggleLabel(label, document.querySelector(`#legend li[data-label="${CSS.escape(label)}"]`));

function refreshLegendCounts() {
  const counts = {};
  nodes.forEach((n) => { counts[n.group] = (counts[n.group] || 0) + 1; });
  document.querySelectorAll("#legend li").forEach((li) => {
    const n = counts[li.dataset.label] || 0;
    li.querySelector(".count").textContent = n ? String(n) : "";
    li.style.display = n ? "" : "none";
  });
}

function sourcesBlock(sources) {
  const block = el("section", {}, el("h3", {}, `Sources (${sources.length})`));
  for (const s of sources) {
    block.append(el("div", { class: "source-title" }, s.title || s.source, s.publisher ? ` — ${s.publisher}` : ""));
    if (s.quote) block.append(el("blockquote", { class: "quote", title: `characters ${s.start}–${s.end}` }, s.quote));
  }
  return block;
}

function propertiesBlock(props) {
  const dl = el("dl");
  for (const [key, value] of Object.entries(props)) {
    dl.append(el("dt", {}, key), el("dd", {}, Array.isArray(value) ? value.join(", ") : value));
  }
  return dl;
}

function showPanel(...content) {
  const panel = document.getElementById("panel");
  panel.replaceChildren(...content);
}

async function showEntity(id) {
  try {
    const e = await api(`/api/entities/${encodeURIComponent(id)}`);
    const props = { id: e.id, ...(e.status ? { status: e.status } : {}), ...e.properties };
    if (e.aliases.length) props.aliases = e.aliases;
    showPanel(
      el("h2", {}, e.name),
      el("span", { class: "label", style: `background:${state.colors[e.label] || "#888"}` }, e.label),
      propertiesBlock(props),
      sourcesBlock(e.sources),
    );
  } catch (error) {
    setStatus(error.message);
  }
}

function showEdge(id) {
  const e = state.edgeData.get(id);
  if (!e) return;
  const from = nodes.get(e.source), to = nodes.get(e.target);
  showPanel(
    el("h2", {}, e.type),
    el("p", {}, from ? from.dg.name : e.source, " → ", to ? to.dg.name : e.target),
    propertiesBlock({ id: e.id, ...e.properties }),
    sourcesBlock(e.sources),
  );
}

async function expand(id) {
  setStatus("expanding…");
  try {
    const view = await api(`/api/entities/${encodeURIComponent(id)}/neighbors?depth=1`);
    const added = addView(view, id);
    setStatus(`${added} new node(s)${view.truncated ? " (cut at the limit)" : ""}`);
  } catch (error) {
    setStatus(error.message);
  }
}

network.on("click", (params) => {
  if (params.nodes.length) showEntity(params.nodes[0]);
  else if (params.edges.length) showEdge(params.edges[0]);
});
network.on("doubleClick", (params) => {
  if (params.nodes.length) expand(params.nodes[0]);
});

let suggestTimer = null;
const searchBox = document.getElementById("search");
searchBox.addEventListener("input", () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(async () => {
    const q = searchBox.value.trim();
    if (!q) return;
    const page = await api(`/api/entities?q=${encodeURIComponent(q)}&limit=10`);
    document.getElementById("search-suggestions").replaceChildren(
      ...page.items.map((item) => el("option", { value: item.name }, item.label)),
    );
  }, 150);
});

async function focusEntity(id) {
  if (!nodes.get(id)) {
    addView(await api(`/api/entities/${encodeURIComponent(id)}/neighbors?depth=1`));
    layout();
  }
  network.selectNodes([id]);
  network.focus(id, { scale: 1.2, animation: false });
  await showEntity(id);
}
window.focusEntity = focusEntity;

document.getElementById("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const q = searchBox.value.trim();
  if (!q) return;
  try {
    const page = await api(`/api/entities?q=${encodeURIComponent(q)}&limit=1`);
    if (!page.items.length) return setStatus(`nothing matches “${q}”`);
    await focusEntity(page.items[0].id);
    setStatus("");
  } catch (error) {
    setStatus(error.message);
  }
});

async function start() {
  const [schema, health] = await Promise.all([api("/api/schema"), api("/api/health")]);
  document.getElementById("store-badge").textContent = `${health.store} store`;
  const list = document.getElementById("legend-items");
  for (const entry of schema.labels) {
    state.colors[entry.label] = entry.color;
    list.append(legendItem(entry));
  }
  const view = await api("/api/graph");
  addView(view);
  layout();
  setStatus(`${view.nodes.length} nodes, ${view.edges.length} relationships${view.truncated ? " (cut at the limit)" : ""}`);
  document.body.dataset.ready = "true";
}

start().catch((error) => setStatus(`could not load the graph: ${error.message}`));
