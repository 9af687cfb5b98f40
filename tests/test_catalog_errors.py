"""A bad catalog stops with every problem listed, each naming the file, the entry and the field.

The loader is tested in process, case by case, from the real catalog and its lock; a few
full builds show what a contributor sees and that a failed build writes nothing.
"""

from __future__ import annotations

import copy
import math
import re
import shutil

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from bench.synthetic import copy_sections
from conftest import CATALOG, ROOT, build_site, without_codes
from macros.catalog import MAX_DEPTH, MAX_FILE_BYTES, MAX_TEXT_LENGTH, CatalogError, load_catalog

LOCK = ROOT / "data" / "published-codes.json"
CATALOG_TEXT = (ROOT / "data" / "catalog.yaml").read_text(encoding="utf-8")


def _code(raw: dict, code: str) -> dict:
    return next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == code)


def _category(raw: dict, slug: str) -> dict:
    return next(c for c in raw["categories"] if c["slug"] == slug)


def write(tmp_path, raw: dict | None = None, *, text: str | None = None, data: bytes | None = None):
    """A catalog file with the real lock beside it."""
    path = tmp_path / "catalog.yaml"
    if data is None:
        text = text if text is not None else yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
        data = text.encode("utf-8")
    path.write_bytes(data)
    shutil.copy(LOCK, tmp_path / "published-codes.json")
    copy_sections(LOCK.parent / "catalog.yaml", path)
    return path


def problems(path) -> list[tuple[str, str | None, str]]:
    try:
        load_catalog(path, path.parent / "published-codes.json")
    except CatalogError as error:
        assert str(path) in str(error)
        return [(p.entry, p.field, p.problem) for p in error.problems]
    return []


def changed(change) -> dict:
    raw = copy.deepcopy(CATALOG)
    change(raw)
    return raw


def test_the_real_catalog_has_no_problem(tmp_path):
    assert problems(write(tmp_path, CATALOG)) == []


def set_field(code: str, field: str, value):
    return lambda raw: _code(raw, code).__setitem__(field, value)


def deprecate(code: str, version: str | None = "1.0.0", replacement: str | None = None):
    def change(raw):
        entry = _code(raw, code)
        if version:
            entry["deprecated_in"] = version
        if replacement:
            entry["replaced_by"] = replacement
    return change


def cycle(raw):
    for code, replacement in (("OJS-1001", "OJS-1002"), ("OJS-1002", "OJS-1003"), ("OJS-1003", "OJS-1001")):
        deprecate(code, replacement=replacement)(raw)


def remove_code(code: str):
    return lambda raw: without_codes(raw, lambda c: c == code)


