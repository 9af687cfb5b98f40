"""The publishing side against hostile settings and data: the site's address, forms that
would take over a page, server rules a server would refuse, a larger site's configuration.

Each refusal is tried in process (fast, with generated input) and where it matters with a
real build; the rules are tried with Debian's nginx and Cloudflare's own local server.
`make build`'s swap is tested in test_make_build.py.
"""

from __future__ import annotations

import dataclasses
import html
import http.client
import json
import os
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from bench.server import (cloudflare_pages, free_port, host_tool, nginx as serve_with_nginx, nginx_accepts, nginx_binary,
                          nginx_config, running_nginx, write_nginx_config)
from bench.synthetic import write_catalog, write_synthetic_catalog
from conftest import CATALOG_FILE, CATALOGS, build_site, read_catalog, write_site_config
from macros import hosting, render
from macros.addresses import refuse_case_collisions, refuse_forms_at_files
from macros.catalog import CatalogError, load_catalog
from macros.forms import pages_and_forms
from macros.layout import PART, SITE, Layout, SiteUrlError, check_site_url
from macros.model import Variant
from macros.plugin import SITE_URL_VARIABLE
from test_browser import browser, expect, reading  # noqa: F401 (browser is a fixture)
from test_nginx import get, nginx  # noqa: F401 (nginx is a fixture)

IN_CI = os.environ.get("CI", "").lower() == "true"
CATALOG = load_catalog(CATALOG_FILE)


def need_nginx() -> None:
    if nginx_binary() is None:
        if IN_CI:
            pytest.fail("no nginx found (CI=true: the server tests must run)")
        pytest.skip("no nginx found: install Debian's nginx package")


# --- the site's address -------------------------------------------------------------------

# What the issue found unsafe, each a setting a branch name or a careless operator can give.
HOSTILE_ADDRESSES = {
    "a quote that ends the inline script's string": 'https://example.org/x"+alert(1)+"/',
    "a script's end tag": "https://example.org/</script><script>alert(1)</script>/",
    "a doubled slash, another host for scripts": "https://example.org//ojs/",
    "a space and a rule for another site": "https://example.org/a https://evil.example/ 301",
    "an nginx variable": "https://example.org/$host/",
    "a script address": "javascript://example.org/%0aalert(1)//",
    "user information": "https://user:password@example.org/",
    "a query": "https://example.org/?preview=1",
    "a fragment": "https://example.org/#top",
    "nothing": "",
    "a backslash": "https://example.org/a\\b/",
    "a dot segment": "https://example.org/a/../b/",
    "a single dot segment": "https://example.org/./",
    "percent-encoding": "https://example.org/%2e%2e/",
    "a character outside ASCII": "https://example.org/café/",
    "a control character": "https://example.org/a\x07b/",
    "a line break": "https://example.org/a\nb/",
    "no host": "https:///errors/",
    "a port out of range": "https://example.org:99999/",
    "another scheme": "ftp://example.org/",
    "no scheme": "example.org/errors/",
}


@pytest.mark.parametrize("address", list(HOSTILE_ADDRESSES.values()), ids=list(HOSTILE_ADDRESSES))
def test_an_unsafe_address_is_refused_naming_the_setting(address):
    with pytest.raises(SiteUrlError) as refused:
        check_site_url(address, SITE_URL_VARIABLE)
    assert str(refused.value).startswith(f"{SITE_URL_VARIABLE}: "), refused.value


# Through a real build: refused at the start, naming CATALOG_SITE_URL, with nothing written.
@pytest.mark.parametrize("name", ["a quote that ends the inline script's string", "a doubled slash, another host for scripts",
                                  "a space and a rule for another site", "user information", "a control character"])
def test_a_build_at_an_unsafe_address_stops_before_writing_anything(name, tmp_path):
    site_dir = tmp_path / "site"
    result = build_site(site_dir, site_url=HOSTILE_ADDRESSES[name])
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "CATALOG_SITE_URL: " in output and "Traceback" not in output, output
    assert not site_dir.exists() or not any(site_dir.iterdir())


