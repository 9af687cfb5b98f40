"""Build-time benchmark: the catalog site against a bare MkDocs Material baseline.

    python -m bench.run [--sizes 54 500 5000] [--repeat 3]

For each size N it writes a synthetic catalog (bench/synthetic.py), builds the site from it
through CATALOG_FILE, and builds a bare baseline beside it in the same run: the same
code and category pages as plain Markdown files, linked from one index page, out of the
nav, with Material and its search plugin and none of this project's plugins. It prints,
per N, the median build time, peak memory, the ratio to the baseline, the size of one
code page and of the search index per code, then the growth from the middle size to the
largest. Targets are in bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from macros import nav, render
from macros.catalog import load_catalog
from macros.layout import category_src, code_src

from .synthetic import ROOT, write_synthetic_catalog

SAMPLE_CODE = "OJS-3001"
SITE_URL = "https://openjobspec.org/"


@dataclass(frozen=True)
class Build:
    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class Measurement:
    builds: list[Build]
    page_bytes: int
    index_bytes: int

    @property
    def median_seconds(self) -> float:
        return statistics.median(b.seconds for b in self.builds)

    @property
    def peak_mb(self) -> float:
        return max(b.peak_mb for b in self.builds)


def timed_build(project: Path, site_dir: Path, env: dict[str, str]) -> Build:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site_dir)],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{output.decode(errors='replace')}")
    return Build(seconds, usage.ru_maxrss / 1024)


def measure(project: Path, site_dir: Path, env: dict[str, str], repeat: int) -> Measurement:
    builds = [timed_build(project, site_dir, env) for _ in range(repeat)]
    page = site_dir / "errors" / SAMPLE_CODE / "index.html"
    index = site_dir / "search" / "search_index.json"
    return Measurement(builds, page.stat().st_size, index.stat().st_size)


def write_baseline(catalog_file: Path, project: Path) -> None:
    """The same site as plain files: every generated page written out as Markdown, the code
    pages linked from one index page and kept out of the nav, the same nav, theme and
    Markdown extensions, and none of this project's plugins, macros, aliases or tables."""
    catalog = load_catalog(catalog_file)
    with (ROOT / "mkdocs.yml").open("rb") as file:
        site = yaml_load(file)  # MkDocs' own reading: !ENV, and the engine's file it INHERITs
    pages = {category_src(c.slug): render.category_page(catalog, c) for c in catalog.categories}
    pages.update({code_src(c.code): render.code_page(catalog, c, f"{SITE_URL}errors/") for c in catalog.codes})
    links = "\n".join(f"- [{c.code}]({c.code}.md) {c.name}" for c in catalog.codes)
    pages["errors/index.md"] = f"# Error catalog\n\n{links}\n"
    pages["errors/canonical-codes.md"] = "# Canonical codes\n\nSee each code's page.\n"
    pages["index.md"] = "# Home\n\nThe [error catalog](errors/index.md).\n"
    site_nav = nav.with_categories(site["nav"], [{c.nav_label: category_src(c.slug)} for c in catalog.categories])
    for title, src in _nav_pages(site_nav):
        pages.setdefault(src, f"# {title}\n\nA hand-written page.\n")
    for src, markdown in pages.items():
        (project / "docs" / src).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / src).write_text(markdown, encoding="utf-8")
    config = {
        "site_name": "Baseline",
        "site_url": SITE_URL,
        "nav": site_nav,
        "not_in_nav": "/errors/OJS-*.md",
        "theme": {"name": "material", "font": False, "features": site["theme"]["features"]},
        "markdown_extensions": site["markdown_extensions"],
        "plugins": ["search"],
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _nav_pages(nav: list) -> list[tuple[str, str]]:
    """(title, source path) of every page the nav lists, at any depth."""
    pages = []
    for item in nav:
        entries = item.items() if isinstance(item, dict) else [(item, item)]
        for title, value in entries:
            if isinstance(value, list):
                pages += _nav_pages(value)
            else:
                pages.append((title, value))
    return pages


def run(sizes: list[int], repeat: int) -> dict[int, tuple[Measurement, Measurement]]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CATALOG_LAYOUT": "site"}
    results = {}
    with tempfile.TemporaryDirectory(prefix="ojs-bench-") as scratch:
        scratch_dir = Path(scratch)
        for size in sizes:
            catalog_file = write_synthetic_catalog(size, scratch_dir / f"catalog-{size}.yaml")
            baseline = scratch_dir / f"baseline-{size}"
            write_baseline(catalog_file, baseline)
            ours = measure(ROOT, scratch_dir / f"site-{size}", {**env, "CATALOG_FILE": str(catalog_file)}, repeat)
            bare = measure(baseline, scratch_dir / f"bare-{size}", env, repeat)
            results[size] = (ours, bare)
            print(f"  built N={size}: {ours.median_seconds:.2f} s, baseline {bare.median_seconds:.2f} s",
                  file=sys.stderr, flush=True)
    return results


def report(results: dict[int, tuple[Measurement, Measurement]], repeat: int) -> str:
    lines = [
        f"median of {repeat} builds each; page = /errors/{SAMPLE_CODE}/index.html",
        "",
        "| codes | build | baseline | ratio | peak memory | baseline memory | code page | search index per code |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, (ours, bare) in results.items():
        lines.append(
            f"| {size:,} | {ours.median_seconds:.2f} s | {bare.median_seconds:.2f} s "
            f"| {ours.median_seconds / bare.median_seconds:.2f}x | {ours.peak_mb:.0f} MB | {bare.peak_mb:.0f} MB "
            f"| {ours.page_bytes / 1000:.1f} KB | {ours.index_bytes / size / 1000:.2f} KB |"
        )
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        ours_growth = results[large][0].median_seconds / results[small][0].median_seconds
        bare_growth = results[large][1].median_seconds / results[small][1].median_seconds
        lines += ["", f"growth from {small:,} to {large:,} codes ({large / small:.0f}x the codes): "
                      f"build {ours_growth:.2f}x, baseline {bare_growth:.2f}x"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[54, 500, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(report(run(args.sizes, args.repeat), args.repeat))


if __name__ == "__main__":
    main()