# (what is wrong, the change, the entry, the field, words of the message)
CASES = [
    ("duplicate code", set_field("OJS-1001", "code", "OJS-1000"), "code OJS-1000", "code", "is used twice"),
    ("code out of range", set_field("OJS-1001", "code", "OJS-2999"), "code OJS-2999", "code",
     "outside its category's range OJS-1xxx"),
    ("code too short", set_field("OJS-1001", "code", "OJS-12"), "code OJS-12", "code", "does not match"),
    ("code too long", set_field("OJS-1001", "code", "OJS-10000"), "code OJS-10000", "code", "does not match"),
    ("code in lower case", set_field("OJS-1001", "code", "ojs-1001"), "code ojs-1001", "code", "does not match"),
    ("code ending in a line break", set_field("OJS-1001", "code", "OJS-1001\n"), "code OJS-1001\n", "code",
     "white space (a line break, perhaps) at its start or end"),
    ("name ending in a line break", set_field("OJS-1001", "name", "InvalidJobType\n"), "code OJS-1001", "name",
     "white space"),
    ("canonical code ending in a line break", set_field("OJS-1001", "canonical_code", "INVALID_JOB_TYPE\n"),
     "code OJS-1001", "canonical_code", "white space"),
    ("slug ending in a line break", lambda raw: _category(raw, "server").__setitem__("slug", "server\n"),
     "category server\n", "slug", "white space"),
    ("missing field", lambda raw: _code(raw, "OJS-3001").pop("resolution"), "code OJS-3001", "resolution",
     "is required"),
    ("unknown field", set_field("OJS-3001", "resolutoin", "typo"), "code OJS-3001", "resolutoin",
     "is not a known field"),
    ("unknown retryability", set_field("OJS-3001", "retryable", "sometimes"), "code OJS-3001", "retryable",
     "'sometimes' is not one of"),
    ("unquoted no", set_field("OJS-3001", "retryable", False), "code OJS-3001", "retryable", 'quote "yes" and "no"'),
    ("status too high", set_field("OJS-3001", "http_status", 600), "code OJS-3001", "http_status",
     "600 is greater than the maximum of 599"),
    ("status too low", set_field("OJS-3001", "http_status", 99), "code OJS-3001", "http_status",
     "99 is less than the minimum of 100"),
    ("status written as a decimal", set_field("OJS-3001", "http_status", 409.0), "code OJS-3001", "http_status",
     "409.0 is not a whole number"),
    ("digit written as a decimal", lambda raw: _category(raw, "job-lifecycle").__setitem__("digit", 3.0),
     "category job-lifecycle", "digit", "3.0 is not a whole number"),
    ("duplicate canonical code", set_field("OJS-3001", "canonical_code", "NOT_FOUND"), "code OJS-3001",
     "canonical_code", "NOT_FOUND is already the canonical code of OJS-3000"),
    ("canonical code in camel case", set_field("OJS-3001", "canonical_code", "DuplicateJob"), "code OJS-3001",
     "canonical_code", "does not match"),
    ("canonical code too long for a file name", set_field("OJS-3001", "canonical_code", "A" * 300),
     "code OJS-3001", "canonical_code", "is too long"),
    ("both canonical fields", set_field("OJS-3001", "canonical_absent", "server"), "code OJS-3001", None,
     "exactly one of 'canonical_code' and 'canonical_absent'"),
    ("two codes, one name", set_field("OJS-3002", "name", "DuplicateJob"), "code OJS-3002", "name",
     "DuplicateJob is also the name of OJS-3001"),
    ("related to an unknown code", set_field("OJS-3001", "related", ["OJS-3999"]), "code OJS-3001", "related.0",
     "OJS-3999 is not a code in this catalog"),
    ("related to itself", set_field("OJS-3001", "related", ["OJS-3001"]), "code OJS-3001", "related.0",
     "cannot be related to itself"),
    ("unknown replacement", deprecate("OJS-3001", replacement="OJS-3999"), "code OJS-3001", "replaced_by",
     "OJS-3999 is not a code in this catalog"),
    ("replaced by itself", deprecate("OJS-3001", replacement="OJS-3001"), "code OJS-3001", "replaced_by",
     "cannot replace itself"),
    ("replacement without deprecation", deprecate("OJS-3001", version=None, replacement="OJS-3000"),
     "code OJS-3001", "replaced_by", "only a deprecated code can have a replacement"),
    ("deprecated after the catalog", deprecate("OJS-3001", version="9.0.0"), "code OJS-3001", "deprecated_in",
     "after this catalog's version"),
    ("replacements in a circle", cycle, "code OJS-1001", "replaced_by",
     "go round in a circle: OJS-1001 -> OJS-1002 -> OJS-1003 -> OJS-1001"),
    ("added after the catalog", set_field("OJS-3001", "added_in", "2.0.0"), "code OJS-3001", "added_in",
     "2.0.0 is after this catalog's version (1.0.0)"),
    ("impossible date", lambda raw: raw["catalog"].__setitem__("date", "2025-02-30"), "catalog", "date",
     "is not a date of the calendar"),
    ("header with a forged line", lambda raw: _code(raw, "OJS-2001")["example"]["headers"].__setitem__(
        "Retry-After", "5\nSet-Cookie: x=1"), "code OJS-2001", "example.headers.Retry-After", "does not match"),
    ("header with a carriage return", lambda raw: _code(raw, "OJS-2001")["example"]["headers"].__setitem__(
        "Retry-After", "5\r"), "code OJS-2001", "example.headers.Retry-After", "U+000D"),
    ("NaN in details", lambda raw: _code(raw, "OJS-1000")["example"]["details"].__setitem__("n", math.nan),
     "code OJS-1000", "example.details.n", "is nan, which JSON cannot hold"),
    ("infinity in details", lambda raw: _code(raw, "OJS-1000")["example"]["details"].__setitem__("n", math.inf),
     "code OJS-1000", "example.details.n", "is inf, which JSON cannot hold"),
    ("canonical code that is a category's address but for case", set_field("OJS-3001", "canonical_code", "SERVER"),
     "code OJS-3001", "canonical_code", "SERVER and server (category server) differ only by case"),
    ("control character in a description", set_field("OJS-3001", "description", "Two\x86lines"),
     "code OJS-3001", "description", "U+0086"),
    ("C1 control character in a resolution", set_field("OJS-3001", "resolution", "\x9f{{ 7*7 }}"),
     "code OJS-3001", "resolution", "U+009F"),
    ("DEL in a category name", lambda raw: _category(raw, "client").__setitem__("name", "Client\x7f"),
     "category client", "name", "U+007F"),
    ("noncharacter in the title", lambda raw: raw["catalog"].__setitem__("title", "OJS\ufffe"), "catalog", "title",
     "U+FFFE"),
    ("overlong text", set_field("OJS-3001", "resolution", "x" * (MAX_TEXT_LENGTH + 1)), "code OJS-3001",
     "resolution", f"the limit is {MAX_TEXT_LENGTH}"),
    ("markup in a page title", lambda raw: _category(raw, "client").__setitem__("name", "Client <b>errors</b>"),
     "category client", "name", "does not match"),
    ("markup in a nav label", lambda raw: _category(raw, "server").__setitem__("nav_title", "<b>Server</b>"),
     "category server", "nav_title", "does not match"),
    ("unknown source document", lambda raw: _code(raw, "OJS-3001")["sources"].append("rfc-9110 §15"),
     "code OJS-3001", "sources.6", "names the document 'rfc-9110'"),
    ("published code removed", remove_code("OJS-7004"), "code OJS-7004", None,
     "was published (see published-codes.json) and is gone"),
    ("published code renamed", set_field("OJS-7003", "name", "MiddlewareFailure"), "code OJS-7003", "name",
     "was published as 'MiddlewareError' and is now 'MiddlewareFailure'"),
    ("published code re-mapped", set_field("OJS-3001", "canonical_code", "DUPLICATE"), "code OJS-3001",
     "canonical_code", "was published as 'DUPLICATE_JOB' and is now 'DUPLICATE'"),
    ("deprecation missing from the lock", deprecate("OJS-3001"), "code OJS-3001", "deprecated_in",
     "record a deprecation in both"),
]


