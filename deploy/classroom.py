"""``make classroom``: N LossLab replicas behind Debian's nginx, all in the foreground.

``python -m deploy.classroom --replicas 2 --port 8080`` starts the replicas on 127.0.0.1:8081 and
:8082 and nginx on :8080, configured from deploy/nginx.conf.template (the same template that
deploy/nginx.conf, the compose file's configuration, is made from: ``--compose``). Ctrl-C stops
them all. What the replicas must agree on they get from here: one cookie secret (XSRF stays on and
uploads work whichever replica a browser reaches; ``$LOSSLAB_COOKIE_SECRET`` or a fresh one per
run) and one class-mode store (``$LOSSLAB_DATABASE_URL``, or the SQLite file in
``$LOSSLAB_DATA_DIR``, default data/). A replica that exits is started again.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
COMPOSE_CONF = Path(__file__).with_name("nginx.conf")
COMPOSE_SERVERS = ("losslab1:8501", "losslab2:8501", "losslab3:8501")
INSTALL_HINT = (
    "nginx is not installed: on Debian or Ubuntu, `sudo apt-get install nginx` (the service need not run)"
)
MAIN_CONF = """# Made by deploy/classroom.py for one run: nginx in the foreground, everything in this folder.
worker_processes 1;
pid {run}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/losslab.conf;
}}
"""


class _Template(string.Template):
    delimiter = "@"  # nginx uses $ for its own variables


def upload_limit_mb(config: Path = REPO / ".streamlit" / "config.toml") -> int:
    """The app's ``server.maxUploadSize`` (MB; Streamlit's default 200 when unset)."""
    with open(config, "rb") as f:
        return int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200))


def render(listen: str, servers: Sequence[str], *, max_fails: int = 1, fail_timeout_s: int = 5) -> str:
    """The http-level nginx configuration: ``listen`` (nginx's syntax: "8080", "127.0.0.1:8080") in
    front of ``servers`` ("host:port" each), with the app's upload limit.

    >>> conf = render("8080", ["127.0.0.1:8081", "127.0.0.1:8082"])
    >>> "server 127.0.0.1:8082 max_fails=1 fail_timeout=5s;" in conf, "client_max_body_size 10m;" in conf
    (True, True)
    """
    if not servers:
        raise ValueError("at least one replica is needed")
    lines = "\n".join(
        f"    server {s} max_fails={max_fails} fail_timeout={fail_timeout_s}s;" for s in servers
    )
    text = TEMPLATE.read_text()
    return _Template(text).substitute(listen=listen, servers=lines, max_body=f"{upload_limit_mb()}m")


def find_nginx() -> str | None:
    """Debian's nginx (in /usr/sbin, often outside a user's PATH), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether ``url``'s Streamlit health endpoint answers "ok"."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except OSError:
        return False


