"""Catalog text is text: whatever characters it holds, no page gains an element, an attribute,
a script or a template expression from it, and the page shows it exactly as written.

Pages are rendered in process from generated catalog strings and converted with the
Markdown extensions of mkdocs.yml; the result is compared with the same page rendered
from plain text. One real build with the worst strings is checked in tests/test_browser.py
(through Chromium) and in test_hostile_text_in_a_real_build below.
"""

from __future__ import annotations

import dataclasses
import json
import re

import markdown
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.yaml import yaml_load

from conftest import ROOT, SITE_URL
from macros import render
from macros.catalog import load_catalog

MODEL = load_catalog(ROOT / "data" / "catalog.yaml")

# Syntax of every layer catalog text passes through: Markdown blocks and inlines, the
# extensions mkdocs.yml enables (attr_list, admonitions, tabs, tables, def lists), HTML,
# Jinja, entities, and Unicode that YAML or JSON treat specially.
TOKENS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{: onclick=alert(1) }",
    "{: #id .cls tabindex=0 onfocus=alert(1) }", "{{ 7*7 }}", "{% if 1 %}x{% endif %}", "{# c #}",
    "[x](javascript:alert(1))", "![i](x)", "<http://x.y>", "&amp;", "&lt;", "&#60;", "\n# h\n",
    "\n---\n", '\n!!! danger "x"\n    body\n', '\n=== "Tab"\n', "| a | b |\n|---|---|\n",
    "\n    indented\n", "\n1. item\n", "\n- item\n", "\n> quote\n", "\n:   definition\n", "**b**",
    "__u__", "*i*", "~~s~~", "==m==", "^^i^^", "++k++", "\\", "<!--", "-->", "]]>", "</p>", "</div>",
    "<div markdown>", '"', "'", "\u2028", "\u00a0", "é", "😀", "\t", "--- x", "[^1]", "*[HTML]: x",
]
CHARACTERS = list("<>&\"'[](){}*_#!|\\=:-+~^%$@.,;/\n ") + ["a", "b", "7"]
NO_BACKTICK_TEXT = (st.lists(st.one_of(st.sampled_from(TOKENS), st.sampled_from(CHARACTERS),
                                       st.text("xyzXYZ019", max_size=4)), min_size=1, max_size=14)
                    .map("".join).filter(lambda s: s.strip()))


def _mkdocs_markdown() -> markdown.Markdown:
    """A Markdown converter with the extensions and settings of mkdocs.yml."""
    with (ROOT / "mkdocs.yml").open("rb") as file:
        config = yaml_load(file)  # MkDocs' own reading: !ENV, and the engine's file it INHERITs
    names, settings_ = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            settings_[name] = options
    return markdown.Markdown(extensions=names, extension_configs=settings_)


CONVERTER = _mkdocs_markdown()


def to_html(page: str) -> BeautifulSoup:
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    CONVERTER.reset()
    return BeautifulSoup(CONVERTER.convert(body), "html.parser")


def skeleton(soup: BeautifulSoup) -> list[tuple]:
    """Every element with its attributes, outside code blocks (highlighting follows their text)."""
    return [(el.name, sorted(el.attrs.items(), key=lambda kv: kv[0]))
            for el in soup.find_all(True) if el.find_parent("pre") is None]


def fold(value: str) -> str:
    return " ".join(value.split())


def with_text(value: str):
    """The catalog with `value` in every text field a code page, a category page and the mapping
    table show."""
    code = MODEL.code("OJS-6001")  # an HTTP example with headers, AMQP, a variant with a note
    handler = MODEL.code("OJS-3005")  # a history example, AMQP with its header, variants
    assert "amqp" in code.fields and "amqp" in handler.fields  # the transports section's field
    level = dataclasses.replace(MODEL.retryability["yes"], meaning=value)
    category = dataclasses.replace(code.category, introduction=value, retry_rule=value)

    def rewrite(entry):
        example = entry.example and dataclasses.replace(
            entry.example, message=value, error_type=value if entry.example.error_type else None,
            details={value: value, "nested": [value]},
            headers={name: fold(value) for name in entry.example.headers})
        return dataclasses.replace(
            entry, category=category, description=value, resolution=value, surfaces_note=value,
            fields={**entry.fields, **({"amqp": {**entry.fields["amqp"], "mechanism": value}}
                                       if "amqp" in entry.fields else {})}, example=example,
            variants=tuple(dataclasses.replace(v, note=value) for v in entry.variants))

    codes = tuple(rewrite(c) if c.code in (code.code, handler.code) or c.code in code.related else c
                  for c in MODEL.codes)
    codes = tuple(dataclasses.replace(c, in_practice=tuple(dataclasses.replace(n, note=value) for n in c.in_practice))
                  for c in codes)
    catalog = dataclasses.replace(MODEL, codes=codes,
                                  retryability={**MODEL.retryability, "yes": level},
                                  canonical_absent_reasons={reason: value for reason in MODEL.canonical_absent_reasons},
                                  categories=tuple(category if c is code.category else c for c in MODEL.categories),
                                  implementations=_implementations_with(value),
                                  wire_codes=tuple(dataclasses.replace(w, about=value) for w in MODEL.wire_codes),
                                  wire_codes_intro=value, variant_documents_are=value)
    return catalog, catalog.code(code.code), catalog.code(handler.code), category


