"""Remake the README's "first ten minutes" screenshots (docs/img/*.png) from a real run.

Builds the seeds into a temporary folder, serves the build with ``vetkg serve`` and opens
the report, the document view of one seed and the linked-data page of a department in
Debian's Chromium through Playwright (as the browser tests do). Needs `make browser`.

    .venv/bin/python docs/screenshots.py            # writes docs/img/
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def vetkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, check=True, capture_output=True, text=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {seconds:.0f} s")


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is not installed: run `make browser` first")
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        vetkg("build", "seeds", "--out", str(out))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--graph", str(out), "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/query?query=ASK%7B%7D")
            # the body responsible for the most measures: its page is the richest one
            busiest = "SELECT ?d WHERE { ?d vet:responsibleFor ?m } GROUP BY ?d ORDER BY DESC(COUNT(?m)) ?d LIMIT 1"
            rows = vetkg("query", busiest, "--graph", str(out), "--format", "csv").stdout
            iri = re.search(r"https://w3id\.org/vetkg/id/(\S+?)[,\s]", rows)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
                page.goto((out / "report.html").resolve().as_uri())
                page.screenshot(path=str(IMG / "report.png"))
                if iri:
                    page.goto(f"{base}/id/{iri.group(1)}")
                    page.screenshot(path=str(IMG / "entity-page.png"))
                page.goto((out / "graph.html").resolve().as_uri())
                page.wait_for_timeout(3000)
                page.screenshot(path=str(IMG / "graph.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    for png in sorted(IMG.glob("*.png")):
        print(f"wrote {png.relative_to(ROOT)} ({png.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
