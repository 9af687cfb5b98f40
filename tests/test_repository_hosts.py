"""Sources may be files in a repository on any host (issue 18, item 1: "what they may point
to"): a repository outside GitHub declares how its files and lines are addressed, and is
cited by them; GitHub's addresses stay the default.

The repository here is a test fixture added to the Jobs Service's catalog.
"""

from __future__ import annotations

import pytest

from bench.synthetic import write_catalog
from conftest import CATALOGS, read_catalog
from macros import render
from macros.catalog import CatalogError, load_catalog
from macros.review import SourceTexts

JOBS_FILE = CATALOGS["jobs-service"][1]
COMMIT = "0123456789abcdef0123456789abcdef01234567"
GITLAB = {"url": "https://gitlab.example.com/platform/jobs", "commit": COMMIT,
          "file_url": "{url}/-/blob/{commit}/{path}", "line_anchor": "#L{first}", "lines_anchor": "#L{first}-{last}"}
CITED = ["handbook §2", "server:10-20", "server:7"]


def with_repository(tmp_path, repository: dict):
    raw = read_catalog(JOBS_FILE)
    raw["repositories"] = {"jobs": repository}
    raw["documents"] = {"handbook": {"repository": "jobs", "path": "docs/errors.md", "sections": {"2": "2 Errors"}},
                        "server": {"repository": "jobs", "path": "internal/errors.go"}}
    raw["categories"][0]["codes"][0]["sources"] = CITED
    path = write_catalog(raw, tmp_path / "catalog.yaml")
    return load_catalog(path, tmp_path / "published-codes.json")


def test_a_repository_elsewhere_is_cited_as_its_host_addresses_files_and_lines(tmp_path):
    catalog = with_repository(tmp_path, GITLAB)
    base = f"https://gitlab.example.com/platform/jobs/-/blob/{COMMIT}/"
    assert [catalog.source(text).url for text in CITED] == [
        base + "docs/errors.md",  # its heading anchors are not known: the section is cited by its heading
        base + "internal/errors.go#L10-20", base + "internal/errors.go#L7"]
    page = render.code_page(catalog, catalog.codes[0], "https://jobs.example.com/errors/")
    assert f"({base}internal/errors.go#L10-20)" in page


def test_github_addresses_stay_the_default(tmp_path):
    github = {"url": "https://github.com/example/jobs", "commit": COMMIT}
    catalog = with_repository(tmp_path, github)
    base = f"https://github.com/example/jobs/blob/{COMMIT}/"
    assert [catalog.source(text).url for text in CITED] == [
        base + "docs/errors.md#2-errors", base + "internal/errors.go#L10-L20", base + "internal/errors.go#L7"]


@pytest.mark.parametrize("repository, field", [
    ({key: value for key, value in GITLAB.items() if key not in ("file_url", "line_anchor", "lines_anchor")},
     "file_url"),
    ({**GITLAB, "file_url": "{url}/-/blob/{commit}/"}, "file_url"),
    ({key: value for key, value in GITLAB.items() if key != "lines_anchor"}, "lines_anchor"),
    ({"url": "https://github.com/example/jobs", "commit": COMMIT, "line_anchor": "#L{first}"}, "file_url"),
], ids=["elsewhere without addresses", "file_url without its path", "line without lines", "an anchor alone"])
def test_a_repository_whose_addresses_are_not_known_is_refused(tmp_path, repository, field):
    with pytest.raises(CatalogError) as error:
        with_repository(tmp_path, repository)
    assert [(p.entry, p.field) for p in error.value.problems if field in (p.field or "")], str(error.value)


def test_review_says_it_does_not_read_a_repository_elsewhere(tmp_path):
    """`make review` reads GitHub or a local copy; it asks no other host, and says so."""
    catalog = with_repository(tmp_path, GITLAB)
    texts = SourceTexts(catalog, {})
    for text in CITED:
        assert texts.section(catalog.source(text)).startswith("(not read: review reads GitHub repositories only")
