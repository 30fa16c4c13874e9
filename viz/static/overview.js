// dealgraph: the overview of a big view, drawn on a plain <canvas> of our own in one pass
// (lines, then dots by colour), while vis-network takes the same view in slices in the
// background (explorer.js). vis-network needs about a second and a half of setup for
// 10,000 nodes and 30,000 relationships before it draws anything; this draws the view in
// tens of milliseconds and keeps it usable meanwhile: drag to pan, wheel to zoom, hover for a
// node's tooltip, click a node or relationship, double-click a node. explorer.js hands over
// to vis-network (same camera) as soon as vis-network holds the whole view.
// Text (tooltips, labels) goes into the page through textContent or the canvas only.
"use strict";

(function () {
  const NODE_RADIUS = 14; // world units, as DG.networkOptions' nodes.size
  const LABEL_SIZE = 12; // as nodes.font.size
  const LABEL_FROM = 6; // labels from this many screen pixels on, as scaling.label.drawThreshold
  const EDGE_COLOR = "#a8a8a8";
  const PICK_PX = 5; // how near (screen pixels) a click must land to a dot or a line

  class Overview {
    // `source()` returns {nodes, edges} as vis items (id, x, y, color, hidden, label / from, to,
    // hidden); `handlers` has click({node, edge}), doubleClick(node), tooltip(id) -> text.
    constructor(wrap, source, handlers) {
      this.source = source;
      this.handlers = handlers;
      this.canvas = document.createElement("canvas");
      this.canvas.className = "dg-overview";
      this.canvas.setAttribute("aria-label", "Graph overview");
      this.tip = document.createElement("div");
      this.tip.className = "dg-tooltip";
      this.tip.hidden = true;
      wrap.append(this.canvas, this.tip);
      this.ctx = this.canvas.getContext("2d");
      this.camera = { x: 0, y: 0, scale: 1 };
      this.selected = null;
      this.dirty = true;
      this.frame = 0;
      this.drag = null;
      this.tipTimer = null;
      this.listen();
      this.resize();
      this.observer = new ResizeObserver(() => {
        this.resize();
        this.draw();
      });
      this.observer.observe(wrap);
    }

    destroy() {
      this.observer.disconnect();
      clearTimeout(this.tipTimer);
      cancelAnimationFrame(this.frame);
      this.canvas.remove();
      this.tip.remove();
    }

    resize() {
      const rect = this.canvas.parentElement.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      this.width = Math.max(1, rect.width);
      this.height = Math.max(1, rect.height);
      this.canvas.width = Math.round(this.width * ratio);
      this.canvas.height = Math.round(this.height * ratio);
      this.ratio = ratio;
    }

    // The data changed (DataSet events): read it again before the next frame.
    invalidate() {
      this.dirty = true;
      this.requestDraw();
    }

    requestDraw() {
      if (!this.frame) {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.draw();
        });
      }
    }

    rebuild() {
      const { nodes, edges } = this.source();
      const n = nodes.length;
      this.ids = new Array(n);
      this.xs = new Float64Array(n);
      this.ys = new Float64Array(n);
      this.hidden = new Uint8Array(n);
      this.labels = new Array(n);
      this.index = new Map();
      const byColor = new Map();
      nodes.forEach((item, i) => {
        this.ids[i] = item.id;
        this.xs[i] = typeof item.x === "number" ? item.x : 0;
        this.ys[i] = typeof item.y === "number" ? item.y : 0;
        this.hidden[i] = item.hidden ? 1 : 0;
        this.labels[i] = item.label || "";
        this.index.set(item.id, i);
        const color = (item.color && item.color.background) || "#cccccc";
        if (!byColor.has(color)) byColor.set(color, []);
        byColor.get(color).push(i);
      });
      this.byColor = [...byColor.entries()].map(([color, list]) => [color, Int32Array.from(list)]);
      const ends = [];
      this.edgeIds = [];
      for (const e of edges) {
        if (e.hidden) continue;
        const a = this.index.get(e.from), b = this.index.get(e.to);
        if (a === undefined || b === undefined || this.hidden[a] || this.hidden[b]) continue;
        ends.push(a, b);
        this.edgeIds.push(e.id);
      }
      this.ends = Int32Array.from(ends);
      this.dirty = false;
    }

    // Every node in view, like vis-network's fit(): at most scale 1.
    fit() {
      if (this.dirty) this.rebuild();
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (let i = 0; i < this.xs.length; i++) {
        if (this.hidden[i]) continue;
        minX = Math.min(minX, this.xs[i] - NODE_RADIUS);
        maxX = Math.max(maxX, this.xs[i] + NODE_RADIUS);
        minY = Math.min(minY, this.ys[i] - NODE_RADIUS);
        maxY = Math.max(maxY, this.ys[i] + NODE_RADIUS);
      }
      if (minX === Infinity) {
        this.camera = { x: 0, y: 0, scale: 1 };
        return;
      }
      const scale = Math.min(this.width / (1.1 * (maxX - minX)), this.height / (1.1 * (maxY - minY)), 1);
      this.camera = { x: (minX + maxX) / 2, y: (minY + maxY) / 2, scale };
    }

    toScreen(i) {
      const { x, y, scale } = this.camera;
      return [(this.xs[i] - x) * scale + this.width / 2, (this.ys[i] - y) * scale + this.height / 2];
    }

    toWorld(px, py) {
      const { x, y, scale } = this.camera;
      return { x: (px - this.width / 2) / scale + x, y: (py - this.height / 2) / scale + y };
    }

    draw() {
      if (this.dirty) this.rebuild();
      const ctx = this.ctx, w = this.width, h = this.height;
      const { x, y, scale } = this.camera;
      const ox = w / 2 - x * scale, oy = h / 2 - y * scale;
      ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, w, h);
      const xs = this.xs, ys = this.ys, ends = this.ends;
      // Relationships: one path, one stroke; lines with both ends off to one side are skipped.
      ctx.beginPath();
      for (let k = 0; k < ends.length; k += 2) {
        const ax = xs[ends[k]] * scale + ox, ay = ys[ends[k]] * scale + oy;
        const bx = xs[ends[k + 1]] * scale + ox, by = ys[ends[k + 1]] * scale + oy;
        if ((ax < 0 && bx < 0) || (ax > w && bx > w) || (ay < 0 && by < 0) || (ay > h && by > h)) continue;
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
      }
      ctx.lineWidth = Math.max(scale, 0.3);
      ctx.strokeStyle = EDGE_COLOR;
      ctx.stroke();
      // Nodes: one path per colour.
      const r = Math.max(NODE_RADIUS * scale, 1.2);
      const border = r > 3;
      ctx.lineWidth = Math.max(scale, 0.3);
      ctx.strokeStyle = "#4a4a4a";
      const shown = [];
      for (const [color, list] of this.byColor) {
        ctx.beginPath();
        for (let k = 0; k < list.length; k++) {
          const i = list[k];
          if (this.hidden[i]) continue;
          const px = xs[i] * scale + ox, py = ys[i] * scale + oy;
          if (px < -r || px > w + r || py < -r || py > h + r) continue;
          ctx.moveTo(px + r, py);
          ctx.arc(px, py, r, 0, 2 * Math.PI);
          shown.push(i);
        }
        ctx.fillStyle = color;
        ctx.fill();
        if (border) ctx.stroke();
      }
      const sel = this.selected !== null ? this.index.get(this.selected) : undefined;
      if (sel !== undefined && !this.hidden[sel]) {
        const [px, py] = this.toScreen(sel);
        ctx.beginPath();
        ctx.arc(px, py, r + 1.5, 0, 2 * Math.PI);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "#111111";
        ctx.stroke();
      }
      // Labels once they are big enough to read (and few enough to draw).
      const size = LABEL_SIZE * scale;
      if (size >= LABEL_FROM && shown.length <= 3000) {
        ctx.font = `${size}px arial`;
        ctx.fillStyle = "#222222";
        ctx.textAlign = "center";
        ctx.textBaseline = "top";
        for (const i of shown) ctx.fillText(this.labels[i], xs[i] * scale + ox, ys[i] * scale + oy + r + 2 * scale);
      }
    }

    // The node under a screen point (nearest dot within reach), else null.
    nodeAt(px, py) {
      if (this.dirty) this.rebuild();
      const reach = Math.max(NODE_RADIUS * this.camera.scale, 1.2) + PICK_PX;
      let best = null, bestD = reach * reach;
      for (let i = 0; i < this.xs.length; i++) {
        if (this.hidden[i]) continue;
        const [sx, sy] = this.toScreen(i);
        const d = (sx - px) ** 2 + (sy - py) ** 2;
        if (d <= bestD) {
          bestD = d;
          best = this.ids[i];
        }
      }
      return best;
    }

    // The relationship whose line passes nearest a screen point (within reach), else null.
    edgeAt(px, py) {
      let best = null, bestD = PICK_PX * PICK_PX;
      const ends = this.ends;
      for (let k = 0; k < ends.length; k += 2) {
        const [ax, ay] = this.toScreen(ends[k]);
        const [bx, by] = this.toScreen(ends[k + 1]);
        const dx = bx - ax, dy = by - ay;
        const len = dx * dx + dy * dy;
        const t = len ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
        const d = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2;
        if (d <= bestD) {
          bestD = d;
          best = this.edgeIds[k / 2];
        }
      }
      return best;
    }

    point(ev) {
      const rect = this.canvas.getBoundingClientRect();
      return [ev.clientX - rect.left, ev.clientY - rect.top];
    }

    listen() {
      const c = this.canvas;
      c.addEventListener("pointerdown", (ev) => {
        const [px, py] = this.point(ev);
        this.drag = { px, py, camera: { ...this.camera }, moved: false };
        c.setPointerCapture(ev.pointerId);
        this.hideTip();
      });
      c.addEventListener("pointermove", (ev) => {
        const [px, py] = this.point(ev);
        if (this.drag) {
          const dx = px - this.drag.px, dy = py - this.drag.py;
          if (Math.abs(dx) + Math.abs(dy) > 3) this.drag.moved = true;
          if (this.drag.moved) {
            const s = this.camera.scale;
            this.camera = { ...this.drag.camera, x: this.drag.camera.x - dx / s, y: this.drag.camera.y - dy / s };
            this.requestDraw();
          }
          return;
        }
        this.hover(px, py, ev);
      });
      c.addEventListener("pointerup", (ev) => {
        const drag = this.drag;
        this.drag = null;
        if (!drag || drag.moved) return;
        const [px, py] = this.point(ev);
        const node = this.nodeAt(px, py);
        this.handlers.click({ node, edge: node ? null : this.edgeAt(px, py) });
      });
      c.addEventListener("pointerleave", () => this.hideTip());
      c.addEventListener("dblclick", (ev) => {
        const [px, py] = this.point(ev);
        const node = this.nodeAt(px, py);
        if (node) this.handlers.doubleClick(node);
      });
      c.addEventListener(
        "wheel",
        (ev) => {
          ev.preventDefault();
          const [px, py] = this.point(ev);
          const before = this.toWorld(px, py);
          const scale = Math.min(10, Math.max(0.002, this.camera.scale * Math.exp(-ev.deltaY * 0.0015)));
          // Keep the world point under the pointer where it is.
          this.camera = {
            scale,
            x: before.x - (px - this.width / 2) / scale,
            y: before.y - (py - this.height / 2) / scale,
          };
          this.hideTip();
          this.requestDraw();
        },
        { passive: false },
      );
    }

    hover(px, py, ev) {
      clearTimeout(this.tipTimer);
      this.tipTimer = setTimeout(() => {
        const node = this.nodeAt(px, py);
        if (!node) return this.hideTip();
        const text = this.handlers.tooltip(node);
        if (!text) return this.hideTip();
        this.tip.textContent = text;
        this.tip.style.left = `${px + 12}px`;
        this.tip.style.top = `${py + 12}px`;
        this.tip.hidden = false;
        this.tip.dataset.id = node;
      }, ev.pointerType === "mouse" ? 150 : 0);
    }

    hideTip() {
      clearTimeout(this.tipTimer);
      this.tip.hidden = true;
    }
  }

  window.DG = window.DG || {};
  window.DG.Overview = Overview;
})();
