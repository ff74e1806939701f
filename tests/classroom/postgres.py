"""A throwaway PostgreSQL server for the store's tests and ``make bench``: Debian's binaries
(``apt-get install postgresql``), a fresh cluster in a temporary directory, a free port on 127.0.0.1,
trust authentication, stopped at once and removed on ``stop()``. initdb refuses to run as root, so as
root the server runs as the ``postgres`` user that Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

MISSING = "PostgreSQL's initdb was not found (Debian: apt-get install postgresql)"


def find_postgres() -> tuple[str | None, str]:
    """The newest ``.../bin`` holding initdb and pg_ctl, or None and why not."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found and shutil.which("initdb"):
        found = [shutil.which("initdb")]
    if not found:
        return None, MISSING
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and there is no postgres user to run the server as"
    return str(Path(found[-1]).parent), ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """``start()`` initialises and starts a cluster, ``url`` reaches it, ``stop()`` stops and removes it;
    ``with PostgresServer(bindir) as server:`` does both. ``durable=False`` (the tests) skips fsync: a
    database made and dropped in seconds needs no crash safety, and its many small databases start fast."""

    def __init__(self, bindir: str, durable: bool = True):
        self.bindir, self.port, self.durable = bindir, free_port(), durable
        self.root = Path(tempfile.mkdtemp(prefix="losslab-pg-"))
        self.url = f"postgresql://losslab@127.0.0.1:{self.port}/postgres"
        self.user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        user = {"user": self.user.pw_uid, "group": self.user.pw_gid} if self.user else {}
        done = subprocess.run(
            [f"{self.bindir}/{args[0]}", *args[1:]],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.root,
            **user,
        )
        if done.returncode:
            log = (self.root / "server.log").read_text() if (self.root / "server.log").exists() else ""
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr}{done.stdout}\n{log}")

    def start(self) -> PostgresServer:
        if self.user:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        data = str(self.root / "data")
        self._run("initdb", "-D", data, "-U", "losslab", "--auth=trust", "-E", "UTF8", "--no-instructions")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        options += "" if self.durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", data, "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        return self

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        try:
            if (self.root / "data" / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