def _implementations_with(value: str):
    """The implementations with `value` in every text they show: what happens (`when`), the
    notes, and the implementations' own texts, which are templates whose placeholders stay."""
    implementations = MODEL.implementations
    backends = dataclasses.replace(implementations.backends, messages=tuple(
        dataclasses.replace(m, when=value, text=value + " {state}") for m in implementations.backends.messages))

    def raised(entries):
        return tuple(dataclasses.replace(e, when=value, texts=tuple(value for _ in e.texts)) for e in entries)
    sdks = tuple(dataclasses.replace(sdk, client=raised(sdk.client), worker=raised(sdk.worker), logs=raised(sdk.logs),
                                     notes=tuple(dataclasses.replace(n, note=value) for n in sdk.notes))
                 for sdk in implementations.sdks)
    return dataclasses.replace(implementations, backends=backends, sdks=sdks)


def pages(value: str) -> dict[str, str]:
    catalog, code, handler, category = with_text(value)
    return {
        "code page": render.code_page(catalog, code, f"{SITE_URL}errors/"),
        "handler page": render.code_page(catalog, handler, f"{SITE_URL}errors/"),
        "category page": render.category_page(catalog, category),
        # Its messages and the SDKs' classes: the most of the implementations a page shows.
        "wire page": render.wire_page(catalog, next(w for w in catalog.wire_codes if w.code == "conflict")),
        "wire codes page": render.wire_codes_page(catalog),
        # A client-side code: what the SDKs raise themselves and log.
        "client page": render.code_page(catalog, catalog.code("OJS-1011"), f"{SITE_URL}errors/"),
        # Why codes have no canonical code, in the catalog's words.
        "mapping table": str(render.mapping_table(catalog)),
    }


PLAIN_PAGES = {name: to_html(page) for name, page in pages("Plain words.").items()}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NO_BACKTICK_TEXT)
def test_catalog_text_adds_no_element_or_attribute_and_is_shown_as_written(value):
    for name, page in pages(value).items():
        html = to_html(page)
        assert skeleton(html) == skeleton(PLAIN_PAGES[name]), name
        shown = fold(html.get_text(" "))
        # As written: no Markdown, HTML entity or template expression in it was read.
        assert fold(value) in shown, name


@settings(max_examples=120, deadline=None)
@given(NO_BACKTICK_TEXT)
def test_examples_hold_catalog_text_exactly(value):
    html = to_html(pages(value)["handler page"])
    entry = json.loads(html.select_one("#example-error-history-entry ~ div pre, #example-error-history-entry ~ pre").get_text())
    assert entry["message"] == value
    http = to_html(pages(value)["code page"]).select("pre")
    response = next(pre.get_text() for pre in http if pre.get_text().startswith("HTTP/1.1 "))
    body = json.loads(response.split("\n\n", 1)[1])
    assert body["message"] == value and body["details"] == {value: value, "nested": [value]}


@settings(max_examples=120, deadline=None)
@given(NO_BACKTICK_TEXT, NO_BACKTICK_TEXT, NO_BACKTICK_TEXT)
def test_code_spans_are_the_one_markup_and_show_their_text(before, inside, after):
    value = f"{before}`{inside}`{after}"
    html = to_html(pages(value)["code page"])
    heading = html.find("h2", id="how-to-fix-it")
    paragraph = heading.find_next_sibling("p")
    folded = fold(value)
    spans = re.findall(r"`([^`]+)`", folded)
    assert [code.get_text() for code in paragraph.find_all("code")] == spans
    assert [el.name for el in paragraph.find_all(True)] == ["code"] * len(spans)
    assert fold(paragraph.get_text()) == fold(re.sub(r"`([^`]+)`", r"\1", folded))


def test_the_plain_pages_have_the_sections_the_tests_compare():
    """The comparison above means something only if the pages hold what it compares."""
    code_page = PLAIN_PAGES["code page"]
    assert code_page.find("h2", id="how-to-fix-it") and code_page.select("pre")
    assert PLAIN_PAGES["category page"].find("table") is not None
    assert PLAIN_PAGES["handler page"].find("h2", id="example-error-history-entry") is not None