@pytest.mark.parametrize("change, entry, field, words", [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_bad_entry_is_refused_naming_entry_and_field(tmp_path, change, entry, field, words):
    found = problems(write(tmp_path, changed(change)))
    assert [p for p in found if (p[0], p[1]) == (entry, field) and words in p[2]], found


# (what is wrong, the file's text, the entry, the field, words of the message)
DUPLICATE_KEY = CATALOG_TEXT.replace("      - code: OJS-1001\n", "      - code: OJS-1001\n        code: OJS-1099\n", 1)
DEEP = "catalog:\n  details: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
VERY_DEEP = "catalog: " + "[" * 10_000 + "]" * 10_000 + "\n"
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(20))
DATE_IN_DETAILS = CATALOG_TEXT.replace("details: {field: type, constraint: required}",
                                       "details: {field: type, since: 2025-07-16}", 1)
NUMBER_KEY = CATALOG_TEXT.replace('      "5.1": 5.1 HTTP Status Code Mapping', "      5.1: 5.1 HTTP Status Code Mapping", 1)
TEXT_CASES = [
    ("a key given twice", DUPLICATE_KEY, "code OJS-1001", "code", "is given twice in one entry"),
    ("nesting past the limit", DEEP, "line 2", None, f"nested more than {MAX_DEPTH} levels deep"),
    ("nesting 10,000 deep", VERY_DEEP, "line 1", None, f"nested more than {MAX_DEPTH} levels deep"),
    ("an alias bomb", ALIAS_BOMB, "line 1", None, "anchors and aliases (& and *) are not allowed"),
    ("a date in example details", DATE_IN_DETAILS, "code OJS-1000", "example.details.since", "is a date"),
    ("a section number read as a number", NUMBER_KEY, "document ojs-errors", "sections",
     "has the key 5.1, which is not text (quote it"),
    ("a YAML syntax error", "catalog:\n  title: OJS\n  version: [unclosed\nretryability: {}\n", "line 4", None,
     "YAML syntax error"),
]


@pytest.mark.parametrize("text, entry, field, words", [c[1:] for c in TEXT_CASES], ids=[c[0] for c in TEXT_CASES])
def test_bad_file_is_refused_naming_where(tmp_path, text, entry, field, words):
    found = problems(write(tmp_path, text=text))
    assert [p for p in found if (p[0], p[1]) == (entry, field) and words in p[2]], found


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    data = CATALOG_TEXT.encode("utf-8").replace(b"title: OJS SDK Error Catalog", b"title: OJS \xe9 Catalog", 1)
    [(entry, field, problem)] = problems(write(tmp_path, data=data))
    assert entry.startswith("line ") and field is None and "is not UTF-8" in problem


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path):
    path = write(tmp_path, data=b"#" * (MAX_FILE_BYTES + 1))
    assert problems(path) == [("file", None, f"is larger than the limit of {MAX_FILE_BYTES // 2**20} MiB")]


