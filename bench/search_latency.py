"""How long after the last keystroke a reader sees the answer in the search box.

    python -m bench.search_latency [--queries 120] [--site site]

Builds the site (unless --site names a built one), serves it on localhost, and types
queries into the search box of Debian's Chromium one key at a time, as a reader does.
For each query it records, from the last key's keyup: when the "go to" box shows the
answer for the whole query, and when Material's own results show for it (its result
count is the last thing Material changes). It prints the median, 95th percentile and
worst of both. Queries are drawn from the data file: every form of a code a reader may
hold, a pasted log line, a status with its phrase, and words of a description; and, for
a third of them, what real SDKs and backends print (tests/fixtures/real-clients-corpus.json),
pasted: all of it at once but for its last character, which is typed.
Targets are in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
from pathlib import Path

import yaml

from .server import ROOT, build_site, serve

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

# Records, in the page, the last keyup and every change of the two result areas.
RECORDER = """() => {
    window.__marks = {keyup: 0, goto: [], meta: []};
    const input = document.querySelector('input.md-search__input');
    input.addEventListener('keyup', () => { window.__marks.keyup = performance.now(); }, true);
    const watch = (selector, list) => new MutationObserver(() => {
        const node = document.querySelector(selector);
        list.push([performance.now(), node.dataset.query ?? null, node.textContent, node.hidden]);
    }).observe(document.querySelector(selector), {attributes: true, childList: true, subtree: true, characterData: true});
    watch('.ojs-goto', window.__marks.goto);
    watch('.md-search-result', window.__marks.meta);
}"""


def queries(count: int) -> list[str]:
    raw = yaml.safe_load((ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8"))
    codes = [c for category in raw["categories"] for c in category["codes"]]
    forms = []
    for code in codes:
        forms += [code["code"], code["name"], f"ojs.Code{code['name']}",
                  f"[{code['code']}] {code['name']}: {code['description']}",
                  " ".join(code["description"].split()[:3])]
        if code.get("canonical_code"):
            forms.append(code["canonical_code"])
    forms += ["429 Too Many Requests", "401 Unauthorized", "OJS-30"]
    random.Random(7).shuffle(forms)
    corpus = json.loads((ROOT / "tests" / "fixtures" / "real-clients-corpus.json").read_text(encoding="utf-8"))
    pasted = [" ".join(s["text"].split("\n")[0].split()) for s in corpus["strings"]]
    random.Random(7).shuffle(pasted)
    third = count // 3
    mixed = forms[:count - third] + pasted[:third]
    random.Random(8).shuffle(mixed)
    return mixed


def measure(base_url: str, chromium: str, count: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright
    goto_ms, material_ms = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(base_url + "/")
        box = page.locator("input.md-search__input")
        box.click()
        page.wait_for_function("document.querySelector('.ojs-goto').dataset.query !== undefined "
                               "|| document.querySelector('.md-search-result__meta').textContent.includes('Type')")
        page.evaluate(RECORDER)
        for query in queries(count):
            box.fill("")
            box.press("End")
            page.wait_for_timeout(150)
            page.evaluate("() => { window.__marks.goto.length = 0; window.__marks.meta.length = 0; }")
            if len(query) > 40:  # pasted, then a last key
                box.fill(query[:-1])
                box.press("End")
                box.press_sequentially(query[-1])
            else:
                box.press_sequentially(query, delay=40)
            page.wait_for_timeout(600)  # long after any answer: then read what happened when
            marks = page.evaluate("() => window.__marks")
            keyup = marks["keyup"]
            answered = [t for t, q, _, hidden in marks["goto"] if q == query and t >= keyup]
            if answered:
                goto_ms.append(answered[0] - keyup)
            shown = [t for t, *_ in marks["meta"] if t >= keyup]
            if shown:
                material_ms.append(shown[-1] - keyup)
        browser.close()
    return {"go to box": goto_ms, "Material results": material_ms}


def summary(values: list[float]) -> str:
    if not values:
        return "no answer"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (f"{len(values)} queries: median {statistics.median(values):.1f} ms, "
            f"95th percentile {p95:.1f} ms, worst {ordered[-1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build_site(Path(scratch) / "site")
        with serve(site) as base_url:
            results = measure(base_url, args.chromium, args.queries)
    for name, values in results.items():
        print(f"{name}: {summary(values)}")
    print(json.dumps({name: [round(v, 1) for v in values] for name, values in results.items()}))


if __name__ == "__main__":
    main()
