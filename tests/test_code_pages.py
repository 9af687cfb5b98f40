"""Every code in the data file has its page at its stable URL, and the page answers the reader."""

from __future__ import annotations

import json
import re

import pytest

from conftest import CATALOG, CODES, SDKS, SITE_URL, code_id, sdk_constants, surfaces, text_of

pytestmark = pytest.mark.parametrize("entry", CODES, ids=code_id)

# How a page says why a code has no canonical code.
ABSENCE_WORDS = {"client-side": "client-side", "server": "not assigned", "generic": "catch-all"}



def facts(page) -> dict[str, str]:
    dl = page.select_one("article dl")
    assert dl is not None, "the page has no facts list"
    return {text_of(dt): text_of(dd) for dt, dd in zip(dl.find_all("dt"), dl.find_all("dd"))}


def section(page, heading_id: str):
    """The elements between the h2 with this id and the next h2."""
    heading = page.find("h2", id=heading_id)
    assert heading is not None, f"no section #{heading_id}"
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling)
    return parts


def section_text(page, heading_id: str) -> str:
    return " ".join(text_of(part) for part in section(page, heading_id))


def test_page_is_at_its_stable_url_with_code_and_name_as_title(site, entry):
    page = site.soup(f"errors/{entry['code']}/")
    title = f"{entry['code']} {entry['name']}"
    assert text_of(page.find("h1")) == title
    assert page.title.string.startswith(title)


def test_facts_show_category_http_status_canonical_code_and_retryability(site, entry):
    page = site.soup(f"errors/{entry['code']}/")
    shown = facts(page)
    category = entry["category"]
    assert category["name"] in shown["Category"]
    category_link = page.select_one("article dl dd a")
    assert site.link_target(f"errors/{entry['code']}/", category_link["href"]) == site.file_for(
        f"errors/{category['slug']}/")
    if entry["http_status"] is None:
        assert shown["HTTP status"].startswith("None")
    elif surfaces(entry) in ("history", "workflow"):
        assert shown["HTTP status"].startswith(f"{entry['http_status']} in the catalog, but ")
    else:
        assert re.match(rf"{entry['http_status']} [A-Z]", shown["HTTP status"]), shown["HTTP status"]
    if entry.get("canonical_code"):
        assert shown["Canonical code"] == entry["canonical_code"]
    else:
        assert shown["Canonical code"].startswith("None")
        assert ABSENCE_WORDS[entry["canonical_absent"]] in shown["Canonical code"]
    level = CATALOG["retryability"][entry["retryable"]]
    assert shown["Retryable"].startswith(level["label"] + ".")
    assert " ".join(level["meaning"].replace("`", "").split()) in shown["Retryable"]
    assert entry["added_in"] in shown["Added in"]


def test_full_description_comes_first(site, entry):
    page = site.soup(f"errors/{entry['code']}/")
    first_paragraph = page.find("h1").find_next_sibling("p")
    assert text_of(first_paragraph) == entry["description"].replace("`", "")


def test_where_it_surfaces_is_said_plainly(site, entry):
    text = section_text(site.soup(f"errors/{entry['code']}/"), "where-it-surfaces")
    shown = facts(site.soup(f"errors/{entry['code']}/"))["HTTP status"]
    where = surfaces(entry)
    if where == "client":
        assert "never comes from a server" in text
    elif where == "history":
        assert "errors history" in text and "never returned to a caller as an HTTP error" in text
    elif where == "workflow":
        assert "defines no error response for it" in text and "GET /ojs/v1/workflows/:id" in text
        assert "reported in the workflow's state" in shown
    elif where == "job-state":
        assert "never returned to a caller as an HTTP error" in text and "the job's own state" in text
        assert "records it in the job's errors history" in text, "the page must not claim a history entry"
    else:
        assert f"HTTP response with status {entry['http_status']}" in text
    if where in ("history", "workflow") and entry["http_status"]:
        assert "in the catalog, but" in shown, "the facts must not present the status as a response"
    if entry.get("surfaces_note"):
        assert " ".join(entry["surfaces_note"].replace("`", "").split()) in text
    if entry.get("grpc_status"):
        assert f"status {entry['grpc_status']}" in text
        assert f"OJS_{entry['canonical_code']}" in text


def test_how_to_fix_it_has_the_resolution_and_retry_advice(site, entry):
    text = section_text(site.soup(f"errors/{entry['code']}/"), "how-to-fix-it")
    assert " ".join(entry["resolution"].replace("`", "").split()) in text
    assert "Retrying:" in text


