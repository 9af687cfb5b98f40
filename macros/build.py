"""`make build`: build the site beside the last one, then swap it in with one rename.

    python -m macros.build [--site-dir site] [--config-file mkdocs.yml]

The new site is built into a folder of its own (site.build.XXXX). Only when MkDocs has
finished without error does one renameat2(RENAME_EXCHANGE) (on macOS, renamex_np with
RENAME_SWAP) put it where the old one was, and the old one where it was: there is no
moment without a site, and an interrupted build or a failed one leaves the old site as it
was. Two builds at once each build their own folder and
swap in turn. A build killed outright leaves its folder behind: the next build removes every
such folder that no running build holds (each holds a lock on its own).
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2  # Linux: renameat2's flag
_RENAME_SWAP = 2  # macOS: renamex_np's flag
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step: Linux's renameat2 with RENAME_EXCHANGE, or macOS's
    renamex_np with RENAME_SWAP."""
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "renameat2"):
        done = libc.renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    elif hasattr(libc, "renamex_np"):
        done = libc.renamex_np(os.fsencode(first), os.fsencode(second), _RENAME_SWAP)
    else:
        raise OSError(errno.ENOSYS, "no atomic swap here: make build needs Linux (glibc 2.28 or later) or macOS")
    if done != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"cannot swap {first} and {second}: {os.strerror(code)}")


def _held(folder: Path) -> int:
    """A lock on a build's own folder, held while the build runs: its file descriptor."""
    descriptor = os.open(folder, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def remove_stale_builds(site: Path) -> list[Path]:
    """The build folders of killed builds, removed: those no running build holds a lock on."""
    removed = []
    for folder in site.parent.glob(f"{site.name}.build.*"):
        try:
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a running build's
        else:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(descriptor)
    return removed


def build(site: Path, mkdocs: list[str]) -> int:
    site = site.absolute()
    site.parent.mkdir(parents=True, exist_ok=True)
    swap_lock_path = site.parent / f"{site.name}.lock"
    with open(swap_lock_path, "w") as swap_lock:
        # Under the swap lock, so that no other build sees this folder before it is held.
        fcntl.flock(swap_lock, fcntl.LOCK_EX)
        remove_stale_builds(site)
        folder = Path(tempfile.mkdtemp(prefix=f"{site.name}.build.", dir=site.parent))
        lock = _held(folder)
    folder.chmod(0o755)  # a web server reads it
    # Ctrl-C and a polite kill end the build the same way: the folder goes, the site stays.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        finished = subprocess.run(mkdocs + ["--site-dir", str(folder)])
        if finished.returncode != 0:
            return finished.returncode
        with open(swap_lock_path, "w") as swap_lock:
            fcntl.flock(swap_lock, fcntl.LOCK_EX)  # one swap at a time
            if site.is_dir() and not site.is_symlink():
                exchange(folder, site)  # the old site is now in the build's folder
            else:
                os.rename(folder, site)  # the first build: nothing to swap with
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        os.close(lock)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", default="site", type=Path)
    parser.add_argument("--config-file", default="mkdocs.yml", help="the catalog's mkdocs.yml")
    arguments = parser.parse_args(argv)
    return build(arguments.site_dir, [sys.executable, "-m", "mkdocs", "build", "--strict",
                                      "--config-file", arguments.config_file])


if __name__ == "__main__":
    sys.exit(main())
