"""The second claim-by-claim check of the site's text (shared/reference/spec-fact-check-2.md).

Each test is written from one finding: what the specification documents say, checked on the
built page where a reader meets it. The expected words are the documents' facts (a retention
default, a wire code, a section), not the page's own sentences.
"""

from __future__ import annotations

import re

import pytest

from conftest import CATALOG, CODES, code_id, surfaces, text_of
from test_code_pages import section_text
from test_spec_claims import code_text, page_text

CATEGORIES = {c["slug"]: c for c in CATALOG["categories"]}
BY_CODE = {c["code"]: c for c in CODES}


def surfaces_text(site, code: str) -> str:
    return section_text(site.soup(f"errors/{code}/"), "where-it-surfaces")


def sources_of(site, url: str) -> list[str]:
    """The labels of the page's sources list: 'ojs-retry.md §2.2 Field Semantics'."""
    heading = site.soup(url).find("h2", id="sources")
    return [text_of(a) for a in heading.find_next_sibling("ul").find_all("a")]


def cites(site, url: str, document: str, section: str) -> bool:
    return any(label.startswith(f"{document}.md §{section} ") for label in sources_of(site, url))


# Contradicted ---------------------------------------------------------------------------

def test_ojs_3000_states_the_retention_of_finished_jobs(site):
    # ojs-queue-config 6.3: retention.completed and .cancelled default P7D, .discarded P30D.
    text = code_text(site, "OJS-3000")
    assert "No OJS document says how long a backend keeps finished jobs" not in text
    assert "7 days" in text and "30 days" in text
    assert cites(site, "errors/OJS-3000/", "ojs-queue-config", "6.3")


def test_workflow_category_counts_the_409_for_a_finished_workflow(site):
    # ojs-workflows 11.3: cancelling a workflow in a terminal state MUST return 409 "conflict".
    text = page_text(site, "errors/workflow/")
    assert "Only a missing workflow" not in text
    sentence = next(s for s in re.split(r"(?<=\.) ", text) if "HTTP error responses" in s)
    assert "409" in sentence and "conflict" in sentence
    assert cites(site, "errors/workflow/", "ojs-workflows", "11.3")


LOWER_CASE = re.compile(r"[a-z][a-z0-9_]*")


def lower_case_codes(entry: dict) -> set[str]:
    return {v["code"] for v in entry.get("variants", []) if v.get("code") and LOWER_CASE.fullmatch(v["code"])}


@pytest.mark.parametrize("entry", [c for c in CODES if surfaces(c) == "http"], ids=code_id)
def test_the_binding_sentence_names_every_lower_case_code_a_document_gives(site, entry):
    # The rule once counted only ojs-http-binding's own variants, and denied not_found on
    # OJS-4000 (ojs-workflows 11.2) and invalid_request on OJS-1007 (ojs-cron 3.5).
    text = surfaces_text(site, entry["code"])
    paragraph = text[text.index("The HTTP binding"):]
    assert "none of which the binding uses" not in paragraph
    codes = lower_case_codes(entry)
    for code in codes:
        assert code in paragraph, f"{code} is given by a document but not named"
    assert ("names one of them for this error" in paragraph) == (not codes)


@pytest.mark.parametrize("code, wire, document, section", [
    ("OJS-4000", "not_found", "ojs-workflows", "11.2"),
    ("OJS-1007", "invalid_request", "ojs-cron", "3.5"),
])
def test_the_two_denied_wire_codes_are_named_with_their_section(site, code, wire, document, section):
    text = surfaces_text(site, code)
    assert f"{wire} ({document}.md §{section})" in text


# Documents disagree -------------------------------------------------------------------------

