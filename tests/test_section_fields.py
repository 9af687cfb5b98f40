"""A page section may add fields to a code (issue 18, item 1): the engine's schema knows none
of them. The OJS catalog's gRPC status and AMQP mechanism are its section `transports`'s
(data/sections/transports.fields.json); the fixture here adds a pager rota to the Jobs
Service's codes, shown by a section of its own."""

from __future__ import annotations

import html
import json

import jsonschema
import pytest

from bench.synthetic import write_catalog
from conftest import CATALOG_FILE, CATALOGS, read_catalog
from macros import render, sections
from macros.catalog import CatalogError, load_catalog, load_schema

JOBS_FILE = CATALOGS["jobs-service"][1]
ERRORS_URL = "https://jobs.example.com/errors/"
ROTA = "Storage rota, then the platform team"
PAGER_MODULE = '''
TEMPLATES = {"practice": "pager.md.j2"}
FIELDS = "pager.fields.json"


def values(catalog, code, doc_url):
    return {"pager": code.fields.get("pager")}
'''
PAGER_TEMPLATE = "{% if pager %}\n\nWho is paged: {{ pager }}.\n{% endif %}\n"
PAGER_FIELDS = {"pager": {"data": {"description": "Who is paged when it is raised.", "$ref": "#/$defs/text"},
                          "published": {"type": ["string", "null"]}}}


def jobs_with_pager(tmp_path, module: str = PAGER_MODULE, fields=PAGER_FIELDS, declared=("pager",),
                    pager=ROTA, extra: dict[str, str] | None = None):
    """The Jobs catalog in tmp_path declaring `declared`, its first code paged to `pager`."""
    raw = read_catalog(JOBS_FILE)
    raw["sections"] = list(declared)
    if pager is not None:
        raw["categories"][0]["codes"][0]["pager"] = pager
    path = write_catalog(raw, tmp_path / "catalog.yaml")
    files = {"pager.py": module, "pager.md.j2": PAGER_TEMPLATE, **(extra or {})}
    if fields is not None:
        files["pager.fields.json"] = fields if isinstance(fields, str) else json.dumps(fields)
    for name, text in files.items():
        (tmp_path / "sections" / name).write_text(text, encoding="utf-8")
    return path


def first_code() -> str:
    return read_catalog(JOBS_FILE)["categories"][0]["codes"][0]["code"]


def test_a_section_adds_a_field_to_the_codes_and_shows_it(tmp_path):
    catalog = load_catalog(jobs_with_pager(tmp_path))
    paged = catalog.code(first_code())
    assert paged.fields == {"pager": ROTA}
    assert f"Who is paged: {ROTA}." in html.unescape(render.code_page(catalog, paged, ERRORS_URL))
    assert [code.code for code in catalog.codes if code.fields] == [paged.code]
    assert all("Who is paged" not in render.code_page(catalog, code, ERRORS_URL)
               for code in catalog.codes if code is not paged)


def test_catalog_json_publishes_the_field_after_related_and_its_schema_says_so(tmp_path):
    catalog = load_catalog(jobs_with_pager(tmp_path))
    published = json.loads(render.catalog_json(catalog, ERRORS_URL))
    schema = json.loads(render.published_schema(catalog, ERRORS_URL))
    assert {code["code"]: code["pager"] for code in published["codes"] if code["pager"]} == {first_code(): ROTA}
    for keys in ([list(code) for code in published["codes"]]
                 + [list(schema["$defs"]["code"]["properties"]), schema["$defs"]["code"]["required"]]):
        assert keys[keys.index("related") + 1] == "pager"
    assert schema["$defs"]["code"]["properties"]["pager"] == PAGER_FIELDS["pager"]["published"]
    jsonschema.Draft202012Validator(schema).validate(published)
    # Without the section, neither file has the field.
    bare = load_catalog(jobs_with_pager(tmp_path / "bare", declared=(), pager=None))
    assert "pager" not in json.loads(render.catalog_json(bare, ERRORS_URL))["codes"][0]
    assert "pager" not in json.loads(render.published_schema(bare, ERRORS_URL))["$defs"]["code"]["properties"]


