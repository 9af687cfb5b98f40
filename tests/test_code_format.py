"""What a code looks like is the catalog's own declaration (`code_format`): the loader, the
pages, the published schema and the recogniser read it from there, and nothing else in the
engine knows the OJS shape (issue 18, item 1)."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_catalog, write_catalog, write_synthetic_catalog
from conftest import CATALOG, CATALOG_FILE, CATALOGS, CODES, read_catalog, raw_codes
from macros import forms, hosting, render
from macros.catalog import CatalogError, load_catalog
from macros.code_format import CodeFormat, CodeFormatError
from macros.layout import SITE, Layout
from macros.plugin import CatalogPlugin
from test_real_clients import recognise

DECLARED = CodeFormat.declared(CATALOG["code_format"])


# --- the OJS declaration says what error-catalog §3 says ------------------------------------

def test_every_ojs_code_has_the_parts_error_catalog_section_3_gives_it():
    """OJS-XNNN: X the category's digit; what a reader types alone is XNNN."""
    code_format = DECLARED
    wrong = [c["code"] for c in CODES
             if code_format.parts(c["code"]) != {"category": str(c["category"]["digit"]), "number": c["code"][4:]}]
    assert wrong == []
    assert [code_format.range_of(c["digit"]) for c in CATALOG["categories"]] == \
        [f"OJS-{c['digit']}xxx" for c in CATALOG["categories"]]


@pytest.mark.parametrize("text", ["OJS-12", "OJS-30011", "OJS-0001", "ojs-3001", "OJS_3001", "3001", "XOJS-3001",
                                  "OJS-3001\n", " OJS-3001"])
def test_the_ojs_declaration_refuses_other_shapes(text):
    assert DECLARED.parts(text) is None


# --- a declaration the engine cannot use is refused, naming its field ------------------------

@pytest.mark.parametrize("pattern, range_, field, words", [
    ("OJS-[0-9]{4}", None, "name", "names a part"),
    ("OJS-(", None, "pattern", "is not a regular expression"),
    ("^OJS-[0-9]{4}$", None, "pattern", "anchor"),
    (r"\bOJS-[0-9]{4}", None, "pattern", "anchor"),
    ("(?i)ojs-[0-9]{4}", None, "pattern", "inline flag"),
    ("(?P<x>[0-9])(?P=x)", None, "pattern", "back-reference"),
    ("OJS-(?<=x)[0-9]", None, "pattern", "look-around"),
    ("OJS-(?P<serial>[0-9]{4})", None, "pattern", "'serial'"),
    ("OJS-[0-9]{4}", "OJS-{category}xxx", "range", "(?P<category>...)"),
    ("OJS-(?P<category>[1-9])[0-9]{3}", "OJS-xxx", "range", "{category} once"),
    ("OJS-(?P<category>[1-9])[0-9]{3}", "OJS-{category}{number}", "range", "no other braces"),
])
def test_a_declaration_the_engine_cannot_use_is_refused(pattern, range_, field, words):
    with pytest.raises(CodeFormatError) as caught:
        CodeFormat(pattern, range_, "(?P<number>[A-Z]+)" if field == "name" else None)
    assert caught.value.field == field and words in caught.value.problem


@pytest.mark.parametrize("form, words", [
    ("OJS_{wire}", "one or more of {code}, {number}, {name}, {canonical_code}"),
    ("OJS_GRPC", "one or more of"),
    ("OJS_{canonical_code}}", "no other braces"),
])
def test_a_declared_form_holds_only_a_codes_values(form, words):
    with pytest.raises(CodeFormatError) as caught:
        CodeFormat.declared({**CATALOG["code_format"], "forms": [{"form": form, "kind": "gRPC reason"}]})
    assert caught.value.field == "forms.0.form" and words in caught.value.problem


def test_a_declared_form_by_number_needs_the_number_part():
    with pytest.raises(CodeFormatError) as caught:
        CodeFormat.declared({"pattern": "E[0-9]{4}", "forms": [{"form": "err{number}", "kind": "short"}]})
    assert (caught.value.field, "(?P<number>...)" in caught.value.problem) == ("forms.0.form", True)


