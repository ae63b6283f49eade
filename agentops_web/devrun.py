"""`make run`: the development site and one task worker together; Ctrl-C stops both.

    python -m agentops_web.devrun --port 8000

Starts `manage.py runserver 127.0.0.1:PORT` and `manage.py db_worker` (which sends the
email, see outbox/), each in its own process group, with PORT and SITE_URL (default
http://127.0.0.1:PORT) in their environment, so links in email name the port actually
served. When either stops, or on Ctrl-C (SIGINT) or SIGTERM, both are stopped, their
autoreloader children included. Imports nothing from Django.
"""

import argparse
import os
import signal
import subprocess  # nosec B404: starts this project's own manage.py
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10


def _stop(procs: list[subprocess.Popen]) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        alive = [p for p in procs if p.poll() is None]
        if not alive:
            return
        for p in alive:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline and any(p.poll() is None for p in alive):
            time.sleep(0.1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    env = {**os.environ, "PORT": str(args.port), "PYTHONUNBUFFERED": "1"}
    env.setdefault("SITE_URL", f"http://{args.host}:{args.port}")
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    commands = {
        "worker": [*manage, "db_worker", "--interval", "1", "--no-startup-delay"],
        "site": [*manage, "runserver", f"{args.host}:{args.port}"],
    }
    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    procs = {
        name: subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL, start_new_session=True
        )  # nosec B603
        for name, command in commands.items()
    }
    print(
        f"Started the site (pid {procs['site'].pid}) and the task worker "
        f"(pid {procs['worker'].pid}); Ctrl-C stops both.",
        flush=True,
    )
    code = 0
    while not stopping:
        ended = [name for name, p in procs.items() if p.poll() is not None]
        if ended:
            code = procs[ended[0]].returncode or 1
            print(
                f"The {ended[0]} stopped (exit {procs[ended[0]].returncode}); stopping the rest.",
                file=sys.stderr,
                flush=True,
            )
            break
        time.sleep(0.2)
    _stop(list(procs.values()))
    return code


if __name__ == "__main__":
    sys.exit(main())
