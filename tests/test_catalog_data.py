"""The data file says what the specification says, and no published code is ever lost."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import CATALOG, CATALOG_FILE, CODES, ROOT
from macros.catalog import SCHEMA_PATH, load_catalog, load_schema

SPEC = Path(os.environ.get("OJS_SPEC_FILE", ROOT.parent / "shared" / "seeds" / "ojs-error-catalog-spec.md"))
LOCK = ROOT / "data" / "published-codes.json"


def test_data_file_matches_its_json_schema():
    """The engine's schema, with the fields the catalog's sections add to a code."""
    schema = load_schema(load_catalog(CATALOG_FILE).sections)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(CATALOG)
    # The engine's schema alone knows no field of the sections.
    assert not jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).is_valid(CATALOG)


def test_catalog_version_and_counts_per_category_are_the_specifications():
    # Figures of the OJS SDK Error Catalog 1.0.0, sections 4.1 to 4.7.
    assert (CATALOG["catalog"]["version"], CATALOG["catalog"]["status"]) == ("1.0.0", "Draft")
    counts = {c["digit"]: len(c["codes"]) for c in CATALOG["categories"]}
    assert counts == {1: 18, 2: 5, 3: 11, 4: 7, 5: 4, 6: 4, 7: 5}
    assert len(CODES) == 54


@pytest.mark.parametrize("code, name, http_status, canonical, retryable", [
    # Rows copied by hand from the specification, one of each kind.
    ("OJS-1000", "InvalidPayload", 400, "INVALID_PAYLOAD", "no"),
    ("OJS-1011", "ConnectionError", None, "client-side", "yes"),
    ("OJS-2004", "InternalServerError", 500, "generic", "yes"),
    ("OJS-3000", "JobNotFound", 404, "NOT_FOUND", "no"),
    ("OJS-3001", "DuplicateJob", 409, "DUPLICATE_JOB", "no"),
    ("OJS-3006", "HandlerTimeout", None, "HANDLER_TIMEOUT", "per_retry_policy"),
    ("OJS-4005", "BatchCallbackFailed", 422, "server", "per_retry_policy"),
    ("OJS-6000", "RateLimited", 429, "RATE_LIMITED", "yes"),
    ("OJS-7004", "MiddlewareTimeout", 504, "client-side", "yes"),
])
def test_sample_rows_are_exact(code, name, http_status, canonical, retryable):
    entry = next(c for c in CODES if c["code"] == code)
    assert (entry["name"], entry["http_status"], entry["retryable"]) == (name, http_status, retryable)
    assert entry.get("canonical_code", entry.get("canonical_absent")) == canonical


SPEC_FIXTURE = ROOT / "tests" / "fixtures" / "catalog-spec-1.0.0.json"
RETRYABLE_WORDS = {"yes": "Yes", "no": "No", "per_retry_policy": "Per retry policy"}
SPEC_FIELDS = ("name", "http_status", "canonical_code", "canonical_absent", "description")


def _fixture_codes() -> dict[str, dict]:
    return {c["code"]: c for c in json.loads(SPEC_FIXTURE.read_text(encoding="utf-8"))["codes"]}


def _spec_rows() -> dict[str, tuple]:
    """The rows of the specification's category tables (section 4), by code."""
    rows = {}
    row = re.compile(r"^\| `(OJS-\d{4})` +\| (\w+) +\| ([^|]+?) +\| ([^|]+?) +\| (.+) \| ([^|]+?) *\|$")
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        if match := row.match(line):
            code, name, status, canonical, description, retryable = match.groups()
            rows[code] = (name, None if status == "—" else int(status),
                          canonical.strip("`*()"), description.strip(), retryable)
    return rows


@pytest.mark.parametrize("code", sorted(_fixture_codes()))
def test_every_value_is_the_specifications(code):
    """The data file against the specification's values, kept in tests/fixtures: runs everywhere."""
    spec = _fixture_codes()[code]
    ours = next((c for c in CODES if c["code"] == code), None)
    assert ours is not None, f"{code} is in the specification but not in the data file"
    assert {f: ours.get(f) for f in SPEC_FIELDS} == {f: spec[f] for f in SPEC_FIELDS}
    assert RETRYABLE_WORDS[ours["retryable"]] == spec["retryable"]


def test_the_data_file_has_no_code_the_specification_lacks():
    assert sorted(c["code"] for c in CODES) == sorted(_fixture_codes())


@pytest.mark.skipif(not SPEC.is_file(), reason=f"the specification is not at {SPEC} (set OJS_SPEC_FILE)")
def test_the_fixture_is_the_specification():
    """The fixture was taken from the specification; where it is at hand, check it still is."""
    fixture = {code: (c["name"], c["http_status"], c["canonical_code"] or c["canonical_absent"],
                      c["description"], c["retryable"]) for code, c in _fixture_codes().items()}
    assert fixture == _spec_rows()


def test_published_codes_are_never_removed_renamed_or_remapped():
    published = json.loads(LOCK.read_text(encoding="utf-8"))["codes"]
    current = {c["code"]: c for c in CODES}
    problems = []
    for entry in published:
        now = current.get(entry["code"])
        if now is None:
            problems.append(f"{entry['code']} was published and is gone from the catalog")
        elif (now["name"], now.get("canonical_code")) != (entry["name"], entry["canonical_code"]):
            problems.append(f"{entry['code']} was published as {entry['name']} / {entry['canonical_code']}, "
                            f"is now {now['name']} / {now.get('canonical_code')}")
    assert problems == []


def test_every_code_in_the_catalog_is_in_the_published_lock():
    published = {e["code"] for e in json.loads(LOCK.read_text(encoding="utf-8"))["codes"]}
    unlocked = sorted(set(c["code"] for c in CODES) - published)
    assert unlocked == [], f"add {unlocked} to {LOCK.relative_to(ROOT)} when they are published"


def test_deprecations_are_locked_too():
    """A deprecation is published like a code: it cannot be dropped or changed silently."""
    published = {e["code"]: e for e in json.loads(LOCK.read_text(encoding="utf-8"))["codes"]}
    current = {c["code"]: c for c in CODES}
    differences = {code: (entry.get("deprecated_in"), current[code].get("deprecated_in"))
                   for code, entry in published.items()
                   if code in current and entry.get("deprecated_in") != current[code].get("deprecated_in")}
    assert differences == {}, "lock and catalog disagree on deprecated_in (lock, catalog)"


def test_every_published_code_keeps_its_page(site):
    published = [e["code"] for e in json.loads(LOCK.read_text(encoding="utf-8"))["codes"]]
    assert [code for code in published
            if site.file_for(f"errors/{code}/") is None or site.redirect_target(f"errors/{code}/")] == []
