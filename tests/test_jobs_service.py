"""The Jobs Service's catalog (examples/jobs-service/): the second catalog in the repository.

It holds the Jobs Service's error reference exactly (shared/seeds/jobs-service-error-codes.txt),
its site speaks of that service only, and `make build` and `make serve` take it with CATALOG=.
What every catalog's site must do is in test_every_catalog.py, run on this one too.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CATALOGS, OJS_WORDS, ROOT, BuiltSite, build_environment, build_site, raw_codes, read_catalog, text_of

CONFIG, CATALOG_FILE, SITE_URL = CATALOGS["jobs-service"]
RAW = read_catalog(CATALOG_FILE)
SEED = Path(os.environ.get("JOBS_SEED_FILE", ROOT.parent / "shared" / "seeds" / "jobs-service-error-codes.txt"))


@pytest.fixture(scope="module")
def jobs_site(tmp_path_factory) -> BuiltSite:
    site_dir = tmp_path_factory.mktemp("jobs") / "site"
    result = build_site(site_dir, site_url=SITE_URL, config=CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(site_dir)


@pytest.mark.skipif(not SEED.is_file(), reason=f"the Jobs Service's reference is not at {SEED} (set JOBS_SEED_FILE)")
def test_every_code_is_the_references_row_exactly_and_in_its_order():
    """The reference's table rows run their cells together: code, HTTP, name, description,
    resolution. Each must be the catalog's values joined, row for row, and each tab's
    heading its category's short name and name."""
    text = SEED.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("ERR_JOBS_")]
    ours = [f"{c['code']}{c['http_status']}{c['name']}{c['description']}{c['resolution']}"
            for category in RAW["categories"] for c in category["codes"]]
    assert ours == rows
    headings = [f"{c['short_name']}{c['name']}" for c in RAW["categories"]]
    assert [line for line in text.splitlines() if line in headings] == headings
    # The reference's own count, and what it lists: the overview says both.
    claimed = re.search(r"(\d+) error codes across (\d+) categories", text)
    assert (int(claimed[1]), int(claimed[2])) == (27, 6) and len(rows) == 26


def test_the_overview_says_the_reference_announces_27_codes_and_lists_26(jobs_site):
    overview = text_of(jobs_site.soup("errors/").find("article"))
    assert "announces 27 error codes across 6 categories but lists 26" in overview
    assert "26 codes in 6 categories" in overview


def test_no_page_or_published_file_speaks_of_ojs(jobs_site):
    """Nothing of the OJS catalog reaches another catalog's site: its codes, ranges, SDKs,
    headers, documents or the words for them (the published schema once spoke of SDKs and
    specification documents)."""
    found = {}
    for file in sorted(jobs_site.root.rglob("*")):
        if not file.is_file() or file.suffix == ".gz" or "assets" in file.parts or "search" in file.parts \
                or "javascripts" in file.parts or "stylesheets" in file.parts:
            continue  # the theme's and the engine's own files
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".html":
            text = BeautifulSoup(text, "html.parser").find("body").get_text(" ")
        hits = re.findall(OJS_WORDS + r"|\bSDKs?\b|[Ss]pecification|reference backends?", text)
        hits += re.findall(r"ojs", file.relative_to(jobs_site.root).as_posix(), re.I)  # its name: nginx/ojs-errors-…
        if hits:
            found[file.relative_to(jobs_site.root).as_posix()] = sorted(set(hits))[:5]
    assert found == {}


def test_each_code_page_shows_the_services_error_body_for_it(jobs_site):
    for entry in raw_codes(RAW):
        page = jobs_site.soup(f"errors/{entry['code']}/")
        body = json.loads(page.find("h2", id="example-error-response").find_next("pre").get_text())
        assert body == {"error": {"code": entry["code"], "message": entry["description"],
                                  "http": entry["http_status"], "details": {}}}, entry["code"]


def test_the_pages_claim_no_retryability_versions_or_sources_the_reference_does_not_give(jobs_site):
    for entry in raw_codes(RAW):
        article = jobs_site.soup(f"errors/{entry['code']}/").find("article")
        headings = [text_of(h) for h in article.find_all(["h2", "dt"])]
        assert not {"Retryable", "Added in", "Sources", "Canonical code", "In your SDK"} & set(headings), entry["code"]
    for missing in ("errors/changelog/", "errors/sources/", "errors/wire-codes/", "errors/changelog.xml"):
        assert jobs_site.file_for(missing) is None, missing


def test_its_catalog_json_holds_only_what_the_catalog_declares(jobs_site):
    """No levels, version, ranges, transports, wire codes or SDKs: catalog.json and its schema
    have no place for them, and the error envelope is published as the data file has it."""
    assert not {"retryability", "wire_codes", "implementations", "canonical_absent_reasons"} & set(RAW)
    assert not {"version", "status", "date", "specification_url"} & set(RAW["catalog"])
    assert "range" not in RAW["code_format"] and "transports" not in RAW.get("sections", [])
    published = json.loads(jobs_site.file_for("errors/catalog.json").read_text(encoding="utf-8"))
    schema = json.loads(jobs_site.file_for("errors/catalog.schema.json").read_text(encoding="utf-8"))
    undeclared = {
        "catalog": {"retryability", "version", "status", "date", "specification_url", "wire_codes", "implementations"},
        "category": {"digit", "range", "default_retryable", "retry_rule"},
        "code": {"retryable", "added_in", "deprecated_in", "replaced_by", "grpc_status", "amqp", "surfaces",
                 "canonical_absent", "in_practice"},
    }
    entries = {"catalog": [published], "category": published["categories"], "code": published["codes"]}
    assert {kind: sorted({key for entry in entries[kind] for key in entry} & fields)
            for kind, fields in undeclared.items()} == {"catalog": [], "category": [], "code": []}
    shapes = {"catalog": schema, "category": schema["$defs"]["category"], "code": schema["$defs"]["code"]}
    assert {kind: sorted((set(shapes[kind]["properties"]) | set(shapes[kind]["required"])) & fields)
            for kind, fields in undeclared.items()} == {"catalog": [], "category": [], "code": []}
    assert published["envelope"] == RAW["envelope"]


def test_make_build_with_catalog_builds_it_and_alone_still_builds_ojs(tmp_path):
    for catalog, code in (("examples/jobs-service", "ERR_JOBS_NOT_FOUND"), ("", "OJS-3001")):
        site_dir = tmp_path / (catalog.replace("/", "-") or "ojs")
        arguments = ["make", "--no-print-directory", "-C", str(ROOT), "build", f"SITE_DIR={site_dir}"]
        result = subprocess.run(arguments + ([f"CATALOG={catalog}"] if catalog else []), capture_output=True,
                                text=True, env=build_environment())
        assert result.returncode == 0, result.stderr
        # make build's layout: the errors/ part, whose root is the catalog's folder.
        assert (site_dir / code / "index.html").is_file(), catalog


def test_make_serve_with_catalog_serves_it(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{port}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "serve", "CATALOG=examples/jobs-service",
         f"SERVE_ADDR={address}"],
        env=build_environment(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline, page = time.monotonic() + 120, None
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://{address}/errors/ERR_JOBS_NOT_FOUND/", timeout=5) as answer:
                    page = answer.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert page is not None and "ERR_JOBS_NOT_FOUND NOT_FOUND" in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_code_page_names_its_category_as_the_reference_writes_it(jobs_site):
    related = jobs_site.soup("errors/ERR_JOBS_NOT_FOUND/").find("h2", id="related-codes").find_next("ul")
    assert text_of(related) == "All codes in API Errors."
