"""Lighthouse's mobile performance for the site's pages served by nginx, as published.

    python -m bench.lighthouse [--runs 3] [--page PATH ...] [--layout part|site] [--plain]

Builds the site in the chosen layout (by default the part, in a host's errors/ folder),
serves it on localhost by Debian's nginx with the generated snippets (redirects,
gzip_static), as README's Publishing section says (and plainly, without compression,
with --plain), then runs Lighthouse (from the npm registry through npx, pinned below) in
Debian's Chromium on each page a few times: a code page, a category page, the overview
and the 404 page by default.
It prints the performance score, first and largest contentful paint, total blocking
time, bytes transferred and requests, and the render-blocking resources Lighthouse names.
Results are in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from .server import build_site, nginx
LIGHTHOUSE = "lighthouse@12.8.2"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run --disable-sync")


# The 404 page by its own address: Lighthouse measures no page answered with status 404.
PAGES = ("/errors/OJS-3001/", "/errors/job-lifecycle/", "/errors/", "/errors/404.html")


def lighthouse(url: str, report: Path, chromium: str) -> dict:
    subprocess.run(["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--only-categories=performance",
                    "--output=json", f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, env={**os.environ, "CHROME_PATH": chromium}, stdout=subprocess.DEVNULL)
    result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    return {
        "score": round(result["categories"]["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": sum(1 for item in audits["network-requests"]["details"]["items"] if item["url"].startswith("http")),
        "blocking": sorted(item["url"].rsplit("/", 1)[-1].split("?")[0]
                           for item in audits["render-blocking-resources"].get("details", {}).get("items", [])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", action="append", help=f"a page's path (repeatable; default: {', '.join(PAGES)})")
    parser.add_argument("--layout", choices=("part", "site"), default="part",
                        help="part: the errors/ folder of a larger site, as openjobspec.org publishes it")
    parser.add_argument("--plain", action="store_true", help="also serve it plainly, without compression")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        # The part layout is served as openjobspec.org would: the build is the host's errors/ folder.
        site = scratch / "host"
        build = site / "errors" if args.layout == "part" else site
        build_site(build, args.layout)
        print(f"{args.layout} layout, median of {args.runs} runs (Lighthouse mobile, simulated throttling)")
        print("| page | served | performance | first contentful paint | largest contentful paint | "
              "total blocking time | transferred | requests | render-blocking |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---|")
        servings = [("nginx, generated snippets", True)] + ([("nginx, plain", False)] if args.plain else [])
        for name, with_snippets in servings:
            state = scratch / ("snippets" if with_snippets else "plain")
            state.mkdir()
            with nginx(site, state, with_snippets=with_snippets, snippets=build / "nginx") as port:
                for page in args.page or PAGES:
                    runs = [lighthouse(f"http://127.0.0.1:{port}{page}", state / f"report-{run}.json", args.chromium)
                            for run in range(args.runs)]
                    median = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "blocking"}
                    blocking = sorted({name for run in runs for name in run["blocking"]})
                    print(f"| `{page}` | {name} | {median['score']:.0f} | {median['fcp']:.2f} s | {median['lcp']:.2f} s | "
                          f"{median['tbt']:.0f} ms | {median['bytes'] / 1024:.0f} KB | {median['requests']:.0f} | "
                          f"{', '.join(blocking) or 'none'} |", flush=True)


if __name__ == "__main__":
    main()
