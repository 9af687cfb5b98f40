"""How long an address the 404 page sends on takes to land, against the page itself.

    python -m bench.alias_route [--runs 5] [--site PATH]

On a host without redirect rules (GitHub Pages; here Python's static server, which answers a
missing path with the site's 404.html), /errors/ojs-3001 is the 404 page, whose script sends
the reader to /errors/OJS-3001/. This opens both in Debian's Chromium with Lighthouse's
mobile throttling applied through the DevTools protocol (150 ms round trip, 1.6 Mbit/s
down, 750 kbit/s up, CPU four times slower), with an empty cache each run, and prints the
median times until the code page is asked for (when the 404 page has sent the reader on)
and until its load event, and the number of requests. Results are in
bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from .server import build_site, serve

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run"]
THROTTLING = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
              "uploadThroughput": 750 * 1024 / 8}


def land(browser, url: str, final_path: str) -> tuple[float, float, int]:
    context = browser.new_context()
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", THROTTLING)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    requests, asked = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("request", lambda request: request.url.endswith(final_path) and asked.append(time.perf_counter()))
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_url(f"**{final_path}", wait_until="load", timeout=60000)
    elapsed = time.perf_counter() - start
    context.close()
    return asked[0] - start, elapsed, len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, help="a whole-site build to measure (default: build one)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build_site(Path(scratch) / "site")
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
            print(f"median of {args.runs} runs, mobile throttling, empty cache")
            print("| address | the code page asked for | the code page loaded | requests |")
            print("|---|---|---|---|")
            for path in ("/errors/OJS-3001/", "/errors/ojs-3001"):
                runs = [land(browser, base + path, "/errors/OJS-3001/") for _ in range(args.runs)]
                asked, loaded, requests = (statistics.median(r[i] for r in runs) for i in range(3))
                print(f"| `{path}` | {asked:.2f} s | {loaded:.2f} s | {requests:.0f} |")
            browser.close()


if __name__ == "__main__":
    main()