def write(tmp_path, raw: dict):
    """The catalog, and beside it a lock that publishes exactly its codes."""
    return write_catalog(raw, tmp_path / "catalog.yaml")


def test_the_loader_names_the_file_the_entry_and_the_field_of_a_bad_declaration(tmp_path):
    raw = read_catalog()
    raw["code_format"]["pattern"] = "^OJS-[0-9]{4}"
    path = write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, path.parent / "published-codes.json")
    assert (caught.value.entry, caught.value.field) == ("code_format", "pattern")
    assert str(path) in str(caught.value) and "anchor" in caught.value.problem


def test_a_code_not_written_as_declared_is_refused_with_the_declaration(tmp_path):
    raw = read_catalog()
    raw["code_format"]["pattern"] = "OJS-(?P<number>(?P<category>[1-9])[0-9]{4})"  # five digits
    path = write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, path.parent / "published-codes.json")
    first = raw_codes(raw)[0]["code"]
    assert any(p.entry == f"code {first}" and p.field == "code" and "code_format.pattern" in p.problem
               for p in caught.value.problems)


def test_a_name_not_written_as_declared_is_refused(tmp_path):
    path = write(tmp_path, renamed(read_catalog(), "OJS-3001", "name", "DUPLICATE_JOB"))
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, path.parent / "published-codes.json")
    assert [(p.entry, p.field) for p in caught.value.problems if "code_format.name" in p.problem] == \
        [("code OJS-3001", "name")]


def test_the_category_part_must_be_the_digit_of_the_code_category(tmp_path):
    raw = read_catalog()
    raw["code_format"]["pattern"] = "OJS-(?P<number>[1-9](?P<category>[0-9])[0-9]{2})"  # the second digit
    path = write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, path.parent / "published-codes.json")
    assert any(p.field == "code" and "outside its category's range" in p.problem
               for p in caught.value.problems)


# --- the same expression in every syntax that reads it ---------------------------------------

@st.composite
def code_like(draw):
    """Strings near a code: OJS codes with a character changed, added or dropped, and any text."""
    base = draw(st.sampled_from([c["code"] for c in CODES]))
    edit = draw(st.sampled_from(["keep", "replace", "insert", "drop", "any"]))
    if edit == "any":
        return draw(st.text(max_size=12))
    at = draw(st.integers(0, len(base) - 1))
    char = draw(st.characters(codec="utf-8"))
    return {"keep": base, "replace": base[:at] + char + base[at + 1:], "insert": base[:at] + char + base[at:],
            "drop": base[:at] + base[at + 1:]}[edit]


@settings(max_examples=400, deadline=None)
@given(code_like())
def test_the_published_schema_accepts_exactly_the_declared_codes(text):
    code_format = DECLARED
    schema = jsonschema.Draft202012Validator({"type": "string", "pattern": code_format.schema_pattern})
    assert schema.is_valid(text) == (code_format.parts(text) is not None)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([c["code"] for c in CODES]), st.sampled_from(["-", "_", " ", ""]),
       st.sampled_from(["{}", "error {}: job exists", "[{}]", "code={};"]), st.booleans())
def test_a_code_in_a_text_is_found_however_it_is_separated(code, separator, context, lower):
    """The browser's in_text expression (Python reads this syntax too, named parts aside)."""
    code_format = DECLARED
    written = code.replace("-", separator)
    written = written.lower() if lower else written
    found = re.search(code_format.in_text.replace("(?<", "(?P<"), context.format(written), re.IGNORECASE)
    assert found is not None and found.group(0) == written and found.group("number") == code[4:]


# --- another shape, end to end: E3001 ----------------------------------------------------------

@pytest.fixture(scope="module")
def e_catalog(tmp_path_factory):
    """A catalog whose codes are written E3001 (as rustc's are), loaded and published."""
    scratch = tmp_path_factory.mktemp("e-catalog")
    path = write_synthetic_catalog(70, scratch / "catalog.yaml", prefix="E")
    catalog = load_catalog(path, path.parent / "published-codes.json")
    (scratch / "errors").mkdir()
    (scratch / "errors" / "codes.json").write_text(render.code_lookup(catalog), encoding="utf-8")
    return SimpleNamespace(catalog=catalog, root=scratch)


