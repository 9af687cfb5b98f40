"""What every catalog's site must do, run on each catalog in the repository (the OJS catalog
and the Jobs Service's, examples/jobs-service/): the fixture `catalog_site` builds each once.

Each test reads what it expects from that catalog's data file: its codes, names, canonical
codes and categories. What only the OJS catalog has (SDK tabs, transports, wire-code pages,
SDK constants among the forms) has its own modules.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import jsonschema
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.utils.yaml import yaml_load

from bench.server import host_tool, nginx as serve_with_nginx, nginx_binary
from conftest import BUILD_VARIABLES, CATALOGS, ROOT, crawl, text_of
from test_hosts import HOSTS, IN_CI, deploy, is_404_page
from test_nginx import get
from test_real_clients import recognise


ENGINE_SETTINGS = ROOT / "macros" / "mkdocs-engine.yml"
IDENTITY = {"site_name", "site_url", "site_description", "copyright", "nav"}


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_each_catalog_inherits_the_engines_settings_and_gives_its_own_identity(name):
    """The engine's settings name no site, so a catalog inherits none of another's."""
    with ENGINE_SETTINGS.open("rb") as file:
        engine = yaml_load(file)
    assert IDENTITY & set(engine) == set()
    config_file = CATALOGS[name][0]
    inherits = re.search(r"^INHERIT: (\S+)$", config_file.read_text(encoding="utf-8"), re.M)
    assert inherits and (config_file.parent / inherits[1]).resolve() == ENGINE_SETTINGS.resolve()
    with config_file.open("rb") as file:
        config = yaml_load(file)
    assert {"site_name", "site_url"} <= set(config)


def spellings(entry: dict) -> set[str]:
    """What a reader may type for a code in any catalog: the code, its name and its canonical
    code, as written and in lower case."""
    forms = {entry["code"], entry["name"]} | ({entry["canonical_code"]} if entry.get("canonical_code") else set())
    return forms | {form.lower() for form in forms}


def test_every_link_and_anchor_resolves_and_every_page_is_reachable(catalog_site):
    broken, unreached, reached = crawl(catalog_site.site, catalog_site.site_url)
    assert broken == []
    assert unreached == set()
    assert {f"errors/{c['code']}/" for c in catalog_site.codes} <= reached
    assert {f"errors/{c['slug']}/" for c in catalog_site.raw["categories"]} <= reached


def test_the_nav_lists_every_category_by_its_label_in_the_catalogs_order(catalog_site):
    """The categories are listed in one place, the catalog file: the nav follows it."""
    site = catalog_site.site
    pages = {site.file_for(f"errors/{c['slug']}/"): c["slug"] for c in catalog_site.raw["categories"]}
    nav = site.soup("errors/").find("nav", class_="md-nav--primary")
    listed = [(text_of(link), pages[target]) for link in nav.select("a.md-nav__link[href]")
              if (target := site.link_target("errors/", link["href"])) in pages]
    assert listed == [(c.get("nav_title", c["name"]), c["slug"]) for c in catalog_site.raw["categories"]]


def shown(text: str) -> str:
    """Catalog text as a page shows it: folded, its one markup (code spans) read."""
    return " ".join(text.replace("`", "").split())


def test_no_two_paths_differ_only_by_case(catalog_site):
    seen: dict[str, str] = {}
    root = catalog_site.site.root
    for path in sorted(p.relative_to(root).as_posix() for p in root.rglob("*")):
        assert path.lower() not in seen, f"{path} and {seen[path.lower()]} differ only by case"
        seen[path.lower()] = path


def test_every_page_has_its_own_meta_description(catalog_site):
    site, descriptions = catalog_site.site, {}
    for file in site.html_files():
        url = site.url_of(file)
        if url == "404.html" or site.redirect_target(url) is not None:
            continue
        meta = site.soup(url).find("meta", attrs={"name": "description"})
        assert meta is not None and meta["content"].strip(), f"{url} has no meta description"
        assert meta["content"] not in descriptions, f"{url} shares its description with {descriptions.get(meta['content'])}"
        descriptions[meta["content"]] = url


def test_sitemap_lists_every_code_page_under_the_site_url(catalog_site):
    sitemap = (catalog_site.site.root / "sitemap.xml").read_text(encoding="utf-8")
    locations = set(re.findall(r"<loc>(.*?)</loc>", sitemap))
    assert {f"{catalog_site.site_url}errors/{entry['code']}/" for entry in catalog_site.codes} <= locations
    assert catalog_site.site_url in locations


# What a browser fetches by itself when a page loads.
LOADING_ATTRIBUTES = [("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                      ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")]
LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "manifest",
                     "prefetch", "preconnect", "dns-prefetch", "apple-touch-icon"}


def test_pages_load_nothing_from_another_host(catalog_site):
    root, remote = catalog_site.site.root, []
    for file in catalog_site.site.html_files():
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        urls = [el[attr] for tag, attr in LOADING_ATTRIBUTES for el in page.find_all(tag) if el.get(attr)]
        urls += [link["href"] for link in page.find_all("link", href=True)
                 if LOADING_LINK_RELS & set(link.get("rel", []))]
        urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", str(page))
        remote += [f"{file.relative_to(root)}: {u}" for u in urls
                   if urlsplit(u).scheme in ("http", "https") or u.startswith("//")]
    for stylesheet in root.rglob("*.css"):
        for url in re.findall(r"(?:@import|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)",
                              stylesheet.read_text(encoding="utf-8")):
            remote.append(f"{stylesheet.relative_to(root)}: {url}")
    assert remote == []


def test_every_code_has_its_page_with_its_name_meaning_and_fix(catalog_site):
    wrong = []
    for entry in catalog_site.codes:
        page = catalog_site.site.soup(f"errors/{entry['code']}/")
        fix = page.find("h2", id="how-to-fix-it").find_next_sibling("p")
        if (text_of(page.find("h1")) != f"{entry['code']} {entry['name']}"
                or shown(entry["description"]) not in text_of(page.find("article"))
                or text_of(fix) != shown(entry["resolution"])):
            wrong.append(entry["code"])
    assert wrong == []


def test_each_category_page_lists_exactly_its_codes(catalog_site):
    for category in catalog_site.raw["categories"]:
        page = catalog_site.site.soup(f"errors/{category['slug']}/")
        listed = [text_of(row.find("td")) for row in page.select("article table tbody tr")]
        assert listed == [c["code"] for c in category["codes"]], category["slug"]


def test_the_overview_lists_every_category_and_code(catalog_site):
    page = catalog_site.site.soup("errors/")
    links = {a["href"].split("/")[-2] for a in page.select("article table a[href]") if a["href"].endswith("/")}
    assert {c["code"] for c in catalog_site.codes} <= links
    assert {c["slug"] for c in catalog_site.raw["categories"]} <= links


def test_a_canonical_code_leads_to_its_page_and_a_code_sent_as_itself_has_no_alias(catalog_site):
    site = catalog_site.site
    for entry in catalog_site.codes:
        canonical = entry.get("canonical_code")
        if not canonical:
            continue
        if canonical == entry["code"]:
            assert site.redirect_target(f"errors/{canonical}/") is None, canonical  # the page itself
        else:
            assert site.redirect_target(f"errors/{canonical}/") == f"errors/{entry['code']}/", canonical


SERVERS = ("nginx", *sorted(HOSTS))


@pytest.fixture(params=SERVERS)
def served(request, catalog_site, tmp_path):
    """The catalog's site behind nginx, or deployed on a host's local server as README says."""
    scratch = tmp_path / request.param
    scratch.mkdir()
    if request.param == "nginx":
        if nginx_binary() is None:
            (pytest.fail if IN_CI else pytest.skip)("no nginx found: install Debian's nginx package")
        with serve_with_nginx(catalog_site.site.root, scratch) as port:
            yield request.param, port
        return
    tool, serve = HOSTS[request.param]
    if host_tool(tool) is None:
        (pytest.fail if IN_CI else pytest.skip)(f"no {tool} in node_modules: run `make test` (npm ci) first")
    root = deploy(catalog_site.site.root, request.param, scratch / "root")
    (scratch / "server").mkdir()
    with serve(root, scratch / "server") as (port, _):
        yield request.param, port


def test_every_form_answers_one_301_to_its_codes_page_on_every_server(catalog_site, served):
    server, port = served
    wrong = {}
    for entry in catalog_site.codes:
        page = f"/errors/{entry['code']}/"
        for form in sorted(spellings(entry)):
            for path in (f"/errors/{form}", f"/errors/{form}/"):
                if path == page:
                    continue
                answer = get(port, path)[:2]
                # Netlify's local server serves a page asked for without its slash.
                if answer != (301, page) and not (server == "netlify" and path == page[:-1] and answer[0] == 200):
                    wrong[path] = answer
        status, _, body = get(port, page)
        if status != 200 or f"{entry['code']} {entry['name']}".encode() not in body:
            wrong[page] = status
    assert wrong == {}
    assert is_404_page(*get(port, "/errors/no-such-thing/"))


def test_the_recogniser_finds_every_form_and_a_pasted_error(catalog_site):
    queries, expected = [], []
    for entry in catalog_site.codes:
        pasted = json.dumps(catalog_site.error_body(entry))
        for query in sorted(spellings(entry)) + [pasted, f"ERROR {entry['code']}: {entry['description']}"]:
            queries.append(query)
            expected.append(entry["code"])
    answers = recognise(catalog_site.site, queries)
    wrong = {q: (a or {}).get("pages", [])[:2] for q, a, code in zip(queries, answers, expected)
             if not a or a["pages"][:1] != [code]}
    assert wrong == {}


def test_a_code_being_typed_lists_it(catalog_site):
    """All but the last character of a code, as the search box holds it while the reader types."""
    codes = [entry["code"] for entry in catalog_site.codes]
    answers = recognise(catalog_site.site, [code[:-1] for code in codes])
    assert [code for code, answer in zip(codes, answers) if not answer or code not in answer["pages"]] == []


def test_catalog_json_holds_every_code_and_meets_its_published_schema(catalog_site):
    root = catalog_site.site.root / "errors"
    published = json.loads((root / "catalog.json").read_text(encoding="utf-8"))
    schema = json.loads((root / "catalog.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(published)) == []
    assert schema["$id"] == f"{catalog_site.site_url}errors/catalog.schema.json"
    assert [(c["code"], c["name"], c["http_status"], c["description"], c["resolution"]) for c in published["codes"]] \
        == [(c["code"], c["name"], c["http_status"], " ".join(c["description"].split()),
             " ".join(c["resolution"].split())) for c in catalog_site.codes_in_file_order]
    assert {c["doc_url"] for c in published["codes"]} == {f"{catalog_site.site_url}errors/{c['code']}"
                                                         for c in catalog_site.codes}
    # A code of another catalog's shape is refused.
    code_id = jsonschema.Draft202012Validator(schema["$defs"]["code_id"])
    assert all(code_id.is_valid(c["code"]) for c in catalog_site.codes)
    assert not code_id.is_valid(catalog_site.foreign_code)


def test_llms_txt_and_catalog_md_list_every_category_and_code(catalog_site):
    root = catalog_site.site.root
    llms = (root / "llms.txt").read_text(encoding="utf-8")
    markdown = (root / "errors" / "catalog.md").read_text(encoding="utf-8")
    for category in catalog_site.raw["categories"]:
        assert f"({catalog_site.site_url}errors/{category['slug']}/)" in llms, category["slug"]
    headings = re.findall(r"^### (\S+) ", markdown, flags=re.M)
    assert headings == [c["code"] for c in catalog_site.codes_in_file_order]
    assert f"# {catalog_site.raw['catalog']['title']}" in llms.splitlines()[0]


def test_the_404_page_offers_this_catalogs_codes_and_its_links_land(catalog_site):
    site = catalog_site.site
    page = site.soup("404.html")
    example = page.find("input", id="ojs-not-found-query")["placeholder"].split(", ")
    codes = {c["code"]: c for c in catalog_site.codes}
    assert example[0] in codes and codes[example[0]]["name"] in example
    for link in page.select("article a[href]"):
        assert site.file_for(link["href"].removeprefix(catalog_site.site_url.rstrip("/"))) is not None, link["href"]


@pytest.mark.parametrize("variables, expected", [
    ({}, ("https://openjobspec.org/", "data/catalog.yaml", "part")),
    ({"OJS_SITE_URL": "https://old.example/", "OJS_CATALOG_FILE": "old.yaml", "OJS_LAYOUT": "site"},
     ("https://old.example/", "old.yaml", "site")),
    ({"OJS_SITE_URL": "https://old.example/", "CATALOG_SITE_URL": "https://new.example/", "CATALOG_FILE": "new.yaml",
      "OJS_CATALOG_FILE": "old.yaml", "CATALOG_LAYOUT": "part", "OJS_LAYOUT": "site"},
     ("https://new.example/", "new.yaml", "part")),
], ids=["neither", "the OJS catalog's older names", "the engine's names first"])
def test_the_ojs_site_reads_the_engines_variables_and_its_older_names(monkeypatch, variables, expected):
    """Deployments of openjobspec.org that set OJS_SITE_URL, OJS_CATALOG_FILE or OJS_LAYOUT
    build as before; CATALOG_* are every catalog's names, and come first."""
    for name in BUILD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    config = load_config(str(CATALOGS["ojs"][0]))
    plugin = config.plugins["error-catalog"].config
    assert (config.site_url, plugin.catalog_file, plugin.layout) == expected
