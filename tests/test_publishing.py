"""What publishing needs: robots.txt, absolute canonical links on aliases, link previews,
the catalog's JSON and the changelog's feed announced, and a site_url set from outside."""

from __future__ import annotations

import json

import xml.etree.ElementTree as ET

import pytest

from conftest import CATALOG, CODES, CANONICAL_CODES, PART_URL, SITE_URL, code_id

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_robots_txt_points_to_the_sitemap(site):
    text = (site.root / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text
    assert f"Sitemap: {SITE_URL}sitemap.xml" in text.splitlines()
    assert (site.root / "sitemap.xml").is_file()


@pytest.mark.parametrize("entry", CANONICAL_CODES, ids=code_id)
def test_an_alias_page_names_its_code_page_canonical_by_full_address(site, entry):
    link = site.soup(f"errors/{entry['canonical_code']}/").find("link", rel="canonical")
    assert link["href"] == f"{SITE_URL}errors/{entry['code']}/"


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_a_code_page_has_a_link_preview(site, entry):
    page = site.soup(f"errors/{entry['code']}/")
    preview = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert preview["og:title"] == f"{entry['code']} {entry['name']}"
    assert preview["og:url"] == f"{SITE_URL}errors/{entry['code']}/"
    assert preview["og:description"].startswith(f"{entry['code']} {entry['name']}: ")
    assert "og:image" not in preview, "a preview image would be a request to wherever it is"


# The data a page announces in its head: code pages the catalog, the changelog its feed.
ALTERNATES = {"errors/changelog/": ("application/atom+xml", "errors/changelog.xml")}
ALTERNATES.update({f"errors/{c['code']}/": ("application/json", "errors/catalog.json") for c in CODES})


def test_every_page_has_a_link_preview_and_only_code_pages_and_the_changelog_announce_data(site):
    missing, alternates = [], {}
    for file in site.html_files():
        url = site.url_of(file)
        page = site.soup(url)
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # an alias: it sends the reader on at once
        properties = {m["property"] for m in page.find_all("meta", property=True)}
        if not {"og:title", "og:description", "og:type", "og:site_name"} <= properties:
            missing.append(url)
        for link in page.find_all("link", rel="alternate"):
            target = site.link_target(url, link["href"])
            alternates[url] = (link["type"], target.relative_to(site.root).as_posix() if target else link["href"])
    assert missing == [] and alternates == ALTERNATES


@pytest.mark.parametrize("layout", ["site", "part"])
def test_an_alternate_link_is_relative_and_has_a_sitemap_beside_it(request, layout):
    """Material asks for sitemap.xml beside every <link rel=alternate> on every page load: a
    relative link keeps that on this host, and the build writes a sitemap there."""
    built = request.getfixturevalue("site" if layout == "site" else "part_site")
    errors = "errors/" if layout == "site" else ""
    for url in (f"{errors}OJS-3001/", f"{errors}changelog/"):
        link = built.soup(url).find("link", rel="alternate")
        assert "//" not in link["href"] and not link["href"].startswith("/")
        beside = built.link_target(url, link["href"]).parent / "sitemap.xml"
        locations = [loc.text for loc in ET.parse(beside).getroot().iter(f"{SITEMAP}loc")]
        assert f"{PART_URL}OJS-3001/" in locations or f"{SITE_URL}errors/OJS-3001/" in locations
        assert all("/errors/" in loc for loc in locations), "a sitemap lists only what is under its folder"


def test_the_changelog_page_links_its_feed(site):
    link = site.soup("errors/changelog/").find("a", string="changelog.xml")
    assert site.link_target("errors/changelog/", link["href"]) == site.root / "errors" / "changelog.xml"


def test_the_changelog_feed_is_atom_with_every_added_code(site):
    feed = ET.parse(site.root / "errors" / "changelog.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == f"{SITE_URL}errors/changelog.xml"
    entries = feed.findall(f"{ATOM}entry")
    versions = {c["added_in"] for c in CODES} | {c["deprecated_in"] for c in CODES if c.get("deprecated_in")}
    assert len(entries) == len(versions)
    content = " ".join(entry.find(f"{ATOM}content").text for entry in entries)
    assert [c["code"] for c in CODES if f"Added: {c['code']} {c['name']} ({SITE_URL}errors/{c['code']})" not in content] == []
    for entry in entries:
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text.startswith(CATALOG["catalog"]["date"])


def test_site_url_is_set_from_outside_without_editing_mkdocs_yml(preview_site):
    assert "Sitemap: https://preview.example/ojs/sitemap.xml" in (preview_site / "robots.txt").read_text(encoding="utf-8")
    html = (preview_site / "errors" / "OJS-3001" / "index.html").read_text(encoding="utf-8")
    assert "https://preview.example/ojs/errors/OJS-3001/" in html
    assert "https://openjobspec.org/" not in html


def test_the_build_publishes_no_source_maps_or_unused_search_languages(site):
    assert list(site.root.rglob("*.map")) == []
    assert not (site.root / "assets" / "javascripts" / "lunr").exists()
    bundle = next((site.root / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert "sourceMappingURL" not in bundle.read_text(encoding="utf-8")


def test_the_sites_own_scripts_are_deferred_except_the_404_pages_router(site):
    """No page waits for the site's scripts, but the 404 page, which routes an address from
    its head before the theme's stylesheets (a script after them would wait for them)."""
    blocking = {}
    for file in site.html_files():
        for script in site.soup(site.url_of(file)).find_all("script", src=True):
            if "/javascripts/" in script["src"] and "assets/" not in script["src"] and not script.has_attr("defer"):
                blocking.setdefault(site.url_of(file), []).append(script["src"].split("?")[0].rsplit("/", 1)[-1])
    assert blocking == {"404.html": ["code-finder.js", "not-found.js"]}
    order = [("stylesheet" if "stylesheet" in tag.get("rel", []) else tag["src"].split("?")[0].rsplit("/", 1)[-1])
             for tag in site.soup("404.html").head.find_all(["link", "script"])
             if "stylesheet" in tag.get("rel", []) or tag.get("src")]
    assert order.index("not-found.js") < order.index("stylesheet")


def test_every_text_file_has_a_compressed_copy_with_the_same_content(site):
    import gzip
    checked = 0
    for file in [site.root / "index.html", site.root / "errors" / "OJS-3001" / "index.html",
                 site.root / "errors" / "codes.json", site.root / "search" / "search_index.json"]:
        packed = file.with_name(file.name + ".gz")
        assert gzip.decompress(packed.read_bytes()) == file.read_bytes(), file
        checked += 1
    pages = [f for f in site.html_files() if not f.with_name(f.name + ".gz").is_file()]
    assert checked == 4 and pages == []


def test_the_sites_own_files_are_asked_for_by_a_hash_of_their_content(site):
    import hashlib
    from urllib.parse import parse_qs, urljoin, urlsplit
    wrong, checked = {}, set()
    for url in ("", "errors/", "errors/OJS-3001/", "404.html"):
        page = site.soup(url)
        references = [tag["src"] for tag in page.find_all("script", src=True)]
        references += [tag["href"] for tag in page.find_all("link", rel="stylesheet")]
        references += [tag["data-lookup-url"] for tag in page.select("[data-lookup-url]")]
        for name in ("data-scripts", "data-after-load"):  # loaded later by the page (on-demand.js)
            references += [src for tag in page.select(f"script[{name}]") for src in json.loads(tag[name])]
        for reference in references:
            path = urlsplit(urljoin("/" + url, reference)).path.lstrip("/")
            if path.startswith("assets/"):
                continue  # Material's: the hash is in the name
            file = site.root / path
            expected = hashlib.sha256(file.read_bytes()).hexdigest()[:10]
            if parse_qs(urlsplit(reference).query).get("v") != [expected]:
                wrong[f"{url}: {reference}"] = expected
            checked.add(path)
    assert wrong == {}
    assert {"javascripts/tables.js", "javascripts/code-finder.js", "javascripts/not-found.js",
            "stylesheets/catalog.css", "errors/codes.json"} <= checked
