"""`make build` replaces the site only with a complete, successful build."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from bench.synthetic import write_catalog
from conftest import ROOT, build_environment, read_catalog, without_codes


def make_build(site_dir, catalog_file=None, **popen) -> subprocess.Popen:
    env = build_environment()
    if catalog_file is not None:
        env["CATALOG_FILE"] = str(catalog_file)
    return subprocess.Popen(["make", "--no-print-directory", "-C", str(ROOT), "build", f"SITE_DIR={site_dir}"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, preexec_fn=_ctrl_c_as_in_a_terminal, **popen)


def _ctrl_c_as_in_a_terminal() -> None:
    # A shell without job control starts background jobs with Ctrl-C ignored, and children
    # inherit that: the build here takes it as a terminal's would.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def finished(process: subprocess.Popen) -> tuple[int, str]:
    output, _ = process.communicate(timeout=300)
    return process.returncode, output


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A site made by make build, with a mark a later build must keep or replace whole."""
    site_dir = tmp_path_factory.mktemp("make") / "site"
    code, output = finished(make_build(site_dir))
    assert code == 0, output
    (site_dir / "mark.txt").write_text("the last good build", encoding="utf-8")
    return site_dir


def leftovers(site_dir) -> list[str]:
    return sorted(p.name for p in site_dir.parent.iterdir() if p.name.startswith(f"{site_dir.name}.build."))


def test_a_build_gives_a_readable_complete_site(built):
    # make build's default: the errors/ part of openjobspec.org, whose root is the catalog.
    assert (built / "index.html").is_file() and (built / "OJS-3001" / "index.html").is_file()
    assert built.stat().st_mode & 0o755 == 0o755, "a web server must be able to read the site"


def test_a_build_that_fails_late_leaves_the_site_as_it_was(built, tmp_path):
    # Without OJS-3001, the home page's link to it fails the build while pages are
    # rendered: after MkDocs has emptied its output folder.
    raw = read_catalog()
    without_codes(raw, lambda code: code == "OJS-3001")
    code, output = finished(make_build(built, write_catalog(raw, tmp_path / "catalog.yaml")))
    assert code != 0 and "links to OJS-3001" in output
    assert (built / "mark.txt").is_file() and (built / "index.html").is_file()
    assert leftovers(built) == []


def test_an_interrupted_build_leaves_the_site_as_it_was(built):
    process = make_build(built)
    deadline = time.monotonic() + 60
    while not leftovers(built):  # wait until the build has started writing
        assert process.poll() is None and time.monotonic() < deadline, "the build never started"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    code, _ = finished(process)
    assert code != 0
    assert (built / "mark.txt").is_file() and (built / "index.html").is_file()
    assert leftovers(built) == []


def test_two_builds_at_once_leave_one_complete_site(tmp_path):
    site_dir = tmp_path / "site"
    first, second = make_build(site_dir), make_build(site_dir)
    results = [finished(first), finished(second)]
    assert [code for code, _ in results] == [0, 0], results
    assert (site_dir / "index.html").is_file() and (site_dir / "OJS-7004" / "index.html").is_file()
    assert leftovers(site_dir) == [] and not (tmp_path / "site.old").exists()


def test_the_site_is_never_missing_while_a_build_swaps_it_in(built):
    """Read the site without pause while a build replaces it: every read finds a page."""
    import threading
    misses, reads, done = [], [0], threading.Event()

    def read_without_pause():
        while not done.is_set():
            reads[0] += 1
            if not (built / "index.html").is_file():
                misses.append(time.monotonic())

    reader = threading.Thread(target=read_without_pause)
    reader.start()
    try:
        code, output = finished(make_build(built))
    finally:
        done.set()
        reader.join()
    assert code == 0, output
    assert not (built / "mark.txt").exists(), "the new build replaced the old one"
    assert misses == [] and reads[0] > 1000
    (built / "mark.txt").write_text("the last good build", encoding="utf-8")


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_the_site_and_the_next_build_cleans_up(built, signal_number):
    process = make_build(built)
    deadline = time.monotonic() + 60
    while not leftovers(built):
        assert process.poll() is None and time.monotonic() < deadline, "the build never started"
        time.sleep(0.05)
    os.killpg(process.pid, signal_number)
    finished(process)
    assert (built / "mark.txt").is_file() and (built / "index.html").is_file()
    if signal_number == signal.SIGKILL:
        assert leftovers(built) != [], "a build killed outright cannot clean up after itself"
    code, output = finished(make_build(built))
    assert code == 0, output
    assert leftovers(built) == [] and (built / "index.html").is_file()
    (built / "mark.txt").write_text("the last good build", encoding="utf-8")
