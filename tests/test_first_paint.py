"""A page paints from itself: nothing blocks its first paint, what its first paint needs is in
it, and what it loads before the reader acts stays within budget.

The budgets (issue 19) are checked here in bytes and requests, counted from the built files;
the times they buy are measured by bench/lighthouse.py (bench/README.md).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import soupsieve
import tinycss2
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CATALOG, CODES, code_id
from macros import first_paint

FIRST_LOAD_BYTES = 60 * 1024
FIRST_LOAD_REQUESTS = 10

# One page of each kind the issue names, by address in the whole-site build.
PAGE_KINDS = {
    "code": "errors/OJS-3001/",
    "category": f"errors/{CATALOG['categories'][2]['slug']}/",
    "overview": "errors/",
    "404": "404.html",
    "home": "",
}


def page_file(site, address: str) -> Path:
    return site.root / "404.html" if address == "404.html" else site.file_for(address)


def soup_of(site, address: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, address).read_text(encoding="utf-8"), "html.parser")


def outside_noscript(elements):
    return [e for e in elements if e.find_parent("noscript") is None]


# --- nothing blocks the first paint --------------------------------------------------------

def render_blocking(page: BeautifulSoup) -> list[str]:
    """What a browser waits for before it paints: stylesheets outside <noscript>, and scripts
    from files without async or defer."""
    sheets = [link.get("href") for link in outside_noscript(page.select("link[rel~=stylesheet]"))]
    scripts = [s["src"] for s in page.select("script[src]")
               if not s.has_attr("async") and not s.has_attr("defer") and s.get("type") != "module"]
    return sheets + scripts


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_page_waits_for_another_file_before_it_paints(site, kind):
    assert render_blocking(soup_of(site, PAGE_KINDS[kind])) == []


def test_no_page_of_the_site_waits_for_another_file_before_it_paints(site):
    blocked = {}
    for file in site.html_files():
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # an alias page: it sends the reader on at once
        if render_blocking(page):
            blocked[site.url_of(file)] = render_blocking(page)
    assert blocked == {}


def test_without_scripts_a_page_links_the_whole_stylesheets(site):
    page = soup_of(site, PAGE_KINDS["code"])
    links = [link["href"] for link in page.select("noscript[data-ojs-stylesheets] link[rel=stylesheet]")]
    assert any("/assets/stylesheets/main." in urljoin("/errors/OJS-3001/", href) for href in links)
    assert any("stylesheets/catalog.css" in href for href in links)


# --- what the first paint needs is in the page ---------------------------------------------

# States and pseudo-elements: a selector holding them styles an element the page holds.
_STATE = re.compile(r"::?(?:before|after|placeholder|marker|selection|first-line|first-letter|backdrop|"
                    r"-webkit-[\w-]+|-moz-[\w-]+|hover|focus-visible|focus-within|focus|active|visited|"
                    r"target|link|any-link|autofill|indeterminate|disabled|enabled|valid|invalid|checked)\b")


def declarations(node) -> list:
    return [d for d in tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"]


def rules_by_context(nodes, context: str = "", *, styling_only: bool = False) -> list[tuple[str, str]]:
    """(the @media or @supports it stands in, selector) for each selector of a stylesheet;
    styling_only: of the rules that set a property, not only custom properties (--x)."""
    found = []
    for node in nodes:
        if node.type == "qualified-rule":
            if styling_only and all(d.name.startswith("--") for d in declarations(node)):
                continue
            found += [(context, s.strip()) for s in tinycss2.serialize(node.prelude).split(",") if s.strip()]
        elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports"):
            inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
            head = f"{context}@{node.lower_at_keyword} {tinycss2.serialize(node.prelude).strip()}"
            found += rules_by_context(inner, head, styling_only=styling_only)
    return found


def parsed(css: str) -> list:
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def stylesheet_files(site, page: BeautifulSoup, address: str) -> list[Path]:
    base = "/" + (address if address.endswith("/") or not address else address.rsplit("/", 1)[0] + "/")
    return [site.root / urlsplit(urljoin(base, link["href"])).path.lstrip("/")
            for link in page.select("noscript[data-ojs-stylesheets] link[rel=stylesheet]")]


@pytest.mark.parametrize("kind", ["code", "category", "overview", "404"])
def test_every_rule_that_styles_the_page_as_written_is_in_it(site, kind):
    """Checked with a real selector engine (soupsieve), as the page stands before the first
    paint (html has the class js): a selector of the whole stylesheets that matches an
    element of the page is in the page's own styles, in the same @media."""
    address = PAGE_KINDS[kind]
    page = soup_of(site, address)
    page.html["class"] = [c for c in page.html.get("class", []) if c != "no-js"] + [first_paint.SCRIPTED_ROOT_CLASS]
    inline = set(rules_by_context(parsed(page.find("style").string)))
    missing = []
    for file in stylesheet_files(site, page, address):
        for context, selector in rules_by_context(parsed(file.read_text(encoding="utf-8")), styling_only=True):
            query = _STATE.sub("", selector).strip() or "*"
            try:
                matches = page.select_one(query) is not None
            except (soupsieve.SelectorSyntaxError, NotImplementedError, ValueError):
                continue  # what soupsieve cannot read, it cannot judge
            if matches and (context, selector) not in inline:
                missing.append(f"{context} {selector}".strip())
    assert missing == []


