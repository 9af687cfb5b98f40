"""A deprecated code keeps its page, its aliases and its rows, marked deprecated and
pointing to its replacement; the changelog lists it. Built from a small fixture catalog."""

from __future__ import annotations

import json

import pytest

from bench.synthetic import synthetic_catalog, write_catalog
from conftest import BuiltSite, build_site, text_of

NEW_VERSION = "1.1.0"
DEPRECATED, REPLACEMENT, ADDED = "OJS-1001", "OJS-1000", "OJS-2001"


def _entry(raw: dict, code: str) -> dict:
    return next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == code)


@pytest.fixture(scope="module")
def fixture(tmp_path_factory) -> tuple[BuiltSite, dict]:
    raw = synthetic_catalog(14)
    raw["catalog"]["version"] = NEW_VERSION
    _entry(raw, DEPRECATED).update(deprecated_in=NEW_VERSION, replaced_by=REPLACEMENT)
    _entry(raw, ADDED)["added_in"] = NEW_VERSION
    scratch = tmp_path_factory.mktemp("deprecation")
    catalog_file = write_catalog(raw, scratch / "catalog.yaml")
    result = build_site(scratch / "site", catalog_file)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(scratch / "site"), raw


def test_deprecated_code_keeps_its_page_with_a_banner_linking_the_replacement(fixture):
    site, raw = fixture
    page = site.soup(f"errors/{DEPRECATED}/")
    banner = page.select_one("article .admonition.warning")
    assert banner is not None
    assert f"Deprecated in catalog {NEW_VERSION}" in text_of(banner)
    link = banner.find("a", string=REPLACEMENT)
    assert site.link_target(f"errors/{DEPRECATED}/", link["href"]) == site.file_for(f"errors/{REPLACEMENT}/")
    assert text_of(page.find("h1")) == f"{DEPRECATED} {_entry(raw, DEPRECATED)['name']}"


def test_codes_that_are_not_deprecated_have_no_banner(fixture):
    site, _ = fixture
    assert site.soup(f"errors/{REPLACEMENT}/").select_one("article .admonition.warning") is None


def test_deprecated_code_keeps_its_canonical_alias(fixture):
    site, raw = fixture
    alias = f"errors/{_entry(raw, DEPRECATED)['canonical_code']}/"
    assert site.redirect_target(alias) == f"errors/{DEPRECATED}/"


@pytest.mark.parametrize("url", ["errors/", "errors/client/", "errors/canonical-codes/"])
def test_tables_mark_the_deprecated_code(fixture, url):
    site, raw = fixture
    rows = {text_of(row.find("td")): text_of(row) for row in site.soup(url).select("article table tbody tr")}
    assert "(deprecated)" in rows[DEPRECATED]
    assert "(deprecated)" not in rows[REPLACEMENT]


def test_changelog_lists_what_each_version_added_and_deprecated(fixture):
    site, raw = fixture
    page = site.soup("errors/changelog/")
    sections = {}
    for heading in page.select("article h2"):
        body = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            body.append(sibling)
        sections[text_of(heading)] = body
    assert list(sections) == [f"Catalog {NEW_VERSION}", "Catalog 1.0.0"]
    newest = " ".join(text_of(part) for part in sections[f"Catalog {NEW_VERSION}"])
    assert ADDED in newest and DEPRECATED in newest and REPLACEMENT in newest
    all_codes = sorted(c["code"] for cat in raw["categories"] for c in cat["codes"])
    oldest_links = [text_of(a) for part in sections["Catalog 1.0.0"] for a in part.select("a")]
    assert sorted(oldest_links) == sorted(set(all_codes) - {ADDED})


def test_catalog_json_records_the_deprecation(fixture):
    site, _ = fixture
    published = json.loads((site.root / "errors" / "catalog.json").read_text(encoding="utf-8"))
    entry = {c["code"]: c for c in published["codes"]}[DEPRECATED]
    assert (entry["deprecated_in"], entry["replaced_by"]) == (NEW_VERSION, REPLACEMENT)
