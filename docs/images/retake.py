#!/usr/bin/env python
"""Retake the README's screenshots from a fresh demo site.

    .venv/bin/python docs/images/retake.py

It makes a throw-away SQLite database in a temporary folder, loads the framework and the demo
data (`seed_demo`), serves the site with `runserver` on 127.0.0.1:8123 and photographs, with
Debian's Chromium through Playwright (as the browser tests do), the pages the README shows:
the maturity dashboard and a factor page at 1280 px, and the factor page at phone width
(390 px). The PNG files land beside this script; nothing else is written.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PORT = 8123
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# (file, path, width, what to wait for, full page?)
SHOTS = [
    ("maturity-dashboard.png", "/maturity/", 1280, "main h1", False),
    ("factor-page.png", "/factors/{factor}/", 1280, "main h1", False),
    ("factor-page-phone.png", "/factors/{factor}/", 390, "main h1", False),
]


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )


def main():
    from playwright.sync_api import sync_playwright

    # Factor I: widely used in the demo data, so its page shows every part (classification grid,
    # criteria, quantified improvement, failure modes, history). FACTOR=<slug> picks another.
    factor = os.environ.get("FACTOR", "automated-tracking")

    with tempfile.TemporaryDirectory(prefix="agentops-shots-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
        env.update(DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", DEBUG="true")
        manage(env, "migrate", "--noinput")
        manage(env, "load_framework")
        manage(env, "seed_demo", "--seed", "1")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(BASE + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=CHROMIUM_ARGS, headless=True)
                for name, path, width, ready, full in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(BASE + path.format(factor=factor))
                    page.wait_for_selector(ready)
                    page.screenshot(path=str(HERE / name), full_page=full)
                    print(f"{name}: {path.format(factor=factor)} at {width} px")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
