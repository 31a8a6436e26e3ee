"""A throwaway PostgreSQL cluster on loopback for the test suite, and fresh databases cut from a template.

Under pytest-xdist every worker starts its own cluster (about 2 s for initdb, start-up and template, paid once per
worker and in parallel): sharing one would need a cross-process lock, a server that outlives the worker that
started it, and one template that no worker may drop while another copies it, for a second or two saved.
"""

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
        port: int = sock.getsockname()[1]
        return port


_START_ATTEMPTS = 3  # a port found free can be taken (by another worker) before the server binds it


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
    template: str = TEMPLATE  # the migrated empty store new databases are copied from

    @classmethod
    def start(cls, bin_dir: Path, *, template: str = TEMPLATE) -> PgCluster:
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
                    "--no-sync",  # a throwaway cluster (run with fsync=off too): syncing costs a second
                ]
            ),
            check=True,
            capture_output=True,
        )
        for attempt in range(_START_ATTEMPTS):
            port = _free_port()
            options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
            started = subprocess.run(
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
                check=attempt == _START_ATTEMPTS - 1,
                capture_output=True,
            )
            if started.returncode == 0:
                break
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        return cls(url, data, bin_dir, root, template=template)

    @classmethod
    def external(cls, url: str, *, template: str = TEMPLATE) -> PgCluster:
        parsed = make_url(url).set(drivername="postgresql+psycopg", database="postgres")
        return cls(parsed.render_as_string(hide_password=False), template=template)

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

        self._admin(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)", f"CREATE DATABASE {self.template}")
        open_store(self.url_for(self.template)).close()

    def create_database(self, *, template: str | None = TEMPLATE) -> str:
        name = f"t_{uuid.uuid4().hex}"
        self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.data_dir is None or self.bin_dir is None:
            self.drop_database(self.template)  # an external server: leave it as we found it
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
