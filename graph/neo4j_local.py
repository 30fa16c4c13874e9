"""Run a real local Neo4j Community server for development, tests and CI (no Docker).

The Neo4j jars come from Maven Central (``org.neo4j:neo4j:<NEO4J_VERSION>`` and its
runtime dependencies, fetched once with ``mvn``) and the server is started as a plain
``java`` process, detached from the caller, listening on Bolt at 127.0.0.1 only, with
authentication off.

Layout of the cache directory (``$DEALGRAPH_NEO4J_HOME``, else ``./.neo4j``)::

    <cache>/neo4j.pid            JSON: pid, port, uri, version, home (one server per cache)
    <cache>/<version>/lib/       the jars (complete once lib/.dealgraph-complete exists)
    <cache>/<version>/conf/      neo4j.conf, rewritten on every start
    <cache>/<version>/data/      the database files (kept between runs)
    <cache>/<version>/logs/      Neo4j's own logs (debug.log, ...)
    <cache>/<version>/neo4j-console.log   stdout/stderr of the java process

Usage from a shell::

    python -m graph.neo4j_local start [--port 7687]   # prints: export DEALGRAPH_NEO4J_URI=bolt://...
    python -m graph.neo4j_local status
    python -m graph.neo4j_local stop

Usage from Python (e.g. a pytest fixture)::

    from graph import neo4j_local
    uri = neo4j_local.start(port=7687)
    ...
    neo4j_local.stop()

This module imports only the standard library (and the ``neo4j`` driver, lazily, for the
readiness check). The Docker image of the same release is ``neo4j:<NEO4J_VERSION>-community``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "DEFAULT_PORT",
    "DOCKER_IMAGE",
    "MAVEN_DEPENDENCY_PLUGIN_VERSION",
    "NEO4J_VERSION",
    "Neo4jLocalError",
    "default_cache_dir",
    "ensure_installed",
    "is_installed",
    "main",
    "start",
    "status",
    "stop",
]

NEO4J_VERSION = "5.26.30"
MAVEN_DEPENDENCY_PLUGIN_VERSION = "3.8.1"
DOCKER_IMAGE = f"neo4j:{NEO4J_VERSION}-community"
DEFAULT_PORT = 7687

CACHE_ENV = "DEALGRAPH_NEO4J_HOME"
JAVA_ENV = "DEALGRAPH_NEO4J_JAVA"  # optional: path of the java binary to use
URI_ENV = "DEALGRAPH_NEO4J_URI"

# Entry classes of the server, newest name first (2025.x+ renamed it).
_MAIN_CLASSES = ("org.neo4j.server.Neo4jCommunity", "org.neo4j.server.CommunityEntryPoint")
_MARKER = ".dealgraph-complete"
_PID_FILE = "neo4j.pid"
_CONSOLE_LOG = "neo4j-console.log"
_LOG_TAIL_LINES = 30
_STOP_TIMEOUT = 30.0

# JVM flags the `neo4j` launcher script would pass (server.jvm.additional in the stock
# neo4j.conf). The java.nio/java.io/sun.nio.ch opens are required on Java 17+.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

# Processes started by this Python process: kept so they are reaped (no zombies, no
# "subprocess still running" ResourceWarning) when stop() is called from the same process.
_CHILDREN: dict[int, subprocess.Popen] = {}


class Neo4jLocalError(RuntimeError):
    """Any failure to install, start, stop or inspect the local Neo4j server."""


# --------------------------------------------------------------------------- paths


def default_cache_dir() -> Path:
    """``$DEALGRAPH_NEO4J_HOME`` if set, else ``<cwd>/.neo4j``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.cwd() / ".neo4j"


def _cache(cache_dir: str | os.PathLike | None) -> Path:
    return (Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()).absolute()


def _home(cache: Path) -> Path:
    return cache / NEO4J_VERSION


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Exclusive inter-process lock (serialises concurrent installs/starts)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 64 * 1024))
            data = fh.read().decode("utf-8", "replace")
    except OSError:
        return "(no log)"
    out = data.splitlines()[-lines:]
    return "\n".join(out) if out else "(log is empty)"