def test_example_matches_the_wire_format(site, entry):
    page = site.soup(f"errors/{entry['code']}/")
    example_sections = [h for h in page.find_all("h2") if h.get("id", "").startswith("example-")]
    if "example" not in entry or surfaces(entry) not in ("history", "http"):
        assert example_sections == [], "only a code with an example in the data file shows one"
        return
    assert len(example_sections) == 1
    block = next(part for part in section(page, example_sections[0]["id"]) if part.find("pre"))
    text = block.find("pre").get_text()
    if surfaces(entry) == "history":
        assert example_sections[0]["id"] == "example-error-history-entry"
        history_entry = json.loads(text)
        assert history_entry["code"] == entry["canonical_code"]
        # ojs-errors.md 6.1: code, message, attempt and occurred_at are required, type is optional.
        expected = {"code", "message", "attempt", "occurred_at"} | ({"type"} if entry["example"].get("error_type") else set())
        assert set(history_entry) == expected
        assert history_entry.get("type") == entry["example"].get("error_type")
        return
    head, _, body = text.partition("\n\n")
    status_line, *header_lines = head.splitlines()
    headers = dict(line.split(": ", 1) for line in header_lines)
    assert status_line.startswith(f"HTTP/1.1 {entry['http_status']} ")
    # The HTTP binding's media type and the headers it requires on every response (4.1, 6.5).
    assert headers["Content-Type"] == "application/openjobspec+json"
    assert {"OJS-Version", "X-Request-Id"} <= set(headers)
    for name, value in entry["example"].get("headers", {}).items():
        assert headers[name] == value
    response = json.loads(body)
    assert list(response)[:2] == ["code", "message"]
    assert response["code"] == entry["canonical_code"]
    assert response["retryable"] is (entry["retryable"] == "yes")
    assert response["doc_url"] == f"{SITE_URL}errors/{entry['code']}"
    # ERR-006: every 429 and 503 carries Retry-After; a 401 says how to authenticate.
    if entry["http_status"] in (429, 503):
        assert "Retry-After" in headers
    if entry["http_status"] == 401:
        assert "WWW-Authenticate" in headers


def sdk_tabs(site, code: str) -> dict[str, str]:
    """Each SDK tab's text on a code page, by the tab's label."""
    tab_set = next(part for part in section(site.soup(f"errors/{code}/"), "in-your-sdk")
                   if "tabbed-set" in part.get("class", []))
    labels = [text_of(label) for label in tab_set.select(".tabbed-labels label")]
    return dict(zip(labels, (text_of(block) for block in tab_set.select(".tabbed-block"))))


def literal_head(template: str) -> str:
    """A text of the data file up to its first placeholder: what every filled copy starts with."""
    return template.split("{", 1)[0].strip()


def test_sdk_tabs_show_the_constant_and_what_the_sdk_does_in_every_language(site, entry):
    tabs = sdk_tabs(site, entry["code"])
    assert list(tabs) == [sdk["label"] for sdk in SDKS]
    constants = sdk_constants(entry)
    backends = CATALOG["implementations"]["backends"]
    messages = [m for m in backends["messages"] if entry["code"] in m["means"] or any(
        entry["code"] in codes for values in m.get("narrowed_by", {}).values() for codes in values.values())]
    for sdk in SDKS:
        shown = tabs[sdk["label"]]
        assert constants[sdk["label"]][0] in shown, f"{sdk['label']}: no constant"
        for message in messages:
            assert f"as {message['wire']}" in shown, f"{sdk['label']}: {message['wire']} not named"
        raised = [e for e in sdk["client"] + sdk["worker"] + sdk.get("logs", []) if entry["code"] in e["means"]]
        for item in raised:
            for text in [item["text"]] if isinstance(item["text"], str) else item["text"]:
                assert literal_head(text) in shown, f"{sdk['label']}: {text!r} not shown"
        named_by_a_binding = surfaces(entry) == "http" and any(v.get("code", "").islower()
                                                                for v in entry.get("variants", []))
        if not messages and not raised and not named_by_a_binding:
            assert "you do not meet it from this SDK today" in shown


def test_related_previous_and_next_codes_link_to_their_pages(site, entry):
    url = f"errors/{entry['code']}/"
    page = site.soup(url)
    links = {text_of(a): site.link_target(url, a["href"]) for part in section(page, "related-codes")
             for a in part.find_all("a")}
    expected = list(entry.get("related", []))
    position = [c["code"] for c in CODES].index(entry["code"])
    if position > 0:
        expected.append(CODES[position - 1]["code"])
    if position + 1 < len(CODES):
        expected.append(CODES[position + 1]["code"])
    for code in expected:
        assert code in links, f"no link to {code}"
        assert links[code] == site.file_for(f"errors/{code}/")


def test_meta_description_names_the_code(site, entry):
    meta = site.soup(f"errors/{entry['code']}/").find("meta", attrs={"name": "description"})
    assert meta["content"].startswith(f"{entry['code']} {entry['name']}: ")
    assert entry["description"].replace("`", "") in meta["content"]
