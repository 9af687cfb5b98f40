"""The built site behind a real nginx with the generated redirect rules.

Every form of every code, in the address bar, answers one 301 to the code's page, which
answers 200; pages are served as they are; anything else under /errors/ gets the site's
404 page with status 404. nginx comes from Debian's packages (.ci/run installs it);
without it these tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import http.client
import os
from urllib.parse import quote, urlsplit

import pytest

from bench.server import nginx as serve_with_nginx
from bench.server import nginx_binary
from conftest import CANONICAL_CODES, CATALOG, CODES, code_id, fold_form, reader_forms, wire_codes

IN_CI = os.environ.get("CI", "").lower() == "true"
SUFFIXES = ("", "/", "/index.html")


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    if nginx_binary() is None:
        reason = "no nginx found: install Debian's nginx package"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the redirect tests must run)")
        pytest.skip(reason)
    with serve_with_nginx(site.root, tmp_path_factory.mktemp("nginx")) as port:
        yield port


def get(port: int, path: str) -> tuple[int, str | None, bytes]:
    """One request, redirects not followed: status, Location's path, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", quote(path, safe="/:._-~"))
    response = connection.getresponse()
    body = response.read()
    location = response.getheader("Location")
    connection.close()
    return response.status, urlsplit(location).path if location else None, body


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_every_form_of_a_code_answers_one_301_to_its_page(nginx, entry):
    page = f"/errors/{entry['code']}/"
    wrong = {}
    for form in reader_forms(entry):
        for suffix in SUFFIXES:
            path = f"/errors/{form}{suffix}"
            if path in (page, page + "index.html"):
                continue  # the page itself
            status, location, _ = get(nginx, path)
            if (status, location) != (301, page):
                wrong[path] = (status, location)
    assert wrong == {}
    status, location, body = get(nginx, page)
    assert (status, location) == (200, None) and f"{entry['code']} {entry['name']}".encode() in body


@pytest.mark.parametrize("entry", CANONICAL_CODES, ids=code_id)
def test_a_canonical_alias_is_a_real_redirect_not_a_page(nginx, entry):
    for path in (f"/errors/{entry['canonical_code']}", f"/errors/{entry['canonical_code']}/"):
        assert get(nginx, path)[:2] == (301, f"/errors/{entry['code']}/")


WIRE_PAGES = {fold_form(w["code"]): w for w in CATALOG.get("wire_codes", [])}


@pytest.mark.parametrize("wire, codes", sorted(wire_codes().items()))
def test_a_wire_code_goes_to_its_page_or_to_its_one_code(nginx, wire, codes):
    page = WIRE_PAGES.get(fold_form(wire))
    answer = get(nginx, f"/errors/{wire}")
    if page is not None:  # a page of its own: errors/conflict/
        assert answer[:2] == (301, f"/errors/{page.get('page', page['code'])}/")
    else:  # a form of the one code it stands for first
        assert answer[:2] == (301, f"/errors/{codes[0]}/")


@pytest.mark.parametrize("path", ["/errors/OJS-3999", "/errors/no-such-thing/", "/errors/OJS-3001/stray",
                                  "/errors/ojs-3001x"])
def test_an_unknown_path_gets_the_sites_404_page_with_status_404(nginx, path):
    status, location, body = get(nginx, path)
    assert (status, location) == (404, None)
    assert b"Page not found" in body and b"code-finder.js" in body


@pytest.mark.parametrize("path", ["/", "/errors/", "/errors/changelog/", "/errors/client/", "/errors/catalog.json",
                                  "/errors/codes.json", "/robots.txt"])
def test_pages_and_files_are_served_as_they_are(nginx, path):
    assert get(nginx, path)[:2] == (200, None)


@pytest.mark.parametrize("path", ["/errors/OJS-3001/", "/errors/codes.json", "/search/search_index.json"])
def test_nginx_serves_the_compressed_copy_to_a_browser_that_asks(nginx, path):
    import gzip
    connection = http.client.HTTPConnection("127.0.0.1", nginx, timeout=5)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == get(nginx, path)[2]


def cache_control(port: int, path: str) -> str | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200, path
    return response.getheader("Cache-Control")


def test_what_never_changes_is_cached_for_a_year_and_nothing_else(nginx, site):
    forever = "public, max-age=31536000, immutable"
    bundle = next((site.root / "assets" / "javascripts").glob("bundle.*.min.js")).name
    assert cache_control(nginx, f"/assets/javascripts/{bundle}") == forever
    assert cache_control(nginx, "/javascripts/tables.js?v=335a9addc5") == forever
    assert cache_control(nginx, "/errors/codes.json?v=d194308854") == forever
    for path in ("/javascripts/tables.js", "/errors/codes.json", "/errors/OJS-3001/", "/"):
        assert cache_control(nginx, path) is None, path
