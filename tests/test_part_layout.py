"""The site built as the errors/ part of a larger site (CATALOG_LAYOUT=part), as openjobspec.org
would publish it beside its other pages: every file belongs under /errors/, every link works
from there, and the catalog's pages keep their addresses."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from bench.server import nginx as serve_with_nginx
from bench.server import nginx_binary
from conftest import CANONICAL_CODES, CATALOG, CODES, PART_URL, code_id, crawl



def test_every_code_page_is_at_the_root_of_the_part(part_site):
    assert [c["code"] for c in CODES if part_site.file_for(f"{c['code']}/") is None] == []
    assert not (part_site.root / "errors").exists()
    assert not (part_site.root / "robots.txt").exists(), "robots.txt is the host's"
    assert "Error catalog" in part_site.soup("").find("h1").get_text()


def test_the_part_builds_and_every_link_lands(part_site):
    broken, orphans, reached = crawl(part_site, PART_URL)
    assert broken == [] and orphans == set()
    assert {f"{c['code']}/" for c in CODES} <= reached


def test_nothing_in_the_part_points_outside_errors(part_site):
    outside = set()
    for file in part_site.html_files():
        url = part_site.url_of(file)
        page_url = urljoin("https://openjobspec.org/errors/", url)
        html = file.read_text(encoding="utf-8")
        for reference in re.findall(r'(?:href|src|action|data-[a-z-]+-url)="?([^"\s>]+)', html):
            absolute = urljoin(page_url, reference)
            parts = urlsplit(absolute)
            if parts.netloc == "openjobspec.org" and not parts.path.startswith("/errors/"):
                outside.add(f"{url}: {reference}")
    for published in ("catalog.json", "llms.txt", "catalog.md", "changelog.xml", "sitemap.xml"):
        text = (part_site.root / published).read_text(encoding="utf-8")
        for address in re.findall(r"https://openjobspec\.org/[^\s\"<>)]*", text):
            # The specification itself is the rest of openjobspec.org: a link, not a file of ours.
            if not address.startswith(PART_URL) and address != CATALOG["catalog"]["specification_url"]:
                outside.add(f"{published}: {address}")
    assert outside == set()


@pytest.mark.parametrize("entry", CANONICAL_CODES, ids=code_id)
def test_an_alias_in_the_part_points_to_its_page(part_site, entry):
    assert part_site.redirect_target(f"{entry['canonical_code']}/") == f"{entry['code']}/"
    link = part_site.soup(f"{entry['canonical_code']}/").find("link", rel="canonical")
    assert link["href"] == f"{PART_URL}{entry['code']}/"


@pytest.fixture(scope="module")
def part_nginx(part_site, tmp_path_factory):
    """The part deployed at /errors/ of a host, behind nginx with its snippets."""
    if nginx_binary() is None:
        pytest.skip("no nginx found")
    host_root = tmp_path_factory.mktemp("host")
    (host_root / "errors").symlink_to(part_site.root, target_is_directory=True)
    with serve_with_nginx(host_root, tmp_path_factory.mktemp("nginx"), snippets=part_site.root / "nginx") as port:
        yield port


def test_the_part_behind_nginx_redirects_serves_and_answers_404(part_nginx):
    from test_nginx import get
    assert get(part_nginx, "/errors/DUPLICATE_JOB")[:2] == (301, "/errors/OJS-3001/")
    assert get(part_nginx, "/errors/ojs-3001/")[:2] == (301, "/errors/OJS-3001/")
    assert get(part_nginx, "/errors/ojs.CodeDuplicateJob")[:2] == (301, "/errors/OJS-3001/")
    status, _, body = get(part_nginx, "/errors/OJS-3001/")
    assert status == 200 and b"OJS-3001 DuplicateJob" in body
    status, _, body = get(part_nginx, "/errors/no-such-thing")
    assert status == 404 and b"Page not found" in body
    assert get(part_nginx, "/errors/")[0] == 200
