"""Every form of every code is in the lookup file the search box and the 404 page read.

The forms are derived here from the data file and the SDKs' naming rules, independently
of macros/forms.py; the browser tests (tests/test_browser.py) type them.
"""

from __future__ import annotations

import json

import pytest

from bench.synthetic import synthetic_catalog
from conftest import CATALOG, CODES, code_id, fold_form, reader_forms, wire_codes
from macros.sdk import screaming_snake


@pytest.fixture(scope="module")
def lookup(site) -> dict:
    return json.loads((site.root / "errors" / "codes.json").read_text(encoding="utf-8"))


def codes_of(lookup: dict, form: str) -> list[str]:
    return [lookup["codes"][i]["code"] for i in lookup["forms"].get(fold_form(form), [])]


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_every_form_of_a_code_names_it_first(lookup, entry):
    wrong = {form: codes_of(lookup, form)[:1] for form in reader_forms(entry)
             if codes_of(lookup, form)[:1] != [entry["code"]]}
    assert wrong == {}


def pages_of(lookup: dict, form: str) -> list[str]:
    """The pages a form leads to, best first: codes' and wire codes' pages."""
    targets = [entry["code"] for entry in lookup["codes"]] + [page["page"] for page in lookup["pages"]]
    return [targets[i] for i in lookup["forms"].get(fold_form(form), [])]


WIRE_PAGES = {fold_form(w["code"]): w for w in CATALOG.get("wire_codes", [])}


@pytest.mark.parametrize("wire, codes", sorted(wire_codes().items()))
def test_a_wire_code_leads_to_every_code_that_uses_it(lookup, wire, codes):
    pages = pages_of(lookup, wire)
    page = WIRE_PAGES.get(fold_form(wire))
    if page is None:
        # A form of one code: that code first, then the codes that share it.
        assert pages == codes
        return
    # A wire code with a page of its own: the one code it stands for, else its page first.
    expected_first = page["means"][0] if len(page["means"]) == 1 else page.get("page", page["code"])
    assert pages[0] == expected_first
    assert set(codes) <= set(pages), "a code whose variants give it is missing"
    assert set(page["means"]) <= set(pages)


def test_statuses_list_their_codes_with_their_reason_phrases(lookup):
    for status, entry in lookup["statuses"].items():
        assert [lookup["codes"][i]["code"] for i in entry["codes"]] == \
            [c["code"] for c in CODES if str(c["http_status"]) == status]
    assert "too many requests" in lookup["statuses"]["429"]["phrases"]
    assert {"content too large", "payload too large"} <= set(lookup["statuses"]["413"]["phrases"])
    assert "unauthorized" in lookup["statuses"]["401"]["phrases"]


@pytest.mark.parametrize("name, constant", [("DuplicateJob", "DUPLICATE_JOB"), ("JobNotFound", "JOB_NOT_FOUND"),
                                            ("HTTPTimeout", "H_T_T_P_TIMEOUT"), ("NOT_FOUND", "NOT_FOUND"),
                                            ("INTERNAL", "INTERNAL")])
def test_one_screaming_snake_rule_for_sdk_constants_and_synthetic_codes(name, constant):
    # An underscore before every capital but the first (sdk-identifiers.md).
    assert screaming_snake(name) == constant
    synthetic = synthetic_catalog(14)
    for category in synthetic["categories"]:
        for code in category["codes"]:
            assert code["canonical_code"] == screaming_snake(code["name"])
