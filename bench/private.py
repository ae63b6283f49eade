"""Private Redis and PostgreSQL servers for tests and benchmarks that break them on purpose.

Each runs on a free port of its own, in a temporary directory of its own, and is stopped at
the end: the machine's shared PostgreSQL (5432) and Redis (6379) are never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """redis-server on a free port of its own, in a directory of its own.

    stop() / start() restart it on the same port; with `snapshot=True` it loads the dump
    written by save() when it starts again (a restore from an older snapshot). hang()
    freezes it (SIGSTOP: connections are accepted by the kernel, never answered); resume()
    thaws it.
    """

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self, *, snapshot: bool = True) -> None:
        """Start on the same port; it loads the last save() unless `snapshot=False` (empty)."""
        if not snapshot:
            (self.dir / "snapshot.rdb").unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
                *("--dir", str(self.dir), "--dbfilename", "snapshot.rdb"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)

    def save(self) -> None:
        """Write a snapshot now (the next start() loads it)."""
        self.client().save()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)

    def hang(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A throw-away PostgreSQL cluster: initdb into a temporary directory, a free port.

    PostgreSQL will not run as root, so the cluster belongs to the `postgres` user when the
    script runs as root. cleanup() stops it and removes the directory.
    """

    def __init__(self, bin_dir: Path = PG_BIN):
        self.bin = Path(bin_dir)
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="agentops-private-pg-"))
        self.data = self.dir / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8")  # fmt: skip
        self.database_url = f"postgres://postgres@127.0.0.1:{self.port}/agentops_faults"
        self.start()

    def _run(self, *command: str) -> None:
        if self.as_root:
            import shlex

            command = ("su", "postgres", "-c", " ".join(shlex.quote(c) for c in command))
        subprocess.run(command, check=True, timeout=120, stdout=subprocess.DEVNULL)

    def is_up(self) -> bool:
        probe = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        return subprocess.run(probe, timeout=10).returncode == 0

    def start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"),
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        # Fast mode: active sessions are ended at once, as when the server goes away.
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def wait_up(self, seconds: float = 60) -> float:
        start = time.monotonic()
        while not self.is_up():
            if time.monotonic() - start > seconds:
                raise RuntimeError(f"PostgreSQL on port {self.port} not up after {seconds:.0f} s")
            time.sleep(0.2)
        return time.monotonic() - start

    def cleanup(self) -> None:
        if self.is_up():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