# Characters a URL can hold, hostile ones included, to build addresses from.
URL_ALPHABET = st.sampled_from(list("abcXYZ019-._~/:@?#[]%\\\"'<>$ {}|^`;=+&!*(),") + ["\x00", "\t", "\u00e9", "\u2028"])
URL_LIKE = st.builds(lambda scheme, rest: scheme + rest,
                     st.sampled_from(["https://", "http://", "javascript://", "HTTPS://", "", "//", "https:"]),
                     st.text(URL_ALPHABET, max_size=40))
# What a published address may hold once accepted: it needs no escaping in HTML, a script's
# string, a JSON string or Markdown's code spans; its path none in an nginx string or a
# _redirects line either.
PLAIN_ADDRESS = re.compile(r"https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?/(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*")


@settings(max_examples=400, deadline=None)
@given(st.one_of(URL_LIKE, st.text(max_size=40)))
def test_an_accepted_address_is_plain_wherever_it_goes(address):
    try:
        accepted = check_site_url(address, SITE_URL_VARIABLE)
    except SiteUrlError as refused:
        assert str(refused).startswith(f"{SITE_URL_VARIABLE}: ")
        return
    assert PLAIN_ADDRESS.fullmatch(accepted), accepted
    parts = urlsplit(accepted)
    assert parts.username is None and parts.query == "" and parts.fragment == ""
    assert not {".", ".."} & set(parts.path.split("/"))
    assert html.escape(accepted) == accepted and json.dumps(accepted) == f'"{accepted}"'
    # Server rules and _redirects name only the path.
    assert hosting.nginx_literal(parts.path) == parts.path and not hosting.REDIRECTS_SYNTAX.search(parts.path)


LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
SEGMENT = st.from_regex(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,10}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["http", "https"]), st.lists(LABEL, min_size=1, max_size=4),
       st.one_of(st.none(), st.integers(1, 65535)), st.lists(SEGMENT, max_size=5), st.booleans())
def test_every_plain_address_is_accepted_with_its_slash(scheme, labels, port, segments, slash):
    host = ".".join(labels) + (f":{port}" if port else "")
    path = "/" + "/".join(segments) + ("/" if slash and segments else "")
    expected = f"{scheme}://{host}/" + "".join(f"{s}/" for s in segments)
    assert check_site_url(f"{scheme}://{host}{path}", "site_url") == expected


def test_the_markdown_files_show_the_address_as_it_is(tmp_path):
    """In code spans, link destinations and autolinks Markdown reads no escape: the address
    is written there as it is, never with a backslash, and never becomes emphasis."""
    address = "https://example.org/_my_docs_/a~b~c/"
    for name, published in (("llms.txt", render.llms_txt(CATALOG, address)),
                            ("catalog.md", render.catalog_markdown(CATALOG, address))):
        assert "\\" not in "".join(line for line in published.splitlines() if address[:20] in line), name
        page = BeautifulSoup(markdown.markdown(published), "html.parser")
        spans = [c.get_text() for c in page.find_all("code") if c.get_text().startswith("https://")]
        links = [a["href"] for a in page.find_all("a")]
        assert spans and all(s.startswith(address) for s in spans), (name, spans)
        assert links and all(link.startswith(address) for link in links), (name, links)
        assert page.find("em") is None and page.find("canonical") is None, name


def test_the_markdown_files_refuse_an_address_nobody_checked():
    with pytest.raises(SiteUrlError):
        render.llms_txt(CATALOG, "https://example.org/`x`/")


def test_the_themes_inline_script_gets_the_address_as_a_json_string():
    """overrides/partials/javascripts/base.html is Material's, but for the one value: a
    Material upgrade that changes the partial fails here until the override follows it."""
    import material
    theirs = (Path(material.__file__).parent / "templates/partials/javascripts/base.html").read_text(encoding="utf-8")
    ours = (Path(__file__).parent.parent / "overrides/partials/javascripts/base.html").read_text(encoding="utf-8")
    script = re.compile(r"<script>.*</script>", re.S)
    expected = script.search(theirs).group().replace('"{{ config.extra.scope | d(base_url) }}"',
                                                       "{{ (config.extra.scope | d(base_url)) | tojson }}")
    assert script.search(ours).group() == expected


# --- forms that would take over a page ------------------------------------------------------

def with_variant(catalog, code: str, wire: str):
    entry = catalog.code(code)
    variant = Variant(source=entry.sources[0], code=wire)
    changed = dataclasses.replace(entry, variants=entry.variants + (variant,))
    return dataclasses.replace(catalog, codes=tuple(changed if c.code == code else c for c in catalog.codes))


