"""The built site in headless Chromium, used as a reader would: search, 404, tabs, tables.

Chromium comes from Debian's packages (/usr/bin/chromium; OJS_CHROMIUM names another
binary). Without it these tests skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import (CATALOG, CODES, ROOT, SITE_URL, code_id, fold_form, pasted_forms, reader_forms,
                      serve, wire_codes)
from test_first_paint import PAGE_KINDS, first_load

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips or fails with the reason
    expect = None

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    candidate = os.environ.get("OJS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).is_file() else None


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        skip_or_fail("no Chromium found: install Debian's chromium package or set OJS_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (make test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Reader:
    """A fresh browser tab that records console errors and every request it makes."""

    def __init__(self, browser, base_url: str, **context_options) -> None:
        self.base_url = base_url
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc))
        self.page.on("dialog", self._dismiss)

    def _dismiss(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str):
        return self.page.goto(self.base_url + path)

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def foreign_hosts(self) -> set[str]:
        return self.hosts - {urlsplit(self.base_url).netloc, ""}

    def close(self) -> None:
        self.context.close()


# Console errors the 404 page makes by design: the browser logs the 404 status itself.
NOT_FOUND_CONSOLE = "the server responded with a status of 404"


@contextmanager
def reading(browser, base_url: str, **context_options) -> Iterator[Reader]:
    """A Reader that, once done, must have stayed on the site, logged no error and opened no dialog."""
    reader = Reader(browser, base_url, **context_options)
    try:
        yield reader
    finally:
        reader.close()
    assert reader.foreign_hosts() == set(), "a page made requests to another host"
    assert [e for e in reader.errors if NOT_FOUND_CONSOLE not in e] == [], "console errors"
    assert reader.dialogs == [], "a page opened a dialog"


@pytest.fixture
def reader(browser, static_server):
    with reading(browser, static_server) as reader:
        yield reader


# --- search -------------------------------------------------------------------------

# What Material's result count says while the search box is empty (its English text).
PLACEHOLDER = "Type to start searching"

@pytest.fixture(scope="module")
def search(browser, static_server):
    """One tab with the site's search open, shared by the search tests."""
    reader = Reader(browser, static_server)
    reader.open("/")
    search_box = reader.page.locator("input.md-search__input")
    meta = reader.page.locator(".md-search-result__meta")
    result_links = reader.page.locator(".md-search-result__list > li > a")
    search_box.click()

    def results(query: str) -> list[str]:
        """Paths of the result pages, best first, once Material shows the results of this query."""
        # Material runs one query per keyup, with the whole value of the box. Clearing first
        # and waiting for the placeholder means the count shown next belongs to this query.
        search_box.fill("")
        search_box.press("End")
        expect(meta).to_have_text(PLACEHOLDER)
        search_box.fill(query)
        search_box.press("End")
        expect(meta).not_to_have_text(PLACEHOLDER)
        count = meta.inner_text()
        if count.startswith("No matching"):
            return []
        expect(result_links.first).to_be_visible()
        return [urlsplit(href).path for href in
                result_links.evaluate_all("links => links.map(a => a.href)")]

    def goto(query: str) -> list[str]:
        """The "go to" links the search box shows for this query (none: an empty list)."""
        search_box.fill(query)
        search_box.press("End")
        # A one-line box drops the line breaks of a pasted trace: wait for what it holds.
        reader.page.wait_for_function("() => document.querySelector('.ojs-goto').dataset.query === "
                                      "document.querySelector('input.md-search__input').value", timeout=5000)
        box = reader.page.locator(".ojs-goto")
        if box.is_hidden():
            return []
        return [urlsplit(href).path for href in box.locator("a").evaluate_all("links => links.map(a => a.href)")]

    def shown(query: str) -> list[str]:
        """What the reader sees first: the "go to" links, or else Material's results."""
        return goto(query) or results(query)

    results.goto, results.shown = goto, shown
    yield results
    reader.close()
    assert reader.foreign_hosts() == set()
    assert reader.errors == []


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_every_form_of_a_code_puts_its_page_first(search, entry):
    page = f"/errors/{entry['code']}/"
    forms = {**reader_forms(entry), **pasted_forms(entry)}
    first = {f"{kind}: {query}": (search.shown(query) or ["(no result)"])[0] for query, kind in forms.items()}
    assert {query: path for query, path in first.items() if path != page} == {}


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_without_the_go_to_box_material_search_still_ranks_the_code_first(search, entry):
    # Material's own ranking, for readers without scripts' extras: code, name, canonical code.
    forms = [entry["code"], entry["name"]] + ([entry["canonical_code"]] if entry.get("canonical_code") else [])
    first = {query: (search(query) or ["(no result)"])[0] for query in forms}
    assert {q: path for q, path in first.items() if path != f"/errors/{entry['code']}/"} == {}


