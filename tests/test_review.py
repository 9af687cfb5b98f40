"""`make review`: a code page, block by block, next to the text of the sections each block cites.

The sections come from a specification repository made here, whose documents hold every
heading the catalog lists, each followed by a line that names it; the catalog is pinned to
that repository's commit, as the real one is to openjobspec/spec.
"""

from __future__ import annotations

import subprocess

import pytest

from bench.synthetic import write_catalog
from conftest import BUILD_VARIABLES, CATALOGS, read_catalog, write_site_config
from macros import review


def body_of(document: str, section: str) -> str:
    return f"The text of {document} section {section}."


@pytest.fixture(scope="module")
def pinned(tmp_path_factory):
    """(catalog file, spec repository) with every cited section in the repository."""
    root = tmp_path_factory.mktemp("review")
    raw = read_catalog()
    spec = root / "spec"
    for key, document in raw["documents"].items():
        if document["repository"] != "spec":
            continue
        path = spec / document["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# The document", ""]
        for section, heading in document.get("sections", {}).items():
            lines += [f"## {heading}", "", body_of(key, section), ""]
        path.write_text("\n".join(lines), encoding="utf-8")
    git = ["git", "-C", str(spec), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(spec)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "documents"], check=True)
    commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    raw["repositories"]["spec"]["commit"] = commit
    return write_catalog(raw, root / "catalog.yaml"), spec, raw


def run(capsys, *arguments) -> str:
    assert review.main(list(arguments)) == 0
    return capsys.readouterr().out


def test_a_paragraph_is_followed_by_the_sections_it_cites(pinned, capsys):
    catalog, spec, _ = pinned
    out = run(capsys, "OJS-3001", "--catalog", str(catalog), "--repo", f"spec={spec}")
    paragraph = out.index("A backend sends it as an HTTP response with status 409 Conflict.")
    following = out[paragraph:]
    assert following.index("cites: ojs-errors.md §3, ojs-errors.md §5.1") < following.index(body_of("ojs-errors", "3"))
    assert following.index(body_of("ojs-errors", "3")) < following.index(body_of("ojs-errors", "5.1"))
    # The next paragraph's own citations come after: nothing cited is printed before its paragraph.
    assert out.index(body_of("ojs-errors", "3")) > paragraph


def test_every_source_of_the_page_is_printed_once_with_its_text(pinned, capsys):
    catalog, spec, raw = pinned
    out = run(capsys, "OJS-3001", "--catalog", str(catalog), "--repo", f"spec={spec}")
    entry = next(c for category in raw["categories"] for c in category["codes"] if c["code"] == "OJS-3001")
    tail = out[out.index("## The page's sources"):]
    for source in entry["sources"]:
        document, _, section = source.partition(" §")
        assert body_of(document, section) in out
        assert out.count(body_of(document, section)) == 1, f"{source} is printed more than once"
        assert f"{document}.md §{section}" in tail


def test_every_sentence_of_the_resolution_stands_on_its_own_line(pinned, capsys):
    catalog, spec, raw = pinned
    out = run(capsys, "OJS-1012", "--catalog", str(catalog), "--repo", f"spec={spec}")
    entry = next(c for category in raw["categories"] for c in category["codes"] if c["code"] == "OJS-1012")
    resolution = " ".join(entry["resolution"].replace("`", "").split())
    first, second = resolution.split(". ")[:2]
    assert f"  - {first}." in out.splitlines()
    assert f"  - {second}." in out.splitlines()


def test_without_the_repository_it_says_how_to_give_it(pinned, capsys, monkeypatch):
    catalog, _, _ = pinned
    monkeypatch.setattr(review.urllib.request, "urlopen", _offline)
    out = run(capsys, "OJS-3001", "--catalog", str(catalog))
    assert "(not available: give --repo spec=PATH" in out


def test_all_codes_without_arguments(pinned, capsys):
    catalog, spec, raw = pinned
    out = run(capsys, "--catalog", str(catalog), "--repo", f"spec={spec}")
    codes = [c["code"] for category in raw["categories"] for c in category["codes"]]
    assert [line.split()[1] for line in out.splitlines() if line.startswith("# ")] == sorted(codes)


def test_an_unknown_code_is_refused(pinned):
    catalog, _, _ = pinned
    with pytest.raises(SystemExit):
        review.main(["OJS-9999", "--catalog", str(catalog)])


def _offline(*arguments, **keywords):
    raise OSError("no network in this test")


def test_a_catalog_without_sources_is_reviewed_as_its_own_source(capsys):
    """make review CATALOG=examples/jobs-service: the site's mkdocs.yml names its catalog."""
    out = run(capsys, "ERR_JOBS_LEASE_EXPIRED", "--config-file", str(CATALOGS["jobs-service"][0]))
    assert "  - Increase heartbeat frequency (recommended: every 30 seconds)" in out
    assert "cites nothing: the catalog's own text is its source" in out
    assert "The page's sources" not in out and "rests on the page's sources" not in out


def test_a_web_page_is_named_not_fetched(tmp_path, capsys):
    raw = read_catalog(CATALOGS["jobs-service"][1])
    raw["documents"] = {"reference": {"url": "https://docs.jobs.example/errors", "title": "Jobs error reference"}}
    raw["categories"][0]["codes"][0]["sources"] = ["reference"]
    catalog = write_catalog(raw, tmp_path / "catalog.yaml")
    out = run(capsys, raw["categories"][0]["codes"][0]["code"], "--catalog", str(catalog))
    assert "(a web page: read it at https://docs.jobs.example/errors)" in out


def test_the_page_is_reviewed_at_its_own_sites_address(tmp_path, capsys, pinned, monkeypatch):
    """A catalog's page is the one its own site publishes: its doc_url is that site's address."""
    catalog, spec, _ = pinned
    for name in BUILD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config = write_site_config(tmp_path, catalog, "https://errors.example.org/")
    out = run(capsys, "OJS-3001", "--config-file", str(config), "--repo", f"spec={spec}")
    assert '"doc_url": "https://errors.example.org/errors/OJS-3001"' in out
    assert "openjobspec.org/errors/OJS-3001" not in out


def test_a_site_that_cannot_be_read_is_named(tmp_path, capsys):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [\n", encoding="utf-8")
    assert review.main(["--config-file", str(config)]) == 2
    assert str(config) in capsys.readouterr().err
