"""The catalog override (CATALOG_FILE) builds a whole site from another catalog file."""

from __future__ import annotations

import pytest

from bench.synthetic import write_synthetic_catalog
from conftest import BuiltSite, build_site, raw_codes, read_catalog, text_of

SYNTHETIC_SIZE = 200


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[BuiltSite, list[dict]]:
    scratch = tmp_path_factory.mktemp("synthetic")
    catalog_file = write_synthetic_catalog(SYNTHETIC_SIZE, scratch / "catalog.yaml")
    result = build_site(scratch / "site", catalog_file)
    assert result.returncode == 0, f"build from {catalog_file} failed:\n{result.stderr}"
    return BuiltSite(scratch / "site"), raw_codes(read_catalog(catalog_file))


def test_synthetic_catalog_has_the_size_asked_for(synthetic):
    _, codes = synthetic
    assert len({c["code"] for c in codes}) == SYNTHETIC_SIZE


def test_every_synthetic_code_resolves_to_its_own_page(synthetic):
    site, codes = synthetic
    wrong = []
    for entry in codes:
        url = f"errors/{entry['code']}/"
        if site.file_for(url) is None or site.redirect_target(url) is not None:
            wrong.append(f"{entry['code']}: no page")
        elif text_of(site.soup(url).find("h1")) != f"{entry['code']} {entry['name']}":
            wrong.append(f"{entry['code']}: wrong title")
        elif site.redirect_target(f"errors/{entry['canonical_code']}/") != url:
            wrong.append(f"{entry['canonical_code']}: alias does not lead to {url}")
    assert not wrong, f"{len(wrong)} of {len(codes)} codes do not resolve: {wrong[:10]}"


def test_overview_links_every_synthetic_code(synthetic):
    site, codes = synthetic
    linked = {site.link_target("errors/", a["href"]) for a in site.soup("errors/").select("article a[href]")}
    missing = [c["code"] for c in codes if site.file_for(f"errors/{c['code']}/") not in linked]
    assert not missing, f"codes the overview does not link: {missing[:10]}"