def _fail(message: str, log: Path | None = None, text: str | None = None) -> Neo4jLocalError:
    tail = text if text is not None else (_tail(log) if log is not None else None)
    if tail:
        where = f" ({log})" if log is not None else ""
        message = f"{message}\n--- last lines of the log{where} ---\n{tail.rstrip()}"
    return Neo4jLocalError(message)


# --------------------------------------------------------------------------- install

_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dealgraph.local</groupId>
  <artifactId>neo4j-local-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


def _lib(cache: Path) -> Path:
    return _home(cache) / "lib"


def is_installed(cache_dir: str | os.PathLike | None = None) -> bool:
    """True when the jars of NEO4J_VERSION are completely present in the cache."""
    return (_lib(_cache(cache_dir)) / _MARKER).is_file()


def _find_main_class(lib: Path) -> str | None:
    wanted = {c.replace(".", "/") + ".class": c for c in _MAIN_CLASSES}
    found = set()
    for jar in sorted(lib.glob("neo4j-server*.jar")) + sorted(lib.glob("*.jar")):
        try:
            with zipfile.ZipFile(jar) as zf:
                found.update(wanted[n] for n in zf.namelist() if n in wanted)
        except (OSError, zipfile.BadZipFile):
            continue
        if found:
            break
    for cls in _MAIN_CLASSES:
        if cls in found:
            return cls
    return None