def with_name(catalog, code: str, name: str):
    changed = dataclasses.replace(catalog.code(code), name=name)
    return dataclasses.replace(catalog, codes=tuple(changed if c.code == code else c for c in catalog.codes))


# Alias pages (errors/DUPLICATE_JOB/) are written after the check, by mkdocs-redirects.
FORMS = {f.text.casefold() for _, forms in pages_and_forms(CATALOG) for f in forms}
PAGES = {name.casefold() for name, _ in pages_and_forms(CATALOG)}


def catalog_folder(built, layout: str) -> Path:
    return built.root / "errors" if layout == SITE else built.root


def files_of(built, layout: str) -> list[SimpleNamespace]:
    """The build's files as the plugin sees them, alias pages aside."""
    folder = catalog_folder(built, layout)
    return [SimpleNamespace(dest_uri=p.relative_to(built.root).as_posix()) for p in built.root.rglob("*")
            if p.is_file() and not (p.parent.parent == folder and p.parent.name.casefold() in FORMS)]


def spellable_addresses(built, layout: str) -> list[str]:
    """What the catalog's folder holds that a wire code or a name could spell."""
    return sorted(p.name for p in catalog_folder(built, layout).iterdir()
                  if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", p.name) and p.name.casefold() not in FORMS | PAGES)


LAYOUT_URLS = {SITE: "https://openjobspec.org/", PART: "https://openjobspec.org/errors/"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_form_at_the_address_of_a_page_is_refused_naming_both(site, part_site, data):
    layout = data.draw(st.sampled_from([SITE, PART]), label="layout")
    built = site if layout == SITE else part_site
    addresses = spellable_addresses(built, layout)
    assert {"client", "sources"} <= set(addresses) and (layout == SITE or {"assets", "nginx"} <= set(addresses))
    address = data.draw(st.sampled_from(addresses), label="address")
    spelled = "".join(data.draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in address)
    code = data.draw(st.sampled_from([c.code for c in CATALOG.codes]), label="code")
    if data.draw(st.booleans(), label="as a name"):
        spelled = spelled[0].upper() + spelled[1:]
        catalog = with_name(CATALOG, code, spelled)
    else:
        catalog = with_variant(CATALOG, code, spelled)
    owner = next((name for name, forms in pages_and_forms(catalog) if spelled in {f.text for f in forms}), None)
    assume(owner is not None)  # a form two codes share leads to no page of its own
    with pytest.raises(PluginError) as refused:
        refuse_forms_at_files(catalog, files_of(built, layout), Layout(layout, LAYOUT_URLS[layout]).errors_dir,
                              CATALOG_FILE)
    assert f"its form {spelled} " in str(refused.value)
    assert re.search(rf"address of the (page|folder) {address}/ ", str(refused.value)), refused.value


@pytest.mark.parametrize("layout", [SITE, PART])
def test_the_catalog_as_it_is_takes_no_page(site, part_site, layout):
    built = site if layout == SITE else part_site
    refuse_forms_at_files(CATALOG, files_of(built, layout), Layout(layout, LAYOUT_URLS[layout]).errors_dir,
                          CATALOG_FILE)


def test_a_page_at_an_aliases_address_but_for_case_is_refused():
    """mkdocs-redirects writes the alias pages after the check: a page of the build at the
    alias's address in another case would be the same page on a host that folds case."""
    code = CATALOG.code("OJS-3001")
    page = f"errors/{code.alias.lower()}"
    with pytest.raises(PluginError) as refused:
        refuse_case_collisions(CATALOG, [SimpleNamespace(dest_uri=f"{page}/index.html")], CATALOG_FILE)
    assert f"code {code.code}: field 'canonical_code': its address errors/{code.alias}/ is the page {page} of " \
        "the site but for case" in str(refused.value)
    refuse_case_collisions(CATALOG, [SimpleNamespace(dest_uri=f"errors/{code.code}/index.html")], CATALOG_FILE)


def test_a_build_with_a_wire_code_at_a_category_page_stops(tmp_path):
    raw = read_catalog()
    entry = next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == "OJS-2000")
    entry["variants"].append({"code": "server", "source": "ojs-http-binding §16.3"})
    for layout in (SITE, PART):
        result = build_site(tmp_path / layout, write_catalog(raw, tmp_path / "catalog.yaml"), layout=layout)
        output = result.stdout + result.stderr
        assert result.returncode != 0 and "its form server (wire code" in output and "address of the page server/ of the site" in output, output


# --- server rules a server would refuse ---------------------------------------------------

def write_snippets(catalog, layout: Layout, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    names = hosting.NginxNames()
    (folder / names.map_file).write_text(hosting.nginx_map(catalog, layout, names), encoding="utf-8")
    (folder / names.http_file).write_text(hosting.nginx_http(catalog, layout, names), encoding="utf-8")
    (folder / names.server_file).write_text(hosting.nginx_server(layout, names), encoding="utf-8")
    return folder


@settings(max_examples=15, deadline=None)
@given(length=st.integers(1, 64), segments=st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,60}", fullmatch=True),
                                                    min_size=1, max_size=6))
