"""Sources may be files in a repository on any host (issue 18, item 1: "what they may point
to"): a repository outside GitHub declares how its files and lines are addressed, and is
cited by them; GitHub's addresses stay the default.

The repository here is a test fixture added to the Jobs Service's catalog.
"""

from __future__ import annotations

import subprocess

import pytest

from bench.synthetic import write_catalog
from conftest import CATALOGS, read_catalog
from macros import render, review
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


def _asks_no_host(*arguments, **keywords):
    raise AssertionError("review asked a host for a file of a repository outside GitHub")


def test_review_reads_a_repository_elsewhere_from_its_copy_only(tmp_path, monkeypatch):
    """`make review` reads a local copy, given by the catalog's key for the repository; without
    one, it asks no host but GitHub, and says what to give."""
    copy = tmp_path / "jobs-copy"
    files = {"docs/errors.md": "# Errors\n\n## 2 Errors\n\nWhat section 2 says.\n\n## 3 Next\n\nNot this.\n",
             "internal/errors.go": "".join(f"line {number}\n" for number in range(1, 31))}
    for name, text in files.items():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_text(text, encoding="utf-8")
    git = ["git", "-C", str(copy), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "files"], check=True)
    commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    catalog = with_repository(tmp_path / "catalog", {**GITLAB, "commit": commit})
    monkeypatch.setattr(review.urllib.request, "urlopen", _asks_no_host)

    texts = SourceTexts(catalog, {"jobs": copy})
    assert [texts.section(catalog.source(text)) for text in CITED] == [
        "## 2 Errors\n\nWhat section 2 says.",
        "\n".join(f"{number}: line {number}" for number in range(10, 21)),
        "7: line 7"]
    without = SourceTexts(catalog, {})
    for text in CITED:
        assert without.section(catalog.source(text)).startswith("(not read: give --repo jobs=PATH, a copy of the "
                                                                 "repository; review fetches from GitHub only.")