DISAGREEMENTS = [
    # (page, words the other document uses, its section as the page labels it)
    ("errors/OJS-1000/", "invalid_request", "ojs-http-binding.md §9.2"),
    ("errors/OJS-1001/", "L0-ENV-003", "ojs-conformance.md §2.1.1"),
    ("errors/OJS-1001/", "[a-zA-Z][a-zA-Z0-9_]*", "ojs-json-format.md §9.3"),
    ("errors/OJS-1006/", "initial_interval_ms", "ojs-http-binding.md §9.1"),
    ("errors/OJS-1006/", "multiplier", "ojs-errors.md §12.5"),
    ("errors/OJS-3004/", "may still be enqueued into a paused queue", "ojs-admin-api.md §6.3"),
    ("errors/OJS-3004/", "accepts new jobs", "ojs-queue-config.md §5.1"),
    ("errors/OJS-3008/", "dot-namespaced", "ojs-retry.md §6.1"),
    ("errors/OJS-4003/", "depends_on", "ojs-http-binding.md §14.1"),
    ("errors/OJS-4004/", "depends_on", "ojs-http-binding.md §14.1"),
    ("errors/OJS-4004/", "repeated string depends_on", "ojs-grpc-binding.md §6.9"),
    ("errors/workflow/", "depends_on", "ojs-http-binding.md §14.1"),
    ("errors/workflow/", "repeated string depends_on", "ojs-grpc-binding.md §6.9"),
]


@pytest.mark.parametrize("url, words, label", DISAGREEMENTS, ids=[f"{u}{w[:20]}" for u, w, _ in DISAGREEMENTS])
def test_a_disagreement_is_disclosed_where_the_reader_meets_it(site, url, words, label):
    items = [text_of(li) for li in site.soup(url).select("article li") if text_of(li).startswith(label + ":")]
    assert any(words in item for item in items), f"{label} saying {words!r} is not disclosed on {url}"


@pytest.mark.parametrize("url", ["errors/", "errors/canonical-codes/"])
def test_pages_that_explain_canonical_codes_disclose_the_bindings_lower_case_codes(site, url):
    # ojs-http-binding 16.3: "Implementations MUST use these error codes" (duplicate, not_found, ...).
    page = site.soup(url)
    text = page_text(site, url)
    assert "lower-case" in text and "duplicate" in text
    assert page.select_one('article a[href$="sources/#ojs-http-binding-16-3"]') is not None


# Would mislead -------------------------------------------------------------------------------

def test_ojs_3009_does_not_claim_a_history_entry(site):
    # ojs-core 6.3 only sets cancelled_at; no document writes an errors entry for a cancel.
    text = surfaces_text(site, "OJS-3009")
    assert "the backend records the error in the job's errors history" not in text


def test_ojs_1012_does_not_promise_that_a_retry_cannot_duplicate(site):
    # ojs-unique-jobs 5.1: reject (the default) answers 409 duplicate; 8.2: best effort may let one through.
    text = code_text(site, "OJS-1012")
    assert "cannot create a duplicate" not in text
    assert "duplicate" in text and "OJS-3001" in text and "best-effort" in text
    assert cites(site, "errors/OJS-1012/", "ojs-unique-jobs", "5.1")
    assert cites(site, "errors/OJS-1012/", "ojs-unique-jobs", "8.2")


def test_ojs_1016_does_not_deny_the_422_it_shows(site):
    # ojs-payload-limits 9.3 lists PayloadChecksumMismatch with 422.
    text = surfaces_text(site, "OJS-1016")
    assert "no OJS document describes a response that carries it" not in text
    assert "422" in text


def test_ojs_1011_states_the_amqp_reconnect_schedule(site):
    # ojs-amqp-binding 11.3: 1 s, 2 s, 4 s ..., capped at 60 s.
    text = code_text(site, "OJS-1011")
    assert "No OJS document says how often an SDK retries it on its own" not in text
    assert "AMQP" in text and "60 seconds" in text
    assert cites(site, "errors/OJS-1011/", "ojs-amqp-binding", "11.3")


def test_ojs_1005_quotes_ojs_core_on_cancel_exactly(site):
    # ojs-core 7.6: cancel of a terminal job MUST be idempotent; of a cancelled one MUST succeed.
    items = [text_of(li) for li in site.soup("errors/OJS-1005/").select("article li")
             if text_of(li).startswith("ojs-errors.md §4.1:")]
    assert items and "idempotent" in items[0]
    assert "requires cancelling a job in a terminal state to succeed" not in items[0]