def test_nginx_accepts_the_rules_whatever_the_lengths(tmp_path_factory, length, segments):
    """The longest wire code the schema allows, at a long site path: nginx -t passes."""
    need_nginx()
    wire = ("w" + "x" * 63)[:length]
    catalog = with_variant(CATALOG, "OJS-2000", wire) if length > 3 else CATALOG
    scratch = tmp_path_factory.mktemp("nginx-t")
    layout = Layout(SITE, check_site_url("https://example.org/" + "/".join(segments) + "/", "test"))
    snippets = write_snippets(catalog, layout, scratch / "snippets")
    accepted, words = nginx_accepts(nginx_config(scratch, scratch, 8080, snippets=snippets))
    assert accepted, words


def test_a_wire_code_past_the_schemas_limit_is_refused_at_load(tmp_path):
    raw = read_catalog()
    entry = next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == "OJS-2000")
    entry["variants"].append({"code": "w" * 65, "source": "ojs-http-binding §16.3"})
    with pytest.raises(CatalogError) as refused:
        load_catalog(write_catalog(raw, tmp_path / "catalog.yaml"))
    assert "OJS-2000" in str(refused.value) and "variants" in str(refused.value) and "long" in str(refused.value)


def test_a_value_nginx_would_read_as_syntax_is_never_written():
    for hostile in ('a"b', "a b", "$host", "a;b", "a{b", "a\\b", "${x}"):
        with pytest.raises(hosting.HostingError):
            hosting.nginx_literal(hostile)


# --- two catalogs behind one nginx ---------------------------------------------------------

def nginx_name_of(config_file: Path) -> str:
    return load_config(str(config_file)).plugins["error-catalog-publishing"].config.nginx_name


# A form of each catalog's code and the page it leads to.
OJS_FORM, JOBS_FORM = ("/errors/DUPLICATE_JOB", "/errors/OJS-3001/"), ("/errors/NOT_FOUND", "/errors/ERR_JOBS_NOT_FOUND/")


def two_catalogs_config(scratch: Path, names: tuple[hosting.NginxNames, hosting.NginxNames],
                        ports: tuple[int, int]) -> Path:
    """One nginx serving the OJS catalog and the Jobs Service's, each on a port of its own,
    with both maps at the http level and the larger catalog's hash sizes."""
    layout = Layout(SITE, "https://example.org/")
    catalogs = (CATALOG, load_catalog(CATALOGS["jobs-service"][1]))
    scratch.mkdir()
    (scratch / "http.conf").write_text(hosting.nginx_http(CATALOG, layout, names[0]), encoding="utf-8")
    http_level, servers = [f"include {scratch / 'http.conf'};"], []
    for index, (catalog, own, port) in enumerate(zip(catalogs, names, ports)):
        snippets = scratch / f"catalog-{index}"
        snippets.mkdir()
        (snippets / own.map_file).write_text(hosting.nginx_map(catalog, layout, own), encoding="utf-8")
        (snippets / own.server_file).write_text(hosting.nginx_server(layout, own), encoding="utf-8")
        http_level.append(f"include {snippets / own.map_file};")
        servers.append(f"server {{ listen 127.0.0.1:{port}; root {snippets}; include {snippets / own.server_file}; }}")
    return write_nginx_config(scratch, " ".join(http_level + servers))


