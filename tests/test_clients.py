"""A catalog lists its own client libraries (issue 18, item 1): how each names, prints and
raises an error, in `implementations.sdks`, without the OJS catalog's reference backends, and
shows them with the section `clients`, in words of no catalog.

The client here is a test fixture added to the Jobs Service's catalog: its reference names
no client, so none is published.
"""

from __future__ import annotations

import copy
import html
import json
import re

import pytest

from bench.synthetic import write_catalog
from conftest import CATALOGS, OJS_WORDS, BuiltSite, build_site, read_catalog, text_of
from macros import forms, recognition, render
from macros.catalog import CatalogError, load_catalog
from macros.model import Catalog

ERRORS_URL = "https://jobs.example.com/errors/"
JOBS_FILE = CATALOGS["jobs-service"][1]
NOT_FOUND, TENANT, CRON = "ERR_JOBS_NOT_FOUND", "ERR_JOBS_MISSING_TENANT_ID", "ERR_JOBS_INVALID_CRON"
CLIENT = {
    "id": "jobs-py", "label": "Python client", "types_are": "classes",
    "error": "JobsError", "shown_as": "{error}: {text}", "prints": "[{wire}] {message}",
    "prints_source": "client §3", "catch": "except JobsError as error: error.code == '{wire}'",
    "constants": ["jobs.codes.{NAME}"], "constants_source": "client §2",
    "types": [
        {"name": "JobNotFoundError", "wire": [NOT_FOUND], "catch": "except JobNotFoundError", "source": "client §3"},
        {"name": "AuthError", "status": [401, 403], "catch": "except AuthError", "source": "client §3"},
        # A code of its own in place of the server's, for an answer from no Jobs Service.
        {"name": "GatewayError", "status": [502], "code": "bad_gateway", "catch": "except GatewayError",
         "source": "client §3"},
    ],
    "unreadable": {"wire": "bad_gateway", "message": "HTTP {status}: {body}", "source": "client §3"},
    "client": [{"means": [CRON], "text": "schedule {value} is no CRON expression", "error": "ScheduleError",
                "when": "a schedule does not parse, before any request is sent", "sources": ["client §4"]}],
}


def write_jobs_with_client(tmp_path, change=lambda raw: None):
    raw = read_catalog(JOBS_FILE)
    raw["documents"] = {"client": {"url": "https://jobs.example.com/client", "title": "Jobs client",
                                   "sections": {"2": "2 Codes", "3": "3 Errors", "4": "4 Schedules"}}}
    raw["implementations"] = {"sdks": [copy.deepcopy(CLIENT)]}
    raw["sections"] = ["clients"]
    raw["wire_codes"] = [{"code": "bad_gateway", "means": [], "sources": ["client §3"],
                          "about": "What the client puts on an error for a 502 from a proxy in front of the service."}]
    change(raw)
    return write_catalog(raw, tmp_path / "catalog.yaml")  # with the lock that publishes its codes


def jobs_with_client(tmp_path, change=lambda raw: None) -> Catalog:
    path = write_jobs_with_client(tmp_path, change)
    return load_catalog(path, tmp_path / "published-codes.json")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    return jobs_with_client(tmp_path_factory.mktemp("client"))


def clients_part(page: str) -> str:
    """The section's Markdown, its text's character references read as the browser reads them."""
    return html.unescape(page.split("## In your client", 1)[1].split("\n## ", 1)[0])


def test_each_code_page_says_what_the_client_raises_and_prints_for_it(catalog):
    page = clients_part(render.code_page(catalog, catalog.code(NOT_FOUND), ERRORS_URL))
    description = catalog.code(NOT_FOUND).description
    assert f"The server sends it as <code>{NOT_FOUND}</code> with HTTP 404" in page
    assert "It arrives as <code>JobNotFoundError</code>" in page
    assert f"JobNotFoundError: [{NOT_FOUND}] {description}" in page  # shown_as around prints
    assert "Catch it with <code>except JobNotFoundError</code>" in page
    assert f"<code>jobs.codes.NOT_FOUND</code>" in page  # the code table's name, from `constants`
    # A status the client has a class for; the rest arrive as its one error, caught by the code.
    tenant = clients_part(render.code_page(catalog, catalog.code(TENANT), ERRORS_URL))
    assert "It arrives as <code>AuthError</code>" in tenant
    other = next(c for c in catalog.codes if c.http_status not in (401, 403, 404))
    assert f"Catch it with <code>except JobsError as error: error.code == '{other.code}'</code>" in \
        clients_part(render.code_page(catalog, other, ERRORS_URL))
    cron = clients_part(render.code_page(catalog, catalog.code(CRON), ERRORS_URL))
    assert "The client raises it itself as <code>ScheduleError</code> when a schedule does not parse" in cron
    assert "ScheduleError: schedule … is no CRON expression" in cron


def test_its_pages_speak_of_no_sdk_backend_or_ojs(catalog):
    pages = {c.code: render.code_page(catalog, c, ERRORS_URL) for c in catalog.codes}
    pages.update({"sources": render.sources_page(catalog), "wire codes": render.wire_codes_page(catalog),
                  "bad_gateway": render.wire_page(catalog, catalog.wire_codes[0])})
    spoken = {name: sorted(set(re.findall(OJS_WORDS + r"|SDK|[Bb]ackend|[Ss]pecification", page)))
              for name, page in pages.items()}
    assert {name: words for name, words in spoken.items() if words} == {}


