"""Server-side graph layout for big views, so the browser can draw with physics off.

Force-directed placement in the Fruchterman-Reingold family, made fast enough for 10,000
nodes on two cores: each connected component starts from a PivotMDS embedding (BFS
distances from a few dozen pivots, computed by scipy's csgraph), then a few dozen
iterations move nodes along edge springs and away from the nodes near them (neighbours
within two ideal edge lengths, found with a k-d tree, which is FR's own grid variant).
Components are laid out one by one and packed into rows, biggest first. The graph
structure is networkx's job before it gets here (the stores hand networkx graphs
around); this module works on index arrays.

Results are deterministic for a given input (seeded), and `LayoutCache` keeps the latest
layouts keyed by a hash of the node ids and edge ends, so a view asked for twice is laid
out once. numpy and scipy are imported on the first layout, not when the API starts.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Pixels per ideal edge length: vis-network draws dots of radius ~14 px with a label below.
SCALE = 110.0
EXACT_REPULSION_UP_TO = 250  # up to this many nodes, every pair repels (cheap and prettier)


def view_key(node_ids: Sequence[str], edges: Sequence[tuple[str, str]]) -> str:
    """A hash of a view's shape: the same nodes and edge ends give the same layout.

    >>> view_key(["a", "b"], [("a", "b")]) == view_key(["b", "a"], [("a", "b")])
    True
    >>> view_key(["a", "b"], [("a", "b")]) == view_key(["a", "b"], [])
    False
    """
    h = hashlib.sha1(usedforsecurity=False)
    h.update("\0".join(sorted(node_ids)).encode("utf-8"))
    h.update(b"\1")
    h.update("\0".join(sorted(f"{a}\0{b}" for a, b in edges)).encode("utf-8"))
    return h.hexdigest()


def _pivot_mds(adj, n: int, rng: np.random.Generator, pivots: int = 40) -> np.ndarray:
    """2-D PivotMDS (Brandes and Pich 2006) of one connected component."""
    import numpy as np
    from scipy.sparse.csgraph import shortest_path

    k = min(pivots, n)
    chosen = [int(rng.integers(n))]
    mins = np.full(n, np.inf)
    rows = []
    for _ in range(k):
        d = shortest_path(adj, unweighted=True, directed=False, indices=chosen[-1])
        rows.append(d)
        mins = np.minimum(mins, d)
        chosen.append(int(np.argmax(mins)))  # max-min: the next pivot is the farthest node
    d2 = np.asarray(rows).T ** 2  # n x k
    c = -0.5 * (d2 - d2.mean(axis=0) - d2.mean(axis=1, keepdims=True) + d2.mean())
    _, vecs = np.linalg.eigh(c.T @ c)
    pos = c @ vecs[:, [-1, -2]]
    pos += rng.normal(scale=1e-3, size=pos.shape)  # nodes at equal BFS distances must not coincide
    return pos


def _far_field(pos: np.ndarray, rng: np.random.Generator, cells: int = 24) -> np.ndarray:
    """Repulsion from every node, approximated on a grid (particle-mesh style): each cell
    of nodes pushes every other cell from its centre of mass, and a node gets its cell's
    push plus one from its own cell's centre; softened by the cell size. The grid moves by a
    random fraction of a cell each call, so its lines leave no bands in the layout. A few
    milliseconds for 10,000 nodes, where all pairs would take seconds."""
    import numpy as np

    size = max(float(np.ptp(pos, axis=0).max()), 1e-6) / (cells - 1)  # square cells
    lo = pos.min(0) - rng.random(2) * size
    cell = np.minimum(((pos - lo) / size).astype(np.int64), cells - 1)
    flat = cell[:, 0] * cells + cell[:, 1]
    mass = np.bincount(flat, minlength=cells * cells).astype(float)
    used = np.flatnonzero(mass)
    slot = np.zeros(cells * cells, dtype=np.int64)
    slot[used] = np.arange(len(used))
    centre = np.stack([np.bincount(flat, pos[:, a], cells * cells)[used] for a in (0, 1)], 1) / mass[used, None]
    soft = 2.0 * size**2
    delta = centre[:, None, :] - centre[None, :, :]
    weight = mass[used] / ((delta**2).sum(-1) + soft)
    per_cell = (delta * weight[..., None]).sum(1)
    own = pos - centre[slot[flat]]
    own_push = own * (mass[flat] / ((own**2).sum(1) + soft))[:, None]
    return per_cell[slot[flat]] + own_push


def _fr(pos: np.ndarray, src: np.ndarray, dst: np.ndarray, iterations: int, rng: np.random.Generator) -> np.ndarray:
    """Fruchterman-Reingold refinement with ideal edge length 1."""
    import numpy as np
    from scipy.spatial import cKDTree

    n = len(pos)
    t = 0.1 * max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]), 1.0)
    cool = t / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        if n <= EXACT_REPULSION_UP_TO:
            delta = pos[:, None, :] - pos[None, :, :]
            dist2 = np.maximum((delta**2).sum(-1), 1e-4)
            disp += (delta / dist2[..., None]).sum(1)
        else:
            disp += _far_field(pos, rng)
            pairs = cKDTree(pos).query_pairs(1.5, output_type="ndarray")
            if len(pairs):
                i, j = pairs[:, 0], pairs[:, 1]
                delta = pos[i] - pos[j]
                dist2 = np.maximum((delta**2).sum(-1), 1e-4)
                push = delta / dist2[:, None]
                for axis in (0, 1):
                    disp[:, axis] += np.bincount(i, push[:, axis], n) - np.bincount(j, push[:, axis], n)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt(np.maximum((delta**2).sum(-1), 1e-8))
            pull = delta * dist[:, None]  # |f| = d^2 / k with k = 1
            for axis in (0, 1):
                disp[:, axis] += np.bincount(dst, pull[:, axis], n) - np.bincount(src, pull[:, axis], n)
        disp -= 0.02 * (pos - pos.mean(0))  # a little gravity keeps loose ends near the component
        length = np.sqrt(np.maximum((disp**2).sum(-1), 1e-12))
        pos = pos + disp / length[:, None] * np.minimum(length, t)[:, None]
        t = max(t - cool, 0.01)
    return pos


def _component_layout(members: np.ndarray, src: np.ndarray, dst: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    import numpy as np
    from scipy.sparse import coo_matrix

    n = len(members)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])
    adj = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n)).tocsr()
    pos = _pivot_mds(adj, n, rng)
    # Scale the embedding so that the median edge is one ideal length, or so that each node
    # has about one unit of area (a hairball's BFS distances are all alike), whichever is larger.
    lengths = np.sqrt(((pos[src] - pos[dst]) ** 2).sum(-1))
    by_edges = 1.0 / max(float(np.median(lengths)), 1e-6)
    by_area = float(np.sqrt(n)) / max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1])), 1e-6)
    pos *= max(by_edges, by_area)
    pos += rng.normal(scale=0.3, size=pos.shape)  # nodes the pivots cannot tell apart start near, not on, each other
    iterations = 60 if n <= EXACT_REPULSION_UP_TO else 40
    return _fr(pos, src, dst, iterations, rng)


def layout(node_ids: Sequence[str], edges: Sequence[tuple[str, str]], seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions (x, y in pixels, centred on 0) for every node of a view.

    >>> pos = layout(["a", "b", "c", "lone"], [("a", "b"), ("b", "c")])
    >>> sorted(pos) == ["a", "b", "c", "lone"]
    True
    >>> len({p for p in pos.values()})  # nobody sits on anybody
    4
    """
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(node_ids)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(node_ids)}
    pairs = {(min(a, b), max(a, b)) for a, b in ((index[s], index[t]) for s, t in edges if s in index and t in index)}
    pairs = {p for p in pairs if p[0] != p[1]}
    ends = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    graph = coo_matrix((np.ones(len(ends)), (ends[:, 0], ends[:, 1])), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels, minlength=count)
    local = np.empty(n, dtype=np.int64)
    # Edges grouped by component, so each component takes its slice (no scan per component).
    edge_comp = labels[ends[:, 0]]
    order = np.argsort(edge_comp, kind="stable")
    ends, edge_comp = ends[order], edge_comp[order]
    starts = np.searchsorted(edge_comp, np.arange(count + 1))
    boxes = []
    for c in sorted(np.flatnonzero(sizes > 1), key=lambda c: (-sizes[c], c)):
        members = np.flatnonzero(labels == c)
        local[members] = np.arange(len(members))
        mine = ends[starts[c] : starts[c + 1]]
        pos = _component_layout(members, local[mine[:, 0]], local[mine[:, 1]], rng)
        boxes.append((members, pos - pos.min(0)))
    # Entities with no relationship in the view: one compact square block, after the rest.
    alone = np.flatnonzero(sizes[labels] == 1)
    if len(alone):
        cols = int(np.ceil(np.sqrt(len(alone))))
        i = np.arange(len(alone))
        boxes.append((alone, np.stack([i % cols, i // cols], 1).astype(float)))
    # Shelf packing: rows about as wide as the biggest component (or sqrt of the total area).
    area = sum((p[:, 0].max() + 1.5) * (p[:, 1].max() + 1.5) for _, p in boxes)
    width = max(boxes[0][1][:, 0].max() + 1.5, float(np.sqrt(area)) * 1.2)
    out = np.zeros((n, 2))
    x = y = row_h = 0.0
    for members, pos in boxes:
        w, h = pos[:, 0].max() + 1.5, pos[:, 1].max() + 1.5
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        out[members] = pos + np.array([x, y])
        x += w
        row_h = max(row_h, h)
    out -= (out.max(0) + out.min(0)) / 2
    out *= SCALE
    return {node: (round(float(out[i, 0]), 1), round(float(out[i, 1]), 1)) for i, node in enumerate(node_ids)}


class LayoutCache:
    """The most recent layouts, keyed by `view_key`; thread-safe, bounded by count."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[str, dict[str, tuple[float, float]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, tuple[float, float]] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: str, positions: dict[str, tuple[float, float]]) -> None:
        with self._lock:
            self._items[key] = positions
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
