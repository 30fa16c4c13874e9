// The viewer inside an exported dealgraph view: no server, no network. The data comes from the
// JSON script element "dealgraph-data"; every string in it is shown as text.
"use strict";

(function () {
  const el = DG.el;
  const data = JSON.parse(document.getElementById("dealgraph-data").textContent);
  const colors = Object.fromEntries((data.legend || []).map((e) => [e.label, e.color]));
  const hiddenLabels = new Set(data.hidden_labels || []);
  const hiddenTypes = new Set(data.hidden_types || []);
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));

  document.getElementById("title").textContent = data.title || "dealgraph view";
  const meta = [`${data.nodes.length} nodes, ${data.edges.length} relationships`];
  if (data.as_of) meta.push(`as of ${data.as_of}`);
  meta.push(`exported ${data.exported || ""} from the ${data.store || ""} store`);
  document.getElementById("meta").textContent = meta.join(" · ");

  // vis-network does not draw a relationship whose end is hidden: only types hide edges.
  const edgeHidden = (e) => hiddenTypes.has(e.type);

  const nodes = new vis.DataSet(data.nodes.map((n) => DG.visNode({ ...n, color: n.color || colors[n.label] }, hiddenLabels.has(n.label))));
  const edges = new vis.DataSet(data.edges.filter((e) => byId.has(e.source) && byId.has(e.target)).map((e) => DG.visEdge(e, edgeHidden(e))));
  const positioned = data.nodes.length > 0 && data.nodes.every((n) => typeof n.x === "number");
  const network = new vis.Network(document.getElementById("graph"), { nodes, edges }, {
    ...DG.networkOptions(data.nodes.length),
    physics: positioned ? false : DG.PHYSICS,
  });
  window.network = network;
  network.dgArrows = data.nodes.length <= 1000;
  DG.watchArrows(network, () => data.nodes.length > 1000);
  window.nodes = nodes;
  window.edges = edges;
  network.once("afterDrawing", () => { document.body.dataset.drawn = "true"; });
  network.on("stabilizationIterationsDone", () => network.setOptions({ physics: false }));
  if (positioned) network.fit({ animation: false });

  const panel = document.getElementById("panel");
  function showNode(id) {
    const n = byId.get(id);
    if (n) panel.replaceChildren(...DG.entityContent(n, colors[n.label]));
  }
  function showEdge(id) {
    const e = edgeById.get(id);
    const nameOf = (x) => (byId.get(x) ? byId.get(x).name : x);
    if (e) panel.replaceChildren(...DG.edgeContent({ ...e, sources: e.sources || [] }, nameOf));
  }
  network.on("click", (p) => {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });

  function applyFilters() {
    nodes.update(data.nodes.filter((n) => !!nodes.get(n.id).hidden !== hiddenLabels.has(n.label))
      .map((n) => ({ id: n.id, hidden: hiddenLabels.has(n.label) })));
    edges.update(edges.getIds().filter((id) => !!edges.get(id).hidden !== edgeHidden(edgeById.get(id)))
      .map((id) => ({ id, hidden: edgeHidden(edgeById.get(id)) })));
    document.querySelectorAll("#legend li").forEach((li) => {
      const off = (li.dataset.kind === "label" ? hiddenLabels : hiddenTypes).has(li.dataset.name);
      li.classList.toggle("off", off);
      li.setAttribute("aria-checked", String(!off));
    });
  }
  const toggle = (set) => (name) => {
    if (set.has(name)) set.delete(name);
    else set.add(name);
    applyFilters();
  };
  const labelCounts = {}, typeCounts = {};
  data.nodes.forEach((n) => { labelCounts[n.label] = (labelCounts[n.label] || 0) + 1; });
  data.edges.forEach((e) => { typeCounts[e.type] = (typeCounts[e.type] || 0) + 1; });
  const labelList = document.getElementById("legend-labels");
  const order = (data.legend || []).map((e) => e.label);
  const rank = (label) => (order.includes(label) ? order.indexOf(label) : order.length);
  for (const [label, count] of Object.entries(labelCounts).sort((a, b) => rank(a[0]) - rank(b[0]))) {
    const li = DG.legendItem("label", label, colors[label] || "#999", "", toggle(hiddenLabels));
    li.querySelector(".count").textContent = String(count);
    labelList.append(li);
  }
  const typeList = document.getElementById("legend-types");
  for (const [type, count] of Object.entries(typeCounts).sort()) {
    const li = DG.legendItem("type", type, null, "", toggle(hiddenTypes));
    li.querySelector(".count").textContent = String(count);
    typeList.append(li);
  }
  applyFilters();

  // Find: each Enter moves to the next node whose name or alias contains the text.
  const search = document.getElementById("search");
  let hits = [], at = -1;
  document.getElementById("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = search.value.trim().toLowerCase();
    if (!q) return;
    hits = data.nodes.filter((n) => [n.name, ...(n.aliases || [])].some((x) => x.toLowerCase().includes(q))).map((n) => n.id);
    document.getElementById("status").textContent = hits.length ? "" : "no match";
    if (!hits.length) return;
    at = (at + 1) % hits.length;
    network.selectNodes([hits[at]]);
    network.focus(hits[at], { scale: Math.max(network.getScale(), 1), animation: false });
    showNode(hits[at]);
  });
  search.addEventListener("input", () => { at = -1; });
  document.getElementById("fit").addEventListener("click", () => network.fit({ animation: false }));
  if (data.selected && byId.has(data.selected)) {
    network.selectNodes([data.selected]);
    showNode(data.selected);
  }
})();