def test_a_catalog_of_another_shape_loads_with_its_own_parts(e_catalog):
    catalog = e_catalog.catalog
    assert all(c.code.startswith("E") and c.number == c.code[1:] for c in catalog.codes)
    assert [c.range for c in catalog.categories] == [f"E{c.digit}xxx" for c in catalog.categories]
    assert [c.span for c in catalog.categories] == [(f"E{c.digit}000", f"E{c.digit}999") for c in catalog.categories]
    assert render.search_terms(catalog, catalog.codes[0])[:2] == [catalog.codes[0].code, catalog.codes[0].code[1:]]


def test_its_published_schema_takes_its_shape(e_catalog):
    schema = json.loads(render.published_schema(e_catalog.catalog, "https://errors.example/"))
    code_id = jsonschema.Draft202012Validator(schema["$defs"]["code_id"])
    assert all(code_id.is_valid(c.code) for c in e_catalog.catalog.codes)
    assert not code_id.is_valid("OJS-3001")
    catalog_json = json.loads(render.catalog_json(e_catalog.catalog, "https://errors.example/"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(catalog_json)) == []


def test_its_codes_are_recognised_in_a_text_and_ojs_codes_are_not(e_catalog):
    code = next(c for c in e_catalog.catalog.codes if c.code.startswith("E3"))
    answers = recognise(e_catalog, [f"job failed: {code.code}: conflict", f"job failed ({code.code.lower()}) twice",
                                    "OJS-3001", f"ojs-{code.number}"])
    assert answers[0]["pages"][0] == code.code
    assert answers[1]["pages"][0] == code.code
    assert answers[2] is None or code.code not in answers[2]["pages"]
    assert answers[3] is None or code.code not in answers[3]["pages"][:1]


# --- what the second catalog's trial found (issue 18, item 5) ---------------------------------

def renamed(raw: dict, code: str, field: str, value: str) -> dict:
    next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == code)[field] = value
    return raw


@pytest.mark.parametrize("code, field, value, taken", [
    ("OJS-1001", "name", "Workflow", "the page workflow/ of the site"),
    ("OJS-1001", "name", "Changelog", "the page changelog/ of the site"),
    ("OJS-3001", "canonical_code", "SOURCES", "the page sources/ of the site"),
])
def test_a_form_at_the_address_of_another_page_is_refused_at_load(tmp_path, code, field, value, taken):
    """The Jobs Service's name INTERNAL is its category page internal/ in any case: the hosts'
    rules would send that page's readers to the code."""
    path = write(tmp_path, renamed(read_catalog(), code, field, value))  # the lock follows the change
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, path.parent / "published-codes.json")
    assert [(p.entry, p.field) for p in caught.value.problems if taken in p.problem] == [(f"code {code}", field)]


def test_a_declared_form_at_the_address_of_another_page_names_the_field_it_comes_from(tmp_path):
    raw = renamed(read_catalog(), "OJS-3001", "canonical_code", "LOG")
    raw["code_format"]["forms"] = [{"form": "CHANGE{canonical_code}", "kind": "change name"}]
    path = write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, path.parent / "published-codes.json")
    assert [(p.entry, p.field) for p in caught.value.problems if "CHANGELOG (change name)" in p.problem] == \
        [("code OJS-3001", "canonical_code")]


def test_a_form_another_catalog_declares_leads_to_its_code(tmp_path):
    """The Jobs catalog with a form of its names as a client might write them: JobsNOT_FOUND."""
    raw = read_catalog(CATALOGS["jobs-service"][1])
    raw["code_format"]["forms"] = [{"form": "Jobs{name}", "kind": "client constant"}]
    path = write(tmp_path, raw)
    catalog = load_catalog(path, path.parent / "published-codes.json")
    owners = forms.primary_owners(catalog)
    rules = hosting.redirects(catalog, Layout(SITE, "https://jobs.example/"))
    assert [c.code for c in catalog.codes if owners.get(forms.fold(f"Jobs{c.name}")) is not c] == []
    assert [c.code for c in catalog.codes if rules.get(f"/errors/jobs{c.name}/".casefold()) != f"/errors/{c.code}/"] == []