def custom_properties(nodes) -> tuple[set[str], set[str]]:
    """The custom properties a stylesheet defines, and those it reads (var(--x))."""
    defined, read = set(), set()
    for node in nodes:
        if node.type == "qualified-rule":
            for declaration in declarations(node):
                if declaration.name.startswith("--"):
                    defined.add(declaration.name)
                read.update(re.findall(r"var\(\s*(--[\w-]+)", tinycss2.serialize(declaration.value)))
        elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports"):
            inner = custom_properties(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True))
            defined |= inner[0]
            read |= inner[1]
    return defined, read


@pytest.mark.parametrize("kind", ["code", "category", "overview", "404"])
def test_every_custom_property_the_page_reads_is_defined_in_it(site, kind):
    address = PAGE_KINDS[kind]
    page = soup_of(site, address)
    defined, read = custom_properties(parsed(page.find("style").string))
    whole = set()
    for file in stylesheet_files(site, page, address):
        whole |= custom_properties(parsed(file.read_text(encoding="utf-8")))[0]
    assert {name for name in read if name in whole and name not in defined} == set()


# Generated pages and stylesheets: any selector soupsieve finds an element for is kept.
TAGS = st.sampled_from(["div", "p", "a", "span", "ul", "li", "table", "td"])
CLASSES = st.sampled_from(["a", "b", "md-x", "c-1"])
ELEMENT = st.tuples(TAGS, st.lists(CLASSES, max_size=2, unique=True), st.sampled_from([None, "x", "y"]))


def compound(tag, classes, attribute) -> str:
    return (tag or "") + "".join(f".{c}" for c in classes) + (f"[data-k={attribute}]" if attribute else "")


SELECTOR = st.lists(st.tuples(st.one_of(st.none(), TAGS), st.lists(CLASSES, max_size=2, unique=True),
                              st.sampled_from([None, "x", "y"])), min_size=1, max_size=3).map(
    lambda parts: " ".join(compound(*part) or "*" for part in parts))


@settings(max_examples=150, deadline=None)
@given(st.lists(ELEMENT, min_size=1, max_size=8), st.lists(SELECTOR, min_size=1, max_size=8, unique=True))
def test_what_a_selector_engine_finds_on_a_page_is_kept(elements, selectors):
    body = "".join(f'<{tag} class="{" ".join(classes)}"{f" data-k={value}" if value else ""}>' for tag, classes, value in elements)
    html = f"<html><head></head><body>{body}</body></html>"
    page = BeautifulSoup(html, "html.parser")
    css = "".join(f"{selector}{{color:red}}" for selector in selectors)
    kept = {s for _, s in rules_by_context(parsed(first_paint.used_css(first_paint.parse_css(css), html)))}
    for selector in selectors:
        if page.select_one(selector) is not None:
            assert selector in kept