def test_hostile_text_in_a_real_build_is_text_on_every_page_and_in_search(hostile_catalog_site):
    from conftest import HOSTILE
    hostile_site = hostile_catalog_site.site
    shown_on = 0
    for file in hostile_site.html_files():
        html = file.read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        where = file.relative_to(hostile_site.root).as_posix()
        assert not [s for s in page.find_all("script") if "alert" in s.get_text()], where
        assert page.find("img", src="x") is None, where
        assert page.find(attrs={"onfocus": True}) is None and page.find(attrs={"onclick": True}) is None, where
        assert page.find("a", href=lambda h: h and h.startswith("javascript:")) is None, where
        assert not page.select("article .admonition.danger"), where
        if fold(HOSTILE.replace("`", "")) in fold(page.get_text()):
            shown_on += 1
    assert shown_on >= hostile_catalog_site.pages_showing_it
    index = json.loads((hostile_site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            fragment = BeautifulSoup(doc[field], "html.parser")
            assert fragment.find(["script", "img"]) is None, doc["location"]
            assert fragment.find(attrs={"onfocus": True}) is None, doc["location"]
    # The Markdown published for tools, rendered as a tool would: still no link, script or image;
    # read as CommonMark reads backslash escapes, the text as written.
    for published in ("errors/catalog.md", "llms.txt"):
        source = (hostile_site.root / published).read_text(encoding="utf-8")
        rendered = BeautifulSoup(markdown.markdown(source), "html.parser")
        assert rendered.find("a", href=lambda h: h and h.startswith("javascript:")) is None, published
        assert rendered.find(["script", "img"]) is None, published
        if published.endswith(".md"):
            shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace("`", "")
            assert fold(HOSTILE.replace("`", "")) in fold(shown), published


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1))
def test_front_matter_holds_any_text_and_mkdocs_reads_it_whole(value):
    """Whatever a title or description holds, MkDocs parses the front matter; nothing is dropped."""
    from mkdocs.utils.meta import get_data
    page = render._front_matter(value, value, [value])
    body, meta = get_data(page)
    assert meta[render.GENERATED_MARK] is True
    assert meta["title"] == value and meta["tags"] == [value]
    assert body.strip() == ""


def test_the_build_fails_when_a_generated_page_lost_its_front_matter():
    """The plugin's last line of defence: a generated page whose metadata MkDocs dropped."""
    from types import SimpleNamespace

    import pytest as _pytest
    from mkdocs.exceptions import PluginError

    from macros.plugin import CatalogPlugin
    plugin = CatalogPlugin()
    plugin._generated = {"errors/OJS-3001.md"}
    plugin.catalog_path = ROOT / "data" / "catalog.yaml"
    page = SimpleNamespace(file=SimpleNamespace(src_uri="errors/OJS-3001.md"), meta={})
    with _pytest.raises(PluginError, match="front matter of the generated page errors/OJS-3001.md was not read"):
        plugin.on_page_markdown("", page=page, config=None, files=None)
    page.meta = {render.GENERATED_MARK: True}
    assert plugin.on_page_markdown("text", page=page, config=None, files=None) == "text"


# The Jobs Service's catalog: no retryability, no sources, its own error envelope, whose
# texts and example values are catalog text too.
JOBS = load_catalog(ROOT / "examples" / "jobs-service" / "catalog.yaml")


def jobs_pages(value: str) -> dict[str, str]:
    code = JOBS.code(JOBS.example_code)
    envelope = {"about": value, "body": {"error": {"code": "{code}", "message": "{message}", "note": value,
                                                   value: [value, "{http_status}"]}}}
    category = code.category
    rewritten = dataclasses.replace(code, description=value, resolution=value)
    catalog = dataclasses.replace(JOBS, description=value, envelope=envelope,
                                  codes=tuple(rewritten if c is code else c for c in JOBS.codes))
    return {"code page": render.code_page(catalog, rewritten, "https://jobs.example.com/errors/"),
            "category page": render.category_page(catalog, category),
            "overview": render.overview_page(catalog)}


PLAIN_JOBS_PAGES = {name: to_html(page) for name, page in jobs_pages("Plain words.").items()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NO_BACKTICK_TEXT)
def test_another_catalogs_text_and_envelope_are_text_too(value):
    pages_ = jobs_pages(value)
    for name, page in pages_.items():
        html = to_html(page)
        assert skeleton(html) == skeleton(PLAIN_JOBS_PAGES[name]), name
        assert fold(value) in fold(html.get_text(" ")), name
    code = JOBS.code(JOBS.example_code)
    example = to_html(pages_["code page"]).find("h2", id="example-error-response").find_next("pre").get_text()
    assert json.loads(example) == {"error": {"code": code.code, "message": value, "note": value,
                                             value: [value, code.http_status]}}