@pytest.fixture(scope="module")
def wire_named_catalog(tmp_path_factory):
    """Codes that are their own wire codes, with SCREAMING names, as the Jobs Service's are
    (ERR_JOBS_NOT_FOUND, named NOT_FOUND)."""
    raw = synthetic_catalog(30)
    raw["code_format"] = {"pattern": "ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*", "name": "[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*"}
    renames = {c["code"]: "ERR_" + c["canonical_code"] for cat in raw["categories"] for c in cat["codes"]}
    for category in raw["categories"]:
        for entry in category["codes"]:
            entry["name"] = entry["canonical_code"]
            entry["code"] = entry["canonical_code"] = renames[entry["code"]]
            entry["related"] = [renames[r] for r in entry["related"]]
            entry["example"]["message"] = entry["code"]
    path = write(tmp_path_factory.mktemp("wire-named"), raw)
    return load_catalog(path, path.parent / "published-codes.json")


def test_a_code_that_is_its_own_wire_code_gets_no_alias(wire_named_catalog):
    catalog = wire_named_catalog
    assert all(c.canonical_code == c.code and c.number is None for c in catalog.codes)
    redirect_maps: dict[str, str] = {}
    plugin = CatalogPlugin()
    plugin.catalog, plugin.layout = catalog, Layout(SITE, "https://errors.example/")
    plugin._register_aliases(SimpleNamespace(plugins={"redirects": SimpleNamespace(
        config={"redirect_maps": redirect_maps})}))
    assert redirect_maps == {}
    published = json.loads(render.catalog_json(catalog, "https://errors.example/errors/"))
    assert [c["alias_url"] for c in published["codes"]] == [None] * len(catalog.codes)
    # The page is at the code's address; its other forms still lead there.
    rules = hosting.redirects(catalog, Layout(SITE, "https://errors.example/"))
    named = catalog.codes
    assert all(rules[f"/errors/{c.name}/".casefold()] == f"/errors/{c.code}/" for c in named)
    assert not [c.code for c in catalog.codes if f"/errors/{c.code}/".casefold() in rules]


def test_a_catalog_without_ranges_titles_its_categories_by_name(wire_named_catalog):
    category = wire_named_catalog.categories[0]
    page = render.category_page(wire_named_catalog, category)
    assert f"# {category.name}\n" in page and "None" not in page


def test_codes_follow_their_categories_whatever_they_look_like(wire_named_catalog):
    """Sorted as strings, BACKEND_ERROR2000 would sit among the client errors; Previous and
    Next would jump between categories."""
    order = [c.category.slug for c in wire_named_catalog.codes]
    assert order == sorted(order, key=[c.slug for c in wire_named_catalog.categories].index)
    first, following = wire_named_catalog.neighbours(wire_named_catalog.codes[0])
    assert first is None and following.category is wire_named_catalog.codes[0].category


@pytest.mark.parametrize("declared, field, words", [
    ({"range_first": "OJS-000", "range_last": "OJS-{category}999"}, "range_first", "must hold {category} once"),
    ({"range_first": "OJS-{category}000"}, "range_last", "is required with 'range_first': give both or neither"),
])
def test_a_categorys_first_and_last_code_are_declared_together_and_by_category(tmp_path, declared, field, words):
    raw = read_catalog()
    for key in ("range_first", "range_last"):
        raw["code_format"].pop(key, None)
    raw["code_format"].update(declared)
    path = write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, path.parent / "published-codes.json")
    assert [(p.entry, p.field) for p in caught.value.problems if words in p.problem] == [("code_format", field)]


def test_the_category_pages_say_where_a_categorys_codes_start_and_end():
    catalog = load_catalog(CATALOG_FILE)
    category = catalog.categories[2]
    page = render.category_page(catalog, category)
    assert f"Range\n:   `OJS-{category.digit}000` to `OJS-{category.digit}999`" in page