def test_a_stylesheet_that_is_not_in_the_build_is_named():
    html = '<html><head><link rel="stylesheet" href="../nowhere.css"></head><body></body></html>'
    with pytest.raises(first_paint.FirstPaintError, match=r"errors/OJS-3001.*\.\./nowhere\.css"):
        first_paint.inline_first_paint(html, "errors/OJS-3001", "/", {})


def test_a_stylesheet_that_would_end_the_style_element_is_refused(tmp_path):
    sheet = tmp_path / "x.css"
    sheet.write_text('p{content:"</style><script>alert(1)</script>"}', encoding="utf-8")
    html = '<html><head><link rel="stylesheet" href="x.css"></head><body><p>x</p></body></html>'
    with pytest.raises(first_paint.FirstPaintError, match="</style"):
        first_paint.inline_first_paint(html, "", "/", {"x.css": sheet})


# --- what a page loads before the reader acts ----------------------------------------------

def compressed_size(file: Path) -> int:
    return len(gzip.compress(file.read_bytes(), compresslevel=9))


def first_load(site, address: str) -> dict[str, int]:
    """Every file the page asks for before the reader acts, with its compressed size: the
    page, what it names outside <noscript> (scripts, preloads, icons, images, the scripts it
    loads once painted), and the sorting library tables.js loads where there is a table."""
    page = soup_of(site, address)
    base = "/" + address if address.endswith("/") or not address else "/"
    wanted = [s["src"] for s in page.select("script[src]")]
    wanted += [link["href"] for link in outside_noscript(page.select("link[rel~=preload], link[rel~=icon], "
                                                                     "link[rel~=stylesheet]"))]
    wanted += [img["src"] for img in page.select("img[src]")]
    for script in page.select("script[data-after-load]"):
        wanted += json.loads(script["data-after-load"])
    files = {"(page)": compressed_size(page_file(site, address))}
    for address_wanted in wanted:
        if address_wanted.startswith("data:"):
            continue
        path = urlsplit(urljoin(base, address_wanted)).path.lstrip("/")
        files[path] = compressed_size(site.root / path)
        if path.endswith("javascripts/tables.js") and page.select_one("div.ojs-table"):
            vendor = path.rsplit("/", 1)[0] + "/vendor/tablesort.min.js"
            files[vendor] = compressed_size(site.root / vendor)
    return files


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_a_pages_first_load_stays_within_budget(site, kind):
    files = first_load(site, PAGE_KINDS[kind])
    assert len(files) <= FIRST_LOAD_REQUESTS, files
    assert sum(files.values()) <= FIRST_LOAD_BYTES, files


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_every_code_pages_first_load_stays_within_budget(site, entry):
    files = first_load(site, f"errors/{entry['code']}/")
    assert len(files) <= FIRST_LOAD_REQUESTS and sum(files.values()) <= FIRST_LOAD_BYTES, files


def test_tables_are_wrapped_as_the_theme_wraps_them():
    html = ('<article><table><tr><td>a</td></tr></table><table class="highlighttable"><tr><td>'
            '<table><tr><td>inner</td></tr></table></td></tr></table></article>')
    page = BeautifulSoup(first_paint.wrap_tables(html), "html.parser")
    tables = page.find_all("table")
    wrapped = [t for t in tables if t.parent.get("class") == ["md-typeset__table"]
               and t.parent.parent.get("class") == ["md-typeset__scrollwrap"]]
    assert [t.get("class") for t in wrapped] == [None, None]
    assert len(page.select(".md-typeset__scrollwrap")) == 2
    assert page.select_one("table.highlighttable").parent.name == "article"