@pytest.mark.parametrize("declared, pager, expected", [
    (("pager",), 42, ("pager", "42 is not of type 'string'")),
    ((), ROTA, ("pager", "is not a known field")),
], ids=["the section's schema", "no section adds it"])
def test_the_field_is_checked_against_the_sections_schema(tmp_path, declared, pager, expected):
    with pytest.raises(CatalogError) as caught:
        load_catalog(jobs_with_pager(tmp_path, declared=declared, pager=pager))
    assert [(p.entry, p.field, p.problem) for p in caught.value.problems] == [(f"code {first_code()}", *expected)]


@pytest.mark.parametrize("arguments, words", [
    ({"fields": None}, "'pager': its FIELDS file {folder}/pager.fields.json is not beside it"),
    ({"fields": "{ no"}, "'pager': {folder}/pager.fields.json is not JSON: Expecting property name"),
    ({"fields": []}, "'pager': {folder}/pager.fields.json: give an object that names each field"),
    ({"fields": {"Pager": PAGER_FIELDS["pager"]}}, "'Pager' is not a field name (lower case, digits and _)"),
    ({"fields": {"pager": {"data": {}}}},
     "'pager': give its JSON Schema in the data file ('data') and in catalog.json ('published'), and nothing else"),
    ({"fields": {"pager": {"data": {"type": "rota"}, "published": {}}}},
     "'pager'.data is no JSON Schema: 'rota' is not valid under any of the given schemas"),
    ({"module": PAGER_MODULE.replace('"pager.fields.json"', "3")},
     "'pager': {folder}/pager.py: FIELDS is not the name of a JSON file beside it"),
    ({"fields": {"name": PAGER_FIELDS["pager"]}},
     "'pager' adds a field 'name' to a code, which the engine already has: give it another name"),
    ({"declared": ("pager", "rota"), "extra": {"rota.py": PAGER_MODULE.replace("pager.md.j2", "rota.md.j2"),
                                              "rota.md.j2": PAGER_TEMPLATE}},
     "'rota' adds a field 'pager' to a code, which the section 'pager' already has: give it another name"),
    ({"fields": {"pager": {"data": {"$ref": "#/$defs/rota"}, "published": {}}}},
     "a field schema of a declared section refers to #/$defs/rota, which the data file's schema does not have"),
], ids=["no file", "not JSON", "not an object", "field name", "no published schema", "not a schema",
        "FIELDS not a name", "the engine's field", "another section's field", "reference to nothing"])
def test_fields_a_section_cannot_add_are_refused_naming_its_file(tmp_path, arguments, words):
    with pytest.raises(CatalogError) as caught:
        load_catalog(jobs_with_pager(tmp_path, **arguments))
    # The field the section would have added is then unknown to the code that gives it.
    problems = [p for p in caught.value.problems if p.entry == "catalog"]
    assert [(p.entry, p.field) for p in problems] == [("catalog", "sections")]
    assert words.format(folder=tmp_path / "sections") in problems[0].problem
    assert str(tmp_path / "catalog.yaml") in str(caught.value)


CHECKING_MODULE = PAGER_MODULE + '''

def check(item):
    if "pager" in item and item.get("http_status", 0) < 500:
        return [("pager", "only a server error pages anyone")]
    return []
'''