def test_what_the_client_names_and_prints_finds_the_code(catalog):
    """The search box and the 404 page: its class names, and a line it printed."""
    known = forms.lookup(catalog)
    position = {code.code: index for index, code in enumerate(catalog.codes)}
    assert forms.destination(known, "JobNotFoundError") == position[NOT_FOUND]
    assert forms.destination(known, "ScheduleError") == position[CRON]
    assert forms.destination(known, "jobs.codes.NOT_FOUND") == position[NOT_FOUND]
    line = "ScheduleError: schedule 5 * is no CRON expression"
    found = [t["targets"] for t in recognition.recognition(catalog)["texts"]
             if re.search(t["pattern"].replace("(?<", "(?P<"), line)]
    assert found and all(targets[0] == position[CRON] for targets in found)


def test_its_catalog_json_publishes_the_client_without_backends(catalog):
    published = json.loads(render.catalog_json(catalog, ERRORS_URL))
    assert published["implementations"]["backends"] is None
    assert [sdk["label"] for sdk in published["implementations"]["sdks"]] == ["Python client"]


@pytest.mark.parametrize("change, problem", [
    (lambda raw: raw.update(sections=["clients", "sdk"]), "'clients' and 'sdk' both show the code pages' clients"),
    (lambda raw: raw.pop("implementations"), "'clients' shows what 'implementations' holds, which the catalog lacks"),
    (lambda raw: raw["implementations"]["sdks"][0].pop("constants_source"), "'sdks.0.constants_source': is required with 'constants'"),
], ids=["both sections", "no implementations", "constants without their source"])
def test_a_clients_declaration_that_cannot_be_shown_is_refused(tmp_path, change, problem):
    with pytest.raises(CatalogError) as error:
        jobs_with_client(tmp_path, change)
    assert problem in str(error.value)


def test_a_site_built_with_the_section_shows_a_tab_per_client(tmp_path):
    config, _, site_url = CATALOGS["jobs-service"]
    result = build_site(tmp_path / "site", write_jobs_with_client(tmp_path), site_url=site_url, config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    section = BuiltSite(tmp_path / "site").soup(f"errors/{NOT_FOUND}/").find("h2", id="in-your-client").parent
    assert [text_of(label) for label in section.select(".tabbed-labels label")] == ["Python client"]
    printed = [text_of(block) for block in section.select(".tabbed-block pre")]
    assert printed == [f"JobNotFoundError: [{NOT_FOUND}] The requested job does not exist"]


def test_the_wire_code_a_client_puts_on_errors_has_a_page_naming_the_client(catalog):
    page = html.unescape(render.wire_page(catalog, catalog.wire_codes[0]))
    assert "## In your client" in page and "- Python client: raised as GatewayError" in page
    assert "- Python client: the code it puts on an error response whose body is no readable error body" in page
    assert "| Wire code | Stands for | Sent by |" in render.wire_codes_page(catalog)
    assert "| Python client |" in html.unescape(render.wire_codes_page(catalog))


def test_the_sources_page_lists_what_the_client_tabs_cite(catalog):
    """Each code page's tab cites the client's document; the sources page says which pages do."""
    page = html.unescape(render.sources_page(catalog))
    errors = next(line for line in page.splitlines() if "{ #client-3 }" in line)  # the classes, and how it prints
    assert all(f"[{code.code}]({code.code}.md)" in errors for code in catalog.codes)
    schedules = next(line for line in page.splitlines() if "{ #client-4 }" in line)
    assert schedules.endswith(f": [{CRON}]({CRON}.md)")


# A section of the catalog's own that says which document's wire code servers send.
SENT_MODULE = '''
TEMPLATES = {"practice": "sent.md.j2"}


def sent_variant(code):
    return next((variant for variant in code.variants if variant.code == "tenant_missing"), None)


def values(catalog, code, doc_url):
    return {}
'''


@pytest.mark.parametrize("declared, wire", [(["clients"], TENANT), (["clients", "sent"], "tenant_missing")],
                         ids=["the engine alone", "a section that says"])
def test_a_documents_wire_code_is_what_servers_send_only_where_a_section_says(tmp_path, declared, wire):
    """Without a server message for a code, the engine takes it to arrive as the catalog gives
    it; that another document's code arrives instead (the OJS catalog's lower-case codes, in
    the HTTP binding's style) is a section's to say."""
    def change(raw):
        raw["sections"] = declared
        code = next(c for category in raw["categories"] for c in category["codes"] if c["code"] == TENANT)
        code["variants"] = [{"code": "tenant_missing", "source": "client §3"}]

    path = write_jobs_with_client(tmp_path, change)
    (tmp_path / "sections" / "sent.py").write_text(SENT_MODULE, encoding="utf-8")
    (tmp_path / "sections" / "sent.md.j2").write_text("", encoding="utf-8")
    catalog = load_catalog(path, tmp_path / "published-codes.json")
    page = clients_part(render.code_page(catalog, catalog.code(TENANT), ERRORS_URL))
    assert f"The server sends it as <code>{wire}</code> with HTTP 401" in page