def redirects_of_two_catalogs(scratch: Path, names: tuple[hosting.NginxNames, hosting.NginxNames]):
    """Where each catalog's server sends a form of its own code, both behind one nginx."""
    ports = (free_port(), free_port())
    with running_nginx(two_catalogs_config(scratch, names, ports), ports[1]):
        return get(ports[0], OJS_FORM[0])[:2], get(ports[1], JOBS_FORM[0])[:2]


def test_two_catalogs_behind_one_nginx_each_have_snippets_of_their_own(tmp_path):
    """A site's nginx snippets and its map's variable carry its nginx_name (error-catalog
    unless its mkdocs.yml says): the Jobs Service's map beside the OJS catalog's at one http
    level. Named alike, the second map would take the first one's variable, and one
    catalog's forms would no longer lead to their pages."""
    need_nginx()
    own = (hosting.NginxNames(nginx_name_of(CATALOGS["ojs"][0])),
           hosting.NginxNames(nginx_name_of(CATALOGS["jobs-service"][0])))
    assert redirects_of_two_catalogs(tmp_path / "own", own) == ((301, OJS_FORM[1]), (301, JOBS_FORM[1]))
    assert redirects_of_two_catalogs(tmp_path / "alike", (own[0], own[0])) != \
        ((301, OJS_FORM[1]), (301, JOBS_FORM[1]))


def test_the_ojs_site_keeps_the_snippet_names_openjobspec_orgs_nginx_includes(site):
    assert sorted(path.name for path in (site.root / "nginx").glob("*.conf")) == \
        ["ojs-errors-http.conf", "ojs-errors-map.conf", "ojs-errors-server.conf"]


@pytest.mark.parametrize("name", ["Errors", "error catalog", "error_catalog", "-errors", "errors-", "a$b", ""])
def test_an_nginx_name_that_would_not_name_files_and_a_variable_is_refused(tmp_path, name):
    with pytest.raises(hosting.HostingError, match="nginx_name"):
        hosting.NginxNames(name)


def test_a_build_with_an_unusable_nginx_name_stops_naming_its_file(tmp_path):
    config = write_site_config(tmp_path, CATALOGS["jobs-service"][1], "https://errors.example.org/",
                               "  error-catalog-publishing:\n    nginx_name: Jobs Errors\n")
    result = build_site(tmp_path / "site", config=config)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    assert f"{config}: nginx_name 'Jobs Errors' is not lower-case words joined by hyphens" in output, output


# --- the part inside a larger site ---------------------------------------------------------

@pytest.fixture(scope="module")
def larger_site(part_site, tmp_path_factory):
    """The part at /errors/ of a larger site whose nginx configuration has settings of its
    own (gzip, map hash sizes, its own 404 page), combined as README says."""
    need_nginx()
    host_root = tmp_path_factory.mktemp("larger")
    (host_root / "errors").symlink_to(part_site.root, target_is_directory=True)
    (host_root / "about").mkdir()
    (host_root / "about" / "index.html").write_text("<h1>About the larger site</h1>", encoding="utf-8")
    (host_root / "not-found.html").write_text("<h1>The larger site's own 404</h1>", encoding="utf-8")
    with serve_with_nginx(host_root, tmp_path_factory.mktemp("nginx"), snippets=part_site.root / "nginx",
                          in_larger_site=True) as port:
        yield port


def test_the_part_starts_inside_a_configuration_with_settings_of_its_own(larger_site):
    assert get(larger_site, "/errors/DUPLICATE_JOB")[:2] == (301, "/errors/OJS-3001/")
    status, _, body = get(larger_site, "/errors/OJS-3001/")
    assert status == 200 and b"OJS-3001 DuplicateJob" in body


def test_only_the_parts_missing_pages_get_its_404_page(larger_site):
    status, _, body = get(larger_site, "/errors/no-such-thing")
    assert status == 404 and b"Page not found" in body
    status, _, body = get(larger_site, "/about/no-such-thing")
    assert status == 404 and b"The larger site's own 404" in body and b"Page not found" not in body
    assert get(larger_site, "/about/")[0] == 200


