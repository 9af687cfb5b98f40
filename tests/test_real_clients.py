"""What real OJS clients print finds its page, and each page shows what those clients do.

The corpus (tests/fixtures/real-clients-corpus.json) holds what the six SDKs and the
reference backends put in front of a developer, each string with the files, lines and
commits that produce it. It runs through the shipped recogniser (overrides/javascripts/
code-finder.js) in Node, against the built site's lookup file; tests/test_browser.py types a
sample of it into the real search box.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import CATALOG, ROOT, text_of
from test_code_pages import sdk_tabs

CORPUS = json.loads((ROOT / "tests" / "fixtures" / "real-clients-corpus.json").read_text(encoding="utf-8"))["strings"]
FINDER = ROOT / "overrides" / "javascripts" / "code-finder.js"
RUNNER = ROOT / "tests" / "recognise.js"
CODES = {c["code"] for category in CATALOG["categories"] for c in category["codes"]}
WIRE_CODES = CATALOG["wire_codes"]


def recognise(site, queries: list[str]) -> list[dict | None]:
    """What the search box would list for each query: {how, shared, pages}, or None."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("node is needed to run the recogniser (CI=true: these tests must run)")
        pytest.skip("node is not installed")
    result = subprocess.run([node, str(RUNNER), str(FINDER), str(site.root / "errors" / "codes.json")],
                            input=json.dumps(queries), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def answers(site) -> dict[str, dict | None]:
    return dict(zip([s["text"] for s in CORPUS], recognise(site, [s["text"] for s in CORPUS])))


def verdict(expect: dict, answer: dict | None) -> str | None:
    """What is wrong with an answer, or None."""
    pages = answer["pages"] if answer else []
    codes = [p for p in pages if p in CODES]
    if "first" in expect:
        return None if pages[:1] == [expect["first"]] else f"{expect['first']} is not first: {pages[:4]}"
    single_wrong = len(pages) == 1 and pages[0] in CODES
    if "any_of" in expect:
        if not pages:
            return "nothing found"
        if not set(codes) & set(expect["any_of"]) and not any(p not in CODES for p in pages):
            return f"none of {expect['any_of']}: {pages[:4]}"
        return f"a single wrong page: {pages}" if single_wrong and pages[0] not in expect["any_of"] else None
    return f"a single code for a string that names none: {pages}" if single_wrong else None


@pytest.mark.parametrize("kind", sorted({s["kind"] for s in CORPUS}))
def test_every_string_of_the_corpus_leads_to_its_code(answers, kind):
    wrong = {s["text"][:100]: verdict(s["expect"], answers[s["text"]]) for s in CORPUS if s["kind"] == kind}
    assert {text: problem for text, problem in wrong.items() if problem} == {}


def test_the_corpus_names_where_every_string_comes_from():
    for string in CORPUS:
        assert string["sources"], string["text"]
        for source in string["sources"]:
            assert "@" in source and len(source.rsplit("@", 1)[1]) == 40, source  # a full commit
        for code in string["expect"].get("any_of", []) + [string["expect"].get("first")]:
            assert code is None or code in CODES, code


# What an SDK raises, as its source says: (code, SDK, words its tab must show), each read in
# the SDK's files (shared/reference/real-clients.md names them).
SDK_FACTS = [
    ("OJS-3001", "Go", "errors.Is(err, ojs.ErrDuplicate)"),
    ("OJS-1005", "Go", "errors.Is(err, ojs.ErrConflict)"),
    ("OJS-3001", "Python", "except ojs.DuplicateJobError"),
    ("OJS-3001", "Python", "ojs.errors.DuplicateJobError: OJS API error 409: [duplicate] A job with the same unique key"),
    ("OJS-3003", "Python", "DuplicateJobError"),  # over gRPC a conflict is ALREADY_EXISTS
    ("OJS-3003", "JS/TS", "OJSConflictError: Cannot acknowledge job not in 'active' state. Current state: 'cancelled'."),
    ("OJS-3003", "JS/TS", "OJSDuplicateError"),
    ("OJS-2004", "JS/TS", "OJSServerError"),
    ("OJS-1005", "Ruby", "(OJS::Error)"),
    ("OJS-5000", "Ruby", "Unexpected response: 401 (OJS::Error)"),
    ("OJS-3001", "Ruby", "rescue OJS::ConflictError"),
    ("OJS-3001", "Java", "e.isDuplicate()"),
    ("OJS-3001", "Rust", "[duplicate] A job with the same unique key already exists."),
    ("OJS-3010", "JS/TS", "handler_not_found"),
    ("OJS-3010", "Python", "handler_error"),
    ("OJS-1011", "Java", "ojs: transport: HTTP request failed:"),
]


@pytest.mark.parametrize("code, sdk, words", SDK_FACTS, ids=[f"{c}-{s}-{w[:20]}" for c, s, w in SDK_FACTS])
def test_an_sdk_tab_shows_what_the_sdk_does(site, code, sdk, words):
    assert words in sdk_tabs(site, code)[sdk]


# Where implementations differ from the catalog (issue: "the page says so, with its source").
DIFFERENCES = [
    ("OJS-3004", "HTTP 409"),  # backends' table sends queue_paused with 409
    ("OJS-5000", "403 forbidden"),  # a wrong API key
    ("OJS-1014", "128 characters"),  # queue names checked at 128
    ("OJS-3006", "handler_error"),  # timeouts arrive as handler_error
    ("OJS-3005", "retryable (true)"),  # the SDK tables mark it retryable
    ("OJS-3006", "retryable (true)"),
    ("OJS-3007", "retryable (true)"),
    ("OJS-4005", "retryable (true)"),
]


@pytest.mark.parametrize("code, words", DIFFERENCES, ids=[f"{c}-{w}" for c, w in DIFFERENCES])
def test_a_page_says_where_implementations_differ_with_the_source(site, code, words):
    from test_code_pages import section
    parts = section(site.soup(f"errors/{code}/"), "where-it-surfaces")
    items = [li for part in parts for li in part.select("li") if words in text_of(li)]
    assert items, f"{code}: {words!r} is not said"
    assert all(li.select_one('a[href^="https://github.com/openjobspec/"]') for li in items), "no source linked"


@pytest.mark.parametrize("wire", WIRE_CODES, ids=lambda w: w["code"])
def test_every_wire_code_has_a_page_that_lists_its_codes(site, wire):
    page = site.soup(f"errors/{wire.get('page', wire['code'])}/")
    assert text_of(page.select_one("article h1")) == wire["code"]
    links = {a["href"].strip("./") for a in page.select("article a[href]")}
    for code in wire["means"]:
        assert f"{code}" in links or any(link.endswith(code) for link in links), f"{code} is not linked"


def test_wire_pages_are_in_the_sitemap_and_the_search_index(site):
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    for wire in WIRE_CODES:
        page = f"errors/{wire.get('page', wire['code'])}/"
        assert f"<loc>https://openjobspec.org/{page}</loc>" in sitemap, page
        assert page in locations, page


def test_every_wire_code_an_implementation_sends_leads_to_a_page(site, answers):
    lookup = json.loads((site.root / "errors" / "codes.json").read_text(encoding="utf-8"))
    implementations = CATALOG["implementations"]
    sent = {m["wire"] for m in implementations["backends"]["messages"]} | set(implementations["backends"]["statuses"])
    for sdk in implementations["sdks"]:
        sent |= {e["sends"] for e in sdk["client"] + sdk["worker"] if e.get("sends")}
        sent.add(sdk["unreadable"]["wire"])
    for wire in sorted(sent - {"http_<status>"}):
        found = recognise(site, [wire])[0]
        assert found and found["pages"], f"{wire} leads nowhere"


def test_a_wire_code_with_a_page_of_its_own_may_not_also_be_a_form_of_one_code(tmp_path):
    from bench.synthetic import write_catalog
    from macros.catalog import CatalogError, load_catalog
    raw = yaml.safe_load((ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8"))
    raw["wire_codes"].append({"code": "not_found", "means": ["OJS-3000"], "about": "x", "sources": ["ojs-errors §3"]})
    with pytest.raises(CatalogError, match=r"wire code not_found: folds to a form of OJS-3000"):
        load_catalog(write_catalog(raw, tmp_path / "catalog.yaml"), tmp_path / "published-codes.json")


def test_a_wire_code_an_implementation_sends_without_a_page_is_refused(tmp_path):
    from bench.synthetic import write_catalog
    from macros.catalog import CatalogError, load_catalog
    raw = yaml.safe_load((ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8"))
    raw["wire_codes"] = [w for w in raw["wire_codes"] if w["code"] != "conflict"]
    with pytest.raises(CatalogError, match=r"the wire code 'conflict' is sent by an implementation but has no page"):
        load_catalog(write_catalog(raw, tmp_path / "catalog.yaml"), tmp_path / "published-codes.json")