def wait_until(test, what: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Until ``test()`` holds (asked every 0.2 s), or RuntimeError naming ``what``."""
    deadline = time.monotonic() + timeout
    while not test():
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with code {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not ready within {timeout:.0f} s")
        time.sleep(0.2)


class Process:
    """A child in its own process group (so Ctrl-C reaches only the launcher, which stops it)."""

    def __init__(self, cmd: list[str], env: dict, log: Path | None):
        self.cmd, self.env, self.log, self.proc = cmd, env, log, None

    def start(self) -> Process:
        out = open(self.log, "ab") if self.log else None  # noqa: SIM115 (closed below, the child keeps it)
        try:
            self.proc = subprocess.Popen(
                self.cmd, cwd=REPO, env=self.env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                start_new_session=True,
            )  # fmt: skip
        finally:
            if out:
                out.close()
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, wait: float = 10.0) -> None:
        """Signal the process group (SIGKILL for a crash), then reap it (killing it if it lingers)."""
        if not self.alive():
            return
        try:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=wait)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Classroom:
    """``replicas`` app servers on 127.0.0.1:port+1.. and nginx on ``host``:``port``.

    ``logs``: a folder for each process's output (None: this terminal); ``env``: more variables
    for the replicas (``LOSSLAB_DATA_DIR`` for a store of their own). ``start()`` returns once
    every replica and nginx answer; ``stop()`` ends them all. ``replica(k)`` is the k-th
    replica's ``Process`` (``kill(k)`` crashes it, ``restart(k)`` brings it back)."""

    def __init__(
        self, replicas: int = 2, port: int = 8080, *, host: str = "", logs: Path | None = None, env=None
    ):
        if not 1 <= replicas <= 16:
            raise ValueError(f"replicas must be between 1 and 16, got {replicas}")
        if not 1024 <= port <= 65535 - replicas:
            raise ValueError(f"port must leave room for the replicas above it in 1024-65535, got {port}")
        self.n, self.port, self.host, self.logs = replicas, port, host, logs
        self.run_dir = Path(tempfile.mkdtemp(prefix="losslab-classroom-"))
        self.run_dir.chmod(0o755)  # nginx's workers (nobody, when started as root) write temp files here
        self.secret = os.environ.get("LOSSLAB_COOKIE_SECRET") or secrets.token_hex(32)
        self.procs: list[Process] = []
        self.extra_env = dict(env or {})

    @property
    def url(self) -> str:
        return f"http://{self.host or '127.0.0.1'}:{self.port}"

    def replica_url(self, k: int) -> str:
        return f"http://127.0.0.1:{self.port + 1 + k}"

    def which(self, address: str) -> int:
        """The replica at ``address`` ("127.0.0.1:<port>", as nginx's X-LossLab-Replica says it)."""
        return int(address.rsplit(":", 1)[1]) - self.port - 1

    def replica(self, k: int) -> Process:
        return self.procs[k]

    def env(self) -> dict:
        env = {**os.environ, **self.extra_env, "STREAMLIT_SERVER_COOKIE_SECRET": self.secret}
        if not env.get("LOSSLAB_DATABASE_URL"):  # one SQLite file for every replica on this machine
            env["LOSSLAB_DATA_DIR"] = str(Path(env.get("LOSSLAB_DATA_DIR") or REPO / "data").resolve())
        return env

    def _log(self, name: str) -> Path | None:
        return self.logs / f"{name}.log" if self.logs else None

    def start(self) -> Classroom:
        nginx = find_nginx()
        if nginx is None:
            raise RuntimeError(INSTALL_HINT)
        if self.logs:
            self.logs.mkdir(parents=True, exist_ok=True)
        try:
            for k in range(self.n):
                port = self.port + 1 + k
                cmd = [sys.executable, "-m", "ui.serve", "run", "server.py", "--server.port", str(port)]
                cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
                self.procs.append(Process(cmd, self.env(), self._log(f"replica{k + 1}")).start())
            for k in range(self.n):
                self.wait_replica(k)
            servers = [f"127.0.0.1:{self.port + 1 + k}" for k in range(self.n)]
            listen = f"{self.host}:{self.port}" if self.host else str(self.port)
            (self.run_dir / "losslab.conf").write_text(render(listen, servers))
            (self.run_dir / "nginx.conf").write_text(MAIN_CONF.format(run=self.run_dir))
            cmd = [nginx, "-e", "stderr", "-p", str(self.run_dir), "-c", str(self.run_dir / "nginx.conf")]
            self.procs.append(
                Process([*cmd, "-g", "daemon off;"], os.environ.copy(), self._log("nginx")).start()
            )
            wait_until(lambda: healthy(self.url), "nginx", 20, self.procs[-1].proc)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_replica(self, k: int, timeout: float = 90.0) -> None:
        wait_until(lambda: healthy(self.replica_url(k)), f"replica {k + 1}", timeout, self.procs[k].proc)

    def kill(self, k: int) -> None:
        """Crash replica ``k`` (SIGKILL: no goodbye to its browsers)."""
        self.procs[k].stop(signal.SIGKILL)

    def restart(self, k: int) -> None:
        self.procs[k].stop()
        self.procs[k].start()
        self.wait_replica(k)

    def stop(self) -> None:
        for p in reversed(self.procs):  # nginx first: no new requests to replicas going away
            p.stop()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def watch(self) -> None:
        """Until nginx exits: a replica that exits is started again."""
        while self.procs[-1].alive():
            for k in range(self.n):
                if not self.procs[k].alive():
                    code = self.procs[k].proc.returncode
                    print(f"classroom: replica {k + 1} exited ({code}); starting it again", flush=True)
                    self.restart(k)
            time.sleep(1.0)
        raise RuntimeError(f"nginx exited with code {self.procs[-1].proc.returncode}")

    def __enter__(self) -> Classroom:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0].strip("`"))
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="nginx's port; replicas take the next ones")
    parser.add_argument("--host", default="", help="nginx's address (default: every interface)")
    parser.add_argument("--compose", action="store_true", help=f"write {COMPOSE_CONF.name} for compose.yaml")
    args = parser.parse_args(argv)
    if args.compose:
        COMPOSE_CONF.write_text(render("80", COMPOSE_SERVERS))
        print(f"written {COMPOSE_CONF.relative_to(REPO)}")
        return 0
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a SIGTERM stops all, as Ctrl-C does
    try:
        classroom = Classroom(args.replicas, args.port, host=args.host).start()
    except (RuntimeError, ValueError) as exc:
        print(f"classroom: {exc}", file=sys.stderr)
        return 1
    ports = f"{args.port + 1}-{args.port + args.replicas}"
    where = classroom.url if args.host else f"http://<this machine's address>:{args.port} (every interface)"
    print(f"classroom: LossLab on {where}, {args.replicas} replicas on {ports} behind nginx")
    print("classroom: Ctrl-C stops them all", flush=True)
    try:
        classroom.watch()
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"classroom: {exc}", file=sys.stderr)
        return 1
    finally:
        classroom.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
