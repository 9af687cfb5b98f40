"""The OJS site as a whole: overview, category pages, mapping, doc_url addresses when served, the 404 page.
What holds for every catalog (links, aliases, descriptions, sitemap, what pages load) is in
test_every_catalog.py."""

from __future__ import annotations

import json

import urllib.error
import urllib.request
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import CANONICAL_CODES, CATALOG, CODES, SITE_URL, code_id, text_of


def table_rows(page, heading_id: str | None = None) -> list[list]:
    """Cells of the body rows of the first table (after the heading with this id, if given)."""
    start = page.find(id=heading_id) if heading_id else page.select_one("article")
    table = start.find_next("table")
    return [row.find_all("td") for row in table.select("tbody tr")]


def linked_code(cell) -> str:
    return text_of(cell.find("a"))


def test_overview_lists_every_code_with_a_link_to_its_page(site):
    rows = table_rows(site.soup("errors/"), "all-codes")
    assert [linked_code(row[0]) for row in rows] == [c["code"] for c in CODES]
    for row, entry in zip(rows, CODES):
        assert site.link_target("errors/", row[0].a["href"]) == site.file_for(f"errors/{entry['code']}/")
        assert text_of(row[1]) == entry["name"]


def test_overview_counts_codes_per_category(site):
    rows = table_rows(site.soup("errors/"), "categories")
    shown = {text_of(row[0]): int(text_of(row[3])) for row in rows}
    assert shown == {f"OJS-{c['digit']}xxx": len(c["codes"]) for c in CATALOG["categories"]}


@pytest.mark.parametrize("category", CATALOG["categories"], ids=lambda c: c["slug"])
def test_category_page_lists_exactly_its_codes(site, category):
    page = site.soup(f"errors/{category['slug']}/")
    assert f"OJS-{category['digit']}xxx" in text_of(page.find("h1"))
    rows = table_rows(page, "codes")
    assert sorted(linked_code(row[0]) for row in rows) == sorted(c["code"] for c in category["codes"])


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_mapping_table_has_one_correct_row_per_code(site, entry):
    rows = [row for row in table_rows(site.soup("errors/canonical-codes/"))
            if linked_code(row[0]) == entry["code"]]
    assert len(rows) == 1
    assert site.link_target("errors/canonical-codes/", rows[0][0].a["href"]) == site.file_for(
        f"errors/{entry['code']}/")
    canonical_cell = rows[0][2]
    if entry.get("canonical_code"):
        assert text_of(canonical_cell) == entry["canonical_code"]
    else:
        assert text_of(canonical_cell).startswith("None")
    assert text_of(rows[0][3]) == entry["category"]["short_name"]


def fetch_following_redirects(url: str) -> tuple[str, BeautifulSoup]:
    """Follow HTTP redirects (urllib) and meta-refresh redirect pages (as a browser would)."""
    for _ in range(5):
        with urllib.request.urlopen(url, timeout=10) as response:
            final_url, page = response.url, BeautifulSoup(response.read(), "html.parser")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        if refresh is None:
            return final_url, page
        url = urljoin(final_url, refresh["content"].split("url=", 1)[1])
    raise AssertionError(f"too many redirects from {url}")


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_doc_url_without_trailing_slash_lands_on_the_code_page(static_server, entry):
    final_url, page = fetch_following_redirects(f"{static_server}/errors/{entry['code']}")
    assert final_url.endswith(f"/errors/{entry['code']}/")
    assert text_of(page.find("h1")) == f"{entry['code']} {entry['name']}"


@pytest.mark.parametrize("entry", CANONICAL_CODES, ids=code_id)
def test_canonical_doc_url_lands_on_the_code_page_when_served(static_server, entry):
    final_url, page = fetch_following_redirects(f"{static_server}/errors/{entry['canonical_code']}")
    assert final_url.endswith(f"/errors/{entry['code']}/")
    assert text_of(page.find("h1")) == f"{entry['code']} {entry['name']}"


@pytest.mark.parametrize("code, status_text", [
    ("OJS-3001", "409 Conflict"),
    ("OJS-1009", "413 Content Too Large"),  # RFC 9110 names, whatever the Python version
    ("OJS-1008", "422 Unprocessable Content"),
    ("OJS-6000", "429 Too Many Requests"),
])
def test_http_status_has_its_reason_phrase(site, code, status_text):
    facts = site.soup(f"errors/{code}/").select_one("article dl")
    assert status_text in text_of(facts)


@pytest.mark.parametrize("path", ["errors/OJS-9999", "errors/ojs-3001", "no/such/page/"])
def test_a_missing_page_is_answered_with_the_404_page(static_server, path):
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"{static_server}/{path}", timeout=10)
    assert answer.value.code == 404
    page = BeautifulSoup(answer.value.read(), "html.parser")
    assert text_of(page.find("h1")) == "Page not found"
    search = page.select_one("form[role=search]")
    assert search is not None and search.find("input", attrs={"name": "q"}) is not None


def test_404_page_uses_absolute_urls_so_it_works_at_any_depth(site):
    page = site.soup("404.html")
    urls = [el.get("href") or el.get("src") for el in page.select("link[href], script[src], a[href]")]
    urls += [page.select_one("script[data-lookup-url]")[name] for name in ("data-errors-url", "data-lookup-url")]
    for name in ("data-scripts", "data-after-load"):  # what the page loads later (on-demand.js)
        urls += json.loads(page.select_one(f"script[{name}]")[name])
    relative = [u for u in urls if not u.startswith(("/", "#", "https://", "data:"))]
    assert relative == []