def raw_answer(port: int, path: str) -> tuple[int, str | None, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers={"Host": "attacker.example"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location"), response.getheader("Cache-Control")


@pytest.mark.parametrize("server", ["nginx", "larger_site"])
def test_a_folder_without_its_slash_is_sent_to_it_by_path(server, request):
    """Relative links on /errors/client would land one folder too high; a redirect names a
    path, never the Host header the client sent."""
    port = request.getfixturevalue(server)
    assert raw_answer(port, "/errors/client")[:2] == (301, "/errors/client/")
    assert raw_answer(port, "/errors/DUPLICATE_JOB")[:2] == (301, "/errors/OJS-3001/")


@pytest.mark.parametrize("server", ["nginx", "larger_site"])
def test_a_page_asked_for_with_a_version_is_not_kept_for_a_year(server, request):
    port = request.getfixturevalue(server)
    for path in ("/errors/OJS-3001/?v=1", "/errors/OJS-3001/index.html?v=1", "/errors/?v=abc"):
        assert raw_answer(port, path)[2] is None, path
    assert raw_answer(port, "/errors/codes.json?v=1")[2] == "public, max-age=31536000, immutable"


# --- Cloudflare's budget --------------------------------------------------------------------

def rules_of(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line and not line.startswith("#")]


def test_more_codes_than_cloudflares_limit_keep_within_it_and_say_so(tmp_path):
    catalog = load_catalog(write_synthetic_catalog(2100, tmp_path / "catalog.yaml"))
    text = hosting.cloudflare_redirects(catalog, Layout(SITE, "https://openjobspec.org/"))
    rules = rules_of(text)
    assert len(rules) <= hosting.CLOUDFLARE_STATIC_RULES
    assert f"# {len(rules)} static rules of a budget of {hosting.CLOUDFLARE_STATIC_RULES}" in text
    assert re.search(r"# \d+ rules past the budget are left to the 404 page", text)


@pytest.mark.parametrize("budget", [0, 1, 57, 500])
def test_a_smaller_budget_is_kept(budget):
    text = hosting.cloudflare_redirects(CATALOG, Layout(SITE, "https://openjobspec.org/"), budget)
    assert len(rules_of(text)) <= budget and f"of a budget of {budget}" in text


def test_wrangler_keeps_every_rule_at_the_limit_and_skips_past_it(tmp_path):
    """The larger site's _redirects as README says: its own static rules, ours with a budget
    of what is left, then its dynamic rules. At exactly 2,000 static rules each is kept; one
    more, and Cloudflare's own parser skips it."""
    if host_tool("wrangler") is None:
        if IN_CI:
            pytest.fail("no wrangler in node_modules (CI=true: the host tests must run)")
        pytest.skip("no wrangler in node_modules: run make test (npm ci) first")
    ours = rules_of(hosting.cloudflare_redirects(CATALOG, Layout(PART, "https://openjobspec.org/errors/")))
    theirs = [f"/old/{n} /new/{n} 301" for n in range(hosting.CLOUDFLARE_STATIC_RULES - len(ours))]
    dynamic = ["/blog/* /posts/:splat 301"]
    for extra, kept in ((0, True), (1, False)):
        root = tmp_path / f"extra-{extra}" / "root"
        root.mkdir(parents=True)
        (root / "index.html").write_text("<h1>Larger site</h1>", encoding="utf-8")
        lines = theirs + [f"/older/{n} /new/{n} 301" for n in range(extra)] + [" ".join(r) for r in ours] + dynamic
        (root / "_redirects").write_text("\n".join(lines) + "\n", encoding="utf-8")
        with cloudflare_pages(root, root.parent) as (port, log):
            last_address, last_page = ours[-1][:2]
            assert (get(port, last_address)[:2] == (301, last_page)) is kept
            assert get(port, "/old/0")[:2] == (301, "/new/0")
            assert get(port, "/blog/x")[:2] == (301, "/posts/x")
            assert ("Maximum number of static rules" in log.read_text(errors="replace")) is not kept


@pytest.mark.browser
def test_a_category_address_without_its_slash_keeps_every_link_in_chromium(browser, nginx):
    """Typed without its slash, the category page's relative links would each miss a folder."""
    base = f"http://127.0.0.1:{nginx}"
    with reading(browser, base) as reader:
        reader.open("/errors/client")
        expect(reader.page).to_have_url(f"{base}/errors/client/")
        links = reader.page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)")
    local = sorted({urlsplit(link).path for link in links if link.startswith(base)})
    assert len(local) > 20
    assert [path for path in local if get(nginx, path)[0] not in (200, 301)] == []