WIRE_PAGES = {fold_form(w["code"]): w for w in CATALOG.get("wire_codes", [])}


@pytest.mark.parametrize("wire, codes", sorted(wire_codes().items()))
def test_a_wire_code_of_another_document_lists_its_page_and_codes(search, wire, codes):
    shown = search.goto(wire)
    page = WIRE_PAGES.get(fold_form(wire))
    if page is None:  # a form of the one code it stands for first
        assert shown[:len(codes)] == [f"/errors/{code}/" for code in codes]
        return
    address = f"/errors/{page.get('page', page['code'])}/"
    first = f"/errors/{page['means'][0]}/" if len(page["means"]) == 1 else address
    assert shown[0] == first
    # Then the codes it stands for, best first (other meanings of the word may follow: a
    # status's phrase, an SDK's class of the same name).
    expected = [f"/errors/{code}/" for code in page["means"] if len(page["means"]) > 1]
    assert [p for p in shown if p in expected][:11] == expected[:11]


def corpus_sample(per_kind: int = 4) -> list[dict]:
    """A few strings of every kind of the real clients' corpus, spread over it."""
    from test_real_clients import CORPUS
    sample = []
    for kind in sorted({s["kind"] for s in CORPUS}):
        strings = [s for s in CORPUS if s["kind"] == kind]
        sample += strings[::max(1, len(strings) // per_kind)][:per_kind]
    return sample


@pytest.mark.parametrize("string", corpus_sample(), ids=lambda s: f"{s['kind']}:{s['text'][:30]}")
def test_what_a_real_client_printed_finds_its_code_in_the_search_box(search, string):
    from test_real_clients import verdict
    shown = [path.strip("/").split("/")[-1] for path in search.goto(string["text"])]
    assert verdict(string["expect"], {"pages": shown}) is None, shown


def prefixes() -> list[str]:
    return sorted({"OJS-" + c["code"][4:4 + length] for c in CODES for length in (1, 2, 3)})


@pytest.mark.parametrize("prefix", prefixes())
def test_a_typed_prefix_shows_its_codes_in_order(search, prefix):
    expected = [f"/errors/{c['code']}/" for c in CODES if c["code"].startswith(prefix)][:12]
    assert search.goto(prefix) == expected


PHRASES = {400: ["Bad Request"], 401: ["Unauthorized"], 403: ["Forbidden"], 404: ["Not Found"],
           409: ["Conflict"], 413: ["Content Too Large", "Payload Too Large"], 422: ["Unprocessable Content",
           "Unprocessable Entity"], 429: ["Too Many Requests"], 500: ["Internal Server Error"],
           503: ["Service Unavailable"], 504: ["Gateway Timeout"]}


@pytest.mark.parametrize("status", sorted({c["http_status"] for c in CODES if c["http_status"]}))
def test_a_status_with_its_reason_phrase_lists_its_codes(search, status):
    expected = [f"/errors/{c['code']}/" for c in CODES if c["http_status"] == status][:12]
    for phrase in PHRASES[status]:
        assert search.goto(f"{status} {phrase}") == expected
        # A phrase alone may also be a code's name (Payload Too Large): that code comes first.
        assert set(expected) <= set(search.goto(phrase.lower())), phrase
    assert search.goto(f"HTTP {status}") == expected


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_enter_opens_the_first_go_to_link(reader, entry):
    reader.open("/")
    reader.page.locator("input.md-search__input").click()
    box = reader.page.locator("input.md-search__input")
    box.fill(f"ojs.Code{entry['name']}")
    box.press("End")
    reader.page.wait_for_function("() => !document.querySelector('.ojs-goto').hidden", timeout=5000)
    box.press("Enter")
    reader.page.wait_for_url(f"**/errors/{entry['code']}/", timeout=5000)


# Words a reader leaves out of a query. Material searches each word typed as a prefix,
# so "a" or "the" would match nearly every word of the site.
STOP_WORDS = {"a", "an", "and", "are", "as", "at", "be", "been", "by", "do", "does", "for", "from",
              "has", "have", "in", "is", "it", "its", "no", "not", "of", "on", "or", "that", "the",
              "to", "was", "were", "while", "with"}


def description_phrase(entry: dict, length: int = 4) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9_]+", entry["description"]) if w.lower() not in STOP_WORDS]
    return " ".join(words[:length])


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_search_finds_the_code_page_by_a_phrase_of_its_description(search, entry):
    assert f"/errors/{entry['code']}/" in search(description_phrase(entry))[:5]


# --- addresses ----------------------------------------------------------------------

def heading(reader) -> str:
    return reader.page.locator("h1").inner_text().removesuffix("¶").strip()


@pytest.mark.parametrize("path", ["/errors/OJS-3001", "/errors/DUPLICATE_JOB", "/errors/ojs-3001",
                                  "/errors/duplicate_job", "/errors/DuplicateJob", "/errors/3001",
                                  "/old/docs/deep/path/ojs-3001", "/errors/ojs-3001.html",
                                  "/errors/ojs.CodeDuplicateJob", "/errors/OJS_3001_DUPLICATE_JOB/index.html",
                                  "/errors/ojs-3001/stray", "/errors/ojs::error_codes::OJS_3001_DUPLICATE_JOB",
                                  "/errors/OJS_DUPLICATE_JOB"])
def test_addresses_of_a_code_land_on_its_page(reader, path):
    reader.open(path)
    reader.page.wait_for_url("**/errors/OJS-3001/", timeout=5000)
    assert heading(reader) == "OJS-3001 DuplicateJob"


def test_the_404_page_sends_a_code_on_without_waiting_for_the_theme(reader):
    """The theme's script and stylesheets never arrive: the address still lands on its page,
    because the 404 page routes from its head."""
    reader.page.route("**/assets/**", lambda route: None)  # whatever of the theme is asked for never comes
    reader.page.goto(reader.base_url + "/errors/ojs-3001", wait_until="commit")
    reader.page.wait_for_url("**/errors/OJS-3001/", timeout=5000, wait_until="commit")


def suggested_codes(reader) -> list[str]:
    reader.page.wait_for_selector(".ojs-not-found__suggestions p", timeout=5000)
    return reader.page.locator(".ojs-not-found__codes a").all_inner_texts()


def nearest_codes(digit: int, number: int, count: int = 5) -> list[str]:
    codes = [c["code"] for c in CODES if c["category"]["digit"] == digit]
    return sorted(codes, key=lambda code: abs(int(code[4:]) - number))[:count]


def test_404_for_an_unknown_code_offers_the_nearest_codes_of_its_category(reader):
    reader.open("/errors/OJS-3999")
    assert suggested_codes(reader) == nearest_codes(3, 3999)
    assert "OJS-3999 is not in the catalog" in reader.page.locator(".ojs-not-found__suggestions").inner_text()
    category = next(c for c in CATALOG["categories"] if c["digit"] == 3)
    link = reader.page.locator(".ojs-not-found__suggestions").get_by_role("link", name=category["name"], exact=True)
    assert link.get_attribute("href") == f"/errors/{category['slug']}/"
    assert reader.page.locator(".ojs-not-found__path").inner_text() == "/errors/OJS-3999"
    assert reader.page.locator("#ojs-not-found-query").input_value() == "OJS-3999"


def test_404_for_a_code_outside_every_category_says_so(reader):
    reader.open("/errors/ojs-9001")
    suggested_codes(reader)
    assert "no category starts with 9" in reader.page.locator(".ojs-not-found__suggestions").inner_text()


def test_404_for_a_misspelt_canonical_code_suggests_it(reader):
    reader.open("/errors/DUPLICAT_JOBB")
    assert suggested_codes(reader)[0] == "OJS-3001"


def test_404_search_form_opens_the_site_search(reader):
    reader.open("/errors/OJS-3999")
    reader.page.locator("#ojs-not-found-query").fill("DUPLICATE_JOB")
    reader.page.locator(".ojs-not-found__search button").click()
    expect(reader.page.locator(".md-search-result__list > li > a").first).to_have_attribute(
        "href", re.compile(r"/errors/OJS-3001/(\?.*)?$"))


@pytest.mark.parametrize("path", [
    "/errors/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/errors/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
    "//evil.example/errors/ojs-3001",
    "/errors/https:%2F%2Fevil.example%2F",
    "/errors/%2F%2Fevil.example",
    "/errors/..%2F..%2F%2Fevil.example",
])
def test_404_never_runs_or_follows_what_the_address_holds(reader, path):
    reader.open(path)
    reader.page.wait_for_load_state("networkidle")
    assert urlsplit(reader.page.url).netloc == urlsplit(reader.base_url).netloc
    assert reader.page.locator("article img, article script:not([src])").count() == 0
    # Whatever the address holds, the page shows it as text.
    shown_path = reader.page.locator(".ojs-not-found__path")
    if shown_path.count():
        assert shown_path.inner_text() == unquote(urlsplit(reader.page.url).path)


# --- reading --------------------------------------------------------------------------

SELECTED_TAB = """() => {
    const set = document.querySelector("#in-your-sdk ~ .tabbed-set");
    const checked = set && set.querySelector(":scope > input:checked");
    return checked ? set.querySelector(`label[for="${checked.id}"]`).textContent.trim() : null;
}"""


def point_at_the_page(reader) -> None:
    """What a reader does first: move the pointer over the page. The theme's script, which
    comes on demand (javascripts/on-demand.js), is then loaded: wait until it listens."""
    reader.page.mouse.move(200, 300)
    expect(reader.page.locator("html")).to_have_attribute("data-ojs-theme", "ready")


def wait_for_selected_tab(reader, language: str) -> None:
    # Material restores the chosen tab with a script after the page loads: wait for it.
    reader.page.wait_for_function(f"({SELECTED_TAB})() === {language!r}", timeout=5000)


def test_sdk_language_chosen_on_one_code_page_stays_chosen_on_the_next(reader):
    reader.open("/errors/OJS-3001/")
    wait_for_selected_tab(reader, "Go")
    reader.page.locator("#in-your-sdk ~ .tabbed-set label", has_text="Python").first.click()
    wait_for_selected_tab(reader, "Python")
    # The choice is kept by the theme, which the click itself loaded: a reader reads on.
    expect(reader.page.locator("html")).to_have_attribute("data-ojs-theme", "ready")
    reader.page.get_by_role("link", name="OJS-3002").first.click()
    reader.page.wait_for_url("**/errors/OJS-3002/")
    wait_for_selected_tab(reader, "Python")


def test_code_blocks_have_a_copy_button_that_copies_the_code(browser, static_server):
    with reading(browser, static_server, permissions=["clipboard-read", "clipboard-write"]) as reader:
        reader.open("/errors/OJS-3001/")
        point_at_the_page(reader)
        blocks = reader.page.locator("article pre")
        assert blocks.count() > 0
        assert reader.page.locator("article pre button[data-md-type=copy]").count() == blocks.count()
        example = reader.page.locator("#example-error-response ~ div pre").first
        example.hover()
        example.locator("button[data-md-type=copy]").click()
        # The clipboard is written asynchronously: wait until it holds the example.
        reader.page.wait_for_function(
            """async () => (await navigator.clipboard.readText()).includes('"code": "DUPLICATE_JOB"')""",
            timeout=5000)


def visible_rows(reader, column: str) -> list[str]:
    table = reader.page.locator("div.ojs-table table").first
    headers = table.locator("thead th").all_inner_texts()
    index = [h.strip() for h in headers].index(column)
    return table.evaluate(
        "(table, index) => Array.from(table.tBodies[0].rows).filter(r => !r.hidden)"
        ".map(r => r.cells[index].textContent.trim())", index)


def test_overview_table_filters_by_category_status_and_retryability(reader):
    reader.open("/errors/")
    assert len(visible_rows(reader, "Code")) == len(CODES)
    category = CATALOG["categories"][2]
    reader.page.get_by_label("Category").select_option(category["short_name"])
    assert visible_rows(reader, "Code") == [c["code"] for c in category["codes"]]
    reader.page.get_by_label("Category").select_option("")
    reader.page.get_by_label("HTTP").select_option("409")
    assert visible_rows(reader, "Code") == [c["code"] for c in CODES if c["http_status"] == 409]
    reader.page.get_by_label("HTTP").select_option("")
    label = CATALOG["retryability"]["yes"]["label"]
    reader.page.get_by_label("Retryable").select_option(label)
    assert visible_rows(reader, "Code") == [c["code"] for c in CODES if c["retryable"] == "yes"]
    shown = reader.page.locator(".ojs-filters__count").inner_text()
    assert shown == f"{sum(c['retryable'] == 'yes' for c in CODES)} of {len(CODES)} codes"


def test_category_table_sorts_by_a_column_from_the_keyboard(reader):
    category = CATALOG["categories"][0]
    reader.open(f"/errors/{category['slug']}/")
    reader.page.wait_for_selector("div.ojs-table[data-enhanced]", timeout=5000)  # tablesort loaded
    header = reader.page.locator("div.ojs-table thead th", has_text="Code").first
    header.focus()
    reader.page.keyboard.press("Enter")
    ascending = sorted(c["code"] for c in category["codes"])
    first_order = visible_rows(reader, "Code")
    reader.page.keyboard.press("Enter")
    second_order = visible_rows(reader, "Code")
    assert sorted([first_order, second_order]) == sorted([ascending, ascending[::-1]])


@pytest.fixture
def reader_at_site_url(browser, static_server):
    """A tab that reads the site at its own address (site_url), answered by the local server:
    the theme navigates instantly only to addresses its sitemap lists, port included."""
    with reading(browser, SITE_URL.rstrip("/")) as reader:
        def answer(route):
            address = urlsplit(route.request.url)
            local = static_server + address.path + (f"?{address.query}" if address.query else "")
            route.fulfill(response=route.fetch(url=local))
        reader.context.route(f"{SITE_URL}**", answer)
        yield reader
        reader.context.unroute_all(behavior="ignoreErrors")  # requests still on their way


def test_a_click_loads_only_the_next_page_and_the_sites_scripts_run_on_it(reader_at_site_url):
    """Instant navigation (navigation.instant): a click fetches the next page and swaps it in,
    without a new page load; tables still get their filters and sorting, and the search box
    its "go to" list, on the page a click led to."""
    reader = reader_at_site_url
    category = CATALOG["categories"][2]
    reader.open("/errors/OJS-3001/")
    point_at_the_page(reader)
    reader.page.wait_for_load_state("networkidle")
    reader.page.evaluate("window.ojsSamePage = true")
    requests = []
    reader.page.on("request", lambda r: requests.append(urlsplit(r.url).path))
    reader.page.locator("article a", has_text=category["name"]).first.click()
    reader.page.wait_for_url(f"**/errors/{category['slug']}/", timeout=5000)
    reader.page.wait_for_selector("div.ojs-table[data-enhanced] .ojs-filters", timeout=5000)
    assert reader.page.evaluate("window.ojsSamePage === true"), "the click loaded a whole new page"
    assert reader.page.locator(".md-typeset__table .md-typeset__scrollwrap").count() == 0, "a table wrapped twice"
    assert f"/errors/{category['slug']}/" in requests
    assert not [r for r in requests if r.startswith(("/assets/javascripts/", "/assets/stylesheets/"))]
    assert visible_rows(reader, "Code") == [c["code"] for c in category["codes"]]
    code = category["codes"][-1]
    reader.page.locator("div.ojs-table a", has_text=code["code"]).first.click()
    reader.page.wait_for_url(f"**/errors/{code['code']}/", timeout=5000)
    reader.page.wait_for_selector(f"h1:has-text('{code['code']}')", timeout=5000)
    assert reader.page.evaluate("window.ojsSamePage === true")
    reader.page.keyboard.press("/")
    reader.page.locator("input.md-search__input").fill("DUPLICATE_JOB")
    reader.page.wait_for_selector(".ojs-goto[data-query='DUPLICATE_JOB'] a", timeout=5000)
    assert reader.page.locator(".ojs-goto a").first.get_attribute("href").endswith("OJS-3001/")


def test_palette_switches_between_light_and_dark(reader):
    reader.open("/")
    point_at_the_page(reader)  # the toggle is the theme's: it shows once the theme is there
    scheme = lambda: reader.page.evaluate("document.body.dataset.mdColorScheme")
    first = scheme()
    reader.page.locator("form[data-md-component=palette] label:visible").first.click()
    reader.page.wait_for_function(f"document.body.dataset.mdColorScheme !== {first!r}", timeout=5000)
    assert {first, scheme()} == {"default", "slate"}


PAGES = ["/", "/errors/", "/errors/job-lifecycle/", "/errors/OJS-3001/", "/errors/canonical-codes/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_screen(browser, static_server, path):
    with reading(browser, static_server, viewport={"width": 375, "height": 740}, is_mobile=True) as reader:
        reader.open(path)
        overflow = reader.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert reader.page.locator("label.md-header__button[for=__drawer]").is_visible()


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_only_from_the_site_and_log_no_errors(reader, path):
    reader.open(path)
    reader.page.wait_for_load_state("networkidle")
    assert reader.hosts, "no request was recorded"


@pytest.fixture(scope="module")
def axe_script() -> str:
    if not AXE_SCRIPT.is_file():
        skip_or_fail(f"axe-core is not installed at {AXE_SCRIPT} (make test installs it with npm)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def serious_violations(reader, axe_script: str) -> list[str]:
    """axe-core's serious and critical findings on the open page, each with where it is."""
    reader.page.add_script_tag(content=axe_script)
    return reader.page.evaluate("async () => (await axe.run()).violations"
                                ".filter(v => ['serious', 'critical'].includes(v.impact))"
                                ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_serious_accessibility_violation(browser, static_server, axe_script, path, scheme):
    with reading(browser, static_server, color_scheme=scheme) as reader:
        reader.open(path)
        assert serious_violations(reader, axe_script) == []


# --- hostile catalog text ---------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_server(hostile_catalog_site):
    with serve(hostile_catalog_site.site.root) as base_url:
        yield base_url


@pytest.mark.parametrize("page", range(3))
def test_hostile_catalog_text_runs_no_script_in_the_browser(browser, hostile_catalog_site, hostile_server, page):
    with reading(browser, hostile_server) as reader:  # fails on any dialog or console error
        reader.open(hostile_catalog_site.paths[page])
        reader.page.wait_for_load_state("networkidle")
        # Focus every focusable element once: an injected onfocus would fire.
        focusable = reader.page.locator("a, button, input, [tabindex]").count()
        for _ in range(focusable + 5):
            reader.page.keyboard.press("Tab")
        # The last Tab may rest on the search box, whose overlay then covers the page: close it
        # so that the pointer reaches the text.
        reader.page.evaluate("document.activeElement && document.activeElement.blur()")
        reader.page.keyboard.press("Escape")
        expect(reader.page.locator("#__search")).not_to_be_checked()
        reader.page.locator("article").first.hover()
        reader.page.wait_for_timeout(200)  # a handler that fired has run by now
        assert reader.page.locator("article").get_by_text("{: tabindex=0 onfocus=alert(1) }").first.is_visible()


# --- forms in the address bar -----------------------------------------------------------

@pytest.fixture(scope="module")
def not_found_page(browser, static_server):
    """The site's 404 page, whose route() decides where a missing address leads."""
    reader = Reader(browser, static_server)
    reader.open("/errors/no-such-page-for-the-tests")
    reader.page.wait_for_function("window.ojsCodeFinder", timeout=5000)
    yield reader.page
    reader.close()


ROUTE = """async (paths) => {
    const lookup = await ojsCodeFinder.load(document.querySelector('script[data-lookup-url]').dataset.lookupUrl);
    return paths.map(path => {
        const routed = ojsCodeFinder.route(lookup, path, new URL(document.querySelector('script[data-lookup-url]').dataset.errorsUrl, location.href).pathname);
        return routed ? (routed.code ? routed.code.page : routed.list.map(entry => entry.page)) : null;
    });
}"""
SUFFIXES = ("", "/", "/index.html", "/stray")


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_every_form_in_the_address_bar_leads_to_the_code(not_found_page, entry):
    paths = [f"/errors/{form}{suffix}" for form in reader_forms(entry) for suffix in SUFFIXES]
    routed = not_found_page.evaluate(ROUTE, paths)
    assert {path: to for path, to in zip(paths, routed) if to != entry["code"]} == {}


@pytest.mark.parametrize("wire, codes", sorted(wire_codes().items()))
def test_a_wire_code_in_the_address_bar_leads_to_its_page_or_its_code(not_found_page, wire, codes):
    paths = [f"/errors/{spelling}" for spelling in (wire, wire.upper())]
    page = WIRE_PAGES.get(fold_form(wire))
    expected = page.get("page", page["code"]) if page else codes[0]
    assert not_found_page.evaluate(ROUTE, paths) == [expected, expected]


def test_a_wire_code_in_another_case_lands_on_its_page(reader):
    reader.open("/errors/INVALID_REQUEST")
    reader.page.wait_for_url("**/errors/invalid_request/", timeout=5000)
    assert heading(reader) == "invalid_request"


# --- the first screen -------------------------------------------------------------------

FIRST_SCREEN = """(sentence) => {
    // The bottom of the first sentence of the fix, of the retryability, and of the title.
    const fix = document.querySelector('#how-to-fix-it').nextElementSibling;
    const walker = document.createTreeWalker(fix, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    range.setStart(fix, 0);
    let seen = '', node;
    while ((node = walker.nextNode())) {
        const text = node.textContent.replace(/\\s+/g, ' ');
        if ((seen + text).length >= sentence.length) { range.setEnd(node, sentence.length - seen.length); break; }
        seen += text;
    }
    const retry = [...document.querySelectorAll('.ojs-facts dt')].find(dt => dt.textContent.trim() === 'Retryable');
    return {fix: range.getBoundingClientRect().bottom, retry: retry.nextElementSibling.getBoundingClientRect().bottom,
            title: document.querySelector('h1').getBoundingClientRect().bottom, height: innerHeight,
            // A word broken across lines shows as a title wider than its box would allow.
            nameFits: (() => { const h = document.querySelector('h1'); const r = document.createRange();
                               r.selectNodeContents(h.firstChild); return [...r.getClientRects()].length <= 2; })(),
            titleLines: Math.round(document.querySelector('h1').getBoundingClientRect().height /
                                   parseFloat(getComputedStyle(document.querySelector('h1')).lineHeight))};
}"""


def first_sentence(text: str) -> str:
    text = " ".join(text.replace("`", "").split())
    match = re.search(r"(?<=[.!?])\s", text)
    return text[:match.start()] if match else text


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_the_first_screen_answers_on_every_code_page(browser, static_server, width, height):
    with reading(browser, static_server, viewport={"width": width, "height": height},
                 is_mobile=width < 600) as reader:
        below = {}
        for entry in CODES:
            reader.open(f"/errors/{entry['code']}/")
            shown = reader.page.evaluate(FIRST_SCREEN, first_sentence(entry["resolution"]))
            if max(shown["fix"], shown["retry"], shown["title"]) > shown["height"]:
                below[entry["code"]] = shown
            # The title's permalink sign takes no line of its own.
            assert shown["titleLines"] <= (2 if width < 600 else 1), entry["code"]
            assert shown["nameFits"], f"{entry['code']}: a word of the title is broken across lines"
        assert below == {}


# --- a build for a sub-path ---------------------------------------------------------------

def lands_on_the_code_page_under(browser, root, prefix: str, path: str, page: str) -> None:
    """A missing address of a build served under a path prefix reaches OJS-3001 through the
    404 page, with no request failing on the way (styles, scripts, the lookup file)."""
    with serve(root, prefix=prefix) as base_url, reading(browser, base_url) as reader:
        failed = []
        reader.page.on("response", lambda r: r.status >= 400 and r.url != base_url + path and failed.append(r.url))
        reader.open(path)
        reader.page.wait_for_url(f"**{page}", timeout=5000)
        reader.page.wait_for_load_state("networkidle")
        assert heading(reader) == "OJS-3001 DuplicateJob"
        assert failed == []


@pytest.mark.parametrize("path", ["/ojs/errors/ojs-3001", "/ojs/errors/duplicate_job/index.html",
                                  "/ojs/errors/ojs.CodeDuplicateJob"])
def test_a_build_for_a_sub_path_keeps_its_404_page_working_there(browser, preview_site, path):
    lands_on_the_code_page_under(browser, preview_site, "/ojs", path, "/ojs/errors/OJS-3001/")


def test_table_sorting_is_loaded_only_where_there_is_a_table(reader):
    loaded = []
    reader.page.on("request", lambda r: "tablesort" in r.url and loaded.append(urlsplit(reader.page.url).path))
    reader.open("/errors/OJS-3001/")
    reader.page.wait_for_load_state("networkidle")
    reader.open("/errors/")
    reader.page.wait_for_selector("div.ojs-table[data-enhanced]", timeout=5000)
    assert loaded == ["/errors/"]


@pytest.mark.parametrize("path", ["/errors/ojs-3001", "/errors/DUPLICATE_JOB", "/errors/ojs.CodeDuplicateJob/index.html"])
def test_the_part_layouts_404_page_works_under_errors(browser, part_site, path):
    lands_on_the_code_page_under(browser, part_site.root, "/errors", path, "/errors/OJS-3001/")


# --- the first paint (issue 19; javascripts/on-demand.js, macros/first_paint.py) ----------

def first_paint_address(kind: str) -> str:
    """Where the reader meets the page test_first_paint budgets: 404.html as any unknown address."""
    return "/errors/no-such-page" if PAGE_KINDS[kind] == "404.html" else "/" + PAGE_KINDS[kind]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_before_the_reader_acts_a_page_loads_what_its_budget_counts(reader, site, kind):
    """The requests a page makes while the reader only reads are the files test_first_paint
    counts against the budget: neither the theme's bundle, nor its stylesheets, nor the
    search index or the sitemap."""
    asked = []
    reader.page.on("request", lambda r: r.url.startswith(reader.base_url) and asked.append(urlsplit(r.url).path))
    reader.open(first_paint_address(kind))
    reader.page.wait_for_load_state("networkidle")
    reader.page.wait_for_timeout(300)  # the scripts that load once the page has painted
    expected = {path for path in first_load(site, PAGE_KINDS[kind]) if path != "(page)"}
    assert set(asked[1:]) == {"/" + path for path in expected}
    assert asked[0] == first_paint_address(kind)


def layout_of(reader) -> dict[str, list[float]]:
    return reader.page.evaluate("""() => Object.fromEntries(
        ['.md-header', '.md-header__title', 'h1', 'article p', '.md-sidebar--primary', '.tabbed-set',
         '.md-search', 'table', 'footer'].map(s => [s, document.querySelector(s)])
          .filter(([s, e]) => e).map(([s, e]) => { const r = e.getBoundingClientRect();
            return [s, [r.x, r.y, r.width, r.height].map(Math.round)]; }))""")


@pytest.mark.parametrize("path", ["/errors/OJS-3001/", "/errors/", "/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_first_paint_already_looks_like_the_page_with_the_theme(browser, static_server, path, scheme):
    """What a page holds for its first paint lays it out as the whole stylesheets do: nothing
    moves once the theme has come (light and dark)."""
    with reading(browser, static_server, color_scheme=scheme) as reader:
        reader.open(path)
        reader.page.wait_for_load_state("networkidle")
        before = layout_of(reader)
        colours = reader.page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        reader.page.keyboard.press("Shift")  # the reader acts without moving anything
        expect(reader.page.locator("html")).to_have_attribute("data-ojs-theme", "ready")
        assert reader.page.locator("link[rel=stylesheet][href*='assets/stylesheets/main.']").count() == 1
        assert layout_of(reader) == before
        assert reader.page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == colours
        # Each table in the theme's boxes once, as the build wrote it (macros/first_paint.py).
        assert reader.page.evaluate("""() => [...document.querySelectorAll('article table')].every(t =>
            t.parentElement.matches('.md-typeset__table') && t.parentElement.parentElement.matches('.md-typeset__scrollwrap')
            && !t.parentElement.parentElement.parentElement.closest('.md-typeset__table'))""")


def test_without_scripts_a_page_has_the_whole_stylesheets(browser, static_server):
    with reading(browser, static_server, java_script_enabled=False) as reader:
        asked = []
        reader.page.on("request", lambda r: asked.append(urlsplit(r.url).path))
        reader.open("/errors/OJS-3001/")
        reader.page.wait_for_load_state("networkidle")
        assert any(p.startswith("/assets/stylesheets/main.") for p in asked)
        assert reader.page.locator("h1").is_visible()


# --- every catalog ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog_server(catalog_site):
    with serve(catalog_site.site.root) as base_url:
        yield base_url


def test_every_catalogs_search_box_and_404_page_lead_to_its_codes(browser, catalog_site, catalog_server):
    """On each catalog's site: every code's name typed in the search box puts its page first
    in the "go to" box, and its name in lower case in the address bar lands on its page."""
    with reading(browser, catalog_server) as reader:
        reader.open("/errors/")
        box = reader.page.locator("input.md-search__input")
        box.click()
        wrong = {}
        for entry in catalog_site.codes:
            box.fill(entry["name"])
            box.press("End")
            reader.page.wait_for_function("() => document.querySelector('.ojs-goto').dataset.query === "
                                          "document.querySelector('input.md-search__input').value", timeout=5000)
            first = reader.page.locator(".ojs-goto a").first.get_attribute("href") or ""
            if not first.rstrip("/").endswith(f"/{entry['code']}"):
                wrong[entry["name"]] = first
        assert wrong == {}
        entry = catalog_site.codes[-1]
        reader.open(f"/errors/{entry['name'].lower()}")
        reader.page.wait_for_url(f"**/errors/{entry['code']}/", timeout=5000)
        assert heading(reader) == f"{entry['code']} {entry['name']}"


@pytest.mark.parametrize("kind", ["overview", "code page"])
def test_every_catalogs_pages_have_no_serious_accessibility_violation(browser, catalog_site, catalog_server,
                                                                       axe_script, kind):
    path = "/errors/" if kind == "overview" else f"/errors/{catalog_site.codes[0]['code']}/"
    with reading(browser, catalog_server) as reader:
        reader.open(path)
        assert serious_violations(reader, axe_script) == []