def test_a_section_refuses_what_it_cannot_show_in_a_codes_entry(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(jobs_with_pager(tmp_path, module=CHECKING_MODULE))
    assert [(p.entry, p.field, p.problem) for p in caught.value.problems] == \
        [(f"code {first_code()}", "pager", "only a server error pages anyone")]
    broken = CHECKING_MODULE.replace('item.get("http_status", 0) < 500', "item['no such field']")
    with pytest.raises(CatalogError) as caught:
        load_catalog(jobs_with_pager(tmp_path / "broken", module=broken))
    problem = caught.value.problems[0]
    assert (problem.entry, problem.field) == ("catalog", "sections")
    assert f"check() failed on code {first_code()}: KeyError: 'no such field'" in problem.problem


def test_the_ojs_transports_section_brings_grpc_and_amqp_and_needs_a_canonical_code(tmp_path):
    """Over gRPC and AMQP the code travels as its canonical code (ojs-errors §5.2, §5.3)."""
    ojs = load_catalog(CATALOG_FILE)
    transports = next(section for section in ojs.sections if section.name == "transports")
    assert list(transports.fields) == ["grpc_status", "amqp"]
    assert {name for name in ("grpc_status", "amqp") if name in load_schema()["$defs"]["error_code"]["properties"]} \
        == set()
    raw = read_catalog()
    entries = {code["code"]: code for category in raw["categories"] for code in category["codes"]}
    assert {c.code: c.fields for c in ojs.codes} == \
        {code: {k: entry[k] for k in ("grpc_status", "amqp") if k in entry} for code, entry in entries.items()}
    without = next(entry for entry in entries.values() if "canonical_code" not in entry)
    without.update(grpc_status="INTERNAL", amqp={"mechanism": "Nacked.", "header": False})
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog(raw, tmp_path / "catalog.yaml"))
    assert [(p.entry, p.field, p.problem) for p in caught.value.problems] == [
        (f"code {without['code']}", field, "only a code with a canonical code can have one")
        for field in ("grpc_status", "amqp")]


PLACES_MODULE = '''
TEMPLATES = {"surfaces": "desk.md.j2"}
CODE_FIELDS = ("surfaces",)
SURFACES = ("help-desk",)


def surfaces(item):
    return item.get("surfaces", "http" if item.get("http_status") else None)


def values(catalog, code, doc_url):
    return {}
'''


def jobs_with_places(tmp_path, module: str = PLACES_MODULE, place: str = "help-desk"):
    raw = read_catalog(JOBS_FILE)
    raw["sections"] = ["desk"]
    raw["categories"][0]["codes"][0]["surfaces"] = place
    path = write_catalog(raw, tmp_path / "catalog.yaml")
    (tmp_path / "sections" / "desk.py").write_text(module, encoding="utf-8")
    (tmp_path / "sections" / "desk.md.j2").write_text("{{ code.surfaces }}\n", encoding="utf-8")
    return path


def test_where_a_code_is_met_is_a_place_its_sections_name(tmp_path):
    catalog = load_catalog(jobs_with_places(tmp_path))
    assert catalog.code(first_code()).surfaces == "help-desk"
    schema = json.loads(render.published_schema(catalog, ERRORS_URL))
    assert schema["$defs"]["code"]["properties"]["surfaces"]["enum"] == ["help-desk", "http"]
    jsonschema.Draft202012Validator(schema).validate(json.loads(render.catalog_json(catalog, ERRORS_URL)))
    with pytest.raises(CatalogError) as caught:
        load_catalog(jobs_with_places(tmp_path / "moon", place="moon"))
    assert [(p.entry, p.field, p.problem) for p in caught.value.problems] == [
        (f"code {first_code()}", "surfaces", "'moon' is not a place the declared sections say a code is met "
                                             "(help-desk)")]


@pytest.mark.parametrize("replace, words", [
    (('("help-desk",)', '["help-desk"]'), "SURFACES is not a tuple of places written like job-state"),
    (('("help-desk",)', '("Help Desk",)'), "SURFACES is not a tuple of places written like job-state"),
    (('SURFACES = ("help-desk",)', ""), "CODE_FIELDS names surfaces, but SURFACES names no place a code may be met"),
])
def test_places_a_section_cannot_name_are_refused(tmp_path, replace, words):
    with pytest.raises(CatalogError) as caught:
        load_catalog(jobs_with_places(tmp_path, module=PLACES_MODULE.replace(*replace)))
    problems = [p for p in caught.value.problems if p.entry == "catalog"]
    assert [(p.entry, p.field) for p in problems] == [("catalog", "sections")]
    assert words in problems[0].problem


def test_the_engines_schemas_know_no_field_of_a_section():
    """Every field a section adds is its own: none is in the engine's data or published schema."""
    ojs = load_catalog(CATALOG_FILE)
    added = set(sections.code_fields(ojs.sections))
    assert added
    engine = set(load_schema()["$defs"]["error_code"]["properties"])
    published = set(json.loads(render.PUBLISHED_SCHEMA.read_text(encoding="utf-8"))["$defs"]["code"]["properties"])
    assert added & (engine | published) == set()