def test_an_endless_input_is_refused():
    with pytest.raises(CatalogError) as raised:
        load_catalog("/dev/zero")
    assert (raised.value.entry, raised.value.problem) == ("file", f"is larger than the limit of {MAX_FILE_BYTES // 2**20} MiB")


def test_every_problem_is_reported_in_one_run(tmp_path):
    def five_typos(raw):
        set_field("OJS-1001", "retryable", "maybe")(raw)
        set_field("OJS-2001", "http_status", 5030)(raw)
        set_field("OJS-3001", "related", ["OJS-3999"])(raw)
        set_field("OJS-4001", "resolutoin", "typo")(raw)
        _code(raw, "OJS-5001")["sources"].append("ojs-errors §99")
    found = problems(write(tmp_path, changed(five_typos)))
    where = {(entry, field) for entry, field, _ in found}
    assert {("code OJS-1001", "retryable"), ("code OJS-2001", "http_status"), ("code OJS-3001", "related.0"),
            ("code OJS-4001", "resolutoin"), ("code OJS-5001", "sources.6")} <= where


def test_a_lock_that_is_missing_is_a_problem_not_a_pass(tmp_path):
    path = write(tmp_path, CATALOG)
    (tmp_path / "published-codes.json").unlink()
    assert problems(path)[0][:2] == ("lock", None)


# Full builds: what a contributor sees ----------------------------------------------------

def _build_output(result) -> str:
    return result.stdout + result.stderr


def test_build_lists_every_problem_and_writes_nothing(tmp_path):
    raw = changed(lambda raw: (set_field("OJS-1001", "retryable", "maybe")(raw),
                               set_field("OJS-3001", "related", ["OJS-3999"])(raw)))
    path = write(tmp_path, raw)
    result = build_site(tmp_path / "site", catalog_file=path)
    output = _build_output(result)
    assert result.returncode != 0
    assert "2 problems in the catalog" in output
    assert f"{path}: code OJS-1001: field 'retryable': 'maybe' is not one of" in output
    assert f"{path}: code OJS-3001: field 'related.0': OJS-3999 is not a code in this catalog" in output
    assert not (tmp_path / "site").exists(), "a failed build left a site behind"


def test_failed_build_keeps_the_previous_site(tmp_path):
    path = write(tmp_path, changed(set_field("OJS-3001", "retryable", "sometimes")))
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "previous.html").write_text("the last good build", encoding="utf-8")
    result = build_site(site_dir, catalog_file=path)
    assert result.returncode != 0
    assert f"{path}: code OJS-3001: field 'retryable'" in _build_output(result)
    assert [p.name for p in site_dir.iterdir()] == ["previous.html"]


def test_yaml_syntax_error_stops_the_build_naming_its_line(tmp_path):
    path = write(tmp_path, text="catalog:\n  title: OJS\n  version: [unclosed\nretryability: {}\n")
    result = build_site(tmp_path / "site", catalog_file=path)
    assert result.returncode != 0
    assert re.search(rf"{re.escape(str(path))}: line [34]: YAML syntax error", _build_output(result))
    assert not (tmp_path / "site").exists()


def _with_lock_of(tmp_path, raw):
    from bench.synthetic import write_catalog
    return write_catalog(raw, tmp_path / "catalog.yaml")


def test_a_code_a_hand_written_page_links_cannot_be_removed_silently(tmp_path):
    raw = changed(remove_code("OJS-3001"))
    result = build_site(tmp_path / "site", catalog_file=_with_lock_of(tmp_path, raw))
    assert result.returncode != 0
    assert re.search(r"docs/\S+\.md links to OJS-3001, which \S+ does not have", _build_output(result))


def test_a_canonical_code_cannot_take_the_address_of_a_page_of_the_site(tmp_path):
    raw = changed(set_field("OJS-3001", "canonical_code", "CHANGELOG"))
    result = build_site(tmp_path / "site", catalog_file=_with_lock_of(tmp_path, raw))
    assert result.returncode != 0
    # Refused at load, before anything is built (issue 18).
    assert "code OJS-3001: field 'canonical_code': its form CHANGELOG (canonical code) is the address of the " \
        "page changelog/ of the site" in _build_output(result)


def test_generated_pages_are_never_read_as_macros():
    with (ROOT / "mkdocs.yml").open("rb") as file:
        config = yaml_load(file)  # MkDocs' own reading: !ENV, and the engine's file it INHERITs
    macros = config["plugins"]["macros"]
    assert macros["render_by_default"] is False
    # Hand-written pages that use macros ask for them; no generated page can.
    for page in (ROOT / "docs").rglob("*.md"):
        if "{{" in page.read_text(encoding="utf-8"):
            assert "\nrender_macros: true\n" in page.read_text(encoding="utf-8"), page
