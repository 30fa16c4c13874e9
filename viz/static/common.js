// dealgraph: drawing code shared by the explorer page and exported HTML files.
// Untrusted text (names, quotes, property values) only ever reaches the page as text:
// through textContent / text nodes, or as a vis-network title string (shown with innerText).
"use strict";

(function () {
  const DG = {};

  DG.el = function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "style") node.style.cssText = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };
  const el = DG.el;

  DG.shortLabel = (name) => (name.length > 40 ? name.slice(0, 38) + "…" : name);

  DG.tooltip = function tooltip(n) {
    const lines = [`${n.name} (${n.label})`];
    if (n.status) lines.push(`status: ${n.status}`);
    if (n.valid_from || n.valid_to) lines.push(`in force: ${n.valid_from || "…"} to ${n.valid_to || "…"}`);
    if (n.aliases && n.aliases.length) lines.push(`also: ${n.aliases.join(", ")}`);
    return lines.join("\n"); // a string title: vis-network shows it with innerText, never as HTML
  };

  // A node keeps its own colour when selected or hovered: only the border changes.
  DG.nodeColor = (c) => ({
    background: c,
    border: "#4a4a4a",
    highlight: { background: c, border: "#111111" },
    hover: { background: c, border: "#222222" },
  });
  DG.FADED = {
    background: "#ececec",
    border: "#d6d6d6",
    highlight: { background: "#ececec", border: "#111111" },
    hover: { background: "#ececec", border: "#222222" },
  };

  DG.visNode = function visNode(n, hidden) {
    const item = {
      id: n.id,
      label: DG.shortLabel(n.name),
      title: DG.tooltip(n),
      dgLabel: n.label, // not vis "group": an update of a grouped node would repaint it in the group colour
      color: DG.nodeColor(n.color || "#cccccc"),
      hidden: !!hidden,
      dg: n,
    };
    if (typeof n.x === "number" && typeof n.y === "number") {
      item.x = n.x;
      item.y = n.y;
    }
    return item;
  };

  DG.EDGE_COLOR = { color: "#a8a8a8", highlight: "#333333", hover: "#666666" };
  // Colour and width come from the network options (per-edge options cost vis time on
  // 30,000 edges); a highlight sets them per edge, and puts them back on clearing.
  DG.visEdge = function visEdge(e, hidden) {
    return { id: e.id, from: e.source, to: e.target, label: e.type, hidden: !!hidden, dgType: e.type };
  };

  DG.networkOptions = function networkOptions(size) {
    const big = size > 1000;
    return {
      autoResize: true,
      nodes: {
        shape: "dot",
        size: 14,
        font: { size: 12, color: "#222222" },
        borderWidthSelected: 4,
        scaling: { label: { drawThreshold: 6 } },
      },
      edges: {
        color: DG.EDGE_COLOR,
        width: 1,
        font: { size: 9, align: "middle", color: "#666666" },
        smooth: false,
        // Big views start zoomed out, where arrowheads are specks that cost half the drawing:
        // the explorer turns them on when the user zooms in (see DG.watchArrows).
        arrows: { to: { enabled: !big, scaleFactor: big ? 0.4 : 0.6 } },
        selectionWidth: 2,
      },
      physics: false,
      layout: { improvedLayout: size <= 150 },
      interaction: {
        hover: !big,
        tooltipDelay: 150,
        hideEdgesOnDrag: big,
        hideEdgesOnZoom: big,
        multiselect: false,
        keyboard: false,
      },
    };
  };

  // Arrowheads on big views only from this zoom on (with a little hysteresis). `isBig` is
  // asked after each frame (so programmatic zooms count too); `network.dgArrows` says
  // whether they are on now.
  DG.watchArrows = function watchArrows(network, isBig) {
    network.on("afterDrawing", () => {
      if (!isBig()) return;
      const scale = network.getScale();
      const want = network.dgArrows ? scale > 0.3 : scale > 0.4;
      if (want !== Boolean(network.dgArrows)) {
        network.dgArrows = want;
        network.setOptions({ edges: { arrows: { to: { enabled: want, scaleFactor: 0.4 } } } });
      }
    });
  };

  DG.PHYSICS = {
    enabled: true,
    solver: "forceAtlas2Based",
    forceAtlas2Based: { springLength: 110 },
    stabilization: { enabled: true, iterations: 200, fit: true },
  };

  function valueText(value) {
    if (Array.isArray(value)) return value.join(", ");
    if (value !== null && typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  DG.propertiesBlock = function propertiesBlock(props) {
    const dl = el("dl", { class: "props" });
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) continue;
      dl.append(el("dt", {}, key), el("dd", { "data-key": key }, valueText(value)));
    }
    return dl;
  };

  DG.sourcesBlock = function sourcesBlock(sources) {
    const block = el("section", { class: "sources" }, el("h3", {}, `Sources (${sources.length})`));
    for (const s of sources) {
      const where = s.start >= 0 ? ` · characters ${s.start}–${s.end}` : "";
      block.append(
        el("div", { class: "source-title" }, s.title || s.source, s.publisher ? ` — ${s.publisher}` : "", where),
      );
      if (s.quote) block.append(el("blockquote", { class: "quote" }, s.quote));
      if (s.url) block.append(el("div", { class: "source-url" }, s.url)); // as text: no link to follow by accident
    }
    return block;
  };

  // An entity (from /api/entities/{id} or an exported node with details) as panel content.
  DG.entityContent = function entityContent(e, color) {
    const props = e.properties || {};
    const dates = {};
    for (const key of ["valid_from", "valid_to", "reported_on"]) if (props[key]) dates[key] = props[key];
    const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !(k in dates)));
    const out = [
      el("h2", { class: "entity-name" }, e.name),
      el(
        "div",
        { class: "entity-meta" },
        el("span", { class: "label-pill", style: `background:${color || "#888"}` }, e.label),
        e.status ? el("span", { class: "status-pill" }, e.status) : null,
      ),
      DG.propertiesBlock({ id: e.id }),
    ];
    if (e.aliases && e.aliases.length) out.push(el("h3", {}, "Aliases"), el("p", { class: "aliases" }, e.aliases.join(" · ")));
    if (Object.keys(dates).length) out.push(el("h3", {}, "Dates"), DG.propertiesBlock(dates));
    if (Object.keys(rest).length) out.push(el("h3", {}, "Properties"), DG.propertiesBlock(rest));
    if (e.sources) out.push(DG.sourcesBlock(e.sources));
    return out;
  };

  DG.edgeContent = function edgeContent(e, nameOf) {
    return [
      el("h2", {}, e.type),
      el("p", { class: "edge-ends" }, nameOf(e.source), " → ", nameOf(e.target)),
      DG.propertiesBlock({ id: e.id, ...(e.properties || {}) }),
      e.sources ? DG.sourcesBlock(e.sources) : el("p", { class: "hint" }, "loading sources…"),
    ];
  };

  // Legend entries: a swatch (or a line for types), the name, a count; a click toggles.
  DG.legendItem = function legendItem(kind, name, color, title, onToggle) {
    const swatch = kind === "label"
      ? el("span", { class: "swatch", style: `background:${color}` })
      : el("span", { class: "swatch-line" });
    const item = el(
      "li",
      { "data-kind": kind, "data-name": name, title: title || "", role: "switch", "aria-checked": "true", tabindex: "0" },
      swatch,
      el("span", { class: "legend-name" }, name),
      el("span", { class: "count" }),
    );
    const toggle = () => onToggle(name);
    item.addEventListener("click", toggle);
    item.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        toggle();
      }
    });
    return item;
  };

  window.DG = DG;
})();
