"""The one settings object: environment variables prefixed DEALGRAPH_, or a .env file.

Every setting is listed in docs/settings.md (a test checks the two agree).
"""

from __future__ import annotations

import ipaddress
import os
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "dealgraph"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALGRAPH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir, description="Folder of the embedded store's file.")
    store: Literal["auto", "embedded", "neo4j"] = Field(
        "auto", description="Which store to use; auto means Neo4j when DEALGRAPH_NEO4J_URI is set, else embedded."
    )
    neo4j_uri: str | None = Field(None, description="bolt:// or neo4j:// URI of the Neo4j server.")
    neo4j_user: str = Field("neo4j", description="Neo4j user name.")
    neo4j_password: SecretStr = Field(SecretStr(""), description="Neo4j password (empty when auth is off).")
    neo4j_database: str = Field("neo4j", description="Neo4j database name.")
    neo4j_batch_size: int = Field(10_000, ge=1, le=100_000, description="Rows per UNWIND batch when writing to Neo4j.")
    query_timeout_s: float = Field(10.0, gt=0, le=300, description="Time limit of each read query, in seconds.")
    queries_file: Path | None = Field(
        None, description="A YAML file of saved Cypher queries added to the bundled ones (graph/queries.yaml)."
    )
    host: str = Field("127.0.0.1", description="Address `dealgraph serve` binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port `dealgraph serve` listens on.")
    api_token: SecretStr = Field(
        SecretStr(""), description="Bearer token for write endpoints; required when bound to a non-loopback address."
    )
    protect_reads: bool = Field(False, description="Require the API token on read endpoints too.")
    max_graph_nodes: int = Field(2_000, ge=10, le=100_000, description="Most nodes one graph view returns.")

    def store_kind(self) -> Literal["embedded", "neo4j"]:
        if self.store == "auto":
            return "neo4j" if self.neo4j_uri else "embedded"
        return self.store

    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


@cache
def get_settings() -> Settings:
    return Settings()
