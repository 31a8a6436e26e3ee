"""A throwaway PostgreSQL cluster on loopback for the test suite, and fresh databases cut from a template."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ENV_URL = "JIANBAO_TEST_PG_URL"
TEMPLATE = "jianbao_template"


def pg_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL binaries folder, or whatever `pg_ctl` on PATH lives in."""
    roots = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    for root in roots:
        if (root / "initdb").exists() and (root / "pg_ctl").exists():
            return root
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and (Path(found).parent / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster must belong to an unprivileged OS user.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class PgCluster:
    """A running server we may create databases on; `stop()` only stops clusters we started."""

    admin_url: str  # a URL to a maintenance database (postgres), with the psycopg driver
    data_dir: Path | None = None
    bin_dir: Path | None = None
    root: Path | None = None

    @classmethod
    def start(cls, bin_dir: Path) -> PgCluster:
        root = Path(tempfile.mkdtemp(prefix="jianbao-pg-"))
        data = root / "data"
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(root, entry.pw_uid, entry.pw_gid)
        port = _free_port()
        subprocess.run(
            _as_postgres(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                ]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        subprocess.run(
            _as_postgres(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(root / "log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        return cls(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", data, bin_dir, root)

    @classmethod
    def external(cls, url: str) -> PgCluster:
        parsed = make_url(url).set(drivername="postgresql+psycopg", database="postgres")
        return cls(parsed.render_as_string(hide_password=False))

    def url_for(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _admin(self, *statements: str) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for stmt in statements:
                    conn.execute(text(stmt))
        finally:
            engine.dispose()

    def make_template(self) -> None:
        """A migrated empty store to copy: CREATE DATABASE … TEMPLATE is far cheaper than migrating each time."""
        from jianbao.store import open_store

        self._admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}")
        open_store(self.url_for(TEMPLATE)).close()

    def create_database(self, *, template: str | None = TEMPLATE) -> str:
        name = f"t_{uuid.uuid4().hex}"
        self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.data_dir is None or self.bin_dir is None:
            return
        subprocess.run(
            _as_postgres(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