def ensure_installed(cache_dir: str | os.PathLike | None = None) -> Path:
    """Download Neo4j NEO4J_VERSION's jars from Maven Central into ``<cache>/<version>/lib``.

    Idempotent: returns at once if the lib directory is complete. The jars are copied
    into a temporary directory first and renamed into place only after Maven succeeded,
    so an interrupted download never leaves a half-complete lib. Returns the lib path.
    """
    cache = _cache(cache_dir)
    home = _home(cache)
    lib = home / "lib"
    if (lib / _MARKER).is_file():
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jLocalError("Maven ('mvn') is not on PATH; it is needed once to fetch the Neo4j jars")
    home.mkdir(parents=True, exist_ok=True)
    with _locked(cache / ".install.lock"):
        if (lib / _MARKER).is_file():  # another process finished it while we waited
            return lib
        for stale in home.glob(".fetch-*"):  # left by a killed earlier attempt
            shutil.rmtree(stale, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix=".fetch-", dir=home) as tmp:
            tmpdir = Path(tmp)
            (tmpdir / "pom.xml").write_text(_POM.format(version=NEO4J_VERSION))
            out = tmpdir / "lib"
            cmd = [
                mvn,
                "-B",
                "-q",
                f"org.apache.maven.plugins:maven-dependency-plugin:{MAVEN_DEPENDENCY_PLUGIN_VERSION}:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={out}",
            ]
            try:
                proc = subprocess.run(
                    cmd,
                    cwd=tmpdir,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            except OSError as exc:
                raise Neo4jLocalError(f"could not run Maven: {exc}") from None
            if proc.returncode != 0:
                raise _fail(
                    f"Maven could not fetch org.neo4j:neo4j:{NEO4J_VERSION} (exit {proc.returncode})",
                    text="\n".join(proc.stdout.splitlines()[-_LOG_TAIL_LINES:]),
                )
            jars = sorted(p.name for p in out.glob("*.jar"))
            main_class = _find_main_class(out) if jars else None
            if main_class is None:
                raise Neo4jLocalError(
                    f"Maven fetched {len(jars)} jars for Neo4j {NEO4J_VERSION} but none holds a server entry "
                    f"class ({', '.join(_MAIN_CLASSES)})"
                )
            (out / _MARKER).write_text(
                json.dumps({"version": NEO4J_VERSION, "main_class": main_class, "jars": len(jars)}, indent=1) + "\n"
            )
            if lib.exists():  # leftover without a marker: replace it
                shutil.rmtree(lib)
            os.rename(out, lib)
    return lib


def _main_class(lib: Path) -> str:
    try:
        cls = json.loads((lib / _MARKER).read_text()).get("main_class")
    except (OSError, ValueError):
        cls = None
    return cls or _find_main_class(lib) or _MAIN_CLASSES[-1]


# --------------------------------------------------------------------------- processes


def _proc_cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def _alive(pid: int, home: Path | None = None) -> bool:
    """True if pid is a live (non-zombie) process, and, when /proc allows the check, our server."""
    if pid <= 0:
        return False
    proc = _CHILDREN.get(pid)
    if proc is not None and proc.poll() is not None:
        _CHILDREN.pop(pid, None)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    if _is_zombie(pid):
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
        return False
    if home is not None:
        cmd = _proc_cmdline(pid)
        if cmd is not None and f"--home-dir={home}" not in cmd:
            return False  # pid was reused by an unrelated process
    return True


def _server_pids(home: Path) -> list[int]:
    """Live java processes serving this home, found via /proc (for a lost pid file)."""
    pids = []
    arg = f"--home-dir={home}"
    for entry in Path("/proc").glob("[0-9]*"):
        cmd = _proc_cmdline(int(entry.name))
        if cmd and arg in cmd and int(entry.name) != os.getpid() and not _is_zombie(int(entry.name)):
            pids.append(int(entry.name))
    return sorted(pids)


def _read_state(cache: Path) -> dict | None:
    try:
        state = json.loads((cache / _PID_FILE).read_text())
        state["pid"] = int(state["pid"])
        return state
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _live_state(cache: Path) -> dict | None:
    state = _read_state(cache)
    if state is None:
        return None
    if _alive(state["pid"], Path(state.get("home") or _home(cache))):
        return state
    return None


def _port_busy(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _java() -> str:
    java = os.environ.get(JAVA_ENV) or shutil.which("java")
    if not java:
        raise Neo4jLocalError(f"no 'java' on PATH (Neo4j {NEO4J_VERSION} needs Java 17 or 21; or set {JAVA_ENV})")
    return java


def _write_conf(home: Path, port: int, pagecache: str) -> Path:
    conf_dir = home / "conf"
    conf_dir.mkdir(parents=True, exist_ok=True)
    for d in ("data", "logs", "plugins", "import", "run"):
        (home / d).mkdir(exist_ok=True)
    settings = {
        "server.directories.data": home / "data",
        "server.directories.logs": home / "logs",
        "server.directories.plugins": home / "plugins",
        "server.directories.import": home / "import",
        "server.directories.run": home / "run",
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "false",
        "server.memory.pagecache.size": pagecache,
        "dbms.usage_report.enabled": "false",
        "db.transaction.timeout": "10m",
        "db.tx_log.rotation.retention_policy": "100M size",
        # Defaults preallocate 256 MB per transaction log (x2 databases): 0.5 GB for an empty DB.
        "db.tx_log.preallocate": "false",
        "db.tx_log.rotation.size": "64M",
        # Internal (5.x) setting: Bolt's two netty event-loop groups each wait a 5 s "quiet
        # period" on shutdown, which made every stop take ~10 s; 0 makes it ~0.5 s.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    conf = conf_dir / "neo4j.conf"
    text = "# Written by graph/neo4j_local.py on every start; edits are overwritten.\n"
    text += "".join(f"{k}={v}\n" for k, v in settings.items())
    conf.write_text(text)
    return conf


def _bolt_ready(uri: str) -> bool:
    from neo4j import GraphDatabase  # lazy: only the readiness check needs the driver
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        with GraphDatabase.driver(uri, auth=None, connection_timeout=2.0, max_connection_lifetime=10) as driver:
            driver.verify_connectivity()
        return True
    except (DriverError, Neo4jError, OSError):
        return False


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM, wait up to timeout, then SIGKILL. Reaps our own children."""
    proc = _CHILDREN.pop(pid, None)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.2)
                return
        elif not _alive(pid):
            return
        else:
            time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if proc is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)


# --------------------------------------------------------------------------- API


def start(
    port: int = DEFAULT_PORT,
    cache_dir: str | os.PathLike | None = None,
    heap: str = "512m",
    pagecache: str = "256m",
    timeout: float = 120,
    lib_cache_dir: str | os.PathLike | None = None,
) -> str:
    """Start the local Neo4j server (installing it first if needed); return its bolt URI.

    If the pid file of this cache dir shows a live server, its URI is returned as is
    (whatever ``port`` says). The server runs detached and outlives the caller; call
    stop() to end it. Raises Neo4jLocalError, with the tail of the server log, if it
    exits or does not answer on Bolt within ``timeout`` seconds.

    ``lib_cache_dir`` takes the jars from another cache dir (installing them there if
    needed) while conf, data, logs and the pid file stay in ``cache_dir``: a second server
    (the tests' one on port 7688) shares one download but never the developer's database.
    """
    cache = _cache(cache_dir)
    home = _home(cache)
    cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache / ".server.lock"):
        state = _live_state(cache)
        if state is not None:
            return state["uri"]
        (cache / _PID_FILE).unlink(missing_ok=True)
        strays = _server_pids(home)
        if strays:
            raise Neo4jLocalError(
                f"a Neo4j server for {home} is already running without a pid file (pid {strays[0]}); "
                "run 'python -m graph.neo4j_local stop' first"
            )
        if not re.fullmatch(r"\d+[kKmMgG]?", heap):
            raise Neo4jLocalError(f"bad heap size {heap!r} (expected e.g. 512m or 1g)")
        if not 0 < port < 65536:
            raise Neo4jLocalError(f"bad port {port}")
        if _port_busy(port):
            raise Neo4jLocalError(f"port {port} on 127.0.0.1 is already in use by another process")

        lib = ensure_installed(cache if lib_cache_dir is None else lib_cache_dir)
        java = _java()
        _write_conf(home, port, pagecache)
        uri = f"bolt://127.0.0.1:{port}"
        log = home / _CONSOLE_LOG
        cmd = [
            java,
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *_JVM_FLAGS,
            "-cp",
            f"{lib}/*",
            _main_class(lib),
            f"--home-dir={home}",
            f"--config-dir={home / 'conf'}",
            "--console-mode",
        ]
        with open(log, "wb") as out:
            out.write(("$ " + " ".join(cmd) + "\n").encode())
            out.flush()
            try:
                proc = subprocess.Popen(
                    cmd,
                    cwd=home,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    close_fds=True,
                )
            except OSError as exc:
                raise Neo4jLocalError(f"could not run {java}: {exc}") from None
        _CHILDREN[proc.pid] = proc
        state = {
            "pid": proc.pid,
            "port": port,
            "uri": uri,
            "version": NEO4J_VERSION,
            "home": str(home),
            "log": str(log),
            "started": time.time(),
        }
        tmp = cache / (_PID_FILE + ".tmp")
        tmp.write_text(json.dumps(state, indent=1) + "\n")
        os.replace(tmp, cache / _PID_FILE)

        deadline = time.monotonic() + timeout
        while True:
            code = proc.poll()
            if code is not None:
                _CHILDREN.pop(proc.pid, None)
                (cache / _PID_FILE).unlink(missing_ok=True)
                raise _fail(f"Neo4j {NEO4J_VERSION} exited with code {code} while starting", log)
            if _bolt_ready(uri):
                return uri
            if time.monotonic() > deadline:
                _terminate(proc.pid, 10)
                (cache / _PID_FILE).unlink(missing_ok=True)
                raise _fail(f"Neo4j {NEO4J_VERSION} did not answer on {uri} within {timeout:g} s; stopped it", log)
            time.sleep(0.5)


def stop(cache_dir: str | os.PathLike | None = None, timeout: float = _STOP_TIMEOUT) -> bool:
    """Stop the server of this cache dir (SIGTERM, then SIGKILL after ``timeout`` s).

    Harmless when nothing runs. Returns True if a server was stopped.
    """
    cache = _cache(cache_dir)
    home = _home(cache)
    with _locked(cache / ".server.lock"):
        state = _read_state(cache)
        pids = []
        if state is not None and _alive(state["pid"], Path(state.get("home") or home)):
            pids.append(state["pid"])
        pids += [p for p in _server_pids(home) if p not in pids]  # also a server whose pid file was lost
        for pid in pids:
            _terminate(pid, timeout)
        left = [p for p in pids if _alive(p)]
        if left:
            raise Neo4jLocalError(f"could not stop Neo4j (pid {left[0]} survives SIGKILL)")
        (cache / _PID_FILE).unlink(missing_ok=True)
        return bool(pids)


def status(cache_dir: str | os.PathLike | None = None) -> dict:
    """Return {'running', 'pid', 'uri', 'version', 'installed', 'home', 'log'} for this cache dir.

    'running' means the process is alive; it does not probe Bolt.
    """
    cache = _cache(cache_dir)
    home = _home(cache)
    state = _live_state(cache)
    if state is None:
        strays = _server_pids(home)
        if strays:  # running but the pid file is gone: the port is unknown
            state = {"pid": strays[0], "uri": None, "version": NEO4J_VERSION}
    return {
        "running": state is not None,
        "pid": state["pid"] if state else None,
        "uri": state.get("uri") if state else None,
        "version": state.get("version", NEO4J_VERSION) if state else NEO4J_VERSION,
        "installed": is_installed(cache),
        "home": str(home),
        "log": str(home / _CONSOLE_LOG),
    }


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m graph.neo4j_local",
        description=f"Manage a local Neo4j Community {NEO4J_VERSION} server (Bolt on 127.0.0.1, no auth).",
    )
    parser.add_argument("--cache-dir", default=None, help=f"jars, data and logs (default: ${CACHE_ENV} or ./.neo4j)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start the server (downloads the jars on first use)")
    p_start.add_argument("--port", type=int, default=DEFAULT_PORT, help="Bolt port (default %(default)s)")
    p_start.add_argument("--heap", default="512m", help="JVM heap, -Xms=-Xmx (default %(default)s)")
    p_start.add_argument("--pagecache", default="256m", help="page cache size (default %(default)s)")
    p_start.add_argument("--timeout", type=float, default=120, help="seconds to wait for Bolt (default %(default)s)")
    sub.add_parser("stop", help="stop the server (harmless if it is not running)")
    sub.add_parser("status", help="print the server status as JSON")
    sub.add_parser("install", help="only download the jars")
    args = parser.parse_args(argv)

    try:
        if args.command in ("start", "install") and not is_installed(args.cache_dir):
            print(
                f"Fetching Neo4j {NEO4J_VERSION} from Maven Central into "
                f"{_home(_cache(args.cache_dir)) / 'lib'} (once, ~150 MB)...",
                file=sys.stderr,
                flush=True,
            )
        if args.command == "install":
            print(ensure_installed(args.cache_dir))
        elif args.command == "start":
            uri = start(
                port=args.port, cache_dir=args.cache_dir, heap=args.heap, pagecache=args.pagecache, timeout=args.timeout
            )
            print(f"Neo4j {NEO4J_VERSION} is up on {uri}", file=sys.stderr)
            print(f"export {URI_ENV}={uri}")
        elif args.command == "stop":
            stopped = stop(cache_dir=args.cache_dir)
            print("Neo4j stopped" if stopped else "Neo4j was not running", file=sys.stderr)
        elif args.command == "status":
            print(json.dumps(status(cache_dir=args.cache_dir), indent=2))
    except Neo4jLocalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `... status | head -1`
        with contextlib.suppress(OSError):  # silence the flush at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