def test_client_category_counts_the_codes_found_elsewhere(site):
    text = page_text(site, "errors/client/")
    count = re.search(r"(\w+) are found elsewhere", text).group(1)
    said = {"Two": 2, "Three": 3, "Four": 4, "Five": 5}.get(count)
    # The codes of the category that a backend does not answer a request with.
    elsewhere = [c for c in CATEGORIES["client"]["codes"] if surfaces(c) != "http"]
    assert said == len(elsewhere), count


def test_extension_category_names_the_extensions_the_catalog_names(site):
    # error-catalog 4.7: "raised by OJS extensions (retry, cron, unique jobs, middleware)".
    introduction = text_of(site.soup("errors/extension/").select_one("article h1").find_next_sibling("p"))
    for extension in ("retry", "cron", "unique jobs", "middleware"):
        assert extension in introduction


def test_home_page_says_no_sdk_attaches_a_code_yet(site):
    # error-catalog 6.3: codes "should be available"; no SDK attaches one.
    text = page_text(site, "")
    assert "Every error an Open Job Spec SDK raises carries" not in text
    assert "no SDK does so yet" in text
    assert site.soup("").select_one('article a[href$="sources/#error-catalog-6-3"]') is not None


def test_doc_url_guide_says_its_helpers_are_a_proposal(site):
    # error-catalog 6.2 "SHOULD provide"; no SDK has docURL()/doc_url.
    page = site.soup("errors/doc-urls/")
    note = page.select_one("article .admonition")
    assert note is not None and "proposal" in text_of(note).lower()
    tabs = page.find("h2", id="in-each-sdk")
    assert "none of them exists in an SDK today" in text_of(tabs.find_next_sibling("p"))


def test_catalog_markdown_carries_the_code_pages_caveats(site):
    text = (site.root / "errors" / "catalog.md").read_text(encoding="utf-8")
    for entry in CODES:
        block = text.split(f"### {entry['code']} ", 1)[1].split("\n### ", 1)[0]
        status_line = next(line for line in block.splitlines() if line.startswith("- HTTP status:"))
        if surfaces(entry) == "workflow":
            assert "workflow's state" in status_line, status_line
        elif surfaces(entry) == "client" and entry["http_status"]:
            assert "no server sends it" in status_line, status_line


# Weak citations ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, document, section", [
    ("errors/OJS-1012/", "ojs-unique-jobs", "1"),
    ("errors/OJS-3010/", "ojs-security", "8.1"),
])
def test_a_weak_citation_is_replaced(site, url, document, section):
    assert not cites(site, url, document, section)


def test_ojs_3009_variant_says_only_what_its_section_states(site):
    items = [text_of(li) for li in site.soup("errors/OJS-3009/").select("article li")
             if text_of(li).startswith("ojs-http-binding.md §16.3:")]
    assert items and "reported through FAIL" not in items[0]


@pytest.mark.parametrize("entry", [c for c in CODES if c.get("example") and surfaces(c) == "http"], ids=code_id)
def test_the_spec_doc_url_examples_are_cited_where_they_are(site, entry):
    # The /errors/<CANONICAL> examples are in ojs-errors 5.1, 12.1 and 12.2, not error-catalog 6.2.
    text = text_of(site.soup(f"errors/{entry['code']}/").find("h2", id="example-error-response").find_next_sibling("p"))
    assert "error-catalog.md §6.2" not in text
    assert "ojs-errors.md §5.1" in text and "ojs-errors.md §12.1" in text
def test_spec_doc_url_example_validation_failed_lands(site):
    # ojs-errors 3 gives doc_url https://openjobspec.org/errors/VALIDATION_FAILED.
    page = site.soup("errors/VALIDATION_FAILED/")
    assert "VALIDATION_FAILED" in text_of(page.select_one("article h1"))


