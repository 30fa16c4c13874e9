"""The Neo4j store: the same GraphStore, over Bolt with the official driver.

The class receives a driver and a database name; `from_settings` builds (and then owns) the
one driver a process needs. Every statement comes from graph/cypher.py with its values as
parameters. Reads run in READ sessions (a `neo4j://` cluster routes them to readers), each
as ``neo4j.Query(text, timeout=query_timeout_s)``. A write is ONE managed write transaction
(`execute_write`, retried by the driver on transient errors): it reads the stored records
it touches, applies graph/model.py's merge rule in Python, exactly as the embedded store
does, and writes the results in `UNWIND $rows ... MERGE` batches, so a bad record anywhere
rolls every batch back. Asked for explicitly, `merge(..., commit_every=N)` is a bulk load:
the same work, one transaction per N records (nodes first), not atomic, completed by
running it again after a failure (BulkLoadError says what was committed).

What is stored: every property of a record as a native Neo4j property (dates as `Date`,
provenance as lists), plus `id` always (MERGE and the uniqueness constraints key on it).
Reads return exactly what the embedded store returns, in the same order (the parity suite
in tests/test_parity.py checks it).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import neo4j
from neo4j import READ_ACCESS, WRITE_ACCESS, GraphDatabase, Query, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph import cypher
from graph.ids import normalise
from graph.model import Node, Relationship, merge_node
from graph.store import (
    Counts,
    GraphStore,
    StoreError,
    StoreUnavailable,
    WriteSummary,
    gc_paused,
    sort_hits,
    stage_nodes,
    stage_relationship,
)

if TYPE_CHECKING:
    from api.settings import Settings

log = logging.getLogger("dealgraph.neo4j")
# The driver logs connection failures itself; without a handler Python would print them to
# stderr, next to the one line the CLI prints. They still reach any handler the app sets up.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
PING_TIMEOUT_S = 2.0
# The write transaction's limit: a load of many thousand records may take longer than a read.
WRITE_TIMEOUT_S = 600.0
INDEX_WAIT_S = 60
# Said when a one-transaction load is too big for the server's limits.
BATCH_HINT = (
    "a load this large can commit in batches instead (`dealgraph load|import --commit-every N`, "
    "Neo4jStore.merge(commit_every=N); see docs/neo4j.md)"
)


def _native(value: Any) -> Any:
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _props(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: _native(v) for k, v in raw.items()}


def _stored(record_id: str, props: dict[str, Any]) -> dict[str, Any]:
    """The properties Neo4j keeps for a record: all of them, and its id."""
    return {**props, "id": record_id}


@dataclass
class BulkProgress:
    """How far a merge in batches (`Neo4jStore.merge(..., commit_every=N)`) has committed."""

    batches: int = 0
    total_batches: int = 0
    nodes: int = 0
    total_nodes: int = 0
    relationships: int = 0
    total_relationships: int = 0

    def describe(self) -> str:
        return (
            f"{self.batches} of {self.total_batches} batches committed ({self.nodes:,} of {self.total_nodes:,} "
            f"nodes, {self.relationships:,} of {self.total_relationships:,} relationships)"
        )


class BulkLoadError(StoreError):
    """A merge in batches stopped part-way; `progress` says what it had committed."""

    def __init__(self, reason: str, progress: BulkProgress) -> None:
        self.reason = reason
        self.progress = progress
        if progress.batches:
            done = (
                f"{progress.describe()} before it stopped; every batch is an idempotent merge, "
                "so running the same load again completes it"
            )
        else:
            done = "nothing was committed"
        super().__init__(f"{reason}; {done}")


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _search_query(text: str) -> str | None:
    """A Lucene query that every node `search_rank` matches also matches, or None.

    A hit's normalised name contains the normalised search text, so every word of the text
    lies inside one normalised word of the name. The index holds the name's words lower-cased
    and folded to ASCII, where normalise() drops what it cannot fold (ø, ß, ł...): so each
    normalised word is a subsequence of an indexed word, which `*w*o*r*d*` matches. Stop
    words are not indexed, so they are not required. The candidates are then ranked and
    filtered by graph.store.sort_hits, exactly as the embedded store does.
    """
    words = [w for w in dict.fromkeys(normalise(text).split()) if w not in cypher.SEARCH_STOP_WORDS]
    if not words:
        return None
    return " AND ".join("*" + "*".join(w) + "*" for w in words)


class Neo4jStore(GraphStore):
    """A GraphStore on a Neo4j database (5.26 LTS or newer, Community or Enterprise, or Aura).

    `driver` is used as given; `close()` closes it only when this store created it
    (`from_settings`). `uri` names the server in error messages.
    """

    name = "neo4j"

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str = "neo4j",
        timeout_s: float = 10.0,
        batch_size: int = 10_000,
        *,
        uri: str | None = None,
        user: str | None = None,
        owns_driver: bool = False,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._driver = driver
        self.database = database
        self.timeout_s = float(timeout_s)
        self.batch_size = int(batch_size)
        self.uri = uri or "the configured Neo4j server"
        self._user = user
        self._owns_driver = owns_driver
        # Sessions share bookmarks, so a read after this store's write sees it on a cluster.
        self._bookmarks = GraphDatabase.bookmark_manager()
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        """Create the process's driver from DEALGRAPH_NEO4J_* settings (no connection yet)."""
        uri = (settings.neo4j_uri or "").strip()
        scheme = urlsplit(uri).scheme
        if scheme not in SCHEMES:
            raise StoreError(
                f"DEALGRAPH_NEO4J_URI={_without_credentials(uri)!r} is not a Neo4j URI: "
                "use bolt://host:7687 (one server) or neo4j://host:7687 (a cluster or Aura)"
            )
        password = settings.neo4j_password.get_secret_value()
        auth = (settings.neo4j_user, password) if password else None
        try:
            # A TCP connect that takes over 2 s means a broken network: give up then, so that
            # ping() (/api/health) and every command answer quickly while Neo4j is unreachable.
            driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=PING_TIMEOUT_S, user_agent="dealgraph")
        except (DriverError, ValueError) as exc:
            raise StoreError(f"DEALGRAPH_NEO4J_URI={_without_credentials(uri)!r}: {exc}") from None
        return cls(
            driver,
            settings.neo4j_database,
            settings.query_timeout_s,
            settings.neo4j_batch_size,
            uri=_without_credentials(uri),
            user=settings.neo4j_user if auth else None,
            owns_driver=True,
        )

    # -- plumbing ------------------------------------------------------------------------

    @property
    def driver(self) -> neo4j.Driver:
        """The driver this store uses (shared, e.g., by the analyst Cypher runner)."""
        return self._driver

    def close(self) -> None:
        if self._owns_driver:
            self._driver.close()

    def _session(self, mode: str = READ_ACCESS) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=mode, bookmark_manager=self._bookmarks)

    @contextlib.contextmanager
    def _errors(self, doing: str, limit_s: float | None = None, hint: str = "") -> Iterator[None]:
        """Turn driver errors into StoreUnavailable / StoreError with one clear line.

        `limit_s` is the time limit a timeout message names (default: the read limit);
        `hint` is added to a timeout or out-of-memory message."""
        try:
            yield
        except StoreError:
            raise
        except AuthError:
            who = f" for user {self._user!r}" if self._user else " (no credentials were sent)"
            raise StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials{who}: check DEALGRAPH_NEO4J_USER and "
                "DEALGRAPH_NEO4J_PASSWORD"
            ) from None
        except TransientError as exc:
            if hint and exc.code and "OutOfMemory" in exc.code:  # trying again would not help
                raise StoreError(f"Neo4j at {self.uri} ran out of memory to {doing} ({_reason(exc)}); {hint}") from None
            raise StoreUnavailable(f"Neo4j at {self.uri} is busy ({_reason(exc)}); try again") from None
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(
                f"cannot reach Neo4j at {self.uri} ({_reason(exc)}): start it with `dealgraph neo4j start`, "
                "or point DEALGRAPH_NEO4J_URI at a running server"
            ) from None
        except ClientError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreError(
                    f"Neo4j at {self.uri} has no database {self.database!r}: check DEALGRAPH_NEO4J_DATABASE"
                ) from None
            if exc.code and "TransactionTimedOut" in exc.code:
                limit = self.timeout_s if limit_s is None else limit_s
                more = f"; {hint}" if hint else ""
                raise StoreError(f"Neo4j at {self.uri}: {doing} took longer than {limit:g} s{more}") from None
            raise StoreError(f"Neo4j at {self.uri} refused to {doing}: {_reason(exc)}") from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"Neo4j at {self.uri}: could not {doing}: {_reason(exc)}") from None

    def _read(self, session: neo4j.Session, text: str, timeout: float | None = None, **params: Any) -> list[Any]:
        result = session.run(Query(text, timeout=timeout or self.timeout_s), params)
        return list(result)

    def _query(self, doing: str, text: str, **params: Any) -> list[Any]:
        with self._errors(doing), self._session() as session:
            return self._read(session, text, **params)

    def ping(self) -> None:
        with self._errors("answer a ping"), self._session() as session:
            self._read(session, cypher.PING, timeout=PING_TIMEOUT_S)

    # -- schema --------------------------------------------------------------------------

    def ensure_schema(self) -> int:
        """Create the constraints and indexes of graph/cypher.py that are missing; return how many.

        Idempotent (`IF NOT EXISTS`); waits until the indexes are online. A search index
        created for an older schema (other labels) is replaced.
        """
        created = 0
        with self._errors("create the dealgraph constraints and indexes"), self._session(WRITE_ACCESS) as session:
            found = self._read(session, cypher.SEARCH_INDEX_LABELS, name=cypher.SEARCH_INDEX)
            if found and sorted(found[0]["labelsOrTypes"]) != sorted(cypher.labels()):
                self._read(session, cypher.DROP_SEARCH_INDEX)
            for _, statement in cypher.schema_statements():
                # A constraint checks the existing data before it exists: allow a write's time.
                result = session.run(Query(statement, timeout=max(self.timeout_s, WRITE_TIMEOUT_S)))
                counters = result.consume().counters
                created += counters.constraints_added + counters.indexes_added
            if created:
                try:
                    self._read(session, cypher.AWAIT_INDEXES, timeout=INDEX_WAIT_S + 5, seconds=INDEX_WAIT_S)
                except ClientError as exc:  # still populating a large database: search scans meanwhile
                    log.warning("neo4j: indexes not online after %d s (%s)", INDEX_WAIT_S, _reason(exc))
        self._schema_ready = True
        return created

    # -- writes --------------------------------------------------------------------------

    def merge(
        self,
        nodes: Sequence[Node],
        relationships: Sequence[Relationship],
        *,
        commit_every: int | None = None,
        on_commit: Callable[[BulkProgress], None] | None = None,
    ) -> WriteSummary:
        """Merge records with graph/model.py's rule.

        By default in ONE write transaction: a bad record anywhere rolls everything back.
        With `commit_every=N` (a bulk load, as LOAD CSV's `CALL {} IN TRANSACTIONS OF N ROWS`)
        every N nodes, then every N relationships, are one transaction of their own, with
        the same merge rule; `on_commit` is told after each commit. Not atomic: a failure
        raises BulkLoadError, which says what was committed; since every batch is an
        idempotent merge, running the same load again completes it.
        """
        if commit_every is not None and commit_every < 1:
            raise ValueError("commit_every must be at least 1")
        nodes, relationships = list(nodes), list(relationships)
        if not nodes and not relationships:
            return WriteSummary()
        if not self._schema_ready:
            self.ensure_schema()
        with gc_paused():
            if commit_every is None:
                return self._merge_at_once(nodes, relationships)
            return self._merge_in_batches(nodes, relationships, commit_every, on_commit)

    def _merge_at_once(self, nodes: list[Node], relationships: list[Relationship]) -> WriteSummary:
        limit = max(WRITE_TIMEOUT_S, self.timeout_s)
        work = unit_of_work(timeout=limit)(self._merge_work)
        with self._errors("write the records", limit, hint=BATCH_HINT), self._session(WRITE_ACCESS) as session:
            return session.execute_write(work, nodes, relationships, None).summary

    def _merge_in_batches(
        self,
        nodes: list[Node],
        relationships: list[Relationship],
        commit_every: int,
        on_commit: Callable[[BulkProgress], None] | None,
    ) -> WriteSummary:
        limit = max(WRITE_TIMEOUT_S, self.timeout_s)
        work = unit_of_work(timeout=limit)(self._merge_work)
        progress = BulkProgress(
            total_batches=-(-len(nodes) // commit_every) - (-len(relationships) // commit_every),
            total_nodes=len(nodes),
            total_relationships=len(relationships),
        )
        summary = WriteSummary()
        try:
            with self._errors("write the records", limit), self._session(WRITE_ACCESS) as session:
                known = _Known(empty=not self._read(session, cypher.ANY_NODE))
                # Nodes first: each relationship batch MATCHes ends that earlier batches committed.
                batches = [(chunk, []) for chunk in _chunks(nodes, commit_every)]
                batches += [([], chunk) for chunk in _chunks(relationships, commit_every)]
                for batch_nodes, batch_rels in batches:
                    done = session.execute_write(work, batch_nodes, batch_rels, known)
                    known.add(done)
                    for name in vars(summary):
                        setattr(summary, name, getattr(summary, name) + getattr(done.summary, name))
                    progress.batches += 1
                    progress.nodes += len(batch_nodes)
                    progress.relationships += len(batch_rels)
                    log.debug("neo4j: committed %s", progress.describe())
                    if on_commit is not None:
                        on_commit(progress)
        except StoreError as exc:
            raise BulkLoadError(str(exc), progress) from None
        except KeyboardInterrupt:
            raise BulkLoadError("interrupted", progress) from None
        return summary

    def _merge_work(
        self,
        tx: neo4j.ManagedTransaction,
        nodes: list[Node],
        relationships: list[Relationship],
        known: _Known | None,
    ) -> _Done:
        """One write transaction: the shared staging (graph.store.stage_nodes), then batched writes.

        `known` is what a load in batches learnt from its earlier commits; None for a
        one-transaction merge, which asks here whether the database is empty.
        """
        if known is None:
            known = _Known(empty=not list(tx.run(cypher.ANY_NODE)))
        stored = _Stored(tx, known)
        # Relationship ends that an earlier batch committed need no read: only their label is used.
        ends = [e for r in relationships for e in (r.start, r.end) if e not in known.labels]
        stored.fetch_nodes([n.id for n in nodes] + ends)
        stored.fetch_relationships([r.id for r in relationships])
        claim_ids, dispute_ids = _conflict_ids(nodes, stored)
        stored.fetch_nodes(claim_ids)
        stored.fetch_relationships(dispute_ids)

        summary = WriteSummary()
        staged_nodes, staged_rels = stage_nodes(nodes, stored.node, stored.rel, summary)

        def label_of(node_id: str) -> str | None:
            node = staged_nodes.get(node_id)
            if node is not None:
                return node.label
            label = known.labels.get(node_id)
            if label is not None:
                return label
            node = stored.node(node_id)
            return node.label if node is not None else None

        # Nodes first, so that relationships find their ends; unchanged records are not rewritten.
        self._write_nodes(tx, [n for n in staged_nodes.values() if stored.node(n.id) != n], stored)
        pending = [r for r in staged_rels.values() if stored.rel(r.id) != r]
        # Relationships batch by batch: a missing end found in a late batch still rolls back
        # every batch sent before it in this transaction.
        for chunk in _chunks(relationships, self.batch_size):
            touched: dict[str, None] = {}
            for incoming in chunk:
                stage_relationship(incoming, staged_rels, stored.rel, lambda end: label_of(end) is not None, summary)
                touched[incoming.id] = None
            pending.extend(staged_rels[i] for i in touched if stored.rel(i) != staged_rels[i])
            self._write_relationships(tx, pending, label_of, stored)
            pending = []
        self._write_relationships(tx, pending, label_of, stored)
        return _Done(summary, staged_nodes, staged_rels)

    def _write_nodes(self, tx: neo4j.ManagedTransaction, nodes: list[Node], stored: _Stored) -> None:
        groups: dict[tuple[str, bool], list[Node]] = defaultdict(list)
        for node in nodes:
            groups[(node.label, stored.surely_new_node(node.id))].append(node)
        for (label, new), group in groups.items():
            statement = cypher.create_nodes(label) if new else cypher.merge_nodes(label)
            for batch in _chunks(group, self.batch_size):
                rows = [{"id": n.id, "props": _stored(n.id, n.props)} for n in batch]
                try:
                    tx.run(statement, rows=rows).consume()
                except ClientError as exc:
                    raise StoreError(
                        f"Neo4j refused a batch of {len(rows)} {label} node(s) starting at {rows[0]['id']!r}: "
                        f"{_reason(exc)}"
                    ) from None
                log.debug("neo4j: wrote a batch of %d %s node(s)", len(rows), label)

    def _write_relationships(
        self,
        tx: neo4j.ManagedTransaction,
        rels: list[Relationship],
        label_of: Callable[[str], str | None],
        stored: _Stored,
    ) -> None:
        groups: dict[tuple[str, str | None, str | None, bool], list[Relationship]] = defaultdict(list)
        for rel in rels:
            groups[(rel.type, label_of(rel.start), label_of(rel.end), stored.surely_new_rel(rel.id))].append(rel)
        for (rel_type, start_label, end_label, new), group in groups.items():
            if start_label is None or end_label is None:  # cannot happen: _merge_work checked the ends
                raise StoreError(f"relationship {rel_type} {group[0].id}: an end node is missing")
            make = cypher.create_relationships if new else cypher.merge_relationships
            statement = make(rel_type, start_label, end_label)
            for batch in _chunks(group, self.batch_size):
                rows = [{"id": r.id, "start": r.start, "end": r.end, "props": _stored(r.id, r.props)} for r in batch]
                try:
                    written = tx.run(statement, rows=rows).single()
                except ClientError as exc:
                    raise StoreError(
                        f"Neo4j refused a batch of {len(rows)} {rel_type} relationship(s) starting at "
                        f"{rows[0]['id']!r}: {_reason(exc)}"
                    ) from None
                if written is None or written["n"] != len(rows):
                    raise StoreError(f"relationship {rel_type}: an end node of the batch at {rows[0]['id']!r} vanished")
                log.debug("neo4j: wrote a batch of %d %s relationship(s)", len(rows), rel_type)

    # -- reads ---------------------------------------------------------------------------

    def counts(self) -> Counts:
        with self._errors("count nodes and relationships"), self._session() as session:
            labels = {r["name"]: r["n"] for r in self._read(session, cypher.count_labels()) if r["n"]}
            types = {r["name"]: r["n"] for r in self._read(session, cypher.count_types()) if r["n"]}
        return Counts(dict(sorted(labels.items())), dict(sorted(types.items())))

    def get_nodes(self, ids: Sequence[str]) -> list[Node]:
        ids = list(ids)
        if not ids:
            return []
        found = {}
        for r in self._query("read nodes", cypher.nodes_by_id(), ids=list(dict.fromkeys(ids))):
            props = _props(r["props"])
            found[props["id"]] = Node(props["id"], r["label"], props)
        return [found[i] for i in ids if i in found]

    def search(self, text: str, label: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[Node], int]:
        if not normalise(text):
            return [], 0
        if label is not None and label not in cypher.labels():
            return [], 0
        lucene = _search_query(text)
        with self._errors("search"), self._session() as session:
            rows = None
            if lucene is not None:
                try:
                    rows = self._read(
                        session, cypher.SEARCH_CANDIDATES, q=lucene, labels=[label] if label else cypher.labels()
                    )
                except ClientError as exc:  # no search index (a database dealgraph never wrote to)
                    if "index" not in (exc.message or "").lower():
                        raise
                    log.warning("neo4j: search index %s unusable (%s); scanning names", cypher.SEARCH_INDEX, exc)
            if rows is None:
                rows = self._read(session, cypher.search_scan(label))
        candidates = [Node(r["id"], r["label"], {"name": r["name"] or "", "aliases": r["aliases"] or []}) for r in rows]
        hits = sort_hits(text, list({n.id: n for n in candidates}.values()))
        page = [n.id for n in hits[offset : offset + limit]]
        return self.get_nodes(page), len(hits)

    def list_nodes(self, label: str | None = None, limit: int = 20, offset: int = 0) -> tuple[list[Node], int]:
        if label is not None and label not in cypher.labels():
            return [], 0
        with self._errors("list nodes"), self._session() as session:
            if label is None:
                total = sum(r["n"] for r in self._read(session, cypher.count_labels()))
                rows = self._read(session, cypher.list_all(), offset=offset, limit=limit)
            else:
                total = self._read(session, cypher.count_label(label))[0]["n"]
                rows = self._read(session, cypher.list_label(label), offset=offset, limit=limit)
        return [self._node(r) for r in rows], total

    def relationships_of(self, node_ids: Sequence[str], types: Sequence[str] | None = None) -> list[Relationship]:
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return []
        rows = self._query(
            "read relationships", cypher.relationships_of(), ids=ids, types=list(types or cypher.types())
        )
        return sorted((self._rel(r) for r in rows), key=lambda r: r.id)

    def relationships_between(self, node_ids: Sequence[str]) -> list[Relationship]:
        ids = list(dict.fromkeys(node_ids))
        if not ids:
            return []
        rows = self._query("read relationships", cypher.relationships_between(), ids=ids, types=cypher.types())
        return sorted((self._rel(r) for r in rows), key=lambda r: r.id)

    def iter_nodes(self) -> Iterator[Node]:
        """All nodes by id, fetched in pages of batch_size (keyset paging, bounded memory)."""
        after = ""
        while True:
            rows = self._query("read nodes", cypher.nodes_after(), after=after, limit=self.batch_size)
            for r in rows:
                yield self._node(r)
            if len(rows) < self.batch_size:
                return
            after = rows[-1]["props"]["id"]

    def iter_relationships(self) -> Iterator[Relationship]:
        """All relationships by id, fetched in pages of batch_size."""
        after = ""
        while True:
            rows = self._query("read relationships", cypher.relationships_after(), after=after, limit=self.batch_size)
            for r in rows:
                yield self._rel(r)
            if len(rows) < self.batch_size:
                return
            after = rows[-1]["props"]["id"]

    @staticmethod
    def _node(row: Any) -> Node:
        props = _props(row["props"])
        return Node(props["id"], row["label"], props)

    @staticmethod
    def _rel(row: Any) -> Relationship:
        props = _props(row["props"])
        return Relationship(props["id"], row["type"], row["start"], row["end"], props)


class _Known:
    """What a merge knows without asking the database: whether it was empty when the merge
    began (then only ids that this merge committed can exist), the labels of the nodes it
    committed (relationship ends need no read then) and the ids of its relationships."""

    def __init__(self, empty: bool) -> None:
        self.empty = empty
        self.labels: dict[str, str] = {}
        self.rels: set[str] = set()

    def node_may_exist(self, node_id: str) -> bool:
        return not self.empty or node_id in self.labels

    def rel_may_exist(self, rel_id: str) -> bool:
        return not self.empty or rel_id in self.rels

    def add(self, done: _Done) -> None:
        """Learn what a committed transaction wrote."""
        self.labels.update((i, n.label) for i, n in done.nodes.items())
        if self.empty:
            self.rels.update(done.relationships)


@dataclass
class _Done:
    """What one write transaction merged: its summary and the records it staged."""

    summary: WriteSummary
    nodes: dict[str, Node]
    relationships: dict[str, Relationship]


class _Stored:
    """The stored versions of the records a write touches, read inside its transaction.

    Ids that `known` says cannot exist are not asked for (on an empty database, a load's
    first pass reads nothing back), and are then written with CREATE rather than MERGE:
    the uniqueness constraints refuse the write should one exist after all.
    """

    def __init__(self, tx: neo4j.ManagedTransaction, known: _Known) -> None:
        self._tx = tx
        self._known = known
        self._nodes: dict[str, Node | None] = {}
        self._rels: dict[str, Relationship | None] = {}

    def fetch_nodes(self, ids: Iterable[str]) -> None:
        wanted = []
        for i in dict.fromkeys(ids):
            if i not in self._nodes:
                self._nodes[i] = None
                if self._known.node_may_exist(i):
                    wanted.append(i)
        for chunk in _chunks(wanted, 10_000):
            for r in self._tx.run(cypher.nodes_by_id(), ids=list(chunk)):
                node = Neo4jStore._node(r)
                self._nodes[node.id] = node

    def fetch_relationships(self, ids: Iterable[str]) -> None:
        wanted = []
        for i in dict.fromkeys(ids):
            if i not in self._rels:
                self._rels[i] = None
                if self._known.rel_may_exist(i):
                    wanted.append(i)
        for chunk in _chunks(wanted, 10_000):
            for r in self._tx.run(cypher.relationships_by_id(), ids=list(chunk)):
                rel = Neo4jStore._rel(r)
                self._rels[rel.id] = rel

    def node(self, node_id: str) -> Node | None:
        if node_id not in self._nodes:
            self.fetch_nodes([node_id])
        return self._nodes[node_id]

    def rel(self, rel_id: str) -> Relationship | None:
        if rel_id not in self._rels:
            self.fetch_relationships([rel_id])
        return self._rels[rel_id]

    def surely_new_node(self, node_id: str) -> bool:
        return not self._known.node_may_exist(node_id)

    def surely_new_rel(self, rel_id: str) -> bool:
        return not self._known.rel_may_exist(rel_id)


def _conflict_ids(nodes: list[Node], stored: _Stored) -> tuple[list[str], list[str]]:
    """The Claim and DISPUTES ids merging `nodes` will touch, learnt by replaying merge_node
    (pure) over the batch, so that they are fetched in one query rather than one by one.
    Claims do not feed back into the merge of entities, so the ids are exactly those of the
    real pass."""
    staged: dict[str, Node] = {}
    claims: list[str] = []
    disputes: list[str] = []
    for incoming in nodes:
        result = merge_node(staged.get(incoming.id) or stored.node(incoming.id), incoming)
        staged[incoming.id] = result.node
        claims.extend(c.id for c in result.claims)
        disputes.extend(d.id for d in result.disputes)
    return claims, disputes


def _without_credentials(uri: str) -> str:
    """The URI as error messages may show it (no user:password@ part)."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


def _texts(exc: BaseException) -> Iterator[str]:
    yield str(exc)
    for inner in getattr(exc, "exceptions", ()):  # e.g. "all routing table requests failed"
        yield from _texts(inner)
    if exc.__cause__ is not None:
        yield from _texts(exc.__cause__)


def _reason(exc: BaseException) -> str:
    """A short reason for a driver error: "Connection refused" rather than its three-line message."""
    texts = list(_texts(exc))
    for text in texts:
        found = re.findall(r"\(reason (.+?)\)\s*$", text, flags=re.MULTILINE)
        if found:
            return re.sub(r"^\[Errno -?\d+\]\s*", "", found[-1])
        if "DNS resolve" in text:
            return "cannot resolve the host name"
    text = (getattr(exc, "message", None) or texts[0]).strip()
    return text.splitlines()[0] if text else type(exc).__name__
